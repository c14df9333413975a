import type { TRecordsQuery } from '@common/schemas/dashboard'
import { type SQL, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { underAnyPath } from '../../db/unit-path-sql'
import type { Period } from './dashboard.definitions'
import { childOf, ts, type ViewedUnit } from './dashboard-interactions.repository'
import { RECORDS_LIMIT, type RecordRow } from './dashboard-records.repository'

export interface MovementRow extends Record<string, unknown> {
  dim: 'kind' | 'child' | 'total'
  key: string | null
  current: number
  previous: number
  confirmed: number
}

const under = (column: string, unit: ViewedUnit) => underAnyPath(sql.raw(column), [unit.path])

/**
 * Residence reports (movements, S6) sent in the period and in the previous one, by kind, by child
 * unit and in total, with how many of this period's the police have confirmed.
 */
export function movementCounts(db: DbOrTx, unit: ViewedUnit, p: Period) {
  return queryRows<MovementRow>(
    db,
    sql`with r as (select kind, status, ${childOf(sql`area_path`, unit)} as child, created_at
        from residence_reports
        where ${under('area_path', unit)} and created_at >= ${ts(p.previousFrom)} and created_at < ${ts(p.to)})
      select case when grouping(kind) = 0 then 'kind' when grouping(child) = 0 then 'child' else 'total' end as dim,
        coalesce(kind, child) as key,
        count(*) filter (where created_at >= ${ts(p.from)})::int as current,
        count(*) filter (where created_at < ${ts(p.from)})::int as previous,
        count(*) filter (where created_at >= ${ts(p.from)} and status = 'confirmed')::int as confirmed
      from r group by grouping sets ((kind), (child), ())`,
  )
}

const childFilter = (column: SQL, unit: ViewedUnit, childId: string | undefined) =>
  childId ? sql` and ${childOf(column, unit)} = ${childId}` : sql``

/** The residence reports behind the movement figures: the person's name, kind, area, reviewer. */
export function listMovements(db: DbOrTx, unit: ViewedUnit, p: Period, q: TRecordsQuery) {
  return queryRows<RecordRow>(
    db,
    sql`select 'residence_report' as source, r.id, r.full_name as title, r.kind, au.name as area_name,
        o.display_name as officer_name, r.status, r.created_at, r.reviewed_at as first_response_at
      from residence_reports r join units au on au.id = r.area_id left join users o on o.id = r.reviewer_id
      where ${under('r.area_path', unit)} and r.created_at >= ${ts(p.from)} and r.created_at < ${ts(p.to)}
        ${q.reportKind ? sql` and r.kind = ${q.reportKind}` : sql``} ${childFilter(sql`r.area_path`, unit, q.childId)}
      order by r.created_at desc limit ${RECORDS_LIMIT + 1}`,
  )
}

/**
 * The residents behind "households reached": those of the unit's areas (or one child's) first
 * reached — a session, or a group they are still active in — before the end of the period, with
 * when and how. The same definition as the roll-up (dashboard-rollups.repository.ts), read per
 * resident: the first 501 found are taken before their dates are read, so a ward of 20,000
 * residents costs 501 look-ups rather than 20,000.
 */
export function listReached(db: DbOrTx, unit: ViewedUnit, p: Period, q: TRecordsQuery) {
  const end = ts(p.to)
  return queryRows<RecordRow>(
    db,
    sql`with found as (
        select u.id, u.display_name, a.name as area_name from units a
          join users u on u.area_id = a.id and u.kind = 'resident' and u.deleted_at is null
        where ${under('a.path', unit)} and a.level = 'residential_group' ${childFilter(sql`a.path`, unit, q.childId)}
          and (exists (select 1 from sessions s where s.user_id = u.id and s.created_at < ${end})
            or exists (select 1 from group_members gm where gm.user_id = u.id and gm.status = 'active'
              and gm.created_at < ${end}))
        limit ${RECORDS_LIMIT + 1}),
      dated as (select f.*,
          (select min(s.created_at) from sessions s where s.user_id = f.id) as signed_in_at,
          (select min(gm.created_at) from group_members gm where gm.user_id = f.id and gm.status = 'active') as joined_at
        from found f)
      select 'resident' as source, d.id, d.display_name as title,
        case when d.joined_at < coalesce(d.signed_in_at, 'infinity') then 'group_member' else 'signed_in' end as kind,
        d.area_name, null as officer_name, null as status,
        least(d.signed_in_at, d.joined_at) as created_at, null as first_response_at
      from dated d order by d.area_name, d.display_name`,
  )
}
