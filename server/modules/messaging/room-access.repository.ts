import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import type { ConversationResource, GroupResource, MemberResource } from './messaging.policy'

/** What the messaging policy decides a socket's room on, for one conversation. */
export interface RoomConversation {
  conversationId: string
  groupId: string | null
  resource: ConversationResource
}

/** One room asked by one user: a conversation's id, or a group's. */
export interface RoomAsk {
  userId: string
  id: string
}

interface RoomRow {
  [column: string]: unknown
  user_id: string
  asked_id: string
  id: string
  kind: ConversationResource['kind']
  resident_id: string | null
  area_path: string | null
  assignee_id: string | null
  group_id: string | null
  unit_path: string | null
  posting_policy: GroupResource['postingPolicy'] | null
  role: MemberResource['role'] | null
  status: MemberResource['status'] | null
  muted_until: Date | string | null
}

/**
 * The conversations behind `conversation:` or `group:` rooms asked by many users, each with the
 * asker's membership in the group (the resource conversationRepository.load builds, per row), in
 * one statement: the subscribes of a reconnect storm are decided together, not one query each.
 * Rows come back keyed by the user and the id they asked for.
 */
export async function loadRoomConversations(
  db: DbOrTx,
  by: 'conversation' | 'group',
  asks: RoomAsk[],
): Promise<(RoomConversation & RoomAsk)[]> {
  if (asks.length === 0) return []
  const userIds = `{${asks.map((a) => a.userId).join(',')}}`
  const ids = `{${asks.map((a) => a.id).join(',')}}`
  const joinOn = by === 'conversation' ? sql`c.id = asked.asked_id` : sql`c.group_id = asked.asked_id`
  const rows = await queryRows<RoomRow>(
    db,
    sql`select asked.user_id, asked.asked_id, c.id, c.kind, c.resident_id, c.area_path, c.assignee_id, c.group_id,
          g.unit_path, g.posting_policy, m.role, m.status, m.muted_until
        from unnest(${userIds}::uuid[], ${ids}::uuid[]) as asked(user_id, asked_id)
        join conversations c on ${joinOn}
        left join groups g on g.id = c.group_id
        left join group_members m on m.group_id = c.group_id and m.user_id = asked.user_id`,
  )
  return rows.map((r) => ({
    userId: r.user_id,
    id: r.asked_id,
    conversationId: r.id,
    groupId: r.group_id,
    resource: {
      kind: r.kind,
      residentId: r.resident_id,
      areaPath: r.area_path,
      assigneeId: r.assignee_id,
      group:
        r.group_id && r.unit_path !== null
          ? { unitPath: r.unit_path, postingPolicy: r.posting_policy ?? 'everyone' }
          : null,
      member:
        r.group_id && r.status !== null
          ? {
              role: r.role ?? 'member',
              status: r.status,
              mutedUntil: r.muted_until === null ? null : new Date(r.muted_until),
            }
          : null,
    },
  }))
}
