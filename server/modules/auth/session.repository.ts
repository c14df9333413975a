import { and, desc, eq, gt, inArray, isNull, lt, ne, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { sessions, users } from '../../db/schema/index'
import { actorScopeColumns } from './actor.repository'

export type SessionRow = typeof sessions.$inferSelect
export type UserRow = typeof users.$inferSelect

export async function insertSession(db: DbOrTx, values: typeof sessions.$inferInsert): Promise<SessionRow> {
  const [row] = await db.insert(sessions).values(values).returning()
  return row!
}

/** Not revoked, not expired, and its user not deleted. */
const live = and(isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`), isNull(users.deletedAt))

/** Whether a session is still live (its sockets keep receiving only while it is). */
export async function isSessionLive(db: DbOrTx, sessionId: string): Promise<boolean> {
  return (await liveSessionIds(db, [sessionId])).has(sessionId)
}

/** Which of these sessions are still live: one statement. */
export async function liveSessionIds(db: DbOrTx, sessionIds: string[]): Promise<Set<string>> {
  const rows = await db
    .select({ id: sessions.id })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(inArray(sessions.id, sessionIds), live))
  return new Set(rows.map((r) => r.id))
}

export async function touchSessions(db: DbOrTx, ids: string[]): Promise<void> {
  if (ids.length === 0) return
  await db.update(sessions).set({ lastSeenAt: sql`now()` }).where(inArray(sessions.id, ids))
}

/** Revokes the session with this token; returns its id when it was live (to close its sockets). */
export async function revokeSessionByTokenHash(db: DbOrTx, tokenHash: string): Promise<string[]> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id })
  return rows.map((r) => r.id)
}

/** Revokes one of the user's sessions; false when it is not theirs or already ended. */
export async function revokeUserSession(db: DbOrTx, userId: string, sessionId: string): Promise<boolean> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id })
  return rows.length > 0
}

/** Revokes all of a user's sessions except `keepId` (when given); returns how many ended. */
export async function revokeUserSessions(db: DbOrTx, userId: string, keepId?: string): Promise<number> {
  return (await revokeUserSessionIds(db, userId, keepId)).length
}

/** As revokeUserSessions, returning the ended sessions' ids (to close their sockets). */
export async function revokeUserSessionIds(db: DbOrTx, userId: string, keepId?: string): Promise<string[]> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        keepId ? ne(sessions.id, keepId) : undefined,
      ),
    )
    .returning({ id: sessions.id })
  return rows.map((r) => r.id)
}

export function listLiveUserSessions(db: DbOrTx, userId: string) {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
    .orderBy(desc(sessions.lastSeenAt))
}

export function listAllUserSessions(db: DbOrTx, userId: string) {
  return db.select().from(sessions).where(eq(sessions.userId, userId)).orderBy(desc(sessions.createdAt))
}

/** IP addresses are kept 30 days at most (roles-and-data.md). */
export async function forgetOldSessionIps(db: DbOrTx): Promise<void> {
  await db
    .update(sessions)
    .set({ ip: null })
    .where(and(lt(sessions.createdAt, sql`now() - interval '30 days'`), sql`${sessions.ip} is not null`))
}

/** The live sessions among these token hashes, each with its user and scope (grants, current areas): one statement. */
export function findLiveSessionsWithScope(db: DbOrTx, tokenHashes: string[]) {
  return db
    .select({ session: sessions, user: users, ...actorScopeColumns() })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(inArray(sessions.tokenHash, tokenHashes), live))
}
