import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows, queryRowsPrepared } from '../../db/query'
import { type StaffGrantRole, staffOver } from '../../db/unit-path-sql'

const WORKERS: readonly StaffGrantRole[] = ['officer', 'commander']

/** Staff over a place in the unit tree: who may be handed its records, who oversees it. */
export const unitStaffRepository = {
  /** Holds a live officer or commander grant on a unit at or above `areaPath`. */
  async isWorkerOver(db: DbOrTx, userId: string, areaPath: string): Promise<boolean> {
    const rows = await queryRows<{ ok: number }>(
      db,
      sql`select 1 as ok where ${userId}::uuid in ${staffOver(areaPath, WORKERS)}`,
    )
    return rows.length > 0
  },

  /** Officers and commanders of the units at or above `areaPath`, by name. */
  async workersOver(db: DbOrTx, areaPath: string) {
    return queryRows<{ id: string; display_name: string; rank: string | null; title: string | null }>(
      db,
      sql`select s.id, s.display_name, s.rank, s.title from users s
          where s.id in ${staffOver(areaPath, WORKERS)} order by s.display_name`,
    )
  },

  /** Commanders of the units at or above `path`. */
  async commandersOver(db: DbOrTx, path: string): Promise<string[]> {
    // Prepared: the rooms of every message in a direct conversation need it.
    const rows = await queryRowsPrepared<{ user_id: string }>(
      db,
      sql`select distinct x.user_id from ${staffOver(path, ['commander'])} x`,
    )
    return rows.map((r) => r.user_id)
  },
}
