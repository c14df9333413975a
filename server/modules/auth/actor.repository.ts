import { and, eq, gt, isNull, lte, or, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { areaAssignments, roleGrants, units } from '../../db/schema/index'
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
  return {
    userId: user.id,
    sessionId,
    kind: user.kind,
    displayName: user.displayName,
    locale: user.locale,
    areaId: user.areaId,
    grants,
    assignedAreas,
  }
}
