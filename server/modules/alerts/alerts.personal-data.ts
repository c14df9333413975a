import { definePersonalData } from '../account/account-data.registry'
import { alertsPersonalDataRepository as repo } from './personal-data.repository'

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString())

/** Alerts the person received, and their answers ("I have seen this person"). */
export const alertsPersonalData = definePersonalData({
  name: 'alerts',
  fields: [
    {
      table: 'alert_answers',
      columns: ['author_id', 'body'],
      purpose: 'A resident’s answer to an alert; it becomes a tip for the issuing officer',
      readers: 'The resident; staff of the issuing unit and commanders above (audited)',
      retention:
        'As the tip it became (24 months after the case closes); 24 months when it became none (retention job, rule alert_answers)',
      legalBasis: 'Consent of the resident; police duties',
      onErase: 'Body emptied (the tip it became follows the tips rules)',
    },
    {
      table: 'alert_recipients',
      columns: ['user_id', 'delivered_at', 'read_at'],
      purpose: 'Who an alert reached, so nobody gets it twice',
      readers: 'Staff of the issuing unit (counts only)',
      retention: 'While the account exists',
      legalBasis: 'Performance of the service',
      onErase: 'Deleted',
    },
  ],

  async export(db, userId) {
    const [answers, received] = await Promise.all([repo.answers(db, userId), repo.received(db, userId)])
    return {
      data: {
        answers: answers.map((a) => ({
          alertId: a.alert_id,
          alert: a.headline,
          answer: a.body,
          at: iso(a.created_at),
        })),
        received: received.map((r) => ({
          alertId: r.alert_id,
          alert: r.headline,
          deliveredAt: iso(r.delivered_at),
          readAt: iso(r.read_at),
          answeredAt: iso(r.answered_at),
        })),
      },
    }
  },

  erase: async (tx, userId) => ({ count: await repo.erase(tx, userId) }),
})
