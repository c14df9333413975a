import { randomUUID } from 'node:crypto'
import { and, eq, inArray, lte, sql } from 'drizzle-orm'
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/client'
import { queryRows } from '../db/query'
import { jobs } from '../db/schema/index'
import { isDatabaseUnavailable } from '../db/unavailable'
import type { BatchJobHandler, BatchJobResult, EnqueueOptions, JobHandler, JobQueue } from './job-queue'

interface ClaimedJob {
  [column: string]: unknown
  id: number
  queue: string
  payload: unknown
  attempts: number
  max_attempts: number
}

export interface PgJobQueueOptions {
  pollMs?: number
  batchSize?: number
  /** A job still "running" after this long is taken to have died with its worker. */
  staleAfterMs?: number
  /** Delay before retry n is baseBackoffMs × 2^(n-1), capped at an hour. */
  baseBackoffMs?: number
  /** The longest wait between polls while polling keeps failing (the database is away). */
  maxPollBackoffMs?: number
}

/**
 * The wait before the next poll after `failures` failed polls in a row: pollMs doubled per failure,
 * capped at maxMs, then scaled by a random factor in [0.5, 1] so that instances which lost the
 * database together do not all knock on it again in the same millisecond when it returns.
 */
export function pollBackoffMs(
  failures: number,
  pollMs: number,
  maxMs: number,
  random = Math.random(),
): number {
  const ceiling = Math.min(pollMs * 2 ** Math.min(failures, 30), maxMs)
  return Math.round(ceiling * (0.5 + random / 2))
}

/**
 * Jobs in a table, claimed with FOR UPDATE SKIP LOCKED so several workers (or app instances)
 * never take the same job. Works on PGlite and PostgreSQL alike.
 */
export class PgJobQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler<unknown>>()
  private readonly batchHandlers = new Map<string, { handler: BatchJobHandler<unknown>; batchSize: number }>()
  private readonly workerId = `worker-${randomUUID()}`
  private timer: NodeJS.Timeout | undefined
  private running: Promise<number> | undefined
  private stopped = true
  private readonly opts: Required<PgJobQueueOptions>
  /** Failed polls in a row, and when the first of them failed (the outage the log reports once). */
  private failedPolls = 0
  private failingSince = 0
  /** Outcomes of jobs that ended while the database was away, by job id. */
  private readonly unrecorded = new Map<number, Partial<typeof jobs.$inferInsert>>()

  constructor(
    private readonly db: Db,
    private log?: FastifyBaseLogger,
    opts: PgJobQueueOptions = {},
  ) {
    this.opts = {
      pollMs: 500,
      batchSize: 20,
      staleAfterMs: 5 * 60_000,
      baseBackoffMs: 2_000,
      maxPollBackoffMs: 30_000,
      ...opts,
    }
  }

  /** The app's logger exists only once the app is built, after the queue (bootstrap wires it). */
  attachLogger(log: FastifyBaseLogger): void {
    this.log = log
  }

  async enqueue<P>(queue: string, payload: P, opts: EnqueueOptions = {}): Promise<number | null> {
    const rows = await (opts.tx ?? this.db)
      .insert(jobs)
      .values({
        queue,
        payload: payload as object,
        runAt: opts.runAt ?? new Date(),
        maxAttempts: opts.maxAttempts ?? 5,
        uniqueKey: opts.uniqueKey ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: jobs.id })
    if (!opts.tx) this.kick()
    return rows[0]?.id ?? null
  }

  async enqueueMany<P>(
    queue: string,
    items: { payload: P; uniqueKey?: string }[],
    opts: Omit<EnqueueOptions, 'uniqueKey'> = {},
  ): Promise<number> {
    let created = 0
    // Chunks keep each statement well under PostgreSQL's 65,535 bind parameters.
    for (let i = 0; i < items.length; i += 1000) {
      const rows = await (opts.tx ?? this.db)
        .insert(jobs)
        .values(
          items.slice(i, i + 1000).map((item) => ({
            queue,
            payload: item.payload as object,
            runAt: opts.runAt ?? new Date(),
            maxAttempts: opts.maxAttempts ?? 5,
            uniqueKey: item.uniqueKey ?? null,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: jobs.id })
      created += rows.length
    }
    if (!opts.tx && created > 0) this.kick()
    return created
  }

  register<P>(queue: string, handler: JobHandler<P>): void {
    this.handlers.set(queue, handler as JobHandler<unknown>)
  }

  registerBatch<P>(queue: string, handler: BatchJobHandler<P>, opts: { batchSize: number }): void {
    this.batchHandlers.set(queue, { handler: handler as BatchJobHandler<unknown>, batchSize: opts.batchSize })
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.schedule(0)
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    await this.running
    await this.recordUnrecorded().catch(() => {}) // else they stay "running" until taken for dead
  }

  async drain(): Promise<number> {
    if (this.running) await this.running
    this.running = this.runBatch()
    try {
      return await this.running
    } finally {
      this.running = undefined
    }
  }

  private kick(): void {
    if (!this.stopped && !this.running) this.schedule(0)
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(async () => {
      this.timer = undefined
      let next: number
      try {
        const ran = await this.drain()
        next = ran > 0 ? 0 : this.opts.pollMs
      } catch (err) {
        next = this.pollFailed(err)
      }
      if (!this.stopped) this.schedule(next)
    }, delay)
  }

  /**
   * A failed poll backs off (bounded, with jitter) instead of knocking every pollMs, and only the
   * first failure of an outage is logged: a database away for an hour makes two lines, not 7,200.
   */
  private pollFailed(err: unknown): number {
    if (this.failedPolls === 0) {
      this.failingSince = Date.now()
      if (isDatabaseUnavailable(err))
        this.log?.warn({ err }, 'job queue lost the database: polling with backoff until it is back')
      else this.log?.error({ err }, 'job queue poll failed: polling with backoff until it succeeds')
    }
    this.failedPolls++
    return pollBackoffMs(this.failedPolls, this.opts.pollMs, this.opts.maxPollBackoffMs)
  }

  private pollSucceeded(): void {
    if (this.failedPolls === 0) return
    this.log?.info(
      { failedPolls: this.failedPolls, downMs: Date.now() - this.failingSince },
      'job queue reached the database again: polling resumed',
    )
    this.failedPolls = 0
  }

  private async runBatch(): Promise<number> {
    const queues = [...this.handlers.keys()]
    if (queues.length === 0 && this.batchHandlers.size === 0) return 0
    await this.recordUnrecorded()
    await this.releaseStale()
    const claimed = queues.length > 0 ? await this.claim(queues, this.opts.batchSize) : []
    const batches: { handler: BatchJobHandler<unknown>; jobs: ClaimedJob[] }[] = []
    for (const [queue, { handler, batchSize }] of this.batchHandlers) {
      const jobs = await this.claim([queue], batchSize)
      if (jobs.length > 0) batches.push({ handler, jobs })
    }
    // Said as soon as the database answers again, not after the jobs it hands out have run.
    this.pollSucceeded()
    // A batch runs concurrently: push deliveries wait on the network, not on this process.
    await Promise.all([
      ...claimed.map((job) => this.runOne(job)),
      ...batches.map((b) => this.runMany(b.handler, b.jobs)),
    ])
    return claimed.length + batches.reduce((n, b) => n + b.jobs.length, 0)
  }

  private async claim(queues: string[], limit: number): Promise<ClaimedJob[]> {
    const rows = await queryRows<ClaimedJob>(
      this.db,
      sql`
      update ${jobs} set status = 'running', locked_at = now(), locked_by = ${this.workerId}, attempts = attempts + 1
      where id in (
        select id from ${jobs}
        where status = 'pending' and run_at <= now() and queue in ${queues}
        order by run_at, id
        for update skip locked
        limit ${limit}
      )
      returning id, queue, payload, attempts, max_attempts`,
    )
    return rows.map((job) => ({ ...job, id: Number(job.id) }))
  }

  /** A batch handler's jobs: recorded in one statement per kind of result, not one per job. */
  private async runMany(handler: BatchJobHandler<unknown>, claimed: ClaimedJob[]): Promise<void> {
    const started = Date.now()
    let results: BatchJobResult[]
    try {
      results = await handler(
        claimed.map((job) => ({
          payload: job.payload,
          ctx: { id: job.id, attempt: job.attempts, queue: job.queue },
        })),
      )
    } catch (err) {
      results = claimed.map(() => ({ status: 'failed', error: err }))
    }
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
          this.recordOutcome(job.id, {
            ...this.failureOutcome(job, result.error, result.retryAt, started),
            ...(result.payload !== undefined ? { payload: result.payload as object } : {}),
          }),
        )
    })
    if (done.length > 0) await this.recordMany(done, succeededOutcome())
    for (const [at, group] of deferred) {
      // Not attempted (the service asked us to wait): the attempt is given back.
      await this.recordMany(
        group.map((j) => j.id),
        { status: 'pending', runAt: new Date(at), lockedAt: null, lockedBy: null },
        { attempts: sql`${jobs.attempts} - 1` },
        (id) => ({ attempts: (group.find((j) => j.id === id)?.attempts ?? 1) - 1 }),
      )
    }
    await Promise.all(failed)
    this.log?.info(
      {
        queue: claimed[0]?.queue,
        jobs: claimed.length,
        done: done.length,
        deferred: claimed.length - done.length - failed.length,
        failed: failed.length,
        ms: Date.now() - started,
      },
      'job batch done',
    )
  }

  /** One outcome for many jobs in one statement; kept for the next poll if the database is away. */
  private async recordMany(
    ids: number[],
    outcome: Partial<typeof jobs.$inferInsert>,
    sqlSet: Record<string, unknown> = {},
    perJob: (id: number) => Partial<typeof jobs.$inferInsert> = () => ({}),
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

  private failureOutcome(
    job: ClaimedJob,
    err: unknown,
    retryAt: Date | undefined,
    started: number,
  ): Partial<typeof jobs.$inferInsert> {
    const dead = job.attempts >= job.max_attempts
    const delay = Math.min(this.opts.baseBackoffMs * 2 ** (job.attempts - 1), 3_600_000)
    this.log?.warn(
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

  private async runOne(job: ClaimedJob) {
    const handler = this.handlers.get(job.queue)
    const started = Date.now()
    let outcome: Partial<typeof jobs.$inferInsert>
    try {
      if (!handler) throw new Error(`no handler for queue ${job.queue}`)
      await handler(job.payload, { id: job.id, attempt: job.attempts, queue: job.queue })
      outcome = succeededOutcome()
      // One line per run, so an operator can see what the background work did and how long it took.
      this.log?.info(
        { jobId: job.id, queue: job.queue, attempt: job.attempts, ms: Date.now() - started },
        'job done',
      )
    } catch (err) {
      outcome = this.failureOutcome(job, err, undefined, started)
    }
    await this.recordOutcome(job.id, outcome)
  }

  private recordOutcome(id: number, outcome: Partial<typeof jobs.$inferInsert>): Promise<void> {
    return this.record(id, outcome).catch(() => {
      // The database went away after the job ran: the outcome is kept and written at the next
      // poll that reaches it, instead of the job staying "running" until it is taken for dead
      // (staleAfterMs) and run again.
      this.unrecorded.set(id, outcome)
    })
  }

  /** A job's outcome, only while this worker still holds it (a stale release may have passed it on). */
  private async record(id: number, outcome: Partial<typeof jobs.$inferInsert>): Promise<void> {
    await this.db
      .update(jobs)
      .set(outcome)
      .where(and(eq(jobs.id, id), eq(jobs.lockedBy, this.workerId)))
  }

  /** Outcomes the database could not take when their jobs ended; a failure fails the poll. */
  private async recordUnrecorded(): Promise<void> {
    for (const [id, outcome] of [...this.unrecorded]) {
      await this.record(id, outcome)
      this.unrecorded.delete(id)
    }
  }

  /** Jobs whose worker died mid-run go back to pending (at-least-once, never lost). */
  private async releaseStale(): Promise<void> {
    await this.db
      .update(jobs)
      .set({ status: 'pending', lockedAt: null, lockedBy: null })
      .where(
        and(
          eq(jobs.status, 'running'),
          lte(jobs.lockedAt, new Date(Date.now() - this.opts.staleAfterMs)),
          inArray(jobs.queue, [...this.handlers.keys(), ...this.batchHandlers.keys()]),
        ),
      )
  }
}

const succeededOutcome = (): Partial<typeof jobs.$inferInsert> => ({
  status: 'succeeded',
  finishedAt: new Date(),
  lockedAt: null,
  lockedBy: null,
  lastError: null,
})
