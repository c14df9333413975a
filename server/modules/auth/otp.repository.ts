import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { authFailures, otpCodes, users } from '../../db/schema/index'

/** The newest open code for a number (possibly expired: the caller says so). */
export async function findOpenCode(db: DbOrTx, phone: string) {
  const [row] = await db
    .select()
    .from(otpCodes)
    .where(and(eq(otpCodes.phone, phone), isNull(otpCodes.consumedAt)))
    .orderBy(desc(otpCodes.createdAt))
    .limit(1)
  return row
}

/** Counts one attempt atomically; undefined once the code has used up its attempts. */
export async function takeAttempt(db: DbOrTx, id: string, maxAttempts: number) {
  const [row] = await db
    .update(otpCodes)
    .set({ attempts: sql`${otpCodes.attempts} + 1` })
    .where(and(eq(otpCodes.id, id), isNull(otpCodes.consumedAt), lt(otpCodes.attempts, maxAttempts)))
    .returning({ attempts: otpCodes.attempts })
  return row?.attempts
}

/** Marks the code used; false when another request got there first. */
export async function consumeCode(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db
    .update(otpCodes)
    .set({ consumedAt: sql`now()` })
    .where(and(eq(otpCodes.id, id), isNull(otpCodes.consumedAt), gt(otpCodes.expiresAt, sql`now()`)))
    .returning({ id: otpCodes.id })
  return rows.length > 0
}

/** Codes and failure rows are only needed for their windows; old ones (and their IPs) go. */
export async function purgeOldAuthRows(db: DbOrTx) {
  await db.delete(otpCodes).where(lt(otpCodes.createdAt, sql`now() - interval '1 day'`))
  await db.delete(authFailures).where(lt(authFailures.at, sql`now() - interval '1 day'`))
}

export async function findUserByPhone(db: DbOrTx, phone: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.phone, phone), isNull(users.deletedAt)))
  return row
}

export async function createResident(db: DbOrTx, phone: string, locale: 'vi' | 'en') {
  const [row] = await db
    .insert(users)
    .values({ kind: 'resident', phone, displayName: 'Cư dân', locale })
    .returning()
  return row!
}
