import { type SQL, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { pathAbove, underAnyPath } from '../../db/unit-path-sql'
import {
  ALERT_KIND_KIND,
  DEFAULT_TARGET_MINUTES,
  kindCase,
  type Period,
  TIP_CATEGORY_KIND,
} from './dashboard.definitions'

export interface ViewedUnit {
  id: string
  path: string
}

export const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`

/**
 * Which child of the viewed unit a record's path lies in (an area of a ward, a ward of a province):
 * the path segment right after the unit's own. Null for records of the unit itself.
 */
export const childOf = (column: SQL, unit: ViewedUnit): SQL =>
  sql`nullif(split_part(substr(${column}, ${unit.path.length + 1}::int), '/', 1), '')`

/**
 * Every interaction of the unit's subtree from the start of the previous period to the end of this
 * one: residents' direct conversations (kind = first label), tips (kind from the category), answers
 * to alerts (kind from the alert's kind, area = the answering resident's) and answers to requests
 * for help (kind from the case's category). Columns: source, kind, path, officer_id, at.
 */
export function interactionsSql(unit: ViewedUnit, p: Period): SQL {
  const window = (col: SQL) => sql`${col} >= ${ts(p.previousFrom)} and ${col} < ${ts(p.to)}`
  return sql`
    select 'conversation' as source, coalesce(c.labels[1], 'other') as kind, c.area_path as path,
      c.assignee_id as officer_id, c.created_at as at, c.id
    from conversations c
    where c.kind = 'direct' and ${underAnyPath(sql`c.area_path`, [unit.path])} and ${window(sql`c.created_at`)}
    union all
    select 'tip', ${kindCase(sql`t.category`, TIP_CATEGORY_KIND)}, t.area_path, t.assignee_id, t.created_at, t.id
    from tips t
    where ${underAnyPath(sql`t.area_path`, [unit.path])} and ${window(sql`t.created_at`)}
    union all
    select 'alert_answer', ${kindCase(sql`al.kind`, ALERT_KIND_KIND)}, au.path, al.author_id, aa.created_at, aa.id
    from alert_answers aa join alerts al on al.id = aa.alert_id
      join users u on u.id = aa.author_id join units au on au.id = u.area_id
    where ${underAnyPath(sql`au.path`, [unit.path])} and ${window(sql`aa.created_at`)}
    union all
    select 'help_response', ${kindCase(sql`k.category`, TIP_CATEGORY_KIND)}, k.area_path, hr.created_by_id,
      r.created_at, r.id
    from help_responses r join help_requests hr on hr.id = r.help_request_id join cases k on k.id = hr.case_id
    where ${underAnyPath(sql`k.area_path`, [unit.path])} and ${window(sql`r.created_at`)}`
}

export interface CountRow extends Record<string, unknown> {
  dim: 'total' | 'kind' | 'source' | 'child' | 'officer' | 'hour'
  key: string | null
  hour: number | null
  current: number
  previous: number
}

/** Interactions counted by kind, source, child unit, officer, and weekday × hour, in one scan. */
export async function countInteractions(db: DbOrTx, unit: ViewedUnit, p: Period): Promise<CountRow[]> {
  return queryRows<CountRow>(
    db,
    sql`with i as (${interactionsSql(unit, p)}),
    x as (select i.*, ${childOf(sql`i.path`, unit)} as child,
      extract(dow from i.at at time zone 'Asia/Ho_Chi_Minh')::int as dow,
      extract(hour from i.at at time zone 'Asia/Ho_Chi_Minh')::int as hod from i)
    select case when grouping(kind) = 0 then 'kind' when grouping(source) = 0 then 'source'
        when grouping(child) = 0 then 'child' when grouping(officer_id) = 0 then 'officer'
        when grouping(dow) = 0 then 'hour' else 'total' end as dim,
      coalesce(kind, source, child, officer_id::text, dow::text) as key, hod as hour,
      count(*) filter (where at >= ${ts(p.from)})::int as current,
      count(*) filter (where at < ${ts(p.from)})::int as previous
    from x group by grouping sets ((kind), (source), (child), (officer_id), (dow, hod), ())`,
  )
}

export interface TimesRow extends Record<string, unknown> {
  dim: 'total' | 'child' | 'officer'
  key: string | null
  previous: boolean
  count: number
  answered: number
  first_median: number | null
  first_p90: number | null
  resolution_median: number | null
  resolution_p90: number | null
  overdue: number
}

/** The nearest unit at or above the viewed one that set a first-response target, else 30 minutes. */
export async function targetMinutes(db: DbOrTx, unit: ViewedUnit): Promise<number> {
  const [row] = await queryRows<{ minutes: number }>(
    db,
    sql`select s.first_response_target_minutes as minutes from messaging_settings s join units tu on tu.id = s.unit_id
        where ${pathAbove(sql`tu.path`, unit.path)} order by length(tu.path) desc limit 1`,
  )
  return row?.minutes ?? DEFAULT_TARGET_MINUTES
}

/**
 * First-response and resolution times (minutes) of the conversations and tips that started in the
 * period (and the previous one): median and 90th percentile, and how many missed the target.
 */
export async function responseTimes(
  db: DbOrTx,
  unit: ViewedUnit,
  p: Period,
  target: number,
  now: Date,
): Promise<TimesRow[]> {
  const window = (col: SQL) => sql`${col} >= ${ts(p.previousFrom)} and ${col} < ${ts(p.to)}`
  const minutes = (a: SQL, b: SQL) => sql`extract(epoch from ${a} - ${b}) / 60`
  return queryRows<TimesRow>(
    db,
    sql`with r as (
      select c.area_path as path, c.assignee_id as officer_id, c.created_at as at,
        ${minutes(sql`c.first_response_at`, sql`c.created_at`)} as first_min,
        ${minutes(sql`c.resolved_at`, sql`c.created_at`)} as resolution_min,
        coalesce(c.first_response_at, ${ts(now)}) > c.created_at + make_interval(mins => ${target}::int) as overdue
      from conversations c
      where c.kind = 'direct' and ${underAnyPath(sql`c.area_path`, [unit.path])} and ${window(sql`c.created_at`)}
      union all
      select t.area_path, t.assignee_id, t.created_at, ${minutes(sql`t.first_response_at`, sql`t.created_at`)},
        ${minutes(sql`t.closed_at`, sql`t.created_at`)},
        coalesce(t.first_response_at, ${ts(now)}) > t.first_response_due_at
      from tips t where ${underAnyPath(sql`t.area_path`, [unit.path])} and ${window(sql`t.created_at`)}),
    x as (select r.*, ${childOf(sql`r.path`, unit)} as child, r.at < ${ts(p.from)} as previous from r)
    select case when grouping(child) = 0 then 'child' when grouping(officer_id) = 0 then 'officer' else 'total' end as dim,
      coalesce(child, officer_id::text) as key, previous, count(*)::int as count, count(first_min)::int as answered,
      percentile_cont(0.5) within group (order by first_min) as first_median,
      percentile_cont(0.9) within group (order by first_min) as first_p90,
      percentile_cont(0.5) within group (order by resolution_min) as resolution_median,
      percentile_cont(0.9) within group (order by resolution_min) as resolution_p90,
      count(*) filter (where overdue)::int as overdue
    from x group by grouping sets ((previous), (previous, child), (previous, officer_id))`,
  )
}
