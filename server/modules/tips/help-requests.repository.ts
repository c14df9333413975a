import { and, eq, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { evidenceFiles, helpRequests, helpRequestTargets, helpResponses } from '../../db/schema/index'
import { pathUnder } from '../../db/unit-path-sql'

export type HelpRequestRow = typeof helpRequests.$inferSelect
export type HelpTargetRow = typeof helpRequestTargets.$inferSelect
export type HelpResponseRow = typeof helpResponses.$inferSelect

export interface TargetView {
  [k: string]: unknown
  id: string
  group_id: string | null
  area_id: string | null
  name: string
  message_id: string | null
  closing_message_id: string | null
}

/**
 * A target `t` (help_request_targets) reaches the user: an active member of its group, or a
 * resident living in (or under) its area. The one audience rule of the list and the single read.
 */
const addressedTo = (userId: string) =>
  sql`(exists (select 1 from group_members m where m.group_id = t.group_id and m.user_id = ${userId}
              and m.status in ('active', 'muted'))
       or exists (select 1 from users r join units a on a.id = r.area_id
                  where r.id = ${userId} and t.area_path is not null and ${pathUnder(sql`a.path`, sql`t.area_path`)}))`

export const helpRequestsRepository = {
  async insert(db: DbOrTx, values: typeof helpRequests.$inferInsert): Promise<HelpRequestRow> {
    const [row] = await db.insert(helpRequests).values(values).returning()
    return row!
  },

  async insertTargets(
    db: DbOrTx,
    rows: (typeof helpRequestTargets.$inferInsert)[],
  ): Promise<HelpTargetRow[]> {
    return rows.length ? db.insert(helpRequestTargets).values(rows).returning() : []
  },

  async get(db: DbOrTx, id: string): Promise<HelpRequestRow | undefined> {
    const [row] = await db.select().from(helpRequests).where(eq(helpRequests.id, id))
    return row
  },

  async ofCase(db: DbOrTx, caseId: string): Promise<HelpRequestRow[]> {
    return db
      .select()
      .from(helpRequests)
      .where(eq(helpRequests.caseId, caseId))
      .orderBy(helpRequests.createdAt)
  },

  async targets(db: DbOrTx, id: string): Promise<TargetView[]> {
    return queryRows<TargetView>(
      db,
      sql`select t.id, t.group_id, t.area_id, coalesce(g.name, u.name) as name, t.message_id, t.closing_message_id
          from help_request_targets t left join groups g on g.id = t.group_id left join units u on u.id = t.area_id
          where t.help_request_id = ${id} order by name`,
    )
  },

  async setTargetMessage(
    db: DbOrTx,
    targetId: string,
    column: 'messageId' | 'closingMessageId',
    messageId: string,
  ) {
    await db
      .update(helpRequestTargets)
      .set({ [column]: messageId })
      .where(eq(helpRequestTargets.id, targetId))
  },

  /**
   * In the audience: an active member of a targeted group, or a resident living in (or under) a
   * targeted area.
   */
  async isAudience(db: DbOrTx, id: string, userId: string): Promise<boolean> {
    const rows = await queryRows<{ ok: number }>(
      db,
      sql`select 1 as ok from help_request_targets t
          where t.help_request_id = ${id} and ${addressedTo(userId)} limit 1`,
    )
    return rows.length > 0
  },

  async hasResponded(db: DbOrTx, id: string, userId: string): Promise<boolean> {
    const rows = await queryRows<{ ok: number }>(
      db,
      sql`select 1 as ok from help_responses where help_request_id = ${id} and responder_id = ${userId} limit 1`,
    )
    return rows.length > 0
  },

  /** A resident's requests for help: those addressed to them and those they answered, newest first. */
  async listForResident(db: DbOrTx, userId: string): Promise<HelpRequestRow[]> {
    const rows = await queryRows<{ id: string }>(
      db,
      sql`select h.id from help_requests h where exists (
            select 1 from help_request_targets t where t.help_request_id = h.id and ${addressedTo(userId)})
          or exists (select 1 from help_responses x where x.help_request_id = h.id and x.responder_id = ${userId})
          order by h.created_at desc limit 50`,
    )
    const out: HelpRequestRow[] = []
    for (const r of rows) {
      const row = await helpRequestsRepository.get(db, r.id)
      if (row) out.push(row)
    }
    return out
  },

  async close(db: DbOrTx, id: string, closingMessage: string | null): Promise<HelpRequestRow> {
    const [row] = await db
      .update(helpRequests)
      .set({ status: 'closed', closingMessage, closedAt: sql`now()` })
      .where(and(eq(helpRequests.id, id), eq(helpRequests.status, 'open')))
      .returning()
    return row ?? (await helpRequestsRepository.get(db, id))!
  },

  async responses(db: DbOrTx, id: string, onlyResponderId?: string) {
    return queryRows<{
      id: string
      body: string
      created_at: Date | string
      /** Null once the responder deleted their account (or retention passed). */
      responder_id: string | null
      display_name: string | null
      phone: string | null
    }>(
      db,
      sql`select x.id, x.body, x.created_at, x.responder_id, u.display_name, u.phone
          from help_responses x left join users u on u.id = x.responder_id
          where x.help_request_id = ${id} ${onlyResponderId ? sql`and x.responder_id = ${onlyResponderId}` : sql``}
          order by x.created_at`,
    )
  },

  async responseFiles(db: DbOrTx, responseIds: string[]) {
    if (!responseIds.length) return []
    return db
      .select()
      .from(evidenceFiles)
      .where(
        sql`${evidenceFiles.helpResponseId} in (${sql.join(
          responseIds.map((r) => sql`${r}`),
          sql`, `,
        )})`,
      )
  },

  async findResponse(
    db: DbOrTx,
    responderId: string,
    clientKey: string,
  ): Promise<HelpResponseRow | undefined> {
    const [row] = await db
      .select()
      .from(helpResponses)
      .where(and(eq(helpResponses.responderId, responderId), eq(helpResponses.clientKey, clientKey)))
    return row
  },

  async getResponse(db: DbOrTx, id: string): Promise<HelpResponseRow | undefined> {
    const [row] = await db.select().from(helpResponses).where(eq(helpResponses.id, id))
    return row
  },

  async insertResponse(db: DbOrTx, values: typeof helpResponses.$inferInsert): Promise<HelpResponseRow> {
    const [row] = await db.insert(helpResponses).values(values).returning()
    return row!
  },

  /** Groups attached to an area (its residential group chat), for a request addressed to the area. */
  async groupsOfArea(db: DbOrTx, areaId: string): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      db,
      sql`select id from groups where unit_id = ${areaId} and archived_at is null`,
    )
    return rows.map((r) => r.id)
  },

  async groupConversationId(db: DbOrTx, groupId: string): Promise<string | null> {
    const [row] = await queryRows<{ id: string }>(
      db,
      sql`select c.id from conversations c join groups g on g.id = c.group_id
          where c.group_id = ${groupId} and g.archived_at is null`,
    )
    return row?.id ?? null
  },
}
