import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows, uuidArray } from '../../db/query'

/** A case that still needs its records: open, or closed less than 24 months ago. */
const caseHoldsSql = sql`(c.status <> 'closed' or c.closed_at is null or c.closed_at > now() - interval '24 months')`

export interface EvidenceFileRow extends Record<string, unknown> {
  id: string
  tip_id: string | null
  help_response_id: string | null
  kind: string
  mime: string
  sha256: string
  storage_key: string
  created_at: Date | string
}

/** The queries behind tips.personal-data.ts and help-requests.personal-data.ts. */
export const tipsPersonalDataRepository = {
  tips: (db: DbOrTx, userId: string) =>
    queryRows<{
      id: string
      category: string
      description: string
      address_text: string | null
      lat: number | null
      lng: number | null
      status: string
      contact_preference: string
      created_at: Date | string
    }>(
      db,
      sql`select id, category, description, address_text, lat, lng, status, contact_preference, created_at
          from tips where submitter_id = ${userId} order by created_at`,
    ),

  tipMessages: (db: DbOrTx, tipIds: string[]) =>
    queryRows<{ id: string; tip_id: string; author_kind: string; body: string; created_at: Date | string }>(
      db,
      sql`select id, tip_id, author_kind, body, created_at from tip_messages
          where tip_id = any(${uuidArray(tipIds)}) order by created_at`,
    ),

  /** Files of the person's tips (and their follow-ups) and of their answers to requests for help. */
  evidence: (db: DbOrTx, q: { tipIds?: string[]; responseIds?: string[] }) =>
    queryRows<EvidenceFileRow>(
      db,
      sql`select e.id, coalesce(e.tip_id, m.tip_id) as tip_id, e.help_response_id, e.kind, e.mime, e.sha256,
                 e.storage_key, e.created_at
          from evidence_files e left join tip_messages m on m.id = e.tip_message_id
          where e.bytes_removed_at is null
            and (coalesce(e.tip_id, m.tip_id) = any(${uuidArray(q.tipIds ?? [])})
                 or e.help_response_id = any(${uuidArray(q.responseIds ?? [])}))`,
    ),

  heldTips: (db: DbOrTx, userId: string) =>
    queryRows<{ id: string; case_id: string; case_number: number }>(
      db,
      sql`select t.id, c.id as case_id, c.number::int as case_number from tips t join cases c on c.id = t.case_id
          where t.submitter_id = ${userId} and ${caseHoldsSql}`,
    ),

  /** The link to the account and the way to reach the sender go; the content stays for the case. */
  async unlinkTips(tx: DbOrTx, tipIds: string[]): Promise<void> {
    await tx.execute(sql`update tips set submitter_id = null, contact_preference = 'none', updated_at = now()
      where id = any(${uuidArray(tipIds)})`)
  },

  /** Empties the tips, their threads (both sides) and the location; the bytes go through the database function. */
  async eraseTips(tx: DbOrTx, tipIds: string[]): Promise<{ count: number; storageKeys: string[] }> {
    if (!tipIds.length) return { count: 0, storageKeys: [] }
    const ids = uuidArray(tipIds)
    await tx.execute(sql`update tip_messages set body = '' where tip_id = any(${ids})`)
    await tx.execute(sql`update tips set description = '', address_text = null, lat = null, lng = null,
      submitter_id = null, contact_preference = 'none', updated_at = now() where id = any(${ids})`)
    const keys = await queryRows<{ storage_key: string; thumb_key: string | null }>(
      tx,
      sql`select r.storage_key, r.thumb_key from evidence_files e
          left join tip_messages m on m.id = e.tip_message_id,
          lateral evidence_remove_bytes(e.id, 'erasure') r
          where coalesce(e.tip_id, m.tip_id) = any(${ids}) and e.bytes_removed_at is null`,
    )
    return {
      count: tipIds.length,
      storageKeys: keys.flatMap((k) => [k.storage_key, k.thumb_key ?? []].flat()),
    }
  },

  responses: (db: DbOrTx, userId: string) =>
    queryRows<{
      id: string
      help_request_id: string
      request: string
      body: string
      created_at: Date | string
    }>(
      db,
      sql`select x.id, x.help_request_id, h.description as request, x.body, x.created_at
          from help_responses x join help_requests h on h.id = x.help_request_id
          where x.responder_id = ${userId} order by x.created_at`,
    ),

  heldResponses: (db: DbOrTx, userId: string) =>
    queryRows<{ id: string; case_number: number }>(
      db,
      sql`select x.id, c.number::int as case_number from help_responses x
          join help_requests h on h.id = x.help_request_id join cases c on c.id = h.case_id
          where x.responder_id = ${userId} and ${caseHoldsSql}`,
    ),

  /** The person's answers no longer name their account (the kept ones stay, unsigned, for the case). */
  unlinkResponder: (tx: DbOrTx, userId: string) =>
    tx.execute(sql`update help_responses set responder_id = null where responder_id = ${userId}`),

  async eraseResponses(tx: DbOrTx, ids: string[]): Promise<{ count: number; storageKeys: string[] }> {
    if (!ids.length) return { count: 0, storageKeys: [] }
    await tx.execute(sql`update help_responses set body = '' where id = any(${uuidArray(ids)})`)
    const keys = await queryRows<{ storage_key: string; thumb_key: string | null }>(
      tx,
      sql`select r.storage_key, r.thumb_key from evidence_files e, lateral evidence_remove_bytes(e.id, 'erasure') r
          where e.help_response_id = any(${uuidArray(ids)}) and e.bytes_removed_at is null`,
    )
    return { count: ids.length, storageKeys: keys.flatMap((k) => [k.storage_key, k.thumb_key ?? []].flat()) }
  },
}
