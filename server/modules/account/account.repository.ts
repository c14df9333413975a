import { and, asc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import {
  areaAssignments,
  authFailures,
  idempotentRequests,
  otpCodes,
  sessions,
  units,
  users,
} from '../../db/schema/index'

export type UserRow = typeof users.$inferSelect
export type UnitRow = typeof units.$inferSelect

export async function findUser(db: DbOrTx, id: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, id), isNull(users.deletedAt)))
  return row
}

export async function findUnit(db: DbOrTx, id: string) {
  const [row] = await db.select().from(units).where(eq(units.id, id))
  return row
}

export async function findUnitBySlug(db: DbOrTx, slug: string) {
  const [row] = await db.select().from(units).where(eq(units.slug, slug))
  return row
}

export async function updateUser(db: DbOrTx, id: string, values: Partial<typeof users.$inferInsert>) {
  const [row] = await db
    .update(users)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(users.id, id))
    .returning()
  return row!
}

/** Officers answering for an area right now, longest-serving first. */
export function currentOfficersOf(db: DbOrTx, areaId: string) {
  return db
    .select({ user: users })
    .from(areaAssignments)
    .innerJoin(users, eq(users.id, areaAssignments.officerId))
    .where(
      and(
        eq(areaAssignments.areaId, areaId),
        lte(areaAssignments.startsAt, sql`now()`),
        or(isNull(areaAssignments.endsAt), gt(areaAssignments.endsAt, sql`now()`)),
        isNull(users.deletedAt),
      ),
    )
    .orderBy(asc(areaAssignments.startsAt))
}

/**
 * Erases a resident's personal data in place. The row stays (other records point at it) but
 * says nothing about the person any more.
 */
export async function anonymiseUser(db: DbOrTx, id: string, phone: string | null) {
  await db
    .update(users)
    .set({
      phone: null,
      displayName: 'Tài khoản đã xoá',
      fullName: null,
      email: null,
      photoUrl: null,
      address: null,
      areaId: null,
      username: null,
      passwordHash: null,
      deletedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(eq(users.id, id))
  if (phone) {
    await db.delete(otpCodes).where(eq(otpCodes.phone, phone))
    await db.delete(authFailures).where(eq(authFailures.subject, phone))
  }
}

/** A deleted account's browsers: ended, and their address and user agent forgotten. */
export async function forgetSessions(db: DbOrTx, userId: string): Promise<number> {
  const rows = await db
    .update(sessions)
    .set({ ip: null, userAgent: null, revokedAt: sql`coalesce(${sessions.revokedAt}, now())` })
    .where(eq(sessions.userId, userId))
    .returning({ id: sessions.id })
  // Replayed answers of the person's requests hold what they sent and got back.
  await db.delete(idempotentRequests).where(eq(idempotentRequests.userId, userId))
  return rows.length
}
