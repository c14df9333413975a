import type { TChannelPlatform } from '@common/schemas/channels'
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../../db/client'
import { queryRows } from '../../../db/query'
import { channelLinkCodes, externalContacts } from '../../../db/schema/index'

export interface StandInConversation extends Record<string, unknown> {
  id: string
  area_id: string
  channel: TChannelPlatform | 'web'
  last_seq: number
}

/** Queries behind linking a Zalo / Messenger contact to a resident account; the rules are in the service. */
export const channelLinkRepository = {
  async insertCode(db: DbOrTx, residentId: string, codeHash: string, expiresAt: Date) {
    await db.insert(channelLinkCodes).values({ residentId, codeHash, expiresAt })
  },

  async lockResident(tx: DbOrTx, residentId: string) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`channel-link:${residentId}`}))`)
  },

  async codeExists(db: DbOrTx, codeHash: string): Promise<boolean> {
    const rows = await db
      .select({ id: channelLinkCodes.id })
      .from(channelLinkCodes)
      .where(eq(channelLinkCodes.codeHash, codeHash))
    return rows.length > 0
  },

  /** Codes the resident asked for since `since` (the issuing rate limit). */
  async countIssuedSince(db: DbOrTx, residentId: string, since: Date): Promise<number> {
    const rows = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(channelLinkCodes)
      .where(and(eq(channelLinkCodes.residentId, residentId), gt(channelLinkCodes.createdAt, since)))
    return Number(rows[0]?.n ?? 0)
  },

  /** A new code replaces the resident's earlier live ones: at most one code works at a time. */
  async expireLive(db: DbOrTx, residentId: string) {
    await db
      .update(channelLinkCodes)
      .set({ expiresAt: sql`now()` })
      .where(
        and(
          eq(channelLinkCodes.residentId, residentId),
          isNull(channelLinkCodes.consumedAt),
          gt(channelLinkCodes.expiresAt, sql`now()`),
        ),
      )
  },

  /** Who a live code belongs to; the row stays locked until the transaction ends. */
  async liveCodeOwner(db: DbOrTx, codeHash: string): Promise<string | undefined> {
    const [row] = await db
      .select({ residentId: channelLinkCodes.residentId })
      .from(channelLinkCodes)
      .where(
        and(
          eq(channelLinkCodes.codeHash, codeHash),
          isNull(channelLinkCodes.consumedAt),
          gt(channelLinkCodes.expiresAt, sql`now()`),
        ),
      )
      .for('update')
    return row?.residentId
  },

  /** Uses a live code once (a single UPDATE: two redeemers of one code cannot both win). */
  async consume(db: DbOrTx, codeHash: string, contactId: string): Promise<string | undefined> {
    const [row] = await db
      .update(channelLinkCodes)
      .set({ consumedAt: sql`now()`, contactId })
      .where(
        and(
          eq(channelLinkCodes.codeHash, codeHash),
          isNull(channelLinkCodes.consumedAt),
          gt(channelLinkCodes.expiresAt, sql`now()`),
        ),
      )
      .returning({ residentId: channelLinkCodes.residentId })
    return row?.residentId
  },

  async setResident(db: DbOrTx, contactId: string, residentId: string | null) {
    await db.update(externalContacts).set({ residentId }).where(eq(externalContacts.id, contactId))
  },

  /** The contacts linked to a resident, with when each was linked. */
  linkedContacts: (db: DbOrTx, residentId: string) =>
    queryRows<{
      id: string
      platform: TChannelPlatform
      display_name: string
      user_id: string
      account_name: string
      area_name: string | null
      created_at: Date | string
      linked_at: Date | string | null
    }>(
      db,
      sql`select c.id, c.platform, c.display_name, c.user_id, a.name as account_name, ar.name as area_name,
                 c.created_at,
                 (select max(k.consumed_at) from channel_link_codes k where k.contact_id = c.id) as linked_at
          from external_contacts c join channel_accounts a on a.id = c.account_id
          left join units ar on ar.id = c.area_id
          where c.resident_id = ${residentId} order by c.created_at`,
    ),

  /** The direct conversations held by a contact's stand-in user. */
  standInConversations: (db: DbOrTx, standInId: string) =>
    queryRows<StandInConversation>(
      db,
      sql`select id, area_id, channel, last_seq from conversations
          where kind = 'direct' and resident_id = ${standInId} order by created_at`,
    ),

  directConversation: (db: DbOrTx, residentId: string, areaId: string) =>
    queryRows<StandInConversation>(
      db,
      sql`select id, area_id, channel, last_seq from conversations
          where kind = 'direct' and resident_id = ${residentId} and area_id = ${areaId}`,
    ).then((rows) => rows[0]),

  /** The resident has no conversation with this area yet: the contact's becomes theirs. */
  async reown(tx: DbOrTx, conversationId: string, standInId: string, residentId: string) {
    await tx.execute(sql`update conversations set resident_id = ${residentId} where id = ${conversationId}`)
    await tx.execute(sql`update messages set author_id = ${residentId}
                         where conversation_id = ${conversationId} and author_id = ${standInId}`)
    await tx.execute(sql`update message_files set uploader_id = ${residentId}
                         where conversation_id = ${conversationId} and uploader_id = ${standInId}`)
    await tx.execute(sql`update message_reads set user_id = ${residentId}
                         where conversation_id = ${conversationId} and user_id = ${standInId}`)
  },

  /**
   * The resident already talks with this area: the contact's messages move into that conversation
   * after its own (their times are kept; renumbering the existing ones would break read markers), each
   * with a new stream position so every open client receives them. The emptied conversation goes.
   * Call with the message stream locked.
   */
  async moveInto(
    tx: DbOrTx,
    from: StandInConversation,
    into: StandInConversation,
    standInId: string,
    residentId: string,
  ): Promise<number> {
    const moved = await queryRows<{ n: number }>(
      tx,
      sql`with ordered as (
            select id, row_number() over (order by seq) as rn from messages where conversation_id = ${from.id}
          ), u as (
            update messages m set conversation_id = ${into.id},
              seq = ${into.last_seq} + ordered.rn,
              position = nextval(pg_get_serial_sequence('messages', 'position')),
              author_id = case when m.author_id = ${standInId} then ${residentId}::uuid else m.author_id end
            from ordered where m.id = ordered.id returning 1)
          select count(*)::int as n from u`,
    )
    const n = moved[0]?.n ?? 0
    await tx.execute(sql`update conversations w set last_seq = w.last_seq + ${n},
        last_message_at = greatest(w.last_message_at, s.last_message_at),
        awaiting_since = case when s.awaiting_since is null then w.awaiting_since
                              when w.awaiting_since is null then s.awaiting_since
                              else least(w.awaiting_since, s.awaiting_since) end,
        status = case when s.status = 'open' then 'open' else w.status end,
        resolved_at = case when s.status = 'open' then null else w.resolved_at end,
        channel = s.channel
      from conversations s where w.id = ${into.id} and s.id = ${from.id}`)
    await tx.execute(sql`update message_files set conversation_id = ${into.id},
        uploader_id = case when uploader_id = ${standInId} then ${residentId}::uuid else uploader_id end
      where conversation_id = ${from.id}`)
    await tx.execute(
      sql`update conversation_transfers set conversation_id = ${into.id} where conversation_id = ${from.id}`,
    )
    await tx.execute(sql`update case_links l set target_id = ${into.id}
      where l.kind = 'conversation' and l.target_id = ${from.id}
        and not exists (select 1 from case_links o where o.case_id = l.case_id and o.kind = 'conversation'
                        and o.target_id = ${into.id})`)
    await tx.execute(sql`delete from case_links where kind = 'conversation' and target_id = ${from.id}`)
    await tx.execute(sql`delete from message_reads where conversation_id = ${from.id}`)
    await tx.execute(sql`delete from conversations where id = ${from.id}`)
    return n
  },
}

/** The queries behind channels.personal-data.ts: a resident's linked contacts and what they left. */
export const channelPersonalDataRepository = {
  codes: (db: DbOrTx, residentId: string) =>
    db
      .select({
        createdAt: channelLinkCodes.createdAt,
        expiresAt: channelLinkCodes.expiresAt,
        consumedAt: channelLinkCodes.consumedAt,
      })
      .from(channelLinkCodes)
      .where(eq(channelLinkCodes.residentId, residentId))
      .orderBy(channelLinkCodes.createdAt),

  /**
   * Forgets the resident's contacts: the raw webhook events they sent are deleted, the contact and its
   * stand-in user keep no name and no platform id (a later message from that chat starts a new, unlinked
   * contact), and the link codes go. Their messages are the resident's and erased with them.
   */
  async eraseContacts(tx: DbOrTx, residentId: string): Promise<number> {
    const contacts = await queryRows<{ id: string; user_id: string }>(
      tx,
      sql`select id, user_id from external_contacts where resident_id = ${residentId}`,
    )
    await tx.execute(sql`delete from inbound_events e using external_contacts c
      where c.resident_id = ${residentId} and e.account_id = c.account_id
        and e.platform_user_id = c.platform_user_id`)
    await tx.execute(sql`update users set display_name = '', full_name = null
      where id in (select user_id from external_contacts where resident_id = ${residentId})`)
    await tx.execute(sql`update external_contacts set display_name = '', area_id = null, resident_id = null,
        platform_user_id = 'erased:' || id::text
      where resident_id = ${residentId}`)
    await tx.execute(sql`delete from channel_link_codes where resident_id = ${residentId}`)
    return contacts.length
  },
}
