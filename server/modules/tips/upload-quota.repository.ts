import { type SQL, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'

/** The unit that answers for a unit or area: an area (residential group) counts for its ward, as tips do. */
const wardOf = (unit: string) =>
  sql.raw(`(select case when w.level = 'residential_group' then coalesce(w.parent_id, w.id) else w.id end
              from units w where w.id = ${unit})`)

/**
 * Every stored file a unit holds, with its size: evidence of its tips, their follow-ups, its cases
 * (staff uploads) and the answers to its requests for help (bytes not removed), files sent in its
 * areas' conversations and groups, and its alerts' photos (with thumbnails, whose size is not kept).
 */
const unitFilesSql = sql`
  select t.unit_id, e.size from tips t join evidence_files e on e.tip_id = t.id
   where e.bytes_removed_at is null
  union all
  select t.unit_id, e.size from tips t join tip_messages m on m.tip_id = t.id
    join evidence_files e on e.tip_message_id = m.id
   where e.bytes_removed_at is null
  union all
  select ${wardOf('c.area_id')} as unit_id, e.size from cases c join evidence_files e on e.case_id = c.id
   where e.bytes_removed_at is null
  union all
  select ${wardOf('c.area_id')} as unit_id, e.size from cases c join help_requests h on h.case_id = c.id
    join help_responses r on r.help_request_id = h.id join evidence_files e on e.help_response_id = r.id
   where e.bytes_removed_at is null
  union all
  select ${wardOf('coalesce(g.unit_id, cv.area_id)')} as unit_id, f.size from message_files f
    join conversations cv on cv.id = f.conversation_id left join groups g on g.id = cv.group_id
   where coalesce(g.unit_id, cv.area_id) is not null
  union all
  select a.issuing_unit_id as unit_id, r.size from alerts a join alert_resources r on r.alert_id = a.id`

/** The queries behind the upload budgets and the unit storage quota (F9). */
export const uploadQuotaRepository = {
  /** Today's counts of these scopes. */
  budgets: (db: DbOrTx, day: string, scopes: string[]) =>
    queryRows<{ scope: string; bytes: number }>(
      db,
      sql`select scope, bytes::float8 as bytes from upload_budgets
          where day = ${day} and scope = any(${`{${scopes.map((s) => `"${s}"`).join(',')}}`}::text[])`,
    ),

  /** Adds to a day's count (creating it) and returns the new total; the row stays locked until commit. */
  async addBytes(tx: DbOrTx, scope: string, day: string, bytes: number): Promise<number> {
    const [row] = await queryRows<{ bytes: number }>(
      tx,
      sql`insert into upload_budgets (scope, day, bytes) values (${scope}, ${day}, ${bytes})
          on conflict (scope, day) do update set bytes = upload_budgets.bytes + excluded.bytes
          returning bytes::float8 as bytes`,
    )
    return row?.bytes ?? 0
  },

  /** Serialises uploads to one unit until the transaction ends, on every instance. */
  async lockUnit(tx: DbOrTx, unitId: string): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`unit-storage:${unitId}`}))`)
  },

  /** The unit whose quota a case's files count against (its area's ward). */
  async unitOfArea(db: DbOrTx, areaId: string): Promise<string> {
    const [row] = await queryRows<{ unit_id: string }>(
      db,
      sql`select ${wardOf('a.id')} as unit_id from units a where a.id = ${areaId}`,
    )
    return row?.unit_id ?? areaId
  },

  async unitBytes(db: DbOrTx, unitId: string): Promise<number> {
    const [row] = await queryRows<{ bytes: number }>(
      db,
      sql`select coalesce(sum(f.size), 0)::float8 as bytes from (${unitFilesSql}) f where f.unit_id = ${unitId}`,
    )
    return row?.bytes ?? 0
  },

  /** Bytes per unit holding files, fullest first; `scope` filters the units (`u`) listed. */
  unitsBytes: (db: DbOrTx, scope: (unit: { path: SQL }) => SQL) =>
    queryRows<{ unit_id: string; unit_name: string; bytes: number }>(
      db,
      sql`select u.id as unit_id, u.name as unit_name, sum(f.size)::float8 as bytes
            from (${unitFilesSql}) f join units u on u.id = f.unit_id
           where ${scope({ path: sql`u.path` })}
           group by u.id, u.name order by bytes desc limit 200`,
    ),
}
