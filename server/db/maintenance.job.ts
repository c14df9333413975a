import type { JobQueue } from '../jobs/job-queue'
import type { DatabaseHandle, Db } from './client'
import { vacuumAnalyze } from './maintenance'

export const VACUUM_QUEUE = 'db.vacuum-analyze'
/**
 * The embedded database (PGlite) has no autovacuum: the dashboard's roll-ups rewrite their rows
 * every 15 minutes and the day's messages, sessions and reports pile up, so without a VACUUM ANALYZE
 * the planner keeps the statistics of the last one (after the scale seed: none at all) and its plans
 * go stale. Once an hour is enough for a ward; PostgreSQL's own autovacuum does this there.
 */
export const VACUUM_EVERY_MS = 60 * 60_000

const slotStart = (t: number) => Math.floor(t / VACUUM_EVERY_MS) * VACUUM_EVERY_MS
const slotKey = (t: number) => `${VACUUM_QUEUE}:${new Date(slotStart(t)).toISOString()}`

function enqueueSlot(jobs: JobQueue, t: number) {
  return jobs.enqueue(VACUUM_QUEUE, {}, { runAt: new Date(t), uniqueKey: slotKey(t), maxAttempts: 2 })
}

/** Only on the embedded database: the job vacuums and analyses, then queues the next hour's run. */
export function registerVacuumJob(database: Pick<DatabaseHandle, 'kind' | 'db'>, jobs: JobQueue): void {
  if (database.kind !== 'pglite') return
  const db: Db = database.db
  jobs.register(VACUUM_QUEUE, async () => {
    await vacuumAnalyze(db)
    await enqueueSlot(jobs, slotStart(Date.now()) + VACUUM_EVERY_MS)
  })
}

/** At start-up on the embedded database: the next hour's run (the scale seed ends with one already). */
export async function scheduleVacuum(
  database: Pick<DatabaseHandle, 'kind'>,
  jobs: JobQueue,
  now = Date.now(),
): Promise<void> {
  if (database.kind !== 'pglite') return
  await enqueueSlot(jobs, slotStart(now) + VACUUM_EVERY_MS)
}
