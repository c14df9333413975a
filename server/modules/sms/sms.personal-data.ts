import { definePersonalData } from '../account/account-data.registry'
import { smsPersonalDataRepository as repo } from './personal-data.repository'

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString())

/** Answers and alerts sent to the person by SMS, and the SMS they sent to the unit's number (issue 17.3). */
export const smsPersonalData = definePersonalData({
  name: 'sms',
  fields: [
    {
      table: 'sms_sends',
      columns: ['user_id', 'phone', 'text'],
      purpose:
        'The ledger of SMS sent to a resident (an officer’s answer, an alert they asked for): where it went, what it said, what it cost the unit’s budget',
      readers:
        'The resident; the officers of the conversation see the answer as a message; commanders see cost and status only, never the number or text',
      retention: 'Number and text 12 months after sending; segments and cost kept for the unit’s accounts',
      legalBasis: 'Police duties (answering residents); consent for alerts by SMS',
      onErase: 'Number and text emptied; the cost stays in the unit’s monthly spending',
    },
    {
      table: 'sms_inbound',
      columns: ['sender', 'content'],
      purpose:
        'A resident’s SMS to the unit’s number as the provider delivered it, kept until it is filed into their conversation',
      readers: 'Nobody directly: once filed it is a message of the conversation',
      retention: '30 days after it was filed or set aside',
      legalBasis: 'Police duties (answering residents)',
      onErase: 'Deleted (a filed SMS is erased with the conversation’s messages)',
    },
  ],

  async export(db, userId) {
    const sent = await repo.sent(db, userId)
    const received = await repo.received(db, userId)
    return {
      data: {
        sent: sent.map((r) => ({
          id: r.id,
          purpose: r.purpose,
          to: r.phone,
          text: r.text,
          segments: r.segments,
          status: r.status,
          createdAt: iso(r.created_at),
          sentAt: iso(r.sent_at),
        })),
        received: received.map((r) => ({
          text: r.content,
          receivedAt: iso(r.received_at),
          status: r.status,
        })),
      },
    }
  },

  erase: async (tx, userId) => ({ count: await repo.erase(tx, userId) }),
})
