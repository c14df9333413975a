import { sql } from 'drizzle-orm'
import type { Config } from '../config'
import { type DatabaseHandle, openDatabase } from '../db/client'
import { getMigrationStatus, migrateDatabase } from '../db/migrate'
import { queryRows } from '../db/query'

/** Opens the configured database (taking the data-dir lock on PGlite) and applies pending migrations. */
export async function openMigratedDatabase(config: Config): Promise<DatabaseHandle> {
  const handle = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolMax: 2,
  })
  try {
    await migrateDatabase(handle, config.DATABASE_URL)
    return handle
  } catch (err) {
    await handle.close()
    throw err
  }
}

export async function describeMigrations(handle: DatabaseHandle): Promise<string> {
  const status = await getMigrationStatus(handle.db)
  return `${status.applied} of ${status.expected} migrations applied; the database is ${status.current ? 'current' : 'NOT current'}`
}

/** How many units the database holds: zero means nothing was ever seeded or imported. */
export async function countUnits(handle: DatabaseHandle): Promise<number> {
  const [row] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from units`)
  return Number(row?.n ?? 0)
}

/**
 * Erases everything: drops the application schema and the migration history, then migrates again.
 * Dropping (not truncating) because the audit log refuses TRUNCATE by design.
 */
export async function resetDatabase(handle: DatabaseHandle, config: Config): Promise<void> {
  await handle.db.execute(sql`drop schema if exists drizzle cascade`)
  await handle.db.execute(sql`drop schema if exists public cascade`)
  await handle.db.execute(sql`create schema public`)
  await migrateDatabase(handle, config.DATABASE_URL)
}
