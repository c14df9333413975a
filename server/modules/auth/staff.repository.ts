import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { recoveryCodes, signInChallenges, staffCredentials, users } from '../../db/schema/index'

export async function findStaffByUsername(db: DbOrTx, username: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(
      and(
        sql`lower(${users.username}) = lower(${username})`,
        eq(users.kind, 'staff'),
        isNull(users.deletedAt),
      ),
    )
  return row
}

export async function findUserById(db: DbOrTx, id: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, id), isNull(users.deletedAt)))
  return row
}

export async function findCredentials(db: DbOrTx, userId: string) {
  const [row] = await db.select().from(staffCredentials).where(eq(staffCredentials.userId, userId))
  return row
}

/** Stores an enrolled TOTP secret (replacing any earlier one). */
export async function saveTotp(db: DbOrTx, userId: string, totpSecretEnc: string, lastStep: number) {
  const values = {
    userId,
    totpSecretEnc,
    totpEnrolledAt: new Date(),
    totpLastStep: lastStep,
    updatedAt: new Date(),
  }
  await db
    .insert(staffCredentials)
    .values(values)
    .onConflictDoUpdate({ target: staffCredentials.userId, set: values })
}

/** Moves the last accepted step forward; false when this step (or a later one) was already used. */
export async function advanceTotpStep(db: DbOrTx, userId: string, step: number): Promise<boolean> {
  const rows = await db
    .update(staffCredentials)
    .set({ totpLastStep: step, updatedAt: new Date() })
    .where(
      and(
        eq(staffCredentials.userId, userId),
        sql`(${staffCredentials.totpLastStep} is null or ${staffCredentials.totpLastStep} < ${step})`,
      ),
    )
    .returning({ userId: staffCredentials.userId })
  return rows.length > 0
}

export async function insertChallenge(db: DbOrTx, values: typeof signInChallenges.$inferInsert) {
  await db.delete(signInChallenges).where(lt(signInChallenges.expiresAt, sql`now() - interval '1 day'`))
  const [row] = await db.insert(signInChallenges).values(values).returning()
  return row!
}

export async function findOpenChallenge(db: DbOrTx, tokenHash: string) {
  const [row] = await db
    .select()
    .from(signInChallenges)
    .where(
      and(
        eq(signInChallenges.tokenHash, tokenHash),
        isNull(signInChallenges.consumedAt),
        gt(signInChallenges.expiresAt, sql`now()`),
      ),
    )
  return row
}

/** Counts one attempt on a challenge; undefined when it has used them all. */
export async function takeChallengeAttempt(db: DbOrTx, id: string, max: number) {
  const [row] = await db
    .update(signInChallenges)
    .set({ attempts: sql`${signInChallenges.attempts} + 1` })
    .where(
      and(
        eq(signInChallenges.id, id),
        isNull(signInChallenges.consumedAt),
        lt(signInChallenges.attempts, max),
      ),
    )
    .returning({ attempts: signInChallenges.attempts })
  return row?.attempts
}

export async function consumeChallenge(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db
    .update(signInChallenges)
    .set({ consumedAt: sql`now()` })
    .where(and(eq(signInChallenges.id, id), isNull(signInChallenges.consumedAt)))
    .returning({ id: signInChallenges.id })
  return rows.length > 0
}

export async function replaceRecoveryCodes(db: DbOrTx, userId: string, hashes: string[]) {
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId))
  await db.insert(recoveryCodes).values(hashes.map((codeHash) => ({ userId, codeHash })))
}

/** Uses a recovery code once; false when it does not match an unused one. */
export async function consumeRecoveryCode(db: DbOrTx, userId: string, codeHash: string): Promise<boolean> {
  const rows = await db
    .update(recoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(recoveryCodes.userId, userId),
        eq(recoveryCodes.codeHash, codeHash),
        isNull(recoveryCodes.usedAt),
      ),
    )
    .returning({ id: recoveryCodes.id })
  return rows.length > 0
}

export async function countUnusedRecoveryCodes(db: DbOrTx, userId: string): Promise<number> {
  const rows = await db
    .select({ id: recoveryCodes.id })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
  return rows.length
}

/** Stores a new password hash. */
export async function setPasswordHash(db: DbOrTx, userId: string, passwordHash: string) {
  await db.update(users).set({ passwordHash }).where(eq(users.id, userId))
}

/** Ends every sign-in still waiting for its second factor: they were opened with the old password. */
export async function consumeOpenChallenges(db: DbOrTx, userId: string) {
  await db
    .update(signInChallenges)
    .set({ consumedAt: sql`now()` })
    .where(and(eq(signInChallenges.userId, userId), isNull(signInChallenges.consumedAt)))
}
