import { definePersonalData, type RetainedRecord } from '../account/account-data.registry'
import { messagingPersonalDataRepository as repo } from './personal-data.repository'

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString())
const extOf = (name: string, mime: string) =>
  /\.[a-z0-9]{1,5}$/i.exec(name)?.[0] ?? (mime === 'application/pdf' ? '.pdf' : '.jpg')

/** Direct conversations with the police of one's area, and every file the person uploaded. */
export const messagingPersonalData = definePersonalData({
  name: 'messaging',
  fields: [
    {
      table: 'messages',
      columns: ['body', 'attachments', 'payload'],
      purpose: 'Direct conversation between a resident and the police of their area',
      readers: 'The resident; the officer of the area; commanders above (staff reads audited)',
      retention: '24 months after the conversation is resolved',
      legalBasis: 'Consent of the resident (Decree 13/2023 art. 11); police duties for a linked case',
      onErase:
        "Every message of the resident's direct conversations (both sides) emptied, with earlier versions, reports, transfer notes and queued push previews; kept while a case linked to the conversation is open or closed < 24 months",
    },
    {
      table: 'message_files',
      columns: ['name', 'storage_key'],
      purpose: 'Photos and PDFs sent in conversations',
      readers: 'Those who may read the conversation',
      retention: 'As the conversation',
      legalBasis: 'As the conversation',
      onErase: 'Records and bytes deleted',
    },
    {
      table: 'message_reads, message_reports',
      columns: ['last_read_seq', 'reason'],
      purpose: 'Read markers; reports of abusive messages',
      readers: 'The person; moderators and staff of the group',
      retention: 'While the account exists',
      legalBasis: 'Performance of the service',
      onErase: 'Deleted',
    },
  ],

  async export(db, userId) {
    const [conversations, messages, files] = await Promise.all([
      repo.directConversations(db, userId),
      repo.directMessages(db, userId),
      repo.files(db, { uploaderId: userId }),
    ])
    return {
      data: {
        conversations: conversations.map((c) => ({
          id: c.id,
          status: c.status,
          createdAt: iso(c.created_at),
          messages: messages
            .filter((m) => m.conversation_id === c.id)
            .map((m) => ({
              seq: m.seq,
              from: m.from_me ? 'me' : 'police',
              kind: m.kind,
              body: m.body,
              attachments: m.attachments,
              at: iso(m.created_at),
              deletedAt: iso(m.deleted_at),
            })),
        })),
        files: files.map((f) => ({
          id: f.id,
          name: f.name,
          mime: f.mime,
          path: `files/messages/${f.id}${extOf(f.name, f.mime)}`,
        })),
      },
      files: files.map((f) => ({
        path: `files/messages/${f.id}${extOf(f.name, f.mime)}`,
        storageKey: f.storage_key,
      })),
    }
  },

  async retained(db, userId) {
    return (await repo.heldConversations(db, userId)).map(
      (c): RetainedRecord => ({
        table: 'conversations',
        id: c.id,
        reasonKey: 'data.retained.conversation_case',
        vars: { case: `VV-${c.case_number}` },
      }),
    )
  },

  async erase(tx, userId, retained) {
    const held = new Set(retained.map((r) => r.id))
    const ids = (await repo.directConversations(tx, userId)).map((c) => c.id).filter((id) => !held.has(id))
    const files = await repo.files(tx, { conversationIds: ids })
    const count = await repo.eraseConversations(tx, ids)
    await repo.eraseReadsAndReports(tx, userId)
    return {
      count,
      storageKeys: files.flatMap((f) => (f.thumb_key ? [f.storage_key, f.thumb_key] : [f.storage_key])),
    }
  },
})
