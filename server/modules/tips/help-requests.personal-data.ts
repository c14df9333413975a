import { definePersonalData } from '../account/account-data.registry'
import { tipsPersonalDataRepository as repo } from './personal-data.repository'

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString())
const extOf = (mime: string) =>
  ({ 'image/jpeg': '.jpg', 'video/mp4': '.mp4', 'video/quicktime': '.mov' })[mime] ?? ''

/** Answers to the police's requests for help ("check your cameras"), with their files. */
export const helpRequestsPersonalData = definePersonalData({
  name: 'help_requests',
  fields: [
    {
      table: 'help_responses',
      columns: ['responder_id', 'body'],
      purpose: 'A resident’s answer to a request for help published from a case',
      readers: 'The resident; the officers of the case and commanders above (audited)',
      retention:
        '24 months after the case closes (retention job, rule case_files: text emptied, files’ bytes removed, the link to the responder removed); a referred case keeps them',
      legalBasis: 'Consent of the resident; police duties for the case',
      onErase:
        'Emptied and files’ bytes deleted, unless the case is open or closed < 24 months (then kept for it); either way the answer loses its link to the account (responder_id emptied)',
    },
  ],

  async export(db, userId) {
    const responses = await repo.responses(db, userId)
    const files = await repo.evidence(db, { responseIds: responses.map((r) => r.id) })
    const pathOf = (f: (typeof files)[number]) => `files/help_requests/${f.id}${extOf(f.mime)}`
    return {
      data: responses.map((r) => ({
        id: r.id,
        request: r.request,
        answer: r.body,
        at: iso(r.created_at),
        files: files.filter((f) => f.help_response_id === r.id).map((f) => ({ id: f.id, path: pathOf(f) })),
      })),
      files: files.map((f) => ({ path: pathOf(f), storageKey: f.storage_key })),
    }
  },

  async retained(db, userId) {
    return (await repo.heldResponses(db, userId)).map((r) => ({
      table: 'help_responses',
      id: r.id,
      reasonKey: 'data.retained.help_case',
      vars: { case: `VV-${r.case_number}` },
    }))
  },

  async erase(tx, userId, retained) {
    const held = new Set(retained.map((r) => r.id))
    const ids = (await repo.responses(tx, userId)).map((r) => r.id).filter((id) => !held.has(id))
    const erased = await repo.eraseResponses(tx, ids)
    // Kept or not, no answer keeps a link to the account (as a kept tip loses its submitter).
    await repo.unlinkResponder(tx, userId)
    return erased
  },
})
