import { type SQL, sql } from 'drizzle-orm'
import type { Actor } from '../../lib/actor'

/** The paths a staff member works on, for list queries that must match the policies' rules. */
export interface StaffScope {
  userId: string
  /** Areas the officer is assigned to now. */
  coverPaths: string[]
  /** Units the actor commands (their whole subtree). */
  commandPaths: string[]
  /** Units the actor is an officer of (their duty queue). */
  officerUnitPaths: string[]
}

export function scopeOf(actor: Actor): StaffScope {
  const paths = (role: string) =>
    actor.grants.filter((g) => g.role === role && g.unitPath !== null).map((g) => g.unitPath as string)
  return {
    userId: actor.userId,
    coverPaths: actor.assignedAreas.map((a) => a.path),
    commandPaths: paths('commander'),
    officerUnitPaths: paths('officer'),
  }
}

const anyPrefix = (col: SQL, paths: string[]) =>
  paths.length
    ? sql`(${sql.join(
        paths.map((p) => sql`${col} like ${`${p}%`}`),
        sql` or `,
      )})`
    : sql`false`

/**
 * The SQL twin of tipsPolicy.read/casesPolicy.read for staff: assigned to me, in an area I cover,
 * under a unit I command, or (tips only, with `dutyQueue`) unassigned under a unit I am an officer of.
 */
export function scopeWhere(
  scope: StaffScope,
  cols: { areaPath: SQL; assigneeId: SQL },
  dutyQueue: boolean,
): SQL {
  return sql`(${cols.assigneeId} = ${scope.userId}
    or ${anyPrefix(cols.areaPath, scope.coverPaths)}
    or ${anyPrefix(cols.areaPath, scope.commandPaths)}
    ${dutyQueue ? sql`or (${cols.assigneeId} is null and ${anyPrefix(cols.areaPath, scope.officerUnitPaths)})` : sql``})`
}
