import { randomUUID } from 'node:crypto'
import { and, eq, inArray, lte, sql } from 'drizzle-orm'
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/client'
import { queryRows } from '../db/query'
import { jobs } from '../db/schema/index'
import { isDatabaseUnavailable } from '../db/unavailable'
import { type ClaimedJob, JobOutcomes, succeededOutcome } from './job-outcomes'
import type {
  BatchJobHandler,
  BatchJobResult,
  BatchOptions,
  EnqueueOptions,
  JobHandler,
  JobQueue,
} from './job-queue'

/** A batch queue and how many of its batches this worker has claimed and not yet recorded. */
interface BatchLane {
  queue: string
  handler: BatchJobHandler<unknown>
  batchSize: number
  concurrency: number
  inFlight: number
}

export interface PgJobQueueOptions {
  pollMs?: number
  /** Single jobs (`register`) running at once on this worker; a slot that frees is refilled at once. */
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
 *
 * What a poll claims runs without holding up the next poll: single jobs fill up to `batchSize`
 * slots, and each batch queue keeps up to its `concurrency` batches in flight. A poll that claimed
 * something is followed by another at once, and a job or batch that ends polls again for its slot,
 * so a busy worker never waits `pollMs` (nor for the slowest job of what it claimed together).
 * Other instances find the work at their next poll and then keep claiming as long as there is some.
 */
export class PgJobQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler<unknown>>()
  private readonly lanes = new Map<string, BatchLane>()
  private readonly workerId = `worker-${randomUUID()}`
  private readonly opts: Required<PgJobQueueOptions>
  private readonly outcomes: JobOutcomes
  /** Claimed work not yet recorded: single jobs and batches. stop() and drain() wait for it. */
  private readonly inFlight = new Set<Promise<void>>()
  private singlesInFlight = 0
  private timer: NodeJS.Timeout | undefined
  /** The poll under way: polls never overlap. */
  private polling: Promise<number> | undefined
  /** The polling loop is between its timer and its next schedule; a kick then asks for a poll at once. */
  private ticking = false
  private pollAgain = false
  private stopped = true
  /** Failed polls in a row, and when the first of them failed (the outage the log reports once). */
  private failedPolls = 0
  private failingSince = 0

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
    this.outcomes = new JobOutcomes(db, this.workerId, this.opts.baseBackoffMs, () => this.log)
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

  registerBatch<P>(queue: string, handler: BatchJobHandler<P>, opts: BatchOptions): void {
    this.lanes.set(queue, {
      queue,
      handler: handler as BatchJobHandler<unknown>,
      batchSize: opts.batchSize,
      concurrency: Math.max(1, opts.concurrency ?? 1),
      inFlight: 0,
    })
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
    while (this.polling) await this.polling.catch(() => undefined)
    await this.settled()
    await this.outcomes.flush().catch(() => {}) // else they stay "running" until taken for dead
  }

  async drain(): Promise<number> {
    await this.settled()
    const claimed = await this.poll()
    await this.settled()
    return claimed
  }

  /** Waits until everything claimed so far has run and been recorded. */
  private async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight)
  }

  /**
   * Something to claim (jobs enqueued here) or room to claim it (a job or batch ended): poll now.
   * Not while the database is away: the poll backoff stands.
   */
  private kick(): void {
    if (this.stopped || this.failedPolls > 0) return
    if (this.ticking) this.pollAgain = true
    else this.schedule(0)
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.tick(), delay)
  }

  private async tick(): Promise<void> {
    this.timer = undefined
    this.ticking = true
    this.pollAgain = false
    let next: number
    try {
      const claimed = await this.poll(true)
      next = claimed > 0 || this.pollAgain ? 0 : this.opts.pollMs
    } catch (err) {
      next = this.pollFailed(err)
    }
    this.ticking = false
    if (!this.stopped) this.schedule(next)
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

  /** One poll at a time; the loop's poll does not start once stop() was called (drain() still may). */
  private async poll(fromLoop = false): Promise<number> {
    while (this.polling) await this.polling.catch(() => undefined)
    if (fromLoop && this.stopped) return 0
    this.polling = this.claimAndStart()
    try {
      return await this.polling
    } finally {
      this.polling = undefined
    }
  }

  /** Claims what fits in the free slots and starts it without waiting for it; returns how many. */
  private async claimAndStart(): Promise<number> {
    const singleSlots = this.handlers.size > 0 ? this.opts.batchSize - this.singlesInFlight : 0
    const lanes = [...this.lanes.values()].filter((lane) => lane.inFlight < lane.concurrency)
    // All busy: the poll that a job's end makes will claim for its slot.
    if (singleSlots <= 0 && lanes.length === 0) return 0
    await this.outcomes.flush()
    await this.releaseStale()
    // Everything is claimed before anything starts: jobs that wait on one another (several inbound
    // jobs of one account queue on its lock) can hold every pooled connection, and a claim made
    // after starting them waited for one until the pool's timeout (channel-burst on PostgreSQL).
    const singles = singleSlots > 0 ? await this.claim([...this.handlers.keys()], singleSlots) : []
    const batches: { lane: (typeof lanes)[number]; jobs: ClaimedJob[] }[] = []
    for (const lane of lanes) {
      for (let free = lane.concurrency - lane.inFlight; free > 0; free--) {
        const batch = await this.claim([lane.queue], lane.batchSize)
        if (batch.length === 0) break
        batches.push({ lane, jobs: batch })
        if (batch.length < lane.batchSize) break // the queue has no more due jobs
      }
    }
    // Said as soon as the database answers again, not after the jobs it hands out have run.
    this.pollSucceeded()
    for (const job of singles) {
      this.singlesInFlight++
      this.track(this.runOne(job), () => this.singlesInFlight--)
    }
    for (const { lane, jobs: batch } of batches) {
      lane.inFlight++
      this.track(this.runMany(lane.handler, batch), () => lane.inFlight--)
    }
    return singles.length + batches.reduce((n, b) => n + b.jobs.length, 0)
  }

  private track(work: Promise<void>, release: () => void): void {
    const running: Promise<void> = work
      .catch((err) => this.log?.error({ err }, 'job queue: a claimed job could not be run'))
      .finally(() => {
        release()
        this.inFlight.delete(running)
        this.kick()
      })
    this.inFlight.add(running)
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
    const counts = await this.outcomes.batch(claimed, results, started)
    this.log?.info(
      {
        queue: claimed[0]?.queue,
        jobs: claimed.length,
        ...counts,
        ms: Date.now() - started,
      },
      'job batch done',
    )
  }

  private async runOne(job: ClaimedJob): Promise<void> {
    const handler = this.handlers.get(job.queue)
    const started = Date.now()
    try {
      if (!handler) throw new Error(`no handler for queue ${job.queue}`)
      await handler(job.payload, { id: job.id, attempt: job.attempts, queue: job.queue })
      // One line per run, so an operator can see what the background work did and how long it took.
      this.log?.info(
        { jobId: job.id, queue: job.queue, attempt: job.attempts, ms: Date.now() - started },
        'job done',
      )
      await this.outcomes.one(job.id, succeededOutcome())
    } catch (err) {
      await this.outcomes.one(job.id, this.outcomes.failure(job, err, undefined, started))
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
          inArray(jobs.queue, [...this.handlers.keys(), ...this.lanes.keys()]),
        ),
      )
  }
}
