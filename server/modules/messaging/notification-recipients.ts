import { type SQL, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { staffOver } from '../../db/unit-path-sql'

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
