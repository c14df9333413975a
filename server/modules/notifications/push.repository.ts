import { and, eq, inArray, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { pushSubscriptions } from '../../db/schema/index'

export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect

export const pushRepository = {
  listForUsers: (db: DbOrTx, userIds: string[]) =>
    userIds.length === 0
      ? Promise.resolve([] as PushSubscriptionRow[])
      : db.select().from(pushSubscriptions).where(inArray(pushSubscriptions.userId, userIds)),

  get: async (db: DbOrTx, id: string) =>
    (await db.select().from(pushSubscriptions).where(eq(pushSubscriptions.id, id)))[0],

  /** The subscriptions a batch of push jobs names, in one query. */
  getMany: (db: DbOrTx, ids: string[]) =>
    ids.length === 0
      ? Promise.resolve([] as PushSubscriptionRow[])
      : db.select().from(pushSubscriptions).where(inArray(pushSubscriptions.id, ids)),

  /**
   * A browser re-subscribing with the same endpoint updates its keys (never a duplicate). An endpoint
   * registered by someone else moves only when the caller also presents its keys (the same browser,
   * another account signed in); otherwise nothing changes and undefined is returned.
   */
  upsert: async (
    db: DbOrTx,
    input: { userId: string; endpoint: string; p256dh: string; auth: string; userAgent?: string | null },
  ) => {
    const [row] = await db
      .insert(pushSubscriptions)
      .values({ ...input, userAgent: input.userAgent ?? null })
      .onConflictDoUpdate({
        target: pushSubscriptions.endpoint,
        set: { userId: input.userId, p256dh: input.p256dh, auth: input.auth, failureCount: 0 },
        setWhere: sql`${pushSubscriptions.userId} = ${input.userId}
          or (${pushSubscriptions.p256dh} = ${input.p256dh} and ${pushSubscriptions.auth} = ${input.auth})`,
      })
      .returning()
    return row
  },

  deleteByEndpoint: (db: DbOrTx, userId: string, endpoint: string) =>
    db
      .delete(pushSubscriptions)
      .where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint))),

  delete: (db: DbOrTx, id: string) => db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, id)),

  deleteMany: (db: DbOrTx, ids: string[]) =>
    db.delete(pushSubscriptions).where(inArray(pushSubscriptions.id, ids)),

  markDelivered: (db: DbOrTx, ids: string[]) =>
    db
      .update(pushSubscriptions)
      .set({ lastSuccessAt: new Date(), failureCount: 0 })
      .where(inArray(pushSubscriptions.id, ids)),

  markFailed: (db: DbOrTx, ids: string[]) =>
    db
      .update(pushSubscriptions)
      .set({ failureCount: sql`${pushSubscriptions.failureCount} + 1` })
      .where(inArray(pushSubscriptions.id, ids)),
}
