import { and, eq, isNull, lt, or, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { idempotentRequests } from '../../db/schema/index'

export type IdempotencyScope = { userId: string; target: string; key: string }

export type StoredAnswer = {
  requestHash: string
  status: number | null
  contentType: string | null
  body: string | null
}

/** How long a first answer is replayed; a row still in flight this long is abandoned (a crash). */
const KEEP = sql`interval '24 hours'`
const IN_FLIGHT = sql`interval '2 minutes'`

const where = (s: IdempotencyScope) =>
  and(
    eq(idempotentRequests.userId, s.userId),
    eq(idempotentRequests.target, s.target),
    eq(idempotentRequests.key, s.key),
  )

export const idempotencyRepository = {
  /**
   * Claims the key for this request. Returns null when it was free (the request runs), or what
   * is stored under it. The user's answers older than a day, and a claim left in flight by a
   * crashed request, are cleared first.
   */
  async claim(db: DbOrTx, s: IdempotencyScope, requestHash: string): Promise<StoredAnswer | null> {
    await db.delete(idempotentRequests).where(
      or(
        // This user's answers older than a day (the table holds at most a day of each user's POSTs).
        and(eq(idempotentRequests.userId, s.userId), lt(idempotentRequests.createdAt, sql`now() - ${KEEP}`)),
        and(
          where(s),
          isNull(idempotentRequests.status),
          lt(idempotentRequests.createdAt, sql`now() - ${IN_FLIGHT}`),
        ),
      ),
    )
    const claimed = await db
      .insert(idempotentRequests)
      .values({ ...s, requestHash })
      .onConflictDoNothing()
      .returning({ key: idempotentRequests.key })
    if (claimed.length) return null
    const [row] = await db
      .select({
        requestHash: idempotentRequests.requestHash,
        status: idempotentRequests.status,
        contentType: idempotentRequests.contentType,
        body: idempotentRequests.body,
      })
      .from(idempotentRequests)
      .where(where(s))
    // Cleared between the insert and the select (another request failed): claim it now.
    return row ?? (await this.claim(db, s, requestHash))
  },

  async complete(
    db: DbOrTx,
    s: IdempotencyScope,
    answer: { status: number; contentType: string; body: string },
  ) {
    await db
      .update(idempotentRequests)
      .set({ ...answer, completedAt: sql`now()` })
      .where(where(s))
  },

  /** A request that did not succeed leaves no trace: the same key may be tried again. */
  async release(db: DbOrTx, s: IdempotencyScope) {
    await db.delete(idempotentRequests).where(and(where(s), isNull(idempotentRequests.status)))
  },
}
