import type { TChannelPlatform } from '@common/schemas/channels'
import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../../db/client'
import { queryRows } from '../../../db/query'
import {
  channelAccounts,
  conversations,
  externalContacts,
  inboundEvents,
  units,
  users,
} from '../../../db/schema/index'
import { pathUnder } from '../../../db/unit-path-sql'
import type { InboundEvent } from './channel.types'

export type ChannelAccountRow = typeof channelAccounts.$inferSelect
export type ExternalContactRow = typeof externalContacts.$inferSelect
export type InboundEventRow = typeof inboundEvents.$inferSelect

/** Queries of the channel tables; the rules are in the channel services. */
export const channelRepository = {
  /** One processor per account at a time (several instances, several jobs): per-contact order holds. */
  async lockAccount(tx: DbOrTx, accountId: string) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`channels:${accountId}`}))`)
  },

  async account(db: DbOrTx, id: string): Promise<ChannelAccountRow | undefined> {
    const [row] = await db.select().from(channelAccounts).where(eq(channelAccounts.id, id))
    return row
  },

  async accountsOfUnit(db: DbOrTx, unitId: string): Promise<ChannelAccountRow[]> {
    return db
      .select()
      .from(channelAccounts)
      .where(eq(channelAccounts.unitId, unitId))
      .orderBy(asc(channelAccounts.createdAt))
  },

  /** Connects a page or OA, or replaces the secrets of the one already connected (same platform and id). */
  async upsertAccount(db: DbOrTx, v: typeof channelAccounts.$inferInsert): Promise<ChannelAccountRow> {
    const [row] = await db
      .insert(channelAccounts)
      .values(v)
      .onConflictDoUpdate({
        target: [channelAccounts.platform, channelAccounts.externalId],
        set: {
          unitId: v.unitId,
          appId: v.appId,
          name: v.name,
          secrets: v.secrets,
          status: 'active',
          tokenExpiresAt: v.tokenExpiresAt ?? null,
          lastError: null,
          updatedAt: new Date(),
        },
      })
      .returning()
    return row!
  },

  async updateAccount(db: DbOrTx, id: string, values: Partial<typeof channelAccounts.$inferInsert>) {
    await db.update(channelAccounts).set(values).where(eq(channelAccounts.id, id))
  },

  /** Stores events once: a redelivered platform id is dropped by the unique index. Returns how many were new. */
  async storeEvents(db: DbOrTx, account: { id: string; platform: TChannelPlatform }, events: InboundEvent[]) {
    if (!events.length) return 0
    let stored = 0
    for (let i = 0; i < events.length; i += 500) {
      const rows = await db
        .insert(inboundEvents)
        .values(
          events.slice(i, i + 500).map((e) => ({
            accountId: account.id,
            platform: account.platform,
            platformMessageId: e.id,
            platformUserId: e.userId,
            event: e as unknown as Record<string, unknown>,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: inboundEvents.id })
      stored += rows.length
    }
    return stored
  },

  /**
   * The account's next events to process, locked for this transaction: by the platform's time, then
   * by arrival, so concurrent deliveries that overtook each other still file in the order sent.
   */
  async pendingEvents(db: DbOrTx, accountId: string, limit: number): Promise<InboundEventRow[]> {
    return db
      .select()
      .from(inboundEvents)
      .where(and(eq(inboundEvents.accountId, accountId), eq(inboundEvents.status, 'pending')))
      .orderBy(sql`(${inboundEvents.event}->>'at')::bigint`, asc(inboundEvents.id))
      .limit(limit)
      .for('update')
  },

  async heldEvents(db: DbOrTx, accountId: string, platformUserId: string): Promise<InboundEventRow[]> {
    return db
      .select()
      .from(inboundEvents)
      .where(
        and(
          eq(inboundEvents.accountId, accountId),
          eq(inboundEvents.platformUserId, platformUserId),
          eq(inboundEvents.status, 'held'),
        ),
      )
      .orderBy(sql`(${inboundEvents.event}->>'at')::bigint`, asc(inboundEvents.id))
  },

  async markEvents(
    db: DbOrTx,
    ids: number[],
    status: InboundEventRow['status'],
    error: string | null = null,
  ) {
    if (!ids.length) return
    await db
      .update(inboundEvents)
      .set({ status, error, processedAt: status === 'held' ? null : new Date() })
      .where(inArray(inboundEvents.id, ids))
  },

  async contact(
    db: DbOrTx,
    accountId: string,
    platformUserId: string,
  ): Promise<ExternalContactRow | undefined> {
    const [row] = await db
      .select()
      .from(externalContacts)
      .where(
        and(eq(externalContacts.accountId, accountId), eq(externalContacts.platformUserId, platformUserId)),
      )
    return row
  },

  async contactById(db: DbOrTx, id: string): Promise<ExternalContactRow | undefined> {
    const [row] = await db.select().from(externalContacts).where(eq(externalContacts.id, id))
    return row
  },

  /**
   * The contact behind a conversation's resident: their stand-in user, or (once linked) the resident
   * account, on the given platform; the one who wrote last when a resident linked several.
   */
  async contactByUser(
    db: DbOrTx,
    userId: string,
    platform?: TChannelPlatform,
  ): Promise<ExternalContactRow | undefined> {
    const [row] = await db
      .select()
      .from(externalContacts)
      .where(
        and(
          or(eq(externalContacts.userId, userId), eq(externalContacts.residentId, userId)),
          platform ? eq(externalContacts.platform, platform) : undefined,
        ),
      )
      .orderBy(sql`${externalContacts.lastInboundAt} desc nulls last`)
      .limit(1)
    return row
  },

  /**
   * A new contact and their stand-in user: kind resident with no phone, password or area, so they can
   * never sign in, are nobody's resident in counts and alerts, and the inbox shows them like a resident.
   */
  async insertContact(
    db: DbOrTx,
    v: { account: ChannelAccountRow; platformUserId: string; displayName: string },
  ): Promise<ExternalContactRow> {
    const [user] = await db
      .insert(users)
      .values({ kind: 'resident', displayName: v.displayName })
      .returning({ id: users.id })
    const [row] = await db
      .insert(externalContacts)
      .values({
        accountId: v.account.id,
        platform: v.account.platform,
        platformUserId: v.platformUserId,
        unitId: v.account.unitId,
        userId: user!.id,
        displayName: v.displayName,
      })
      .returning()
    return row!
  },

  async updateContact(db: DbOrTx, id: string, values: Partial<typeof externalContacts.$inferInsert>) {
    const [row] = await db.update(externalContacts).set(values).where(eq(externalContacts.id, id)).returning()
    return row!
  },

  /** The residential groups under a unit: the answers to "which area do you live in?". */
  async areasUnder(db: DbOrTx, unitId: string) {
    return queryRows<{ id: string; name: string; slug: string; path: string }>(
      db,
      sql`select a.id, a.name, a.slug, a.path from units a join units u on u.id = ${unitId}
          where a.level = 'residential_group' and ${pathUnder(sql`a.path`, sql`u.path`)} order by a.name`,
    )
  },

  /** An area under the unit by its short code (slug) or id. */
  async areaUnder(db: DbOrTx, unitId: string, code: string) {
    const [row] = await queryRows<{ id: string; name: string; path: string }>(
      db,
      sql`select a.id, a.name, a.path from units a join units u on u.id = ${unitId}
          where a.level = 'residential_group' and ${pathUnder(sql`a.path`, sql`u.path`)}
            and (a.slug = ${code} or a.id::text = ${code}) limit 1`,
    )
    return row
  },

  /** The stand-in user carries the contact's name: the inbox shows it as the conversation's title. */
  async renameStandIn(db: DbOrTx, userId: string, displayName: string) {
    await db.update(users).set({ displayName }).where(eq(users.id, userId))
  },

  async directConversationsOf(db: DbOrTx, residentId: string): Promise<string[]> {
    const rows = await db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.kind, 'direct'), eq(conversations.residentId, residentId)))
    return rows.map((r) => r.id)
  },

  /** The contacts of one author (stand-in user or linked resident) in a unit that have no area yet. */
  async unroutedContacts(db: DbOrTx, authorId: string, unitId: string): Promise<ExternalContactRow[]> {
    return db
      .select()
      .from(externalContacts)
      .where(
        and(
          or(eq(externalContacts.userId, authorId), eq(externalContacts.residentId, authorId)),
          eq(externalContacts.unitId, unitId),
          isNull(externalContacts.areaId),
        ),
      )
  },

  async unitPath(db: DbOrTx, unitId: string) {
    const [row] = await db.select({ path: units.path }).from(units).where(eq(units.id, unitId))
    return row?.path
  },
}
