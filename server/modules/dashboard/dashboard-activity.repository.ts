import { type SQL, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { underAnyPath } from '../../db/unit-path-sql'
import { ageBucket, OPEN_CASE_STATUSES, type Period, vnDate } from './dashboard.definitions'
import { childOf, ts, type ViewedUnit } from './dashboard-interactions.repository'

const under = (column: string, unit: ViewedUnit) => underAnyPath(sql.raw(column), [unit.path])
const openList = sql.join(
  OPEN_CASE_STATUSES.map((s) => sql`${s}`),
  sql`, `,
)

/**
 * Households and people reached per child unit: residents of its areas first reached (a session, or
 * a group they are still active in) by the end of the period, and by the end of the previous one.
 * Read from the roll-up the job rebuilds (dashboard-rollups.job.ts): per resident it took two index
 * look-ups, 7 s on a 20,000-resident ward under PGlite and seconds on PostgreSQL for a province.
 */
export function reach(db: DbOrTx, unit: ViewedUnit, p: Period) {
  return queryRows<{ key: string | null; households: number; reached: number; reached_before: number }>(
    db,
    sql`with a as (select id, path, coalesce(household_count, 0) as hh from units
        where ${under('path', unit)} and level = 'residential_group'),
      r as (select area_id, sum(reached) filter (where day < ${vnDate(p.to)}::date) as reached,
          sum(reached) filter (where day < ${vnDate(p.from)}::date) as reached_before
        from dashboard_reach_daily where ${under('area_path', unit)} and day < ${vnDate(p.to)}::date
        group by area_id)
    select ${childOf(sql`a.path`, unit)} as key, sum(a.hh)::int as households,
      coalesce(sum(r.reached), 0)::int as reached, coalesce(sum(r.reached_before), 0)::int as reached_before
    from a left join r on r.area_id = a.id group by 1`,
  )
}

/** Groups of the subtree by kind: how many, active members at the end, messages and moderation. */
export async function groupActivity(db: DbOrTx, unit: ViewedUnit, p: Period) {
  // Plain joins that the planner drives from the groups, with range scans of the messages by
  // conversation and time: a CTE of the groups made it hash every message of the province.
  const inScope = sql`${under('g.unit_path', unit)} and g.archived_at is null`
  const split = (col: SQL) => sql`count(*) filter (where ${col} >= ${ts(p.from)})::int,
    count(*) filter (where ${col} < ${ts(p.from)})::int`
  const rows = await queryRows<{ kind: string; metric: GroupMetric; current: number; previous: number }>(
    db,
    sql`select g.kind, 'groups' as metric, count(*)::int as current, 0 as previous
        from groups g where ${inScope} group by 1
      union all
      select g.kind, 'members', count(*)::int, 0 from groups g join group_members gm on gm.group_id = g.id
        where ${inScope} and gm.status in ('active', 'muted') and gm.created_at < ${ts(p.to)} group by 1
      union all
      select g.kind, 'messages', ${split(sql`m.created_at`)}
        from groups g join conversations c on c.group_id = g.id join messages m on m.conversation_id = c.id
        where ${inScope} and m.created_at >= ${ts(p.previousFrom)} and m.created_at < ${ts(p.to)} group by 1
      union all
      select g.kind, 'moderation', ${split(sql`m.hidden_at`)}
        from groups g join conversations c on c.group_id = g.id join messages m on m.conversation_id = c.id
        where ${inScope} and m.hidden_at >= ${ts(p.previousFrom)} and m.hidden_at < ${ts(p.to)} group by 1`,
  )
  const byKind = new Map<string, GroupRow>()
  for (const r of rows) {
    const row = byKind.get(r.kind) ?? { kind: r.kind, ...EMPTY_GROUP_ROW }
    if (r.metric === 'groups') row.groups = r.current
    else if (r.metric === 'members') row.members = r.current
    else if (r.metric === 'messages') [row.messages, row.messages_before] = [r.current, r.previous]
    else [row.moderation, row.moderation_before] = [r.current, r.previous]
    byKind.set(r.kind, row)
  }
  return [...byKind.values()].filter((r) => r.groups > 0).sort((a, b) => b.groups - a.groups)
}
type GroupMetric = 'groups' | 'members' | 'messages' | 'moderation'
const EMPTY_GROUP_ROW = {
  groups: 0,
  members: 0,
  messages: 0,
  messages_before: 0,
  moderation: 0,
  moderation_before: 0,
}
type GroupRow = typeof EMPTY_GROUP_ROW & { kind: string }

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
