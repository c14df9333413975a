import { type SQL, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows, queryRowsPrepared, uuidArray } from '../../db/query'
import { staffOver } from '../../db/unit-path-sql'
import type { ConversationRow } from './conversation.repository'

export interface MessageRecipient {
  id: string
  kind: 'staff' | 'resident'
}

/**
 * Who should be notified (in-app or Web Push) of a new message, and whether each is staff or a
 * resident: never its author; internal notes only staff; in a direct conversation the resident and
 * the assignee (the commanders above the area when nobody is assigned), less those who muted it; in
 * a group the active members who have not muted it. One statement: it runs for every message sent.
 * `withDevice`: only those with a Web Push subscription (a group of thousands has few).
 */
export async function messageRecipientsWithKind(
  db: DbOrTx,
  messageId: string,
  opts: { withDevice?: boolean } = {},
): Promise<MessageRecipient[]> {
  // In the group's branch too: thousands of members, few devices, filtered before the union.
  const device = (userId: SQL) =>
    opts.withDevice
      ? sql`and exists (select 1 from push_subscriptions ps where ps.user_id = ${userId})`
      : sql``
  return queryRows<MessageRecipient & Record<string, unknown>>(
    db,
    sql`with m as (select m.author_id, m.is_internal, c.* from messages m join conversations c on c.id = m.conversation_id
                   where m.id = ${messageId}),
        r as (
          select c.resident_id as user_id from m c where c.kind = 'direct' and not c.is_internal
          union
          select c.assignee_id from m c where c.kind = 'direct' and c.assignee_id is not null
          union
          select x.user_id from m c cross join lateral ${staffOver(sql`c.area_path`, ['commander'])} x
            where c.kind = 'direct' and c.assignee_id is null
          union
          select gm.user_id from m c join group_members gm on gm.group_id = c.group_id
            where c.kind = 'group' and gm.status in ('active', 'muted') and gm.notifications_muted = false
              ${device(sql`gm.user_id`)})
        select u.id, u.kind from r join users u on u.id = r.user_id
          where u.id is distinct from (select author_id from m)
            -- people who muted this direct conversation (group mutes are on the membership)
            and not exists (select 1 from message_reads mr, m
                             where mr.conversation_id = m.id and mr.user_id = u.id and mr.notifications_muted)
            ${device(sql`u.id`)}
          order by u.id`,
  )
}

/** The ids of messageRecipientsWithKind. */
export async function messageRecipients(db: DbOrTx, messageId: string): Promise<string[]> {
  return (await messageRecipientsWithKind(db, messageId)).map((r) => r.id)
}

/** What a send already holds when it looks for whom to push: the conversation as committed, the commanders read for its rooms. */
export interface SentContext {
  conversation: ConversationRow
  authorId: string
  isInternal: boolean
  /** The commanders over a direct conversation's area (`unitStaffService.commandersOver`). */
  commanders: string[]
}

/** A direct conversation's message as a statement sees it: its columns, by their SQL. */
export interface DirectSendColumns {
  conversationId: SQL
  residentId: SQL
  assigneeId: SQL
  areaPath: SQL
  authorId: SQL
  isInternal: SQL
}

/**
 * `pushRecipientsOfSend` for a direct conversation, as a subquery (rows of `id`, `kind`) of the
 * statement that writes the message (`insertSent`), so that a send spends no statement of its own
 * on whom to push. The candidates are joined to users by id (an `or` of ids would scan users).
 * Its twin is held to it by a test.
 */
export const directPushRecipientsSql = (s: DirectSendColumns): SQL => sql`
  select u.id, u.kind from (
      select ${s.residentId} as id where not ${s.isInternal}
      union select ${s.assigneeId}
      union select x.user_id from ${staffOver(s.areaPath, ['commander'])} x where ${s.assigneeId} is null) cand
    join users u on u.id = cand.id
   where u.id <> ${s.authorId}
     and exists (select 1 from push_subscriptions ps where ps.user_id = u.id)
     and not exists (select 1 from message_reads mr
                      where mr.conversation_id = ${s.conversationId} and mr.user_id = u.id and mr.notifications_muted)`

/**
 * The same people as `messageRecipientsWithKind(…, { withDevice: true })` for a message just sent,
 * from what the send holds: a statement short to plan (the general one's unions and joins cost
 * more to plan than to run, on every send). Its twin is held to it by a test.
 */
export async function pushRecipientsOfSend(db: DbOrTx, s: SentContext): Promise<MessageRecipient[]> {
  const c = s.conversation
  const filters = sql`u.id <> ${s.authorId}
    and exists (select 1 from push_subscriptions ps where ps.user_id = u.id)
    and not exists (select 1 from message_reads mr
                     where mr.conversation_id = ${c.id} and mr.user_id = u.id and mr.notifications_muted)`
  if (c.kind === 'group') {
    if (!c.groupId) return []
    return queryRowsPrepared<MessageRecipient & Record<string, unknown>>(
      db,
      sql`select u.id, u.kind from group_members gm join users u on u.id = gm.user_id
          where gm.group_id = ${c.groupId} and gm.status in ('active', 'muted') and gm.notifications_muted = false
            and ${filters}
          order by u.id`,
    )
  }
  const ids = [
    ...(s.isInternal || !c.residentId ? [] : [c.residentId]),
    ...(c.assigneeId ? [c.assigneeId] : s.commanders),
  ].filter((id) => id !== s.authorId)
  if (ids.length === 0) return []
  return queryRowsPrepared<MessageRecipient & Record<string, unknown>>(
    db,
    sql`select u.id, u.kind from users u where u.id = any(${uuidArray([...new Set(ids)])}) and ${filters} order by u.id`,
  )
}
