import { and, eq, isNull, type SQL, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows, uuidArray } from '../../db/query'
import { cannedReplies } from '../../db/schema/index'
import { pathAbove } from '../../db/unit-path-sql'

/** A canned reply with what its rules and its presenter need: the unit's path and name, the author's name. */
export interface CannedReplyRecord extends Record<string, unknown> {
  id: string
  unit_id: string
  unit_name: string
  unit_path: string
  title: string
  body: string
  shared: boolean
  created_by: string | null
  author_name: string | null
  updated_at: Date | string
  version: number
}

/** The columns a policy scope filters on, in the queries below. */
export const cannedColumns = {
  authorId: sql`cr.created_by`,
  shared: sql`cr.shared`,
  unitPath: sql`u.path`,
}

const select = sql`select cr.id, cr.unit_id, u.name as unit_name, u.path as unit_path, cr.title, cr.body,
    cr.shared, cr.created_by, au.display_name as author_name, cr.updated_at, cr.version
  from canned_replies cr join units u on u.id = cr.unit_id left join users au on au.id = cr.created_by`

export const cannedReplyRepository = {
  /** Live replies the scope filter keeps, shared ones first, then by title. */
  async list(db: DbOrTx, scope: SQL) {
    return queryRows<CannedReplyRecord>(
      db,
      sql`${select} where cr.deleted_at is null and ${scope} order by cr.shared desc, lower(cr.title), cr.id`,
    )
  },

  async get(db: DbOrTx, id: string): Promise<CannedReplyRecord | undefined> {
    const [row] = await queryRows<CannedReplyRecord>(
      db,
      sql`${select} where cr.id = ${id} and cr.deleted_at is null`,
    )
    return row
  },

  /** For a conversation: the shared replies of the units at or above its area, and the officer's own. */
  async forConversation(db: DbOrTx, areaPath: string, userId: string) {
    return queryRows<CannedReplyRecord>(
      db,
      sql`${select} where cr.deleted_at is null
          and ((cr.shared and ${pathAbove(sql`u.path`, areaPath)}) or (not cr.shared and cr.created_by = ${userId}))
          order by cr.shared, lower(cr.title), cr.id`,
    )
  },

  /** Units by id (the ones an actor works in), for the form's choice. */
  async units(db: DbOrTx, ids: readonly string[]) {
    if (!ids.length) return []
    return queryRows<{ id: string; name: string; path: string }>(
      db,
      sql`select id, name, path from units where id = any(${uuidArray(ids)}) order by path`,
    )
  },

  async unit(db: DbOrTx, id: string) {
    const [row] = await queryRows<{ id: string; name: string; path: string }>(
      db,
      sql`select id, name, path from units where id = ${id}`,
    )
    return row
  },

  async insert(
    db: DbOrTx,
    values: { unitId: string; title: string; body: string; shared: boolean; createdBy: string },
  ) {
    const [row] = await db
      .insert(cannedReplies)
      .values({ ...values, updatedBy: values.createdBy })
      .returning({ id: cannedReplies.id })
    return row!.id
  },

  /** Applies an edit made from `version`; false when the reply moved on (or went) meanwhile. */
  async update(
    db: DbOrTx,
    id: string,
    version: number,
    set: { unitId?: string; title?: string; body?: string; shared?: boolean; updatedBy: string },
  ) {
    const rows = await db
      .update(cannedReplies)
      .set({ ...set, version: sql`${cannedReplies.version} + 1`, updatedAt: sql`now()` })
      .where(
        and(eq(cannedReplies.id, id), eq(cannedReplies.version, version), isNull(cannedReplies.deletedAt)),
      )
      .returning({ id: cannedReplies.id })
    return rows.length > 0
  },

  async softDelete(db: DbOrTx, id: string, userId: string) {
    await db
      .update(cannedReplies)
      .set({ deletedAt: sql`now()`, updatedBy: userId })
      .where(and(eq(cannedReplies.id, id), isNull(cannedReplies.deletedAt)))
  },
}
