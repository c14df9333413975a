import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client'

/** Whether the database answers a trivial query: the readiness probe's first question. */
export async function databaseAnswers(db: Db, timeoutMs = 2_000): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  // A database that accepts connections but never answers must not hang the probe.
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs)
  })
  try {
    return await Promise.race([db.execute(sql`select 1`).then(() => true), timeout])
  } catch {
    return false
  } finally {
    clearTimeout(timer)
  }
}
