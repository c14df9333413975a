import type { TMessageDelivery } from '@common/schemas/channels'
import type { messageKindValues } from '@common/schemas/messaging'
import { and, eq, type SQL, sql } from 'drizzle-orm'
import type { Db, DbOrTx } from '../../db/client'
import { fromJsonRow, queryRows, queryRowsPrepared, runScript, uuidArray } from '../../db/query'
import {
  conversations,
  type MessageAttachment,
  messageEdits,
  messageReports,
  messages,
} from '../../db/schema/index'
import { staffOver } from '../../db/unit-path-sql'
import type { Scope } from '../../lib/scope'
import { directColumns } from './conversation.queries'
import type { ConversationRow } from './conversation.repository'
import { messagingPolicy, ownReads } from './messaging.policy'
import { directPushRecipientsSql, type MessageRecipient } from './notification-recipients'

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

const selectViews = (where: SQL, tail: SQL = sql``, source: SQL = sql`messages`) => sql`
  select m.id, m.conversation_id, m.seq, m.position::int as position, m.kind, m.body, m.attachments, m.payload,
         m.reply_to_id, m.mentions, m.client_key, m.is_internal, m.author_id, m.created_at, m.edited_at,
         m.deleted_at, m.hidden_at, m.hidden_reason, m.pinned_at, m.delivery,
         a.display_name as author_name, a.kind as author_kind, a.rank as author_rank,
         r.seq as reply_seq,
         -- A reply to a guidance card quotes its title, which says what the card is about.
         case when r.kind = 'guidance' then coalesce(r.payload->>'title', r.body) else r.body end as reply_body,
         (r.hidden_at is not null or r.deleted_at is not null) as reply_hidden,
         ra.display_name as reply_author_name
  from ${source} m
  left join users a on a.id = m.author_id
  left join messages r on r.id = m.reply_to_id
  left join users ra on ra.id = r.author_id
  where ${where} ${tail}`

/** What `insertSent` writes. `workflow`: whose turn a direct conversation's send ends (null: none). */
export interface SentMessage {
  conversationId: string
  authorId: string
  kind: (typeof messageKindValues)[number]
  body: string
  attachments: MessageAttachment[]
  payload: Record<string, unknown> | null
  replyToId: string | null
  mentions: string[]
  clientKey: string
  isInternal: boolean
  delivery: TMessageDelivery | null
  workflow: 'resident' | 'staff' | null
  /** Writes only while the conversation still has this channel (decided on a row read earlier). */
  requireChannel?: ConversationRow['channel']
  /**
   * Writes only while the conversation is still a direct one with this resident, area and
   * assignee: the facts its rights were decided on, read earlier (`DirectAccessCache`).
   */
  requireAccess?: DirectAccess
}

/** What a direct conversation's rights are decided on (`ConversationResource`, less the group). */
export interface DirectAccess {
  residentId: string | null
  areaPath: string | null
  assigneeId: string | null
}

export interface SentOutcome {
  found: boolean
  message: MessageRecord | null
  conversation: ConversationRow | null
  /**
   * The commanders over a direct conversation's area (`unitStaffService.commandersOver`), read by
   * the same statement for the send's event rooms and pushes; none for a group.
   */
  commanders: string[]
  /** Whom to push the message to, for a direct conversation (`pushRecipientsOfSend`); null for a group. */
  pushTo: MessageRecipient[] | null
}

/**
 * One pass at a time per database handle; a call made while one runs waits for the next, which
 * starts once the running one is over and so sees every commit made before the call. Such a call
 * is answered what both passes did (`merge`): the running one may have started after the caller's
 * commit and done the caller's part already, and the next then has nothing of it to tell.
 */
class CoalescedPass<T> {
  private running: Promise<T> | undefined
  private queued: Promise<T> | undefined
  constructor(
    private readonly pass: () => Promise<T>,
    private readonly merge: (earlier: T, later: T) => T,
  ) {}

  run(): Promise<T> {
    if (!this.running) return this.start()
    const running = this.running
    const after = () => {
      this.queued = undefined
      return this.start()
    }
    this.queued ??= running.then(after, after)
    return Promise.all([running.catch(() => undefined), this.queued]).then(([earlier, later]) =>
      earlier === undefined ? later : this.merge(earlier, later),
    )
  }

  private start(): Promise<T> {
    const p: Promise<T> = this.pass().finally(() => {
      if (this.running === p) this.running = undefined
    })
    this.running = p
    return p
  }
}

const passes = new WeakMap<Db, CoalescedPass<Map<string, number>>>()

/**
 * The lock, then the numbering: two statements of one script (one round trip, one implicit
 * transaction). The second statement's snapshot is taken after the lock is granted, so it holds
 * every commit made before; the lock is held until the script's commit. The positions are drawn
 * once, in a materialised step: joined as a plain subquery, the planner may run it again for every
 * row it updates (a nested loop), drawing n² numbers under the lock for n waiting messages.
 */
async function sequencePass(db: Db): Promise<Map<string, number>> {
  const rows = await runScript<{ id: string; position: number | string }>(
    db,
    `select pg_advisory_xact_lock(${STREAM_LOCK_KEY});
     with n as materialized (
       select w.id, nextval(pg_get_serial_sequence('messages', 'position')) as position
         from (select id from messages where position is null order by conversation_id, seq) w)
     update messages m set position = n.position
       from n
       where m.id = n.id and m.position is null
       returning m.id, m.position::float8 as position`,
  )
  return new Map(rows.map((r) => [r.id, Number(r.position)]))
}

export const messageRepository = {
  /** For a writer that takes positions inline (the column's default): holds the stream until its commit. */
  async lockStream(tx: DbOrTx): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(${STREAM_LOCK_KEY})`)
  },

  /**
   * Gives every committed message that waits for a stream position (written with `insertSent`,
   * `insertUnsequenced` or `changeUnsequenced`) the next positions, under the stream lock, and
   * commits; answers the positions it gave. Call after the writer's own commit and before
   * acknowledging: the rows of every writer that committed before are numbered too, so under load
   * one short pass serves many writers, and the calls of one process that arrive while a pass runs
   * share the next one (it starts after they call, so it sees their commits), and are answered the
   * positions of the running one too (it may have numbered their rows). A message whose writer
   * died between its commit and this pass is numbered by the next pass (any writer's, or at start-up).
   */
  sequence(db: Db): Promise<Map<string, number>> {
    let pass = passes.get(db)
    if (!pass) {
      pass = new CoalescedPass(
        () => sequencePass(db),
        (earlier, later) => new Map([...earlier, ...later]),
      )
      passes.set(db, pass)
    }
    return pass.run()
  },

  /** A message's stream position now (null: still waiting for a pass). */
  async position(db: DbOrTx, id: string): Promise<number | null> {
    const [row] = await queryRows<{ p: number | null }>(
      db,
      sql`select position::float8 as p from messages where id = ${id}`,
    )
    return row?.p === null || row?.p === undefined ? null : Number(row.p)
  },

  /**
   * The whole write of a message, in one statement: takes the conversation's next seq under its row
   * lock (its writers take turns; others' do not wait), inserts the message waiting for its stream
   * position, applies the direct-conversation workflow and moves the author's read marker. Nothing is
   * written when the author's client key is already used (`message` null) or the conversation does
   * not match `requireChannel` or `requireAccess` (`found` false). Answers the message as its presenter reads it, the
   * conversation as committed and the commanders over its area (what the events and pushes after the
   * commit need, without a statement of their own). Autocommitted alone, or one statement of a
   * caller's transaction.
   */
  async insertSent(db: DbOrTx, v: SentMessage): Promise<SentOutcome> {
    const workflow =
      v.workflow === 'resident'
        ? sql`, awaiting_since = coalesce(c.awaiting_since, now()), status = 'open',
              resolved_at = case when c.status <> 'open' then null else c.resolved_at end, channel = 'web'`
        : v.workflow === 'staff'
          ? sql`, awaiting_since = null, first_response_at = coalesce(c.first_response_at, now())`
          : sql``
    const json = (x: unknown) => (x === null || x === undefined ? null : JSON.stringify(x))
    const access = v.requireAccess
      ? sql`and kind = 'direct' and resident_id is not distinct from ${v.requireAccess.residentId}::uuid
            and area_path is not distinct from ${v.requireAccess.areaPath}::text
            and assignee_id is not distinct from ${v.requireAccess.assigneeId}::uuid`
      : sql``
    // Prepared: it runs for every message sent, and costs more to plan than to run.
    const [row] = await queryRowsPrepared<
      MessageRecord & {
        found: number
        conversation: Record<string, unknown> | null
        commanders: string[] | null
        push_to: MessageRecipient[] | null
      } & Record<string, unknown>
    >(
      db,
      sql`with cur as (
            select id, last_seq from conversations
            where id = ${v.conversationId} ${v.requireChannel ? sql`and channel = ${v.requireChannel}` : sql``}
              ${access}
            for update),
          ins as (
            insert into messages (conversation_id, seq, position, author_id, kind, body, attachments, payload,
                                  reply_to_id, mentions, client_key, is_internal, delivery)
            select cur.id, cur.last_seq + 1, null, ${v.authorId}, ${v.kind}, ${v.body}, ${json(v.attachments)}::jsonb,
                   ${json(v.payload)}::jsonb, ${v.replyToId}::uuid, ${uuidArray(v.mentions)}, ${v.clientKey},
                   ${v.isInternal}, ${json(v.delivery)}::jsonb
            from cur
            on conflict (author_id, client_key) where client_key is not null do nothing
            returning *),
          conv as (
            update conversations c set last_seq = ins.seq, last_message_at = now() ${workflow}
            from ins where c.id = ins.conversation_id
            returning c.*),
          rd as (
            insert into message_reads (conversation_id, user_id, last_read_seq, last_delivered_seq)
            select conversation_id, author_id, seq, seq from ins
            on conflict (conversation_id, user_id) do update
              set last_read_seq = greatest(message_reads.last_read_seq, excluded.last_read_seq),
                  last_delivered_seq = greatest(message_reads.last_delivered_seq, excluded.last_delivered_seq),
                  updated_at = now())
          select f.found, (select row_to_json(conv) from conv) as conversation,
                 (select array_agg(distinct x.user_id)::text[]
                    from conv cross join lateral ${staffOver(sql`conv.area_path`, ['commander'])} x
                   where conv.kind = 'direct') as commanders,
                 (select json_agg(json_build_object('id', p.id, 'kind', p.kind) order by p.id)
                    from conv cross join ins cross join lateral (${directPushRecipientsSql({
                      conversationId: sql`conv.id`,
                      residentId: sql`conv.resident_id`,
                      assigneeId: sql`conv.assignee_id`,
                      areaPath: sql`conv.area_path`,
                      authorId: sql`ins.author_id`,
                      isInternal: sql`ins.is_internal`,
                    })}) p
                   where conv.kind = 'direct') as push_to,
                 v.*
          from (select count(*)::int as found from cur) f
          left join (${selectViews(sql`true`, sql``, sql`ins`)}) v on true`,
    )
    const found = Number(row?.found ?? 0) > 0
    if (!row?.id || !row.conversation)
      return { found, message: null, conversation: null, commanders: [], pushTo: null }
    const { found: _f, conversation, commanders, push_to, ...message } = row
    const c = fromJsonRow(conversations, conversation)
    return {
      found,
      message: message as MessageRecord,
      conversation: c,
      commanders: commanders ?? [],
      pushTo: c.kind === 'direct' ? (push_to ?? []) : null,
    }
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

  /**
   * `sync` for many readers at once, each with their own cursor and limit: for readers whose scope
   * `readsOnlyOwn` accepts (residents without a moderator grant), in one statement. Each message
   * found is read with its author and reply once, whoever else's catch-up it is in. Answers, by
   * index of `asks`, exactly the rows `sync` would answer each alone (stream order).
   */
  async syncOwn(
    db: DbOrTx,
    asks: readonly { userId: string; after: number; limit: number }[],
  ): Promise<MessageRecord[][]> {
    const answers: MessageRecord[][] = asks.map(() => [])
    if (asks.length === 0) return answers
    const userIds = uuidArray(asks.map((a) => a.userId))
    const afters = sql`${`{${asks.map((a) => a.after).join(',')}}`}::bigint[]`
    const limits = sql`${`{${asks.map((a) => a.limit).join(',')}}`}::int[]`
    const visibleConversations = sql`(
      select c.id from conversations c
        where c.kind = 'direct' and ${ownReads.direct(sql`a.user_id`, directColumns)}
      union
      select c.id from conversations c join groups g on g.id = c.group_id
        left join group_members me on me.group_id = g.id and me.user_id = a.user_id
        where ${ownReads.group({ unitPath: sql`g.unit_path`, myStatus: sql`me.status` })})`
    const rows = await queryRows<MessageRecord & { asks: number[] } & Record<string, unknown>>(
      db,
      sql`with a as (
            select * from unnest(${userIds}, ${afters}, ${limits}) with ordinality as a(user_id, after, lim, i)
          ), hits as (
            select a.i, h.id from a cross join lateral (
              select m.id from messages m
               where m.position > a.after and m.is_internal = false and m.conversation_id in ${visibleConversations}
               order by m.position limit a.lim) h
          ), found as (
            select id, array_agg((i - 1)::int) as asks from hits group by id
          ), views as materialized (${selectViews(sql`m.id in (select id from found)`)})
          select views.*, found.asks from views join found on found.id = views.id
          order by views.position`,
    )
    for (const { asks: into, ...row } of rows) for (const i of into) answers[Number(i)]!.push(row)
    return answers
  },
}
