import { and, asc, eq } from 'drizzle-orm'
import type { DbOrTx } from '../../../db/client'
import { channelAccounts, channelAlertPosts } from '../../../db/schema/index'

export type ChannelAlertPostRow = typeof channelAlertPosts.$inferSelect
export type AlertPostKind = ChannelAlertPostRow['msgType']

/** Queries of `channel_alert_posts`: one row per (alert, account, version), the rules are in the service. */
export const channelAlertPostsRepository = {
  /** The pending row a post job works on; a second publish finds the row there and adds nothing. */
  async insertPending(
    db: DbOrTx,
    values: { alertId: string; accountId: string; version: number; msgType: AlertPostKind },
  ): Promise<boolean> {
    const rows = await db
      .insert(channelAlertPosts)
      .values(values)
      .onConflictDoNothing()
      .returning({ id: channelAlertPosts.id })
    return rows.length > 0
  },

  async get(
    db: DbOrTx,
    alertId: string,
    accountId: string,
    version: number,
  ): Promise<ChannelAlertPostRow | undefined> {
    const [row] = await db
      .select()
      .from(channelAlertPosts)
      .where(
        and(
          eq(channelAlertPosts.alertId, alertId),
          eq(channelAlertPosts.accountId, accountId),
          eq(channelAlertPosts.version, version),
        ),
      )
    return row
  },

  async byId(db: DbOrTx, id: string): Promise<ChannelAlertPostRow | undefined> {
    const [row] = await db.select().from(channelAlertPosts).where(eq(channelAlertPosts.id, id))
    return row
  },

  /** The accounts the alert itself (version 1) went to: where its updates and cancellation go. */
  async accountsOfFirstPost(db: DbOrTx, alertId: string): Promise<string[]> {
    const rows = await db
      .select({ accountId: channelAlertPosts.accountId })
      .from(channelAlertPosts)
      .where(and(eq(channelAlertPosts.alertId, alertId), eq(channelAlertPosts.version, 1)))
    return rows.map((r) => r.accountId)
  },

  async settle(
    db: DbOrTx,
    id: string,
    values: Pick<
      Partial<ChannelAlertPostRow>,
      'status' | 'externalPostId' | 'postedAt' | 'errorKey' | 'reach' | 'reachReadAt' | 'reachErrorKey'
    >,
  ) {
    await db.update(channelAlertPosts).set(values).where(eq(channelAlertPosts.id, id))
  },

  /** Where an alert was posted, for the staff view: the platform, never the account's secrets. */
  async ofAlert(db: DbOrTx, alertId: string) {
    return db
      .select({
        platform: channelAccounts.platform,
        accountName: channelAccounts.name,
        version: channelAlertPosts.version,
        msgType: channelAlertPosts.msgType,
        status: channelAlertPosts.status,
        postedAt: channelAlertPosts.postedAt,
        errorKey: channelAlertPosts.errorKey,
        reach: channelAlertPosts.reach,
        reachReadAt: channelAlertPosts.reachReadAt,
        reachErrorKey: channelAlertPosts.reachErrorKey,
      })
      .from(channelAlertPosts)
      .innerJoin(channelAccounts, eq(channelAccounts.id, channelAlertPosts.accountId))
      .where(eq(channelAlertPosts.alertId, alertId))
      .orderBy(asc(channelAlertPosts.version), asc(channelAlertPosts.createdAt))
  },
}
