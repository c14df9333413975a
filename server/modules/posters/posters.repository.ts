import { and, asc, count, eq, gt, isNull, lte, or, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { areaAssignments, posterScans, posters, roleGrants, units, users } from '../../db/schema/index'

export type PosterRow = typeof posters.$inferSelect
export type UnitRow = typeof units.$inferSelect

export const postersRepository = {
  getUnit: async (db: DbOrTx, id: string) => (await db.select().from(units).where(eq(units.id, id)))[0],

  /** The residential groups directly under a ward, in a stable order for printing. */
  listAreasOf: (db: DbOrTx, unitId: string) =>
    db
      .select()
      .from(units)
      .where(and(eq(units.parentId, unitId), eq(units.level, 'residential_group')))
      .orderBy(sql`length(${units.name})`, asc(units.name)),

  /** The officer answering for an area right now. */
  currentOfficer: async (db: DbOrTx, areaId: string, at = new Date()) =>
    (
      await db
        .select({ id: users.id, name: users.displayName, phone: users.officialPhone })
        .from(areaAssignments)
        .innerJoin(users, eq(users.id, areaAssignments.officerId))
        .where(
          and(
            eq(areaAssignments.areaId, areaId),
            lte(areaAssignments.startsAt, at),
            or(isNull(areaAssignments.endsAt), gt(areaAssignments.endsAt, at)),
            isNull(users.deletedAt),
          ),
        )
        .orderBy(sql`${areaAssignments.startsAt} desc`)
        .limit(1)
    )[0],

  commandersOf: (db: DbOrTx, unitId: string) =>
    db
      .select({ name: users.displayName, title: users.title, phone: users.officialPhone })
      .from(roleGrants)
      .innerJoin(users, eq(users.id, roleGrants.userId))
      .where(
        and(eq(roleGrants.unitId, unitId), eq(roleGrants.role, 'commander'), isNull(roleGrants.revokedAt)),
      )
      .orderBy(asc(roleGrants.createdAt)),

  activePosterFor: async (db: DbOrTx, areaId: string) =>
    (
      await db
        .select()
        .from(posters)
        .where(and(eq(posters.areaId, areaId), isNull(posters.retiredAt)))
    )[0],

  insertPoster: async (db: DbOrTx, values: typeof posters.$inferInsert) =>
    (await db.insert(posters).values(values).onConflictDoNothing().returning())[0],

  findByCode: async (db: DbOrTx, code: string) =>
    (
      await db
        .select({ poster: posters, areaSlug: units.slug })
        .from(posters)
        .innerJoin(units, eq(units.id, posters.areaId))
        .where(eq(posters.code, code))
    )[0],

  recordScan: (db: DbOrTx, posterId: string) => db.insert(posterScans).values({ posterId }),

  /** Each active poster of a ward's areas with how often it was scanned. */
  listWithScans: (db: DbOrTx, unitId: string) =>
    db
      .select({
        areaId: units.id,
        areaName: units.name,
        areaSlug: units.slug,
        posterId: posters.id,
        code: posters.code,
        createdAt: posters.createdAt,
        scans: count(posterScans.id),
      })
      .from(units)
      .leftJoin(posters, and(eq(posters.areaId, units.id), isNull(posters.retiredAt)))
      .leftJoin(posterScans, eq(posterScans.posterId, posters.id))
      .where(and(eq(units.parentId, unitId), eq(units.level, 'residential_group')))
      .groupBy(units.id, posters.id)
      .orderBy(sql`length(${units.name})`, asc(units.name)),
}
