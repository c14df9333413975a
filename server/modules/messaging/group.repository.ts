import { and, eq, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { conversations, groupMembers, groups } from '../../db/schema/index'
import type { Scope } from '../../lib/scope'
import { messagingPolicy } from './messaging.policy'
import type { GroupListRow, MemberRow } from './messaging.presenter'

export type MemberRowDb = typeof groupMembers.$inferSelect

export const groupRepository = {
  async get(db: DbOrTx, id: string) {
    const [row] = await db.select().from(groups).where(eq(groups.id, id))
    return row
  },

  async byInvite(db: DbOrTx, code: string) {
    const [row] = await db.select().from(groups).where(eq(groups.inviteCode, code))
    return row
  },

  async insert(db: DbOrTx, values: typeof groups.$inferInsert) {
    const [row] = await db.insert(groups).values(values).returning()
    const [conversation] = await db
      .insert(conversations)
      .values({ kind: 'group', groupId: row!.id })
      .returning()
    return { group: row!, conversation: conversation! }
  },

  async update(db: DbOrTx, id: string, values: Partial<typeof groups.$inferInsert>) {
    const [row] = await db.update(groups).set(values).where(eq(groups.id, id)).returning()
    return row!
  },

  async member(db: DbOrTx, groupId: string, userId: string): Promise<MemberRowDb | undefined> {
    const [row] = await db
      .select()
      .from(groupMembers)
      .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)))
    return row
  },

  async upsertMember(db: DbOrTx, values: typeof groupMembers.$inferInsert) {
    const [row] = await db
      .insert(groupMembers)
      .values(values)
      .onConflictDoUpdate({
        target: [groupMembers.groupId, groupMembers.userId],
        set: {
          role: values.role ?? 'member',
          status: values.status ?? 'active',
          changedBy: values.changedBy ?? null,
        },
      })
      .returning()
    return row!
  },

  async updateMember(
    db: DbOrTx,
    groupId: string,
    userId: string,
    values: Partial<typeof groupMembers.$inferInsert>,
  ) {
    const [row] = await db
      .update(groupMembers)
      .set(values)
      .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)))
      .returning()
    return row
  },

  async deleteMember(db: DbOrTx, groupId: string, userId: string) {
    await db
      .delete(groupMembers)
      .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)))
  },

  /**
   * Groups the scope may read (and those it was invited to and waits for), with member counts,
   * the viewer's role and unread count; one group with `groupId`.
   */
  async list(db: DbOrTx, scope: Scope, o: { groupId?: string } = {}): Promise<GroupListRow[]> {
    const viewerId = scope.userId
    const readable = messagingPolicy.scopes.readGroup(scope, {
      unitPath: sql`g.unit_path`,
      myStatus: sql`me.status`,
    })
    const rows = await queryRows<GroupListRow & Record<string, unknown>>(
      db,
      sql`select g.id, g.kind, g.name, g.description, g.unit_id, u.name as unit_name, g.unit_path, g.posting_policy,
            g.join_policy, c.id as conversation_id, c.last_seq, c.last_message_at,
            (select count(*)::int from group_members x where x.group_id = g.id and x.status in ('active', 'muted')) as member_count,
            me.role as my_role, me.status as my_status, mr.last_read_seq,
            (select count(*)::int from messages um where um.conversation_id = c.id and um.seq > coalesce(mr.last_read_seq, 0)
              and um.author_id is distinct from ${viewerId} and um.deleted_at is null and um.hidden_at is null
              -- what was written before one joined is history, not news
              and (me.created_at is null or um.created_at >= me.created_at)) as unread
          from groups g join units u on u.id = g.unit_id join conversations c on c.group_id = g.id
          left join group_members me on me.group_id = g.id and me.user_id = ${viewerId}
          left join message_reads mr on mr.conversation_id = c.id and mr.user_id = ${viewerId}
          where g.archived_at is null and (${readable} or me.status = 'pending')
            ${o.groupId ? sql`and g.id = ${o.groupId}` : sql``}
          order by c.last_message_at desc nulls last, g.name limit 500`,
    )
    return rows
  },

  /** Units and areas the scope may create groups on. */
  async creatableUnits(db: DbOrTx, scope: Scope) {
    return queryRows<{ id: string; name: string }>(
      db,
      sql`select id, name from units where ${messagingPolicy.scopes.manageUnit(scope, { path: sql`path` })}
          order by path limit 500`,
    )
  },

  async members(db: DbOrTx, groupId: string): Promise<MemberRow[]> {
    return queryRows<MemberRow & Record<string, unknown>>(
      db,
      sql`select m.user_id, u.display_name, u.kind, m.role, m.status, m.muted_until, m.created_at as joined_at, u.phone
          from group_members m join users u on u.id = m.user_id
          where m.group_id = ${groupId} and m.status <> 'removed'
          order by (m.status = 'pending') desc, (m.role = 'member') asc, u.display_name limit 5000`,
    )
  },

  async reports(db: DbOrTx, conversationId: string) {
    return queryRows<{
      id: string
      message_id: string
      reason: string
      created_at: Date | string
      reporter_name: string
      message_body: string
      message_hidden: boolean
    }>(
      db,
      sql`select r.id, r.message_id, r.reason, r.created_at, u.display_name as reporter_name, m.body as message_body,
            (m.hidden_at is not null) as message_hidden
          from message_reports r join messages m on m.id = r.message_id join users u on u.id = r.reporter_id
          where m.conversation_id = ${conversationId} and r.resolved_at is null order by r.created_at desc limit 200`,
    )
  },
}
