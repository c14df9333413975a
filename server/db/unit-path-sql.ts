import { type AnyColumn, type SQL, sql } from 'drizzle-orm'
import type { Scope } from '../lib/scope'

/**
 * The SQL twins of the unit-tree predicates in `server/lib/scope.ts`. Paths are materialised
 * ("/a/b/c/"), so "in the subtree of" is a prefix match the `text_pattern_ops` indexes serve.
 * The only place that writes path-prefix SQL: policies compose these into their `scopes`.
 */

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)

/** `column` lies under one of `roots`; false for no roots, so an empty scope returns nothing. */
export function underAnyPath(column: SQL | AnyColumn, roots: readonly string[]): SQL {
  if (!roots.length) return sql`false`
  return sql`(${sql.join(
    roots.map((r) => sql`${column} like ${`${escapeLike(r)}%`}`),
    sql` or `,
  )})`
}

/** `column` is exactly one of `paths` (the grant's own unit, not its subtree). */
export function pathIn(column: SQL | AnyColumn, paths: readonly string[]): SQL {
  if (!paths.length) return sql`false`
  return sql`${column} in (${sql.join(
    paths.map((p) => sql`${p}`),
    sql`, `,
  )})`
}

/** The unit in `column` (a path) is `path` itself or one of its ancestors. */
export const pathAbove = (column: SQL | AnyColumn, path: string | SQL | AnyColumn): SQL =>
  sql`starts_with(${path}, ${column})`

/** Columns of a record that belongs to an area and may be assigned to one staff member. */
export interface AreaRecordColumns {
  areaPath: SQL | AnyColumn
  assigneeId: SQL | AnyColumn
}

/** SQL twin of `worksArea`: covered or commanded area, or assigned to me under my officer grant. */
export const worksAreaSql = (s: Scope, c: AreaRecordColumns): SQL =>
  s.isStaff
    ? sql`(${underAnyPath(c.areaPath, [...s.coverPaths, ...s.commandPaths])}
        or (${c.assigneeId} = ${s.userId} and ${underAnyPath(c.areaPath, s.officerUnitPaths)}))`
    : sql`false`

/** SQL twin of `staffOverUnit`: a unit (path in `column`) I cover, command or am an officer above. */
export const staffOverUnitSql = (s: Scope, column: SQL | AnyColumn): SQL =>
  s.isStaff ? underAnyPath(column, [...s.coverPaths, ...s.commandPaths, ...s.officerUnitPaths]) : sql`false`

/** Unassigned records under a unit the actor is an officer of: the unit's duty queue. */
export const dutyQueueSql = (s: Scope, c: AreaRecordColumns): SQL =>
  sql`(${c.assigneeId} is null and ${underAnyPath(c.areaPath, s.officerUnitPaths)})`

/**
 * `column` lies under `root` (the root itself included). A literal root is an escaped LIKE prefix
 * (index-served); a column root (`t.area_path`, `u.path` of a join) is `starts_with`, which reads
 * no wildcard in a path.
 */
export const pathUnder = (column: SQL | AnyColumn, root: string | SQL | AnyColumn): SQL =>
  typeof root === 'string' ? underAnyPath(column, [root]) : sql`starts_with(${column}, ${root})`

export type StaffGrantRole = 'officer' | 'commander'

/**
 * The ids of staff (not deleted) holding a live grant of one of `roles` on a unit at or above
 * `path`: the officers and commanders over an area. A subquery, used as `id in ${staffOver(…)}`.
 * Its aliases are unusual so that a `path` naming an outer query's column is never shadowed.
 */
export const staffOver = (path: string | SQL | AnyColumn, roles: readonly StaffGrantRole[]): SQL =>
  sql`(select over_g.user_id from role_grants over_g
        join units over_u on over_u.id = over_g.unit_id
        join users over_s on over_s.id = over_g.user_id
       where over_g.revoked_at is null and over_s.kind = 'staff' and over_s.deleted_at is null
         and over_g.role in (${sql.join(
           roles.map((r) => sql`${r}`),
           sql`, `,
         )}) and ${pathAbove(sql`over_u.path`, path)})`
