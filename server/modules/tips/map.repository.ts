import { type SQL, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import type { Scope } from '../../lib/scope'
import { casesPolicy, tipsPolicy } from './tips.policy'
import { tipColumns } from './tips.repository'

export interface MapFilters {
  bbox?: [number, number, number, number]
  category?: string
  statuses?: string[]
  from?: string
  to?: string
}

export interface MapRow {
  [k: string]: unknown
  kind: 'tip' | 'case'
  id: string
  number: number | null
  title: string
  category: string
  status: string
  lat: number
  lng: number
  created_at: Date | string
  area_name: string
}

function filters(alias: string, f: MapFilters): SQL {
  const col = (name: string) => sql.raw(`${alias}.${name}`)
  const parts: SQL[] = [sql`${col('lat')} is not null and ${col('lng')} is not null`]
  if (f.bbox) {
    const [minLng, minLat, maxLng, maxLat] = f.bbox
    parts.push(
      sql`${col('lng')} between ${minLng} and ${maxLng} and ${col('lat')} between ${minLat} and ${maxLat}`,
    )
  }
  if (f.category) parts.push(sql`${col('category')} = ${f.category}`)
  if (f.statuses?.length)
    parts.push(
      sql`${col('status')} in (${sql.join(
        f.statuses.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    )
  if (f.from) parts.push(sql`${col('created_at')} >= ${f.from}`)
  if (f.to) parts.push(sql`${col('created_at')} <= ${f.to}`)
  return sql.join(parts, sql` and `)
}

export const mapRepository = {
  /** Tips not yet on a case, and cases, with a position, in the staff member's scope. */
  async features(db: DbOrTx, scope: Scope, kinds: ('tips' | 'cases')[], f: MapFilters): Promise<MapRow[]> {
    const selects: SQL[] = []
    if (kinds.includes('tips')) {
      selects.push(sql`select 'tip' as kind, t.id, null::int as number, left(t.description, 120) as title, t.category, t.status,
          t.lat, t.lng, t.created_at, u.name as area_name
        from tips t join units u on u.id = t.area_id
        where t.case_id is null and ${tipsPolicy.scopes.read(scope, tipColumns)}
          and ${filters('t', f)}`)
    }
    if (kinds.includes('cases')) {
      selects.push(sql`select 'case' as kind, c.id, c.number::int as number, c.title, c.category, c.status,
          c.lat, c.lng, c.created_at, u.name as area_name
        from cases c join units u on u.id = c.area_id
        where ${casesPolicy.scopes.read(scope, { areaPath: sql`c.area_path`, assigneeId: sql`c.assignee_id` })}
          and ${filters('c', f)}`)
    }
    if (!selects.length) return []
    return queryRows<MapRow>(
      db,
      sql`select * from (${sql.join(selects, sql` union all `)}) x order by created_at desc limit 1000`,
    )
  },
}
