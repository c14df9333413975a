import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows, uuidArray } from '../../db/query'

/** A case that still needs its records: open, or closed less than 24 months ago. */
const caseHoldsSql = sql`(c.status <> 'closed' or c.closed_at is null or c.closed_at > now() - interval '24 months')`

export interface OwnFileRow extends Record<string, unknown> {
  id: string
  conversation_id: string
  name: string
  mime: string
  storage_key: string
  thumb_key: string | null
}

/** The queries behind messaging.personal-data.ts and groups.personal-data.ts. */
export const messagingPersonalDataRepository = {
  directConversations: (db: DbOrTx, userId: string) =>
    queryRows<{ id: string; area_id: string | null; status: string; created_at: Date | string }>(
      db,
      sql`select id, area_id, status, created_at from conversations
          where kind = 'direct' and resident_id = ${userId} order by created_at`,
    ),

  /** What the resident sees of their direct conversations: every message but officers' internal notes. */
  directMessages: (db: DbOrTx, userId: string) =>
    queryRows<{
      conversation_id: string
      seq: number
      from_me: boolean
      kind: string
      body: string
      attachments: unknown
      created_at: Date | string
      deleted_at: Date | string | null
    }>(
      db,
      sql`select m.conversation_id, m.seq, (m.author_id = ${userId}) as from_me, m.kind, m.body, m.attachments,
                 m.created_at, m.deleted_at
          from messages m join conversations c on c.id = m.conversation_id
          where c.kind = 'direct' and c.resident_id = ${userId} and not m.is_internal
          order by m.conversation_id, m.seq`,
    ),

  /** Direct conversations a case still needs (linked to it). */
  heldConversations: (db: DbOrTx, userId: string) =>
    queryRows<{ id: string; case_number: number }>(
      db,
      sql`select distinct on (cv.id) cv.id, c.number::int as case_number
          from conversations cv
          join case_links l on l.kind = 'conversation' and l.target_id = cv.id
          join cases c on c.id = l.case_id
          where cv.kind = 'direct' and cv.resident_id = ${userId} and ${caseHoldsSql}
          order by cv.id, c.number`,
    ),

  files: (db: DbOrTx, where: { uploaderId?: string; conversationIds?: string[] }) =>
    queryRows<OwnFileRow>(
      db,
      sql`select f.id, f.conversation_id, f.name, f.mime, f.storage_key, f.thumb_key from message_files f
          where ${where.uploaderId ? sql`f.uploader_id = ${where.uploaderId}` : sql`false`}
             or f.conversation_id = any(${uuidArray(where.conversationIds ?? [])})`,
    ),

  /**
   * Empties the messages of the given conversations (everyone's words: a reply names the resident
   * too), their earlier versions, reports, transfer notes, files and queued push previews.
   */
  async eraseConversations(tx: DbOrTx, conversationIds: string[]): Promise<number> {
    if (!conversationIds.length) return 0
    const ids = uuidArray(conversationIds)
    await tx.execute(sql`delete from jobs where queue = 'push.deliver' and unique_key like 'push:message:%'
      and split_part(unique_key, ':', 3) in (select id::text from messages where conversation_id = any(${ids}))`)
    await tx.execute(
      sql`delete from message_edits where message_id in (select id from messages where conversation_id = any(${ids}))`,
    )
    await tx.execute(
      sql`delete from message_reports where message_id in (select id from messages where conversation_id = any(${ids}))`,
    )
    await tx.execute(sql`update conversation_transfers set note = '' where conversation_id = any(${ids})`)
    await tx.execute(sql`delete from message_files where conversation_id = any(${ids})`)
    const rows = await queryRows<{ n: number }>(
      tx,
      sql`with u as (update messages set body = '', attachments = '[]'::jsonb, payload = null,
                   deleted_at = coalesce(deleted_at, now()), hidden_reason = null
                 where conversation_id = any(${ids}) returning 1)
          select count(*)::int as n from u`,
    )
    return rows[0]?.n ?? 0
  },

  groupMemberships: (db: DbOrTx, userId: string) =>
    queryRows<{ group_id: string; name: string; role: string; status: string; joined_at: Date | string }>(
      db,
      sql`select m.group_id, g.name, m.role, m.status, m.created_at as joined_at
          from group_members m join groups g on g.id = m.group_id where m.user_id = ${userId}
          order by m.created_at`,
    ),

  groupMessages: (db: DbOrTx, userId: string) =>
    queryRows<{
      id: string
      group_name: string
      kind: string
      body: string
      attachments: unknown
      created_at: Date | string
      hidden_at: Date | string | null
    }>(
      db,
      sql`select m.id, g.name as group_name, m.kind, m.body, m.attachments, m.created_at, m.hidden_at
          from messages m join conversations c on c.id = m.conversation_id join groups g on g.id = c.group_id
          where c.kind = 'group' and m.author_id = ${userId} order by m.created_at`,
    ),

  /** The person's own group messages emptied, their files, versions and push previews gone, memberships left. */
  async eraseGroupData(tx: DbOrTx, userId: string): Promise<{ count: number; storageKeys: string[] }> {
    const mine = sql`select m.id from messages m join conversations c on c.id = m.conversation_id
                     where c.kind = 'group' and m.author_id = ${userId}`
    await tx.execute(sql`delete from jobs where queue = 'push.deliver' and unique_key like 'push:message:%'
      and split_part(unique_key, ':', 3) in (select id::text from (${mine}) x)`)
    await tx.execute(sql`delete from message_edits where message_id in (${mine})`)
    await tx.execute(sql`delete from message_reports where message_id in (${mine})`)
    const files = await queryRows<{ storage_key: string; thumb_key: string | null }>(
      tx,
      sql`delete from message_files f using conversations c
          where c.id = f.conversation_id and c.kind = 'group' and f.uploader_id = ${userId}
          returning f.storage_key, f.thumb_key`,
    )
    const updated = await queryRows<{ n: number }>(
      tx,
      sql`with u as (update messages set body = '', attachments = '[]'::jsonb, payload = null,
                   deleted_at = coalesce(deleted_at, now())
                 where id in (${mine}) returning 1)
          select count(*)::int as n from u`,
    )
    const left = await queryRows<{ n: number }>(
      tx,
      sql`with d as (delete from group_members where user_id = ${userId} returning 1) select count(*)::int as n from d`,
    )
    return {
      count: (updated[0]?.n ?? 0) + (left[0]?.n ?? 0),
      storageKeys: files.flatMap((f) => (f.thumb_key ? [f.storage_key, f.thumb_key] : [f.storage_key])),
    }
  },

  /** Read markers and reports the person made anywhere. */
  async eraseReadsAndReports(tx: DbOrTx, userId: string): Promise<void> {
    await tx.execute(sql`delete from message_reads where user_id = ${userId}`)
    await tx.execute(sql`delete from message_reports where reporter_id = ${userId}`)
  },
}
