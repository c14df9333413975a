import { type SQL, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { pathAbove } from '../../db/unit-path-sql'
import type { DirectColumns } from './messaging.policy'
import type { ConversationListRow } from './messaging.presenter'

/** A direct conversation's scope columns when the query names `conversations` as `c`. */
export const directColumns: DirectColumns = {
  residentId: sql`c.resident_id`,
  areaPath: sql`c.area_path`,
  assigneeId: sql`c.assignee_id`,
}

/** The unit's first-response target (minutes): the nearest unit above the area that set one, else 30. */
const targetMinutes = sql`coalesce((
  select s.first_response_target_minutes from messaging_settings s join units tu on tu.id = s.unit_id
  where ${pathAbove(sql`tu.path`, sql`c.area_path`)} order by length(tu.path) desc limit 1), 30)`

/**
 * Conversations as one viewer sees them: read state, unread count, what the other side has read,
 * the last message, the assignee's card and whether the first-response target has passed.
 */
export async function listConversationRows(
  db: DbOrTx,
  viewer: { userId: string; isStaff: boolean },
  where: SQL,
  order: SQL = sql`c.last_message_at desc nulls last`,
  limit = 200,
): Promise<ConversationListRow[]> {
  const rows = await queryRows<ConversationListRow & Record<string, unknown>>(
    db,
    sql`
    select c.id, c.kind, c.status, c.labels, c.area_id, au.name as area_name, c.group_id, g.name as group_name, c.channel,
      c.last_seq, c.last_message_at, c.awaiting_since, c.first_response_at, c.resolved_at, c.created_at,
      case when c.awaiting_since is null then null
           else c.awaiting_since + make_interval(mins => ${targetMinutes}) end as due_at,
      (c.status <> 'resolved' and c.awaiting_since is not null
        and c.awaiting_since + make_interval(mins => ${targetMinutes}) < now()) as overdue,
      c.resident_id, r.display_name as resident_name,
      case when o.id is null then null else json_build_object('id', o.id, 'display_name', o.display_name,
        'rank', o.rank, 'title', o.title, 'official_phone', o.official_phone, 'photo_url', o.photo_url) end as assignee,
      coalesce(me.last_read_seq, 0) as last_read_seq, coalesce(me.last_delivered_seq, 0) as last_delivered_seq,
      coalesce(peer.read_seq, 0) as peer_read_seq, coalesce(peer.delivered_seq, 0) as peer_delivered_seq,
      (select count(*)::int from messages um where um.conversation_id = c.id and um.seq > coalesce(me.last_read_seq, 0)
        and um.author_id is distinct from ${viewer.userId} and um.deleted_at is null and um.hidden_at is null
        ${viewer.isStaff ? sql`` : sql`and um.is_internal = false`}) as unread,
      lm.body as last_body, lm.kind as last_kind, lma.display_name as last_author_name,
      (lma.kind = 'staff') as last_author_staff, (lm.hidden_at is not null or lm.deleted_at is not null) as last_hidden
    from conversations c
    left join units au on au.id = c.area_id
    left join groups g on g.id = c.group_id
    left join users r on r.id = c.resident_id
    left join users o on o.id = c.assignee_id
    left join message_reads me on me.conversation_id = c.id and me.user_id = ${viewer.userId}
    left join lateral (
      select max(pr.last_read_seq) as read_seq, max(pr.last_delivered_seq) as delivered_seq from message_reads pr
      where pr.conversation_id = c.id and c.kind = 'direct' and pr.user_id <> ${viewer.userId}
        and (pr.user_id = c.resident_id) = ${viewer.isStaff}
    ) peer on true
    left join lateral (
      select m.body, m.kind, m.author_id, m.hidden_at, m.deleted_at from messages m where m.conversation_id = c.id
        ${viewer.isStaff ? sql`` : sql`and m.is_internal = false`}
      order by m.seq desc limit 1
    ) lm on true
    left join users lma on lma.id = lm.author_id
    where ${where}
    order by ${order}
    limit ${limit}`,
  )
  return rows.map((r) => ({
    ...r,
    last_seq: Number(r.last_seq),
    last_read_seq: Number(r.last_read_seq),
    last_delivered_seq: Number(r.last_delivered_seq),
    peer_read_seq: Number(r.peer_read_seq),
    peer_delivered_seq: Number(r.peer_delivered_seq),
    unread: Number(r.unread),
    overdue: !!r.overdue,
    assignee: typeof r.assignee === 'string' ? JSON.parse(r.assignee) : r.assignee,
  }))
}

/** Inbox order: overdue first, then the longest waiting, then resolved last, newest activity first. */
export const inboxOrder = sql`(c.status = 'resolved') asc,
  (c.awaiting_since is not null and c.status <> 'resolved' and c.awaiting_since + make_interval(mins => ${targetMinutes}) < now()) desc,
  c.awaiting_since asc nulls last, c.last_message_at desc nulls last`
