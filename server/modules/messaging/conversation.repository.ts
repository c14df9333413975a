import { and, eq, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { fromJsonRow, queryRows, queryRowsPrepared } from '../../db/query'
import {
  conversations,
  conversationTransfers,
  type groupMembers,
  groups,
  messageReads,
  units,
  users,
} from '../../db/schema/index'
import type { ConversationResource } from './messaging.policy'

export type ConversationRow = typeof conversations.$inferSelect
export type GroupRow = typeof groups.$inferSelect
type GroupMemberRow = typeof groupMembers.$inferSelect

export interface LoadedConversation {
  conversation: ConversationRow
  group: GroupRow | null
  resource: ConversationResource
}

export const conversationRepository = {
  async get(db: DbOrTx, id: string): Promise<ConversationRow | undefined> {
    const [row] = await db.select().from(conversations).where(eq(conversations.id, id))
    return row
  },

  async findDirect(db: DbOrTx, residentId: string, areaId: string): Promise<ConversationRow | undefined> {
    const [row] = await db
      .select()
      .from(conversations)
      .where(
        and(
          eq(conversations.kind, 'direct'),
          eq(conversations.residentId, residentId),
          eq(conversations.areaId, areaId),
        ),
      )
    return row
  },

  /** Inserts the resident's conversation once; a concurrent first message finds the same row. */
  async insertDirect(
    db: DbOrTx,
    v: {
      residentId: string
      areaId: string
      areaPath: string
      assigneeId: string | null
      channel?: ConversationRow['channel']
    },
  ): Promise<ConversationRow> {
    await db
      .insert(conversations)
      .values({ kind: 'direct', ...v })
      .onConflictDoNothing()
    return (await conversationRepository.findDirect(db, v.residentId, v.areaId))!
  },

  /** The officer answering for the area right now, from area_assignments. */
  async responsibleOfficer(db: DbOrTx, areaId: string): Promise<string | null> {
    const [row] = await queryRows<{ officer_id: string }>(
      db,
      sql`select officer_id from area_assignments
          where area_id = ${areaId} and starts_at <= now() and (ends_at is null or ends_at > now())
          order by starts_at desc limit 1`,
    )
    return row?.officer_id ?? null
  },

  async unit(db: DbOrTx, id: string) {
    const [row] = await db.select().from(units).where(eq(units.id, id))
    return row
  },

  /** The conversation with its group and the caller's membership: what the policy decides on. One statement. */
  async load(db: DbOrTx, id: string, userId: string): Promise<LoadedConversation | undefined> {
    // Prepared: every request on a conversation starts here.
    const [row] = await queryRowsPrepared<{
      conversation: Record<string, unknown>
      grp: Record<string, unknown> | null
      role: GroupMemberRow['role'] | null
      status: GroupMemberRow['status'] | null
      muted_until: string | Date | null
    }>(
      db,
      sql`select row_to_json(c) as conversation, row_to_json(g) as grp, m.role, m.status, m.muted_until
          from conversations c
          left join groups g on g.id = c.group_id
          left join group_members m on m.group_id = c.group_id and m.user_id = ${userId}
          where c.id = ${id}`,
    )
    if (!row) return undefined
    const conversation = fromJsonRow(conversations, row.conversation)
    const group = row.grp ? fromJsonRow(groups, row.grp) : null
    const member: ConversationResource['member'] =
      row.role && row.status
        ? {
            role: row.role,
            status: row.status,
            mutedUntil: row.muted_until ? new Date(row.muted_until) : null,
          }
        : null
    return {
      conversation,
      group,
      resource: {
        kind: conversation.kind,
        residentId: conversation.residentId,
        areaPath: conversation.areaPath,
        assigneeId: conversation.assigneeId,
        group: group ? { unitPath: group.unitPath, postingPolicy: group.postingPolicy } : null,
        member,
      },
    }
  },

  /**
   * Holds the conversation until the transaction ends (its writers take turns, others' do not wait)
   * and reads it as it is then: nobody else can change it before the commit.
   */
  async lockForWrite(tx: DbOrTx, id: string): Promise<ConversationRow | undefined> {
    const [row] = await tx.select().from(conversations).where(eq(conversations.id, id)).for('update')
    return row
  },

  /** Hands out the next per-conversation sequence number; the row lock orders concurrent senders. */
  async nextSeq(db: DbOrTx, id: string): Promise<number> {
    const [row] = await db
      .update(conversations)
      .set({ lastSeq: sql`${conversations.lastSeq} + 1`, lastMessageAt: sql`now()` })
      .where(eq(conversations.id, id))
      .returning({ seq: conversations.lastSeq })
    return row!.seq
  },

  async update(
    db: DbOrTx,
    id: string,
    values: Partial<typeof conversations.$inferInsert>,
  ): Promise<ConversationRow> {
    const [row] = await db.update(conversations).set(values).where(eq(conversations.id, id)).returning()
    return row!
  },

  /**
   * Moves the area's conversations to the officer now responsible for it: open ones that were with the
   * previous officer or in the duty queue, and resolved ones the previous officer held, so the former
   * officer does not keep reading them (security review F12). One statement: when every instance
   * receives the event, only the first moves rows.
   */
  async followOfficer(
    db: DbOrTx,
    areaId: string,
    previousOfficerId: string | null,
    officerId: string | null,
  ) {
    const previous = previousOfficerId ? sql`${conversations.assigneeId} = ${previousOfficerId}` : sql`false`
    return db
      .update(conversations)
      .set({ assigneeId: officerId })
      .where(
        and(
          eq(conversations.kind, 'direct'),
          eq(conversations.areaId, areaId),
          sql`(${previous} or (${conversations.assigneeId} is null and ${conversations.status} <> 'resolved'))`,
          sql`${conversations.assigneeId} is distinct from ${officerId}`,
        ),
      )
      .returning()
  },

  async recordTransfer(db: DbOrTx, v: typeof conversationTransfers.$inferInsert) {
    await db.insert(conversationTransfers).values(v)
  },

  async transfers(db: DbOrTx, conversationId: string) {
    return queryRows<{ from_name: string | null; to_name: string; note: string; created_at: Date | string }>(
      db,
      sql`select f.display_name as from_name, t.display_name as to_name, ct.note, ct.created_at
          from conversation_transfers ct join users t on t.id = ct.to_id left join users f on f.id = ct.from_id
          where ct.conversation_id = ${conversationId} order by ct.created_at`,
    )
  },

  async upsertRead(
    db: DbOrTx,
    conversationId: string,
    userId: string,
    readSeq: number,
    deliveredSeq: number,
  ) {
    const [row] = await db
      .insert(messageReads)
      .values({
        conversationId,
        userId,
        lastReadSeq: readSeq,
        lastDeliveredSeq: Math.max(readSeq, deliveredSeq),
      })
      .onConflictDoUpdate({
        target: [messageReads.conversationId, messageReads.userId],
        set: {
          lastReadSeq: sql`greatest(${messageReads.lastReadSeq}, excluded.last_read_seq)`,
          lastDeliveredSeq: sql`greatest(${messageReads.lastDeliveredSeq}, excluded.last_delivered_seq)`,
          updatedAt: sql`now()`,
        },
      })
      .returning()
    return row!
  },

  /** Mutes or unmutes Web Push of a direct conversation for one person (read state is kept). */
  async setMuted(db: DbOrTx, conversationId: string, userId: string, muted: boolean): Promise<void> {
    await db
      .insert(messageReads)
      .values({ conversationId, userId, notificationsMuted: muted })
      .onConflictDoUpdate({
        target: [messageReads.conversationId, messageReads.userId],
        set: { notificationsMuted: muted, updatedAt: sql`now()` },
      })
  },

  async userCard(db: DbOrTx, id: string) {
    const [row] = await db.select().from(users).where(eq(users.id, id))
    return row
  },
}
