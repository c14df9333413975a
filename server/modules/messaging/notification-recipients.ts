import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { staffOver } from '../../db/unit-path-sql'

/**
 * Who should be notified (in-app or Web Push) of a new message: never its author; internal notes
 * only staff; in a direct conversation the resident and the assignee (the commanders above the area
 * when nobody is assigned); in a group the active members who have not muted it.
 */
export async function messageRecipients(db: DbOrTx, messageId: string): Promise<string[]> {
  const rows = await queryRows<{ user_id: string }>(
    db,
    sql`with m as (select m.author_id, m.is_internal, c.* from messages m join conversations c on c.id = m.conversation_id
                   where m.id = ${messageId})
        select c.resident_id as user_id from m c where c.kind = 'direct' and not c.is_internal
        union
        select c.assignee_id from m c where c.kind = 'direct' and c.assignee_id is not null
        union
        select x.user_id from m c cross join lateral ${staffOver(sql`c.area_path`, ['commander'])} x
          where c.kind = 'direct' and c.assignee_id is null
        union
        select gm.user_id from m c join group_members gm on gm.group_id = c.group_id
          where c.kind = 'group' and gm.status in ('active', 'muted') and gm.notifications_muted = false`,
  )
  const [author] = await queryRows<{ author_id: string | null }>(
    db,
    sql`select author_id from messages where id = ${messageId}`,
  )
  // People who muted this direct conversation (group mutes are already on the membership).
  const muted = new Set(
    (
      await queryRows<{ user_id: string }>(
        db,
        sql`select r.user_id from message_reads r join messages m on m.conversation_id = r.conversation_id
            where m.id = ${messageId} and r.notifications_muted`,
      )
    ).map((r) => r.user_id),
  )
  return rows.map((r) => r.user_id).filter((id) => id && id !== author?.author_id && !muted.has(id))
}
