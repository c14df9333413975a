import { and, desc, eq, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { officerPhotos, units, users } from '../../db/schema/index'
import type { Scope } from '../../lib/scope'
import { officerPhotosPolicy } from './officer-photos.policy'

export type OfficerPhotoRow = typeof officerPhotos.$inferSelect

export const officerPhotosRepository = {
  byId: async (db: DbOrTx, id: string) =>
    (await db.select().from(officerPhotos).where(eq(officerPhotos.id, id)).limit(1))[0],

  /** The one residents see (at most one is approved per officer). */
  publishedOf: async (db: DbOrTx, userId: string) =>
    (
      await db
        .select()
        .from(officerPhotos)
        .where(and(eq(officerPhotos.userId, userId), eq(officerPhotos.state, 'approved')))
        .limit(1)
    )[0],

  latestOf: async (db: DbOrTx, userId: string) =>
    (
      await db
        .select()
        .from(officerPhotos)
        .where(eq(officerPhotos.userId, userId))
        .orderBy(desc(officerPhotos.createdAt))
        .limit(1)
    )[0],

  /** A new photo replaces the one still waiting: the commander decides on the latest only. */
  withdrawPending: (db: DbOrTx, userId: string) =>
    db
      .update(officerPhotos)
      .set({ state: 'withdrawn' })
      .where(and(eq(officerPhotos.userId, userId), eq(officerPhotos.state, 'pending')))
      .returning({ id: officerPhotos.id }),

  insert: async (db: DbOrTx, row: typeof officerPhotos.$inferInsert) =>
    (await db.insert(officerPhotos).values(row).returning())[0]!,

  /** Decides a photo still pending; undefined when someone decided first. */
  decide: async (
    db: DbOrTx,
    id: string,
    change: { state: 'approved' | 'refused'; decidedBy: string; refusalReason: string | null },
  ) =>
    (
      await db
        .update(officerPhotos)
        .set({ ...change, decidedAt: new Date() })
        .where(and(eq(officerPhotos.id, id), eq(officerPhotos.state, 'pending')))
        .returning()
    )[0],

  replacePublished: (db: DbOrTx, userId: string) =>
    db
      .update(officerPhotos)
      .set({ state: 'replaced' })
      .where(and(eq(officerPhotos.userId, userId), eq(officerPhotos.state, 'approved'))),

  setUserPhotoUrl: (db: DbOrTx, userId: string, photoUrl: string) =>
    db.update(users).set({ photoUrl, updatedAt: new Date() }).where(eq(users.id, userId)),

  /** Photos waiting for this caller's decision, oldest first, with who sent them. */
  listToDecide: (db: DbOrTx, scope: Scope) =>
    db
      .select({
        photo: officerPhotos,
        officer: {
          id: users.id,
          displayName: users.displayName,
          fullName: users.fullName,
          rank: users.rank,
          title: users.title,
          photoUrl: users.photoUrl,
        },
        unit: { id: units.id, name: units.name },
      })
      .from(officerPhotos)
      .innerJoin(users, eq(users.id, officerPhotos.userId))
      .innerJoin(units, eq(units.id, officerPhotos.unitId))
      .where(and(officerPhotosPolicy.scopes.decide(scope, officerPhotos), sql`${users.deletedAt} is null`))
      .orderBy(officerPhotos.createdAt)
      .limit(200),

  /** Every photo of one person (the data export and erasure). */
  allOf: (db: DbOrTx, userId: string) =>
    db.select().from(officerPhotos).where(eq(officerPhotos.userId, userId)).orderBy(officerPhotos.createdAt),

  deleteAllOf: (db: DbOrTx, userId: string) =>
    db
      .delete(officerPhotos)
      .where(eq(officerPhotos.userId, userId))
      .returning({ key: officerPhotos.storageKey }),
}
