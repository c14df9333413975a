import type { JobQueue } from '../../jobs/job-queue'
import { RETENTION_QUEUE, type RetentionDeps, runRetention } from './retention.service'

export { RETENTION_QUEUE }

const DAY_MS = 86_400_000

// One job per day, keyed by the day: several instances on one PostgreSQL enqueue the same key (one
// job), and the queue's FOR UPDATE SKIP LOCKED claim lets exactly one instance run it.
const dayKey = (t: number) =>
  `${RETENTION_QUEUE}:${new Date(Math.floor(t / DAY_MS) * DAY_MS).toISOString().slice(0, 10)}`

function enqueueDay(jobs: JobQueue, t: number) {
  return jobs.enqueue(RETENTION_QUEUE, {}, { runAt: new Date(t), uniqueKey: dayKey(t), maxAttempts: 3 })
}

/** The job applies every period, then queues tomorrow's run (03:00 UTC, 10:00 in Việt Nam). */
export function registerRetentionJobs(jobs: JobQueue, deps: RetentionDeps): void {
  jobs.register(RETENTION_QUEUE, async () => {
    await runRetention(deps)
    await enqueueDay(jobs, Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS + 3 * 3_600_000)
  })
}

/** At start-up: today's run (unless it ran already) and tomorrow's. */
export async function scheduleRetention(jobs: JobQueue, now = Date.now()): Promise<void> {
  await enqueueDay(jobs, now)
  await enqueueDay(jobs, Math.floor(now / DAY_MS) * DAY_MS + DAY_MS + 3 * 3_600_000)
}
