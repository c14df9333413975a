import { randomUUID } from 'node:crypto'
import { and, eq, inArray, lte, sql } from 'drizzle-orm'
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/client'
import { queryRows } from '../db/query'
import { jobs } from '../db/schema/index'
import type { EnqueueOptions, JobHandler, JobQueue } from './job-queue'

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
}

/**
 * Jobs in a table, claimed with FOR UPDATE SKIP LOCKED so several workers (or app instances)
 * never take the same job. Works on PGlite and PostgreSQL alike.
 */
export class PgJobQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler<unknown>>()
  private readonly workerId = `worker-${randomUUID()}`
  private timer: NodeJS.Timeout | undefined
  private running: Promise<number> | undefined
  private stopped = true
  private readonly opts: Required<PgJobQueueOptions>

  constructor(
    private readonly db: Db,
    private readonly log?: FastifyBaseLogger,
    opts: PgJobQueueOptions = {},
  ) {
    this.opts = { pollMs: 500, batchSize: 20, staleAfterMs: 5 * 60_000, baseBackoffMs: 2_000, ...opts }
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
      let ran = 0
      try {
        ran = await this.drain()
      } catch (err) {
        this.log?.error({ err }, 'job queue poll failed')
      }
      if (!this.stopped) this.schedule(ran > 0 ? 0 : this.opts.pollMs)
    }, delay)
  }

  private async runBatch(): Promise<number> {
    const queues = [...this.handlers.keys()]
    if (queues.length === 0) return 0
    await this.releaseStale()
    const claimed = await queryRows<ClaimedJob>(
      this.db,
      sql`
      update ${jobs} set status = 'running', locked_at = now(), locked_by = ${this.workerId}, attempts = attempts + 1
      where id in (
        select id from ${jobs}
        where status = 'pending' and run_at <= now() and queue in ${queues}
        order by run_at, id
        for update skip locked
        limit ${this.opts.batchSize}
      )
      returning id, queue, payload, attempts, max_attempts`,
    )
    // A batch runs concurrently: push deliveries wait on the network, not on this process.
    await Promise.all(claimed.map((job) => this.runOne({ ...job, id: Number(job.id) })))
    return claimed.length
  }

  private async runOne(job: ClaimedJob) {
    const handler = this.handlers.get(job.queue)
    try {
      if (!handler) throw new Error(`no handler for queue ${job.queue}`)
      await handler(job.payload, { id: job.id, attempt: job.attempts, queue: job.queue })
      await this.db
        .update(jobs)
        .set({ status: 'succeeded', finishedAt: new Date(), lockedAt: null, lockedBy: null, lastError: null })
        .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, this.workerId)))
    } catch (err) {
      const dead = job.attempts >= job.max_attempts
      const delay = Math.min(this.opts.baseBackoffMs * 2 ** (job.attempts - 1), 3_600_000)
      this.log?.warn({ err, jobId: job.id, queue: job.queue, attempt: job.attempts, dead }, 'job failed')
      await this.db
        .update(jobs)
        .set({
          status: dead ? 'dead' : 'pending',
          runAt: new Date(Date.now() + delay),
          lastError: String((err as Error)?.stack ?? err).slice(0, 4000),
          lockedAt: null,
          lockedBy: null,
          finishedAt: dead ? new Date() : null,
        })
        .where(eq(jobs.id, job.id))
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
          inArray(jobs.queue, [...this.handlers.keys()]),
        ),
      )
  }
}
