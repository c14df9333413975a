import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client'

/** Whether the database answers a trivial query: the readiness probe's first question. */
export async function databaseAnswers(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`)
    return true
  } catch {
    return false
  }
}
