import { and, asc, eq, isNull } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { units, users } from '../../db/schema/index'

export type ResidentRow = { user: typeof users.$inferSelect; area: typeof units.$inferSelect | null }

export async function findArea(db: DbOrTx, id: string) {
  const [row] = await db.select().from(units).where(eq(units.id, id))
  return row
}

export function listResidentsOfArea(db: DbOrTx, areaId: string): Promise<ResidentRow[]> {
  return db
    .select({ user: users, area: units })
    .from(users)
    .leftJoin(units, eq(units.id, users.areaId))
    .where(and(eq(users.areaId, areaId), eq(users.kind, 'resident'), isNull(users.deletedAt)))
    .orderBy(asc(users.displayName))
    .limit(2000)
}

export async function findResident(db: DbOrTx, id: string): Promise<ResidentRow | undefined> {
  const [row] = await db
    .select({ user: users, area: units })
    .from(users)
    .leftJoin(units, eq(units.id, users.areaId))
    .where(and(eq(users.id, id), eq(users.kind, 'resident'), isNull(users.deletedAt)))
  return row
}
