import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { underAnyPath } from '../../db/unit-path-sql'
import { ageBucket, OPEN_CASE_STATUSES, type Period } from './dashboard.definitions'
import { childOf, ts, type ViewedUnit } from './dashboard-interactions.repository'

const under = (column: string, unit: ViewedUnit) => underAnyPath(sql.raw(column), [unit.path])
const openList = sql.join(
  OPEN_CASE_STATUSES.map((s) => sql`${s}`),
  sql`, `,
)

/**
 * Households and people reached per child unit: residents of its areas who had signed in (a session)
 * or were active members of a group by the end of the period, and by the end of the previous one.
 */
export function reach(db: DbOrTx, unit: ViewedUnit, p: Period) {
  return queryRows<{ key: string | null; households: number; reached: number; reached_before: number }>(
    db,
    // Per resident, two index look-ups (sessions_user_idx, group_members_user_idx). Joining CTEs
    // to the area list took 30 s on a 20,000-resident ward under PGlite; this, 7 s at load 35.
    sql`with per_area as (
        select a.path, coalesce(a.household_count, 0) as hh,
          count(*) filter (where r.at < ${ts(p.to)})::int as reached,
          count(*) filter (where r.at < ${ts(p.from)})::int as reached_before
        from units a left join lateral (
          select least(
            (select min(s.created_at) from sessions s where s.user_id = u.id),
            (select min(gm.created_at) from group_members gm where gm.user_id = u.id and gm.status = 'active')) as at
          from users u where u.area_id = a.id and u.kind = 'resident' and u.deleted_at is null) r on true
        where ${under('a.path', unit)} and a.level = 'residential_group'
        group by a.id, a.path, a.household_count)
    select ${childOf(sql`path`, unit)} as key, sum(hh)::int as households, sum(reached)::int as reached,
      sum(reached_before)::int as reached_before
    from per_area group by 1`,
  )
}

/** Groups of the subtree by kind: how many, active members at the end, messages and moderation. */
export function groupActivity(db: DbOrTx, unit: ViewedUnit, p: Period) {
  return queryRows<{
    kind: string
    groups: number
    members: number
    messages: number
    messages_before: number
    moderation: number
    moderation_before: number
  }>(
    db,
    sql`with g as (select g.id, g.kind, c.id as conversation_id from groups g
        left join conversations c on c.group_id = g.id
        where ${under('g.unit_path', unit)} and g.archived_at is null),
      m as (select g.kind,
          count(*) filter (where m.created_at >= ${ts(p.from)} and m.created_at < ${ts(p.to)}) as messages,
          count(*) filter (where m.created_at >= ${ts(p.previousFrom)} and m.created_at < ${ts(p.from)}) as messages_before,
          count(*) filter (where m.hidden_at >= ${ts(p.from)} and m.hidden_at < ${ts(p.to)}) as moderation,
          count(*) filter (where m.hidden_at >= ${ts(p.previousFrom)} and m.hidden_at < ${ts(p.from)}) as moderation_before
        from g join messages m on m.conversation_id = g.conversation_id
        where m.created_at < ${ts(p.to)} and (m.created_at >= ${ts(p.previousFrom)} or m.hidden_at >= ${ts(p.previousFrom)})
        group by g.kind),
      mem as (select g.kind, count(*) as members from g join group_members gm on gm.group_id = g.id
        where gm.status in ('active', 'muted') and gm.created_at < ${ts(p.to)} group by g.kind),
      n as (select kind, count(*) as groups from g group by kind)
    select n.kind, n.groups::int, coalesce(mem.members, 0)::int as members,
      coalesce(m.messages, 0)::int as messages, coalesce(m.messages_before, 0)::int as messages_before,
      coalesce(m.moderation, 0)::int as moderation, coalesce(m.moderation_before, 0)::int as moderation_before
    from n left join m on m.kind = n.kind left join mem on mem.kind = n.kind order by n.groups desc`,
  )
}

/**
 * Cases: opened in each period; open at the end of the period by status and by age (days since
 * opened); closed in each period by outcome.
 */
export async function caseFigures(db: DbOrTx, unit: ViewedUnit, p: Period) {
  const scoped = under('k.area_path', unit)
  const end = ts(p.to)
  const open = sql`k.created_at < ${end} and coalesce(k.resolved_at, k.closed_at, 'infinity') >= ${end}`
  const [opened] = await queryRows<{ current: number; previous: number }>(
    db,
    sql`select count(*) filter (where k.created_at >= ${ts(p.from)})::int as current,
        count(*) filter (where k.created_at < ${ts(p.from)})::int as previous
      from cases k where ${scoped} and k.created_at >= ${ts(p.previousFrom)} and k.created_at < ${end}`,
  )
  const openRows = await queryRows<{ status: string; age: string; count: number }>(
    db,
    sql`select case when k.status in (${openList}) then k.status else 'closed_since' end as status,
        ${ageBucket(end)} as age,
        count(*)::int as count
      from cases k where ${scoped} and ${open} group by 1, 2`,
  )
  const closed = await queryRows<{ outcome: string; current: number; previous: number }>(
    db,
    sql`select coalesce(k.outcome, 'none') as outcome,
        count(*) filter (where k.closed_at >= ${ts(p.from)})::int as current,
        count(*) filter (where k.closed_at < ${ts(p.from)})::int as previous
      from cases k where ${scoped} and k.closed_at >= ${ts(p.previousFrom)} and k.closed_at < ${end}
      group by 1 order by 2 desc`,
  )
  return { opened: opened ?? { current: 0, previous: 0 }, openRows, closed }
}

/** Alerts issued by the unit or below, published in the period (and how many in the previous one). */
export async function alertFigures(db: DbOrTx, unit: ViewedUnit, p: Period) {
  const list = await queryRows<{
    id: string
    headline: string
    kind: string
    published_at: Date | string
    targeted: number
    delivered: number
    read: number
    shared: number
    answered: number
  }>(
    db,
    sql`select a.id, a.headline, a.kind, a.published_at, a.targeted_count as targeted, a.delivered_count as delivered,
        a.read_count as read, a.shared_count as shared, a.answers_count as answered
      from alerts a where ${under('a.issuing_unit_path', unit)} and a.published_at >= ${ts(p.from)}
        and a.published_at < ${ts(p.to)} order by a.published_at desc limit 200`,
  )
  const [before] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from alerts a where ${under('a.issuing_unit_path', unit)}
      and a.published_at >= ${ts(p.previousFrom)} and a.published_at < ${ts(p.from)}`,
  )
  return { list, previous: before?.n ?? 0 }
}

/** Names of the units and staff the figures mention. */
export async function namesOf(db: DbOrTx, unitIds: string[], userIds: string[]) {
  const ids = [...unitIds, ...userIds]
  if (!ids.length) return new Map<string, string>()
  const json = JSON.stringify(ids)
  const rows = await queryRows<{ id: string; name: string }>(
    db,
    sql`with ids as (select distinct (jsonb_array_elements_text(${json}::jsonb))::uuid as id)
      select u.id::text, u.name from units u join ids on ids.id = u.id
      union all select s.id::text, s.display_name from users s join ids on ids.id = s.id`,
  )
  return new Map(rows.map((r) => [r.id, r.name]))
}
