import { and, eq, inArray } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { conversations, groupMembers, groups } from '../../db/schema/index'
import type { ConversationResource } from './messaging.policy'

/** What the messaging policy decides a socket's room on, for one conversation. */
export interface RoomConversation {
  conversationId: string
  groupId: string | null
  resource: ConversationResource
}

/**
 * The conversations behind many `conversation:` or `group:` rooms with the caller's membership in
 * each group, in one statement (the same resource conversationRepository.load builds, per row), so
 * a subscribe to many rooms costs one query.
 */
export async function loadRoomConversations(
  db: DbOrTx,
  userId: string,
  by: { conversationIds: string[] } | { groupIds: string[] },
): Promise<RoomConversation[]> {
  const rows = await db
    .select({
      conversation: {
        id: conversations.id,
        kind: conversations.kind,
        residentId: conversations.residentId,
        areaPath: conversations.areaPath,
        assigneeId: conversations.assigneeId,
        groupId: conversations.groupId,
      },
      group: { unitPath: groups.unitPath, postingPolicy: groups.postingPolicy },
      member: { role: groupMembers.role, status: groupMembers.status, mutedUntil: groupMembers.mutedUntil },
    })
    .from(conversations)
    .leftJoin(groups, eq(groups.id, conversations.groupId))
    .leftJoin(
      groupMembers,
      and(eq(groupMembers.groupId, conversations.groupId), eq(groupMembers.userId, userId)),
    )
    .where(
      'conversationIds' in by
        ? inArray(conversations.id, by.conversationIds)
        : inArray(conversations.groupId, by.groupIds),
    )
  return rows.map(({ conversation: c, group, member }) => ({
    conversationId: c.id,
    groupId: c.groupId,
    resource: {
      kind: c.kind,
      residentId: c.residentId,
      areaPath: c.areaPath,
      assigneeId: c.assigneeId,
      group: c.groupId && group ? group : null,
      member: c.groupId && member ? member : null,
    },
  }))
}
