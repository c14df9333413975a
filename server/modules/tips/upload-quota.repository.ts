import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'

/** Tip files a unit holds: on its tips and their follow-ups, bytes not removed. */
const unitFilesSql = sql`
  select t.unit_id, e.size from tips t join evidence_files e on e.tip_id = t.id
   where e.bytes_removed_at is null
  union all
  select t.unit_id, e.size from tips t join tip_messages m on m.tip_id = t.id
    join evidence_files e on e.tip_message_id = m.id
   where e.bytes_removed_at is null`

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

  async unitBytes(db: DbOrTx, unitId: string): Promise<number> {
    const [row] = await queryRows<{ bytes: number }>(
      db,
      sql`select coalesce(sum(f.size), 0)::float8 as bytes from (${unitFilesSql}) f where f.unit_id = ${unitId}`,
    )
    return row?.bytes ?? 0
  },

  /** Bytes per unit holding tip files, fullest first; `unitPaths` limits to those subtrees. */
  unitsBytes: (db: DbOrTx, unitPaths: string[] | null) =>
    queryRows<{ unit_id: string; unit_name: string; bytes: number }>(
      db,
      sql`select u.id as unit_id, u.name as unit_name, sum(f.size)::float8 as bytes
            from (${unitFilesSql}) f join units u on u.id = f.unit_id
           where ${
             unitPaths
               ? sql`u.path like any(${`{${unitPaths.map((p) => `"${p}%"`).join(',')}}`}::text[])`
               : sql`true`
           }
           group by u.id, u.name order by bytes desc limit 200`,
    ),
}
