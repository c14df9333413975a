import { definePersonalData } from '../account/account-data.registry'
import { scamNumbersPersonalDataRepository as repo } from './personal-data.repository'

const iso = (d: Date | string) => new Date(d).toISOString()

/** Scam calls the person reported (issue 17.1). The public only ever sees counts per province. */
export const scamNumbersPersonalData = definePersonalData({
  name: 'scam-numbers',
  fields: [
    {
      table: 'scam_reports',
      columns: ['reporter_id', 'area_id', 'area_path', 'called_at', 'amount_vnd', 'note'],
      purpose:
        'A resident’s report of a scam call, so staff can verify it and warn others; public pages and the feed show counts per week and province only',
      readers: 'The reporter; the officer of their area; commanders above (every staff read audited)',
      retention: 'While the account exists',
      legalBasis: 'Consent of the resident; police duties (crime prevention)',
      onErase:
        'Note and amount emptied; the report stays with the anonymised account so the number’s counts stay true',
    },
  ],

  async export(db, userId) {
    return {
      data: (await repo.reports(db, userId)).map((r) => ({
        id: r.id,
        number: r.phone,
        claimedAs: r.claimed_as,
        calledAt: iso(r.called_at),
        amountVnd: r.amount_vnd,
        note: r.note,
        status: r.status,
        sentAt: iso(r.created_at),
      })),
    }
  },

  erase: async (tx, userId) => ({ count: await repo.erase(tx, userId) }),
})
