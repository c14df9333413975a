import { and, eq, inArray, or, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { evidenceFiles, tipMessages, tips, units, users } from '../../db/schema/index'
import type { Scope } from '../../lib/scope'
import { type TipColumns, tipsPolicy } from './tips.policy'

export type TipRow = typeof tips.$inferSelect
export type EvidenceRow = typeof evidenceFiles.$inferSelect
export type TipMessageRow = typeof tipMessages.$inferSelect

export interface TipListRow {
  [k: string]: unknown
  id: string
  category: TipRow['category']
  description: string
  status: TipRow['status']
  area_name: string
  is_anonymous: boolean
  has_files: boolean
  created_at: Date | string
  first_response_due_at: Date | string
  first_response_at: Date | string | null
  assignee_name: string | null
  case_id: string | null
  quarantined_at: Date | string | null
  from_alert: boolean
  /** Only in the sender's own list: the police changed something since the sender last opened it. */
  has_update?: boolean
}

const listColumns = sql`t.id, t.category, t.description, t.status, u.name as area_name, t.is_anonymous,
  exists(select 1 from evidence_files e where e.tip_id = t.id) as has_files, t.created_at, t.first_response_due_at,
  t.first_response_at, a.display_name as assignee_name, t.case_id, t.quarantined_at,
  exists(select 1 from alert_answers aa where aa.tip_id = t.id) as from_alert`
const listFrom = sql`from tips t join units u on u.id = t.area_id left join users a on a.id = t.assignee_id`
/** Unanswered first, the most overdue on top; then the rest, newest first. */
const triageOrder = sql`order by (t.first_response_at is null and t.status in ('new', 'in_review')) desc,
  case when t.first_response_at is null then t.first_response_due_at end asc, t.created_at desc`

/** A tip's scope columns when the query names `tips` as `t`. */
export const tipColumns: TipColumns = {
  areaPath: sql`t.area_path`,
  assigneeId: sql`t.assignee_id`,
  submitterId: sql`t.submitter_id`,
}

export const tipsRepository = {
  async get(db: DbOrTx, id: string): Promise<TipRow | undefined> {
    const [row] = await db.select().from(tips).where(eq(tips.id, id))
    return row
  },

  async getMany(db: DbOrTx, ids: string[]): Promise<TipRow[]> {
    return ids.length ? db.select().from(tips).where(inArray(tips.id, ids)) : []
  },

  async findByIdempotencyKey(db: DbOrTx, keyHash: string): Promise<TipRow | undefined> {
    const [row] = await db.select().from(tips).where(eq(tips.idempotencyKeyHash, keyHash))
    return row
  },

  async findByCodeHash(db: DbOrTx, codeHash: string): Promise<TipRow | undefined> {
    const [row] = await db.select().from(tips).where(eq(tips.codeHash, codeHash))
    return row
  },

  async insert(db: DbOrTx, values: typeof tips.$inferInsert): Promise<TipRow> {
    const [row] = await db.insert(tips).values(values).returning()
    return row!
  },

  /**
   * Deletes the bytes of every file of a tip and its thread through the database function (the
   * record and its hash stay); returns the storage keys to delete once the transaction commits.
   */
  async removeFileBytes(tx: DbOrTx, tipId: string, reason: 'quarantine'): Promise<string[]> {
    const rows = await queryRows<{ storage_key: string; thumb_key: string | null }>(
      tx,
      sql`select r.storage_key, r.thumb_key from evidence_files e
          left join tip_messages m on m.id = e.tip_message_id,
          lateral evidence_remove_bytes(e.id, ${reason}) r
          where coalesce(e.tip_id, m.tip_id) = ${tipId} and e.bytes_removed_at is null`,
    )
    return rows.flatMap((k) => (k.thumb_key ? [k.storage_key, k.thumb_key] : [k.storage_key]))
  },

  async update(db: DbOrTx, id: string, values: Partial<typeof tips.$inferInsert>): Promise<TipRow> {
    const [row] = await db
      .update(tips)
      .set({ ...values, updatedAt: sql`now()` })
      .where(eq(tips.id, id))
      .returning()
    return row!
  },

  /** Every tip of the area (open or closed) held by `from` goes to `to` (null: the unit's duty queue). */
  async handOver(db: DbOrTx, areaId: string, from: string, to: string | null): Promise<TipRow[]> {
    return db
      .update(tips)
      .set({ assigneeId: to, updatedAt: sql`now()` })
      .where(and(eq(tips.areaId, areaId), eq(tips.assigneeId, from)))
      .returning()
  },

  async insertEvidence(db: DbOrTx, rows: (typeof evidenceFiles.$inferInsert)[]): Promise<EvidenceRow[]> {
    return rows.length ? db.insert(evidenceFiles).values(rows).returning() : []
  },

  /** The officer answering for the area right now (area_assignments), newest assignment first. */
  async responsibleOfficer(db: DbOrTx, areaId: string): Promise<string | null> {
    const [row] = await queryRows<{ officer_id: string }>(
      db,
      sql`select officer_id from area_assignments
          where area_id = ${areaId} and starts_at <= now() and (ends_at is null or ends_at > now())
          order by starts_at desc limit 1`,
    )
    return row?.officer_id ?? null
  },

  /** The unit's first-response target (shared with the inbox), 30 minutes when none is set. */
  async firstResponseTargetMinutes(db: DbOrTx, unitId: string): Promise<number> {
    const [row] = await queryRows<{ minutes: number }>(
      db,
      sql`select first_response_target_minutes as minutes from messaging_settings where unit_id = ${unitId}`,
    )
    return row?.minutes ?? 30
  },

  async areaName(db: DbOrTx, areaId: string): Promise<string> {
    const [row] = await db.select({ name: units.name }).from(units).where(eq(units.id, areaId))
    return row?.name ?? ''
  },

  async user(db: DbOrTx, id: string) {
    const [row] = await db.select().from(users).where(eq(users.id, id))
    return row
  },

  async messages(db: DbOrTx, tipId: string) {
    return db
      .select({ message: tipMessages, staffName: users.displayName })
      .from(tipMessages)
      .leftJoin(users, eq(users.id, tipMessages.staffAuthorId))
      .where(eq(tipMessages.tipId, tipId))
      .orderBy(tipMessages.createdAt)
  },

  async findMessageByClientKey(db: DbOrTx, tipId: string, clientKey: string) {
    const [row] = await db
      .select()
      .from(tipMessages)
      .where(and(eq(tipMessages.tipId, tipId), eq(tipMessages.clientKey, clientKey)))
    return row
  },

  /** Not `update`: opening one's own tip is no change to the tip (its updatedAt stays). */
  async markSeenBySender(db: DbOrTx, id: string, userId: string): Promise<void> {
    await db
      .update(tips)
      .set({ submitterSeenAt: sql`now()` })
      .where(and(eq(tips.id, id), eq(tips.submitterId, userId)))
  },

  async insertMessage(db: DbOrTx, values: typeof tipMessages.$inferInsert): Promise<TipMessageRow> {
    const [row] = await db.insert(tipMessages).values(values).returning()
    return row!
  },

  /** The files of the tips, including those added later to their threads. */
  async filesOfTips(db: DbOrTx, tipIds: string[]): Promise<EvidenceRow[]> {
    if (!tipIds.length) return []
    return db
      .select()
      .from(evidenceFiles)
      .where(
        or(
          inArray(evidenceFiles.tipId, tipIds),
          inArray(
            evidenceFiles.tipMessageId,
            db.select({ id: tipMessages.id }).from(tipMessages).where(inArray(tipMessages.tipId, tipIds)),
          ),
        ),
      )
      .orderBy(evidenceFiles.createdAt)
  },

  async listForStaff(
    db: DbOrTx,
    scope: Scope,
    q: { filter: 'mine' | 'queue' | 'all' | 'open'; status?: string; category?: string; caseId?: string },
  ): Promise<TipListRow[]> {
    const filter = {
      mine: sql`and (t.assignee_id = ${scope.userId})`,
      queue: sql`and t.assignee_id is null and t.status in ('new', 'in_review')`,
      open: sql`and t.status in ('new', 'in_review')`,
      all: sql``,
    }[q.filter]
    return queryRows<TipListRow>(
      db,
      sql`select ${listColumns} ${listFrom}
          where ${tipsPolicy.scopes.read(scope, tipColumns)} ${filter}
          ${q.status ? sql`and t.status = ${q.status}` : sql``}
          ${q.category ? sql`and t.category = ${q.category}` : sql``}
          ${triageOrder} limit 200`,
    )
  },

  async listOfCase(db: DbOrTx, caseId: string): Promise<TipListRow[]> {
    return queryRows<TipListRow>(
      db,
      sql`select ${listColumns} ${listFrom} where t.case_id = ${caseId} order by t.created_at`,
    )
  },

  async listMine(db: DbOrTx, userId: string): Promise<TipListRow[]> {
    return queryRows<TipListRow>(
      db,
      sql`select ${listColumns},
            (t.staff_updated_at is not null and (t.submitter_seen_at is null or t.submitter_seen_at < t.staff_updated_at)) as has_update
          ${listFrom} where t.submitter_id = ${userId} and t.is_anonymous = false
          order by t.created_at desc limit 100`,
    )
  },
}
