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
  start(): void
  /** Stops claiming new jobs and waits for the running ones. */
  stop(): Promise<void>
  /** Claims and runs due jobs once; returns how many ran. Tests and benches drive the queue with it. */
  drain(): Promise<number>
}
