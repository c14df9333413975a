import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { queryRows } from '../../db/query'

/** Resolves `work`, or false after `timeoutMs`: a database that never answers must not hang a probe. */
async function withTimeout<T>(work: Promise<T>, timeoutMs: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), timeoutMs)
  })
  try {
    return await Promise.race([work, timeout])
  } catch {
    return fallback
  } finally {
    clearTimeout(timer)
  }
}

/** Whether the database answers a trivial query: the readiness probe's first question. */
export async function databaseAnswers(db: Db, timeoutMs = 2_000): Promise<boolean> {
  return withTimeout(
    db.execute(sql`select 1`).then(() => true),
    timeoutMs,
    false,
  )
}

export const healthRepository = {
  /** Milliseconds for `select 1`, or null when the database does not answer within the timeout. */
  async latencyMs(db: Db, timeoutMs = 2_000): Promise<number | null> {
    const started = performance.now()
    const ok = await databaseAnswers(db, timeoutMs)
    return ok ? Math.round((performance.now() - started) * 10) / 10 : null
  },

  /** The database's size on disk (PostgreSQL and PGlite both know it). */
  async sizeBytes(db: Db): Promise<number | null> {
    const rows = await withTimeout(
      queryRows<{ bytes: string }>(db, sql`select pg_database_size(current_database())::text as bytes`),
      2_000,
      [],
    )
    return rows[0] ? Number(rows[0].bytes) : null
  },

  /** Jobs due and unfinished, the oldest one's wait, and the dead ones. */
  async jobQueue(db: Db): Promise<{ due: number; oldestWaitSeconds: number | null; dead: number }> {
    const [row] = await queryRows<{ due: number; oldest: number | null; dead: number }>(
      db,
      sql`select
            count(*) filter (where status in ('pending', 'running') and run_at <= now())::int as due,
            floor(extract(epoch from now() - min(run_at) filter (
              where status in ('pending', 'running') and run_at <= now())))::int as oldest,
            count(*) filter (where status = 'dead')::int as dead
          from jobs`,
    )
    return { due: row?.due ?? 0, oldestWaitSeconds: row?.oldest ?? null, dead: row?.dead ?? 0 }
  },
}

/** Per queue: jobs due and unfinished, the oldest one's wait in seconds, and the dead ones. */
export async function jobsByQueue(
  db: Db,
): Promise<{ queue: string; due: number; oldestWaitSeconds: number; dead: number }[]> {
  return queryRows(
    db,
    sql`select queue,
            count(*) filter (where status in ('pending', 'running') and run_at <= now())::int as "due",
            coalesce(extract(epoch from now() - min(run_at) filter (
              where status in ('pending', 'running') and run_at <= now())), 0)::float8 as "oldestWaitSeconds",
            count(*) filter (where status = 'dead')::int as "dead"
          from jobs group by queue order by queue`,
  )
}
