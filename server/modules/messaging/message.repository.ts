import type { TMessageDelivery } from '@common/schemas/channels'
import type { messageKindValues } from '@common/schemas/messaging'
import { and, eq, type SQL, sql } from 'drizzle-orm'
import type { Db, DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { type MessageAttachment, messageEdits, messageReports, messages } from '../../db/schema/index'
import type { Scope } from '../../lib/scope'
import { directColumns } from './conversation.queries'
import { messagingPolicy } from './messaging.policy'

/** A message with what its presenter needs: author and the message it replies to. */
export interface MessageRecord {
  id: string
  conversation_id: string
  seq: number
  position: number
  kind: (typeof messageKindValues)[number]
  body: string
  attachments: MessageAttachment[]
  payload: Record<string, unknown> | null
  reply_to_id: string | null
  mentions: string[]
  client_key: string | null
  is_internal: boolean
  author_id: string | null
  created_at: Date | string
  edited_at: Date | string | null
  deleted_at: Date | string | null
  hidden_at: Date | string | null
  hidden_reason: string | null
  pinned_at: Date | string | null
  author_name: string | null
  author_kind: 'resident' | 'staff' | null
  author_rank: string | null
  reply_seq: number | null
  reply_body: string | null
  reply_hidden: boolean | null
  reply_author_name: string | null
  delivery: TMessageDelivery | null
}

/**
 * Whoever hands out stream positions holds this transaction-scoped lock until its commit, so
 * positions become visible in increasing order and a cursor never skips a late commit. The usual
 * holder is `sequence`, for one short statement after the writers' commits; a few rare writers
 * (merging conversations, channel bookkeeping, alert posts) still hold it for their whole transaction.
 */
const STREAM_LOCK_KEY = 7_362_118_101

/** The position a message sent back to wait for `sequence` has: none, not yet in the stream. */
const UNSEQUENCED = null

const selectViews = (where: SQL, tail: SQL = sql``) => sql`
  select m.id, m.conversation_id, m.seq, m.position::int as position, m.kind, m.body, m.attachments, m.payload,
         m.reply_to_id, m.mentions, m.client_key, m.is_internal, m.author_id, m.created_at, m.edited_at,
         m.deleted_at, m.hidden_at, m.hidden_reason, m.pinned_at, m.delivery,
         a.display_name as author_name, a.kind as author_kind, a.rank as author_rank,
         r.seq as reply_seq,
         -- A reply to a guidance card quotes its title, which says what the card is about.
         case when r.kind = 'guidance' then coalesce(r.payload->>'title', r.body) else r.body end as reply_body,
         (r.hidden_at is not null or r.deleted_at is not null) as reply_hidden,
         ra.display_name as reply_author_name
  from messages m
  left join users a on a.id = m.author_id
  left join messages r on r.id = m.reply_to_id
  left join users ra on ra.id = r.author_id
  where ${where} ${tail}`

export const messageRepository = {
  /** For a writer that takes positions inline (the column's default): holds the stream until its commit. */
  async lockStream(tx: DbOrTx): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(${STREAM_LOCK_KEY})`)
  },

  /**
   * Gives every committed message that waits for a stream position (written with `insertUnsequenced`
   * or `changeUnsequenced`) the next positions, under the stream lock, and commits. Call after the
   * writer's own commit and before acknowledging: the rows of every writer that committed before are
   * numbered too, so under load one short pass serves many writers. A message whose writer died
   * between its commit and this pass is numbered by the next pass (any writer's, or at start-up).
   */
  async sequence(db: Db): Promise<void> {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${STREAM_LOCK_KEY})`)
      // A statement after the lock: its snapshot holds every commit made before the lock was taken.
      await tx.execute(sql`
        update messages m set position = n.position
        from (select w.id, nextval(pg_get_serial_sequence('messages', 'position')) as position
              from (select id from messages where position is null order by conversation_id, seq) w) n
        where m.id = n.id and m.position is null`)
    })
  },

  async findByClientKey(db: DbOrTx, authorId: string, clientKey: string) {
    const [row] = await db
      .select()
      .from(messages)
      .where(and(eq(messages.authorId, authorId), eq(messages.clientKey, clientKey)))
    return row
  },

  async get(db: DbOrTx, id: string) {
    const [row] = await db.select().from(messages).where(eq(messages.id, id))
    return row
  },

  /** Inserts with a position taken now: only under `lockStream`, held until the commit. */
  async insert(db: DbOrTx, values: typeof messages.$inferInsert) {
    const [row] = await db.insert(messages).values(values).returning()
    return row!
  },

  /** Inserts a message that waits for its stream position: run `sequence` after the commit. */
  async insertUnsequenced(db: DbOrTx, values: Omit<typeof messages.$inferInsert, 'position'>) {
    const [row] = await db
      .insert(messages)
      .values({ ...values, position: UNSEQUENCED })
      .returning()
    return row!
  },

  /**
   * Changes a message and moves it to a new stream position now, so resuming clients see the
   * change: only under `lockStream`, held until the commit.
   */
  async change(db: DbOrTx, id: string, values: Partial<typeof messages.$inferInsert>) {
    const [row] = await db
      .update(messages)
      .set({ ...values, position: sql`nextval(pg_get_serial_sequence('messages', 'position'))` })
      .where(eq(messages.id, id))
      .returning()
    return row!
  },

  /** Changes a message and sends it back to wait for a new stream position: run `sequence` after the commit. */
  async changeUnsequenced(db: DbOrTx, id: string, values: Partial<typeof messages.$inferInsert>) {
    const [row] = await db
      .update(messages)
      .set({ ...values, position: UNSEQUENCED })
      .where(eq(messages.id, id))
      .returning()
    return row!
  },

  /**
   * The delivery job's progress through a reply's parts, written after each part the platform took.
   * Not a change anyone sees (no new stream position): the outcome is written with `change`.
   */
  async recordDeliveryProgress(db: DbOrTx, id: string, delivery: TMessageDelivery) {
    await db.update(messages).set({ delivery }).where(eq(messages.id, id))
  },

  async recordEdit(db: DbOrTx, v: typeof messageEdits.$inferInsert) {
    await db.insert(messageEdits).values(v)
  },

  async history(db: DbOrTx, messageId: string) {
    return db
      .select()
      .from(messageEdits)
      .where(eq(messageEdits.messageId, messageId))
      .orderBy(messageEdits.createdAt)
  },

  async report(db: DbOrTx, v: typeof messageReports.$inferInsert): Promise<boolean> {
    const rows = await db.insert(messageReports).values(v).onConflictDoNothing().returning()
    return rows.length > 0
  },

  async view(db: DbOrTx, id: string): Promise<MessageRecord | undefined> {
    const [row] = await queryRows<MessageRecord & Record<string, unknown>>(db, selectViews(sql`m.id = ${id}`))
    return row
  },

  /** A page of a conversation, newest first when paging back with `beforeSeq`, returned oldest first. */
  async page(
    db: DbOrTx,
    conversationId: string,
    o: { beforeSeq?: number; limit: number; includeInternal: boolean },
  ): Promise<MessageRecord[]> {
    const rows = await queryRows<MessageRecord & Record<string, unknown>>(
      db,
      selectViews(
        sql`m.conversation_id = ${conversationId}
            ${o.beforeSeq ? sql`and m.seq < ${o.beforeSeq}` : sql``}
            ${o.includeInternal ? sql`` : sql`and m.is_internal = false`}`,
        sql`order by m.seq desc limit ${o.limit}`,
      ),
    )
    return rows.reverse()
  },

  async pinned(db: DbOrTx, conversationId: string, includeInternal: boolean): Promise<MessageRecord[]> {
    return queryRows<MessageRecord & Record<string, unknown>>(
      db,
      selectViews(
        sql`m.conversation_id = ${conversationId} and m.pinned_at is not null and m.hidden_at is null and m.deleted_at is null
            ${includeInternal ? sql`` : sql`and m.is_internal = false`}`,
        sql`order by m.pinned_at desc limit 20`,
      ),
    )
  },

  /** The newest stream position: where a client with nothing to catch up on starts. */
  async head(db: DbOrTx): Promise<number> {
    const [row] = await queryRows<{ p: number }>(
      db,
      sql`select coalesce(max(position), 0)::int as p from messages`,
    )
    return Number(row?.p ?? 0)
  },

  /**
   * Everything after `after` in the global stream that the user may read: their direct conversations
   * (as resident, assignee, officer of the area or commander above it) and their groups.
   */
  async sync(db: DbOrTx, scope: Scope, after: number, limit: number): Promise<MessageRecord[]> {
    const visibleConversations = sql`(
      select c.id from conversations c
        where c.kind = 'direct' and ${messagingPolicy.scopes.readDirect(scope, directColumns)}
      union
      select c.id from conversations c join groups g on g.id = c.group_id
        left join group_members me on me.group_id = g.id and me.user_id = ${scope.userId}
        where ${messagingPolicy.scopes.readGroup(scope, { unitPath: sql`g.unit_path`, myStatus: sql`me.status` })})`
    return queryRows<MessageRecord & Record<string, unknown>>(
      db,
      selectViews(
        sql`m.position > ${after} and m.conversation_id in ${visibleConversations}
            ${scope.isStaff ? sql`` : sql`and m.is_internal = false`}`,
        sql`order by m.position limit ${limit}`,
      ),
    )
  },
}
