import type { DbOrTx } from './client'

/** The driver's client: PGlite's has `exec` (scripts), node-postgres's pool has not. */
export const driverClient = (db: DbOrTx) => (db as unknown as { $client: { exec?: unknown } }).$client

/** The embedded database (PGlite), not a PostgreSQL server. */
export function isEmbedded(db: DbOrTx): boolean {
  return typeof driverClient(db)?.exec === 'function'
}

/**
 * How long the first key of a `KeyBatcher` waits for others when lookups come in storms (the
 * upgrades, subscribes and catch-ups of thousands of clients back after a restart; a lone lookup
 * never waits, see KeyBatcher). On PostgreSQL, `onServerMs`, 10 by default: each statement costs
 * this process a wake-up of the database and its answer, and with 3 ms a restart's 5,000 clients
 * took about 1,600 statements (sessions, rooms, catch-ups and heads in batches of 11-17); with 10,
 * about 820, and all resumed 5.5-6.6 s over six runs instead of 5.7-8.0 over six (bench:reconnect,
 * held socket, 6/12/2026). The embedded database runs one statement at a time on this event loop
 * and pays each one's parse and plan there (5-17 ms for a batched catch-up in WebAssembly): with
 * 2-3 ms, a restart's 5,000 catch-ups went in 1,058 statements of 2 (median) and the sessions and
 * rooms in 2,894, so there the wait is longer and the batches larger.
 */
export function stormBatchWindowMs(db: DbOrTx, onServerMs = 10): number {
  return isEmbedded(db) ? EMBEDDED_BATCH_WINDOW_MS : onServerMs
}
/** 15 ms: a catch-up's statement then serves about 40 (a restart's 5,000 in 85-93 statements). */
const EMBEDDED_BATCH_WINDOW_MS = 15
