import { and, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { areaAssignments, roleGrants, units, users } from '../../db/schema/index'
import type { Actor, RoleGrant } from '../../lib/actor'
import type { UserRow } from './session.repository'

/** Active role grants with the materialised path of the unit each covers. */
export async function loadGrants(db: DbOrTx, userId: string): Promise<RoleGrant[]> {
  const rows = await db
    .select({ role: roleGrants.role, unitId: roleGrants.unitId, unitPath: units.path })
    .from(roleGrants)
    .leftJoin(units, eq(units.id, roleGrants.unitId))
    .where(and(eq(roleGrants.userId, userId), isNull(roleGrants.revokedAt)))
  return rows.map((r) => ({ role: r.role, unitId: r.unitId, unitPath: r.unitPath ?? null }))
}

/** The areas an officer answers for right now: started, and not yet ended. */
export function loadCurrentAssignments(
  db: DbOrTx,
  officerId: string,
): Promise<{ id: string; path: string }[]> {
  return db
    .select({ id: units.id, path: units.path })
    .from(areaAssignments)
    .innerJoin(units, eq(units.id, areaAssignments.areaId))
    .where(
      and(
        eq(areaAssignments.officerId, officerId),
        lte(areaAssignments.startsAt, sql`now()`),
        or(isNull(areaAssignments.endsAt), gt(areaAssignments.endsAt, sql`now()`)),
      ),
    )
}

/** Builds the Actor policies decide with: grants scoped by unit paths, an officer's current areas. */
export async function loadActor(db: DbOrTx, user: UserRow, sessionId: string): Promise<Actor> {
  const [grants, assignedAreas] = await Promise.all([
    loadGrants(db, user.id),
    loadCurrentAssignments(db, user.id),
  ])
  return actorFrom(user, sessionId, { grants, assignedAreas })
}

/**
 * The same grants and current assignments as loadGrants / loadCurrentAssignments, as JSON
 * subqueries of one statement, so a session and its actor come back in a single round trip
 * (a reconnect storm after a restart resolves thousands of sessions at once). The outer query
 * selects from users.
 */
export function actorScopeColumns() {
  // Qualified by hand: drizzle leaves a column unqualified when the outer query has one table.
  const user = sql`${users}.${sql.identifier('id')}`
  return {
    grants: sql<RoleGrant[] | string>`(
      select coalesce(json_agg(json_build_object('role', g.role, 'unitId', g.unit_id, 'unitPath', gu.path)), '[]'::json)
      from ${roleGrants} g left join ${units} gu on gu.id = g.unit_id
      where g.user_id = ${user} and g.revoked_at is null)`,
    assignedAreas: sql<{ id: string; path: string }[] | string>`(
      select coalesce(json_agg(json_build_object('id', au.id, 'path', au.path)), '[]'::json)
      from ${areaAssignments} a join ${units} au on au.id = a.area_id
      where a.officer_id = ${user} and a.starts_at <= now() and (a.ends_at is null or a.ends_at > now()))`,
  }
}

/** Drivers hand json back parsed (node-postgres, PGlite) or as text: either way, the value. */
export const fromJson = <T>(value: T | string): T =>
  typeof value === 'string' ? (JSON.parse(value) as T) : value

/** Builds the Actor from a user row and the columns of actorScopeColumns. */
export function actorFrom(
  user: UserRow,
  sessionId: string,
  scope: { grants: RoleGrant[] | string; assignedAreas: { id: string; path: string }[] | string },
): Actor {
  return {
    userId: user.id,
    sessionId,
    kind: user.kind,
    displayName: user.displayName,
    locale: user.locale,
    areaId: user.areaId,
    grants: fromJson(scope.grants).map((g) => ({
      role: g.role,
      unitId: g.unitId ?? null,
      unitPath: g.unitPath ?? null,
    })),
    assignedAreas: fromJson(scope.assignedAreas),
  }
}

/** The users (not deleted) among these ids with their scope, for actorFrom: one statement. */
export function loadActorRows(db: DbOrTx, userIds: string[]) {
  return db
    .select({ user: users, ...actorScopeColumns() })
    .from(users)
    .where(and(inArray(users.id, userIds), isNull(users.deletedAt)))
}
