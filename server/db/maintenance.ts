import { sql } from 'drizzle-orm'
import type { DbOrTx } from './client'

/**
 * VACUUM ANALYZE after a bulk load (the scale seed). The embedded database (PGlite) has no
 * autovacuum: without it the planner guesses from empty tables, and index-only scans fetch every
 * heap row because no page is marked all-visible. On PostgreSQL it spares the wait for autovacuum.
 * Not inside a transaction.
 */
export async function vacuumAnalyze(db: DbOrTx): Promise<void> {
  await db.execute(sql`vacuum analyze`)
}
