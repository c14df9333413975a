import { and, eq, inArray, or, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import {
  caseEvents,
  caseLinks,
  cases,
  evidenceFiles,
  helpRequests,
  helpResponses,
  tipMessages,
  tips,
  users,
} from '../../db/schema/index'
import type { Scope } from '../../lib/scope'
import { casesPolicy } from './tips.policy'

export type CaseRow = typeof cases.$inferSelect
export type CaseEventRow = typeof caseEvents.$inferSelect
export type EvidenceRow = typeof evidenceFiles.$inferSelect

export interface CaseListRow {
  [k: string]: unknown
  id: string
  number: number
  title: string
  category: CaseRow['category']
  status: CaseRow['status']
  priority: CaseRow['priority']
  outcome: CaseRow['outcome']
  area_name: string
  assignee_name: string | null
  tip_count: number
  created_at: Date | string
  updated_at: Date | string
}

export const casesRepository = {
  async get(db: DbOrTx, id: string): Promise<CaseRow | undefined> {
    const [row] = await db.select().from(cases).where(eq(cases.id, id))
    return row
  },

  async insert(db: DbOrTx, values: typeof cases.$inferInsert): Promise<CaseRow> {
    const [row] = await db.insert(cases).values(values).returning()
    return row!
  },

  async update(db: DbOrTx, id: string, values: Partial<typeof cases.$inferInsert>): Promise<CaseRow> {
    const [row] = await db
      .update(cases)
      .set({ ...values, updatedAt: sql`now()` })
      .where(eq(cases.id, id))
      .returning()
    return row!
  },

  /** Every case of the area (open or finished) held by `from` goes to `to` (null: its commanders'). */
  async handOver(db: DbOrTx, areaId: string, from: string, to: string | null): Promise<CaseRow[]> {
    return db
      .update(cases)
      .set({ assigneeId: to, updatedAt: sql`now()` })
      .where(and(eq(cases.areaId, areaId), eq(cases.assigneeId, from)))
      .returning()
  },

  async addEvent(
    db: DbOrTx,
    v: { caseId: string; actorId: string | null; type: string; data?: Record<string, unknown> },
  ) {
    await db
      .insert(caseEvents)
      .values({ caseId: v.caseId, actorId: v.actorId, type: v.type, data: v.data ?? {} })
  },

  async timeline(db: DbOrTx, caseId: string) {
    return queryRows<{
      id: number
      type: string
      at: Date | string
      actor_name: string | null
      data: Record<string, unknown>
    }>(
      db,
      sql`select e.id::int as id, e.type, e.at, u.display_name as actor_name, e.data
          from case_events e left join users u on u.id = e.actor_id where e.case_id = ${caseId} order by e.id`,
    )
  },

  async linkTips(db: DbOrTx, caseId: string, tipIds: string[]) {
    await db
      .update(tips)
      .set({ caseId, status: 'linked', updatedAt: sql`now()`, staffUpdatedAt: sql`now()` })
      .where(inArray(tips.id, tipIds))
  },

  async closeTips(db: DbOrTx, caseId: string) {
    await db
      .update(tips)
      .set({ status: 'closed', closedAt: sql`now()`, updatedAt: sql`now()`, staffUpdatedAt: sql`now()` })
      .where(and(eq(tips.caseId, caseId), sql`${tips.status} <> 'closed'`))
  },

  async links(db: DbOrTx, caseId: string) {
    return db.select().from(caseLinks).where(eq(caseLinks.caseId, caseId)).orderBy(caseLinks.createdAt)
  },

  async addLink(db: DbOrTx, v: typeof caseLinks.$inferInsert): Promise<boolean> {
    const rows = await db.insert(caseLinks).values(v).onConflictDoNothing().returning()
    return rows.length > 0
  },

  /** Every file of the case: its own, its tips' (and their threads'), and the answers to its requests for help. */
  async evidence(db: DbOrTx, caseId: string): Promise<EvidenceRow[]> {
    const tipIds = db.select({ id: tips.id }).from(tips).where(eq(tips.caseId, caseId))
    const responseIds = db
      .select({ id: helpResponses.id })
      .from(helpResponses)
      .innerJoin(helpRequests, eq(helpRequests.id, helpResponses.helpRequestId))
      .where(eq(helpRequests.caseId, caseId))
    return db
      .select()
      .from(evidenceFiles)
      .where(
        or(
          eq(evidenceFiles.caseId, caseId),
          inArray(evidenceFiles.tipId, tipIds),
          inArray(
            evidenceFiles.tipMessageId,
            db.select({ id: tipMessages.id }).from(tipMessages).where(inArray(tipMessages.tipId, tipIds)),
          ),
          inArray(evidenceFiles.helpResponseId, responseIds),
        ),
      )
      .orderBy(evidenceFiles.createdAt)
  },

  async evidenceFile(db: DbOrTx, id: string): Promise<EvidenceRow | undefined> {
    const [row] = await db.select().from(evidenceFiles).where(eq(evidenceFiles.id, id))
    return row
  },

  async insertEvidence(db: DbOrTx, values: typeof evidenceFiles.$inferInsert): Promise<EvidenceRow> {
    const [row] = await db.insert(evidenceFiles).values(values).returning()
    return row!
  },

  /** Names of staff and helpers who added files (staff view only). */
  async userNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map()
    const rows = await db
      .select({ id: users.id, name: users.displayName })
      .from(users)
      .where(inArray(users.id, ids))
    return new Map(rows.map((r) => [r.id, r.name]))
  },

  async list(db: DbOrTx, scope: Scope, q: { status?: string; open?: boolean }): Promise<CaseListRow[]> {
    return queryRows<CaseListRow>(
      db,
      sql`select c.id, c.number::int as number, c.title, c.category, c.status, c.priority, c.outcome,
            u.name as area_name, a.display_name as assignee_name,
            (select count(*)::int from tips t where t.case_id = c.id) as tip_count, c.created_at, c.updated_at
          from cases c join units u on u.id = c.area_id left join users a on a.id = c.assignee_id
          where ${casesPolicy.scopes.read(scope, { areaPath: sql`c.area_path`, assigneeId: sql`c.assignee_id` })}
          ${q.status ? sql`and c.status = ${q.status}` : sql``}
          ${q.open === true ? sql`and c.status in ('new', 'verifying', 'in_progress')` : sql``}
          ${q.open === false ? sql`and c.status in ('resolved', 'closed')` : sql``}
          order by case c.priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end,
            c.updated_at desc limit 200`,
    )
  },
}
