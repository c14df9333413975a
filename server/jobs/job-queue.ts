import type { DbOrTx } from '../db/client'

export interface EnqueueOptions {
  /** Enqueueing twice with one key makes one job (a retried request never sends twice). */
  uniqueKey?: string
  runAt?: Date
  maxAttempts?: number
  /** Enqueue inside the caller's transaction, so the job exists only if the work committed. */
  tx?: DbOrTx
}

export interface JobContext {
  id: number
  attempt: number
  queue: string
}

export type JobHandler<P = unknown> = (payload: P, ctx: JobContext) => Promise<void>

/**
 * What became of one job of a batch. failed: retried with the queue's backoff, or from `retryAt`
 * when given; with `payload`, the retry runs with that payload instead (what this attempt learned,
 * e.g. that a push was already resent once). deferred: not attempted at all (its service asked us
 * to wait): runs again at `until` and the attempt does not count.
 */
export type BatchJobResult =
  | { status: 'done' }
  | { status: 'failed'; error: unknown; retryAt?: Date; payload?: unknown }
  | { status: 'deferred'; until: Date }

/** Handles many jobs of one queue at once; returns one result per job, in the same order. */
export type BatchJobHandler<P = unknown> = (
  jobs: { payload: P; ctx: JobContext }[],
) => Promise<BatchJobResult[]>

export interface BatchOptions {
  /** Jobs claimed in one statement and handed to the handler together. */
  batchSize: number
  /**
   * Batches of this queue in flight at once on one worker (default 1): the next is claimed while
   * the others run, so a slow request at the end of one batch does not leave the handler idle.
   */
  concurrency?: number
}

/** One interface for background work; the Postgres-table queue implements it (BullMQ could too). */
export interface JobQueue {
  enqueue<P>(queue: string, payload: P, opts?: EnqueueOptions): Promise<number | null>
  /** Many jobs in one statement (a fan-out to thousands of devices); returns how many were new. */
  enqueueMany<P>(
    queue: string,
    items: { payload: P; uniqueKey?: string }[],
    opts?: Omit<EnqueueOptions, 'uniqueKey'>,
  ): Promise<number>
  register<P>(queue: string, handler: JobHandler<P>): void
  /**
   * For high-volume queues (Web Push): up to `batchSize` jobs are claimed in one statement, handled
   * together (one read of what they need, many requests in flight) and recorded in bulk; up to
   * `concurrency` such batches run at once.
   */
  registerBatch<P>(queue: string, handler: BatchJobHandler<P>, opts: BatchOptions): void
  start(): void
  /** Stops claiming new jobs and waits for the running ones. */
  stop(): Promise<void>
  /** Claims and runs due jobs once; returns how many ran. Tests and benches drive the queue with it. */
  drain(): Promise<number>
}
