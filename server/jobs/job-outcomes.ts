import { and, eq, inArray, type SQL, sql } from 'drizzle-orm'
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/client'
import { jobs } from '../db/schema/index'
import type { BatchJobResult } from './job-queue'

type JobChanges = Partial<typeof jobs.$inferInsert>

/** A job as the claim returned it. */
export interface ClaimedJob {
  [column: string]: unknown
  id: number
  queue: string
  payload: unknown
  attempts: number
  max_attempts: number
}

/**
 * Writes what became of the jobs one worker claimed, only while that worker still holds them (a
 * stale release may have passed a job on). An outcome the database cannot take (it went away after
 * the job ran) is kept and written by `flush()` at the next poll, instead of the job staying
 * "running" until it is taken for dead and run again.
 */
export class JobOutcomes {
  private readonly unrecorded = new Map<number, JobChanges>()

  constructor(
    private readonly db: Db,
    private readonly workerId: string,
    private readonly baseBackoffMs: number,
    private readonly log: () => FastifyBaseLogger | undefined,
  ) {}

  /** One job's outcome; never throws. */
  one(id: number, outcome: JobChanges): Promise<void> {
    return this.write(id, outcome).catch(() => {
      this.unrecorded.set(id, outcome)
    })
  }

  /** One outcome for many jobs in one statement; never throws. */
  async many(
    ids: number[],
    outcome: JobChanges,
    sqlSet: Record<string, SQL> = {},
    perJob: (id: number) => JobChanges = () => ({}),
  ): Promise<void> {
    try {
      await this.db
        .update(jobs)
        .set({ ...outcome, ...sqlSet })
        .where(and(inArray(jobs.id, ids), eq(jobs.lockedBy, this.workerId)))
    } catch {
      for (const id of ids) this.unrecorded.set(id, { ...outcome, ...perJob(id) })
    }
  }

  /** A batch handler's results: one statement per kind of result, not one per job. */
  async batch(
    claimed: ClaimedJob[],
    results: BatchJobResult[],
    started: number,
  ): Promise<{ done: number; deferred: number; failed: number }> {
    const done: number[] = []
    const deferred = new Map<number, ClaimedJob[]>()
    const failed: Promise<void>[] = []
    claimed.forEach((job, i) => {
      const result = results[i] ?? { status: 'failed', error: new Error('batch handler gave no result') }
      if (result.status === 'done') done.push(job.id)
      else if (result.status === 'deferred') {
        const at = result.until.getTime()
        deferred.set(at, [...(deferred.get(at) ?? []), job])
      } else
        failed.push(
          this.one(job.id, {
            ...this.failure(job, result.error, result.retryAt, started),
            ...(result.payload !== undefined ? { payload: result.payload as object } : {}),
          }),
        )
    })
    if (done.length > 0) await this.many(done, succeededOutcome())
    for (const [at, group] of deferred) {
      // Not attempted (the service asked us to wait): the attempt is given back.
      await this.many(
        group.map((j) => j.id),
        { status: 'pending', runAt: new Date(at), lockedAt: null, lockedBy: null },
        { attempts: sql`${jobs.attempts} - 1` },
        (id) => ({ attempts: (group.find((j) => j.id === id)?.attempts ?? 1) - 1 }),
      )
    }
    await Promise.all(failed)
    return {
      done: done.length,
      deferred: claimed.length - done.length - failed.length,
      failed: failed.length,
    }
  }

  /** Outcomes the database could not take when their jobs ended; a failure fails the poll. */
  async flush(): Promise<void> {
    for (const [id, outcome] of [...this.unrecorded]) {
      await this.write(id, outcome)
      this.unrecorded.delete(id)
    }
  }

  /** Retried after the queue's backoff (or at `retryAt`), or dead after its last attempt. */
  failure(job: ClaimedJob, err: unknown, retryAt: Date | undefined, started: number): JobChanges {
    const dead = job.attempts >= job.max_attempts
    const delay = Math.min(this.baseBackoffMs * 2 ** (job.attempts - 1), 3_600_000)
    this.log()?.warn(
      { err, jobId: job.id, queue: job.queue, attempt: job.attempts, dead, ms: Date.now() - started },
      'job failed',
    )
    return {
      status: dead ? 'dead' : 'pending',
      runAt: retryAt ?? new Date(Date.now() + delay),
      lastError: String((err as Error)?.stack ?? err).slice(0, 4000),
      lockedAt: null,
      lockedBy: null,
      finishedAt: dead ? new Date() : null,
    }
  }

  private async write(id: number, outcome: JobChanges): Promise<void> {
    await this.db
      .update(jobs)
      .set(outcome)
      .where(and(eq(jobs.id, id), eq(jobs.lockedBy, this.workerId)))
  }
}

export const succeededOutcome = (): JobChanges => ({
  status: 'succeeded',
  finishedAt: new Date(),
  lockedAt: null,
  lockedBy: null,
  lastError: null,
})
