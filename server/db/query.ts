import { type SQL, sql } from 'drizzle-orm'
import type { DbOrTx } from './client'

/**
 * Runs raw SQL and returns its rows. PGlite and node-postgres both answer with `{ rows }`;
 * cast bigint results with ::int in SQL, because the two drivers return int8 differently.
 */
export async function queryRows<T extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] }
  return res.rows
}

/** A list of uuids as one `uuid[]` parameter: `where id = any(${uuidArray(ids)})`. */
export const uuidArray = (ids: readonly string[]): SQL => sql`${`{${ids.join(',')}}`}::uuid[]`
