import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { dashboardRollups } from '../../db/schema/index'

/** The rolled-up figures and their names in `dashboard_rollups`. */
export const REACH_ROLLUP = 'reach'

/** The units that hold residential groups (wards, communes): the reach roll-up is rebuilt one at a time. */
export async function parentsOfAreas(db: DbOrTx): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select distinct parent_id::text as id from units where level = 'residential_group' and parent_id is not null`,
  )
  return rows.map((r) => r.id)
}

/**
 * Rebuilds the reach roll-up of the areas under one unit: per area and day (Vietnam time), the
 * residents first reached that day — the earlier of their first session and their first group
 * membership that is still active (docs/dashboard-definitions.md).
 */
export async function rebuildReach(db: DbOrTx, parentId: string): Promise<void> {
  await db.execute(
    sql`delete from dashboard_reach_daily where area_id in (select id from units where parent_id = ${parentId})`,
  )
  await db.execute(
    sql`insert into dashboard_reach_daily (area_id, area_path, day, reached)
      select a.id, a.path, (f.at at time zone 'Asia/Ho_Chi_Minh')::date, count(*)::int
      from units a join users u on u.area_id = a.id and u.kind = 'resident' and u.deleted_at is null
        cross join lateral (select least(
          (select min(s.created_at) from sessions s where s.user_id = u.id),
          (select min(gm.created_at) from group_members gm where gm.user_id = u.id and gm.status = 'active')) as at) f
      where a.parent_id = ${parentId} and a.level = 'residential_group' and f.at is not null
      group by 1, 2, 3`,
  )
}

export async function markRefreshed(db: DbOrTx, name: string, at: Date): Promise<void> {
  await db
    .insert(dashboardRollups)
    .values({ name, refreshedAt: at })
    .onConflictDoUpdate({ target: dashboardRollups.name, set: { refreshedAt: at } })
}

export async function refreshedAt(db: DbOrTx, name: string): Promise<Date | null> {
  const [row] = await queryRows<{ at: Date | string }>(
    db,
    sql`select refreshed_at as at from dashboard_rollups where name = ${name}`,
  )
  return row ? new Date(row.at) : null
}
