import type { DbOrTx } from './client'

/** The driver's client: PGlite's has `exec` (scripts), node-postgres's pool has not. */
export const driverClient = (db: DbOrTx) => (db as unknown as { $client: { exec?: unknown } }).$client

/** The embedded database (PGlite), not a PostgreSQL server. */
export function isEmbedded(db: DbOrTx): boolean {
  return typeof driverClient(db)?.exec === 'function'
}

/**
 * How long the first key of a `KeyBatcher` waits for others when lookups come in storms (the
 * upgrades, subscribes and catch-ups of thousands of clients back after a restart). On PostgreSQL,
 * `onServerMs`: the hundreds parsed in one turn of the loop join, and the wait stays short next to
 * a round trip. The embedded database runs one statement at a time on this event loop and pays
 * each one's parse and plan there (5-17 ms for a batched catch-up in WebAssembly): with 2-3 ms, a
 * restart's 5,000 catch-ups went in 1,058 statements of 2 (median) and the sessions and rooms in
 * 2,894, so there the wait is longer and the batches larger.
 */
export function stormBatchWindowMs(db: DbOrTx, onServerMs = 3): number {
  return isEmbedded(db) ? EMBEDDED_BATCH_WINDOW_MS : onServerMs
}
/** 15 ms: a catch-up's statement then serves about 40 (a restart's 5,000 in 85-93 statements). */
const EMBEDDED_BATCH_WINDOW_MS = 15
