import type { Db } from '../../db/client'
import type { JobQueue } from '../../jobs/job-queue'
import { markRefreshed, parentsOfAreas, REACH_ROLLUP, rebuildReach } from './dashboard-rollups.repository'

export const DASHBOARD_ROLLUPS_QUEUE = 'dashboard.refresh-rollups'
/** How stale "households reached" may get: the roll-up is rebuilt every quarter of an hour. */
export const ROLLUP_EVERY_MS = 15 * 60_000

/**
 * Rebuilds the dashboard's roll-ups, one ward (or commune) per transaction, so on the embedded
 * database other requests get their turn between wards.
 */
export async function refreshDashboardRollups(db: Db, now = new Date()): Promise<void> {
  for (const parentId of await parentsOfAreas(db)) await db.transaction((tx) => rebuildReach(tx, parentId))
  await markRefreshed(db, REACH_ROLLUP, now)
}

// One job per slot of 15 minutes: several app instances on one PostgreSQL refresh once per slot.
const slotStart = (t: number) => Math.floor(t / ROLLUP_EVERY_MS) * ROLLUP_EVERY_MS
const slotKey = (t: number) => `${DASHBOARD_ROLLUPS_QUEUE}:${new Date(slotStart(t)).toISOString()}`

function enqueueSlot(jobs: JobQueue, t: number) {
  return jobs.enqueue(
    DASHBOARD_ROLLUPS_QUEUE,
    {},
    { runAt: new Date(t), uniqueKey: slotKey(t), maxAttempts: 3 },
  )
}

/** The job rebuilds the roll-ups and queues the next slot's run. */
export function registerDashboardRollupJobs(db: Db, jobs: JobQueue): void {
  jobs.register(DASHBOARD_ROLLUPS_QUEUE, async () => {
    await refreshDashboardRollups(db)
    await enqueueSlot(jobs, slotStart(Date.now()) + ROLLUP_EVERY_MS)
  })
}

/** At start-up: a refresh now (unless this slot's ran already) and the next slot's. */
export async function scheduleDashboardRollups(jobs: JobQueue, now = Date.now()): Promise<void> {
  await enqueueSlot(jobs, now)
  await enqueueSlot(jobs, slotStart(now) + ROLLUP_EVERY_MS)
}
