import { randomBytes } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import type { TMessageDelivery } from '../../../common/schemas/channels'
import type { DbOrTx } from '../../db/client'
import {
  cannedReplies,
  conversations,
  groupMembers,
  groupQuestions,
  groups,
  messages,
  type units,
} from '../../db/schema/index'
import type { UserRow } from './user.factory'

type Unit = typeof units.$inferSelect
export type MessagingConversationRow = typeof conversations.$inferSelect
export type MessagingGroupRow = typeof groups.$inferSelect

/** A resident's direct conversation with the police of their area (assigned to `assignee` if given). */
export async function buildDirectConversation(
  db: DbOrTx,
  input: { resident: UserRow; area: Unit; assignee?: UserRow | null },
): Promise<MessagingConversationRow> {
  const [row] = await db
    .insert(conversations)
    .values({
      kind: 'direct',
      residentId: input.resident.id,
      areaId: input.area.id,
      areaPath: input.area.path,
      assigneeId: input.assignee?.id ?? null,
    })
    .onConflictDoNothing()
    .returning()
  if (row) return row
  const [existing] = await db
    .select()
    .from(conversations)
    .where(
      sql`${conversations.residentId} = ${input.resident.id} and ${conversations.areaId} = ${input.area.id}`,
    )
  return existing!
}

/** A message appended to a conversation with the next sequence number. */
export async function buildMessage(
  db: DbOrTx,
  input: {
    conversation: MessagingConversationRow
    author: UserRow
    body?: string
    isInternal?: boolean
    /** A reply to a Zalo or Messenger contact and how it fared. */
    delivery?: TMessageDelivery
  },
) {
  const [c] = await db
    .update(conversations)
    .set({ lastSeq: sql`${conversations.lastSeq} + 1`, lastMessageAt: sql`now()` })
    .where(eq(conversations.id, input.conversation.id))
    .returning()
  const [row] = await db
    .insert(messages)
    .values({
      conversationId: input.conversation.id,
      seq: c!.lastSeq,
      authorId: input.author.id,
      body: input.body ?? 'Tin nhắn thử',
      isInternal: input.isInternal ?? false,
      delivery: input.delivery ?? null,
      clientKey: `f-${randomBytes(8).toString('hex')}`,
    })
    .returning()
  return row!
}

/** A group on a unit or area, owned by `owner`, with active `members`; its conversation is built too. */
export async function buildGroup(
  db: DbOrTx,
  input: { unit: Unit; owner: UserRow; members?: UserRow[]; name?: string } & Partial<
    typeof groups.$inferInsert
  >,
) {
  const { unit, owner, members = [], ...rest } = input
  const [group] = await db
    .insert(groups)
    .values({
      kind: 'residential_area',
      name: rest.name ?? `Nhóm ${unit.name}`,
      joinPolicy: 'approval',
      inviteCode: randomBytes(8)
        .toString('hex')
        .replace(/[^a-z0-9]/g, 'x')
        .slice(0, 12),
      ...rest,
      unitId: unit.id,
      unitPath: unit.path,
      createdBy: owner.id,
    })
    .returning()
  const [conversation] = await db
    .insert(conversations)
    .values({ kind: 'group', groupId: group!.id })
    .returning()
  await db.insert(groupMembers).values({ groupId: group!.id, userId: owner.id, role: 'owner' })
  for (const m of members) await db.insert(groupMembers).values({ groupId: group!.id, userId: m.id })
  return { group: group!, conversation: conversation! }
}

/** A canned reply of a unit: shared with it unless `shared: false` (then `author`'s own). */
export async function buildCannedReply(
  db: DbOrTx,
  input: { unit: Unit; title?: string; body?: string; shared?: boolean; author?: { id: string } },
) {
  const [row] = await db
    .insert(cannedReplies)
    .values({
      unitId: input.unit.id,
      title: input.title ?? 'Chào hỏi',
      body: input.body ?? 'Chào {resident_name}.',
      shared: input.shared ?? true,
      createdBy: input.author?.id ?? null,
    })
    .returning()
  return row!
}

/** A resident's group message waiting for the police (asked with "ask the police" unless a reason is given). */
export async function buildGroupQuestion(
  db: DbOrTx,
  input: {
    group: { group: { id: string; unitPath: string }; m: { id: string } }
    reason?: 'mention' | 'moderator'
  },
) {
  const [row] = await db
    .insert(groupQuestions)
    .values({
      messageId: input.group.m.id,
      groupId: input.group.group.id,
      unitPath: input.group.group.unitPath,
      reason: input.reason ?? 'mention',
    })
    .returning()
  return row!
}
