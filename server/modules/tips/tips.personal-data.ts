import { definePersonalData, type RetainedRecord } from '../account/account-data.registry'
import { tipsPersonalDataRepository as repo } from './personal-data.repository'

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString())
const extOf = (mime: string) =>
  ({ 'image/jpeg': '.jpg', 'video/mp4': '.mp4', 'video/quicktime': '.mov', 'video/webm': '.webm' })[mime] ??
  ''

/** Tips the person sent while signed in (anonymous tips hold no link to anyone), with their files. */
export const tipsPersonalData = definePersonalData({
  name: 'tips',
  fields: [
    {
      table: 'tips',
      columns: ['description', 'address_text', 'lat', 'lng', 'submitter_id', 'contact_preference'],
      purpose: 'A tip to the police and the case it may become',
      readers: 'The sender; the officer of the area; commanders above (sender identity read audited)',
      retention: '24 months after the case closes (retention job)',
      legalBasis:
        'Police duties (Law on People’s Public Security; Decree 13/2023 art. 17); consent for the contact',
      onErase:
        'Emptied (description, place, thread, files) unless attached to a case that is open or closed < 24 months: then kept for the case and only the link to the account and the contact preference are erased',
    },
    {
      table: 'tip_messages',
      columns: ['body'],
      purpose: 'Thread between the sender and the police',
      readers: 'As the tip',
      retention: 'As the tip',
      legalBasis: 'As the tip',
      onErase: 'As the tip',
    },
    {
      table: 'evidence_files',
      columns: ['storage_key', 'sha256'],
      purpose: 'Photos and clips of a tip (evidence, chain of custody)',
      readers: 'Officers of the area and commanders (every download audited); the sender',
      retention:
        '24 months after the tip or its case closes (retention job: rule tips for a tip’s files, case_files for staff evidence and answers); evidence of a referred case until released',
      legalBasis: 'Police duties; criminal procedure (chain of custody)',
      onErase:
        'Bytes deleted through evidence_remove_bytes (record and hash kept) unless the tip is kept for a case',
    },
    {
      table: 'cases',
      columns: ['title', 'description', 'address_text', 'lat', 'lng', 'outcome_note'],
      purpose:
        'The case the police open from tips: what happened, where, and how it ended (often naming the people involved)',
      readers: 'The officer of the case; officers of the area and commanders above',
      retention:
        '24 months after the case closes (retention job, rule case_text: text and place emptied; category, area, dates and outcome kept for the counts); a case referred to investigators until released',
      legalBasis: 'Police duties (Law on People’s Public Security; Decree 13/2023 art. 17)',
      onErase:
        'Not linked to a resident’s account (written by staff); the resident’s tips attached to it follow the tips rules',
    },
    {
      table: 'case_events, help_requests',
      columns: [
        'data.title',
        'data.body',
        'data.note',
        'description',
        'look_for',
        'place_text',
        'lat',
        'lng',
      ],
      purpose: 'A case’s timeline (notes, outcome notes) and its requests for help published to residents',
      readers:
        'Timeline: as the case; requests for help: the residents of the groups and areas they were sent to',
      retention:
        'As the case (rule case_text; the timeline is append-only, its text removed only through case_remove_text)',
      legalBasis: 'As the case',
      onErase: 'As the case',
    },
    {
      table: 'upload_budgets',
      columns: ['scope'],
      purpose:
        'Bytes sent today through anonymous tips, per client address, to stop floods (F9); the address is never stored, only an HMAC under the server secret and the day',
      readers: 'Nobody (used by the server only)',
      retention: '1 day (retention job)',
      legalBasis: 'Legitimate interest: security of the service',
      onErase: 'Not linked to an account (anonymous senders); deleted the day after',
    },
  ],

  async export(db, userId) {
    const tips = await repo.tips(db, userId)
    const ids = tips.map((t) => t.id)
    const [messages, files] = await Promise.all([
      repo.tipMessages(db, ids),
      repo.evidence(db, { tipIds: ids }),
    ])
    const pathOf = (f: (typeof files)[number]) => `files/tips/${f.id}${extOf(f.mime)}`
    return {
      data: tips.map((t) => ({
        id: t.id,
        category: t.category,
        description: t.description,
        place: { address: t.address_text, lat: t.lat, lng: t.lng },
        status: t.status,
        contactPreference: t.contact_preference,
        sentAt: iso(t.created_at),
        thread: messages
          .filter((m) => m.tip_id === t.id)
          .map((m) => ({
            from: m.author_kind === 'tipster' ? 'me' : 'police',
            body: m.body,
            at: iso(m.created_at),
          })),
        files: files
          .filter((f) => f.tip_id === t.id)
          .map((f) => ({ id: f.id, kind: f.kind, sha256: f.sha256, path: pathOf(f) })),
      })),
      files: files.map((f) => ({ path: pathOf(f), storageKey: f.storage_key })),
    }
  },

  async retained(db, userId) {
    const held = await repo.heldTips(db, userId)
    const [messages, files] = await Promise.all([
      repo.tipMessages(
        db,
        held.map((t) => t.id),
      ),
      repo.evidence(db, { tipIds: held.map((t) => t.id) }),
    ])
    return held.flatMap((t): RetainedRecord[] => {
      const vars = { case: `VV-${t.case_number}` }
      return [
        { table: 'tips', id: t.id, reasonKey: 'data.retained.tip_case', vars },
        ...messages
          .filter((m) => m.tip_id === t.id)
          .map((m) => ({ table: 'tip_messages', id: m.id, reasonKey: 'data.retained.part_of', vars })),
        ...files
          .filter((f) => f.tip_id === t.id)
          .map((f) => ({
            table: 'evidence_files',
            id: f.id,
            reasonKey: 'data.retained.evidence_case',
            vars,
          })),
      ]
    })
  },

  async erase(tx, userId, retained) {
    const held = retained.filter((r) => r.table === 'tips').map((r) => r.id)
    await repo.unlinkTips(tx, held)
    const rest = (await repo.tips(tx, userId)).map((t) => t.id).filter((id) => !held.includes(id))
    const erased = await repo.eraseTips(tx, rest)
    return { count: erased.count + held.length, storageKeys: erased.storageKeys }
  },
})
