import { definePersonalData, type RetainedRecord } from '../account/account-data.registry'
import { movementsPersonalDataRepository as repo } from './personal-data.repository'

/** Residence reports the person sent (stay, tenant, absence, guest) and the register entries they made. */
export const movementsPersonalData = definePersonalData({
  name: 'movements',
  fields: [
    {
      table: 'residence_reports',
      columns: ['full_name', 'id_number', 'address', 'nationality', 'destination', 'reason', 'note'],
      purpose: 'The residence notification the law requires (stay, tenant, absence, guest)',
      readers: 'The reporter; the officer of the area; commanders above (every staff read audited)',
      retention: '24 months after the report is closed (retention job, rule residence_reports)',
      legalBasis: 'Law on Residence 2020 (art. 30–31) and Decree 154/2024; police duties',
      onErase:
        'Confirmed reports within 24 months of closing are kept (legal obligation); other reports lose the names, ID numbers, address and notes',
    },
    {
      table: 'guest_lists',
      columns: ['reporter_id', 'address', 'guest_count'],
      purpose:
        'A night’s guest list sent by a hotel, guest house or homestay (its guests are residence_reports rows)',
      readers: 'The establishment that sent it; the officer of the area; commanders above',
      retention:
        'As its reports: the address goes once every guest’s report was anonymised (retention job, rule guest_lists)',
      legalBasis: 'Law on Residence 2020 (art. 30): the establishment’s duty to notify',
      onErase:
        'The list (the establishment’s address and counts) stays; its guests’ reports follow residence_reports',
    },
    {
      table: 'register_people',
      columns: ['full_name', 'id_number', 'search_text', 'nationality', 'away_destination'],
      purpose: 'The area’s working register made from confirmed reports',
      readers: 'The officer of the area; commanders above (audited)',
      retention:
        '24 months after the line ends (the person left, or the stay ran out); then anonymised by the retention job (rule register_people), the row and its dates kept for the counts',
      legalBasis: 'Law on Residence 2020; police duties',
      onErase: 'Kept with the confirmed report that made it (listed to the resident)',
    },
  ],

  async export(db, userId) {
    return {
      data: (await repo.reports(db, userId)).map((r) => ({
        id: r.id,
        kind: r.kind,
        status: r.status,
        address: r.address,
        person: {
          fullName: r.full_name,
          idKind: r.id_kind,
          idNumber: r.id_number,
          nationality: r.nationality,
        },
        from: r.from_date,
        to: r.to_date,
        destination: r.destination,
        reason: r.reason,
        note: r.note,
        officerNote: r.review_note,
        sentAt: new Date(r.created_at).toISOString(),
      })),
    }
  },

  async retained(db, userId) {
    return (await repo.held(db, userId)).flatMap((r): RetainedRecord[] => [
      { table: 'residence_reports', id: r.id, reasonKey: 'data.retained.residence_report' },
      ...(r.person_ids ?? []).map((id) => ({
        table: 'register_people',
        id,
        reasonKey: 'data.retained.part_of_register',
      })),
    ])
  },

  async erase(tx, userId, retained) {
    const held = new Set(retained.map((r) => r.id))
    const ids = (await repo.reports(tx, userId)).map((r) => r.id).filter((id) => !held.has(id))
    return { count: await repo.erase(tx, ids) }
  },
})
