import { definePersonalData } from '../account/account-data.registry'
import { officerPhotosRepository as repo } from './officer-photos.repository'

const iso = (d: Date | null) => d?.toISOString() ?? null

/** The photos an officer sent of themselves (issue 19.7); the approved one is public. */
export const officerPhotosPersonalData = definePersonalData({
  name: 'officer-photos',
  fields: [
    {
      table: 'officer_photos',
      columns: ['user_id', 'storage_key', 'refusal_reason'],
      purpose:
        'The officer’s own portrait, shown to residents on the area page, the chat and the QR poster once a commander approved it',
      readers: 'Anyone once approved; before that the officer and the commanders of their unit and above',
      retention: 'While the staff account exists',
      legalBasis: 'Consent of the officer; public duty (residents know who their area officer is)',
      onErase: 'Deleted with their image files',
    },
  ],

  async export(db, userId) {
    const rows = await repo.allOf(db, userId)
    return {
      data: rows.map((r) => ({
        id: r.id,
        state: r.state,
        sentAt: iso(r.createdAt),
        decidedAt: iso(r.decidedAt),
        refusalReason: r.refusalReason,
      })),
      files: rows.map((r) => ({ path: `files/officer-photos/${r.id}.jpg`, storageKey: r.storageKey })),
    }
  },

  async erase(tx, userId) {
    const deleted = await repo.deleteAllOf(tx, userId)
    return { count: deleted.length, storageKeys: deleted.map((d) => d.key) }
  },
})
