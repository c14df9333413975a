import type { TRecordsQuery } from '@common/schemas/dashboard'
import { type SQL, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { underAnyPath } from '../../db/unit-path-sql'
import { ageBucket, OPEN_CASE_STATUSES, type Period } from './dashboard.definitions'
import { childOf, interactionsSql, ts, type ViewedUnit } from './dashboard-interactions.repository'

export const RECORDS_LIMIT = 500

export interface RecordRow extends Record<string, unknown> {
  source: string
  id: string
  title: string | null
  kind: string | null
  area_name: string | null
  officer_name: string | null
  status: string | null
  created_at: Date | string
  first_response_at: Date | string | null
}

const eqIf = (col: SQL, value: string | undefined) => (value ? sql` and ${col} = ${value}` : sql``)

/**
 * The records behind one figure of the dashboard, with the same definitions and the same unit
 * scope as the figure (the viewer may read every one of them: they command the unit).
 */
export function listRecords(
  db: DbOrTx,
  unit: ViewedUnit,
  p: Period,
  q: TRecordsQuery,
  opts: { now: Date; target: number },
) {
  const { now, target } = opts
  const child = (col: SQL) => (q.childId ? sql` and ${childOf(col, unit)} = ${q.childId}` : sql``)
  const tail = sql`order by created_at desc limit ${RECORDS_LIMIT + 1}`
  if (q.figure === 'interactions' || q.figure === 'responses') {
    const base =
      q.figure === 'interactions'
        ? sql`select i.source, i.id, i.kind, i.path, i.officer_id, i.at from (${interactionsSql(unit, p)}) i
            where i.at >= ${ts(p.from)}`
        : sql`select 'conversation' as source, c.id, coalesce(c.labels[1], 'other') as kind, c.area_path as path,
              c.assignee_id as officer_id, c.created_at as at from conversations c
            where c.kind = 'direct' and ${underAnyPath(sql`c.area_path`, [unit.path])}
              and c.created_at >= ${ts(p.from)} and c.created_at < ${ts(p.to)}
              ${q.overdue ? sql`and coalesce(c.first_response_at, ${ts(now)}) > c.created_at + make_interval(mins => ${target}::int)` : sql``}
            union all
            select 'tip', t.id, t.category, t.area_path, t.assignee_id, t.created_at from tips t
            where ${underAnyPath(sql`t.area_path`, [unit.path])} and t.created_at >= ${ts(p.from)} and t.created_at < ${ts(p.to)}
              ${q.overdue ? sql`and coalesce(t.first_response_at, ${ts(now)}) > t.first_response_due_at` : sql``}`
    return queryRows<RecordRow>(
      db,
      sql`with b as (${base}),
        x as (select b.*, (regexp_match(b.path, '([^/]+)/$'))[1]::uuid as area_id from b
          where true ${eqIf(sql`b.kind`, q.kind)} ${eqIf(sql`b.source`, q.source)} ${eqIf(sql`b.officer_id::text`, q.officerId)} ${child(sql`b.path`)})
      select x.source, x.id, null as title, x.kind, au.name as area_name, o.display_name as officer_name,
        coalesce(c.status, t.status) as status, x.at as created_at, coalesce(c.first_response_at, t.first_response_at) as first_response_at
      from x left join units au on au.id = x.area_id left join users o on o.id = x.officer_id
        left join conversations c on x.source = 'conversation' and c.id = x.id
        left join tips t on x.source = 'tip' and t.id = x.id
      order by x.at desc limit ${RECORDS_LIMIT + 1}`,
    )
  }
  if (q.figure === 'alerts')
    return queryRows<RecordRow>(
      db,
      sql`select 'alert' as source, a.id, a.headline as title, a.kind, null as area_name, o.display_name as officer_name,
          a.state as status, a.published_at as created_at, null as first_response_at
        from alerts a left join users o on o.id = a.author_id
        where ${underAnyPath(sql`a.issuing_unit_path`, [unit.path])} and a.published_at >= ${ts(p.from)} and a.published_at < ${ts(p.to)}
        ${tail}`,
    )
  const end = ts(p.to)
  const open = sql.join(
    OPEN_CASE_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  )
  const which =
    q.figure === 'open_cases'
      ? sql`k.created_at < ${end} and coalesce(k.resolved_at, k.closed_at, 'infinity') >= ${end}
          ${q.status ? (q.status === 'closed_since' ? sql` and k.status not in (${open})` : sql` and k.status = ${q.status}`) : sql``}
          ${q.age ? sql` and ${ageBucket(end)} = ${q.age}` : sql``}`
      : sql`k.closed_at >= ${ts(p.from)} and k.closed_at < ${end} ${eqIf(sql`coalesce(k.outcome, 'none')`, q.outcome)}`
  return queryRows<RecordRow>(
    db,
    sql`select 'case' as source, k.id, k.title, k.category as kind, au.name as area_name, o.display_name as officer_name,
        k.status, k.created_at, null as first_response_at
      from cases k left join units au on au.id = k.area_id left join users o on o.id = k.assignee_id
      where ${underAnyPath(sql`k.area_path`, [unit.path])} and ${which} ${child(sql`k.area_path`)}
      ${tail}`,
  )
}
