import { readFileSync } from 'node:fs'
import { sql } from 'drizzle-orm'
import { projectPath } from '../lib/project-paths'
import type { DatabaseHandle, Db } from './client'
import { queryRows } from './query'

export const migrationsFolder = projectPath('server', 'db', 'migrations')

/** Any fixed number both instances agree on; it names the lock that serialises migrations. */
const MIGRATION_LOCK_KEY = 7_362_118_009

/**
 * Applies pending migrations. On PostgreSQL a session-level advisory lock is held on a separate
 * connection for the whole run, so two instances starting together never race (drizzle takes no lock).
 */
export async function migrateDatabase(handle: DatabaseHandle, databaseUrl?: string): Promise<void> {
  if (handle.kind === 'pglite') {
    const { migrate } = await import('drizzle-orm/pglite/migrator')
    // biome-ignore lint/suspicious/noExplicitAny: the pglite migrator wants its own driver type
    await migrate(handle.db as any, { migrationsFolder })
    return
  }
  const { default: pg } = await import('pg')
  const { migrate } = await import('drizzle-orm/node-postgres/migrator')
  const lockClient = new pg.Client({ connectionString: databaseUrl })
  await lockClient.connect()
  try {
    await lockClient.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
    // biome-ignore lint/suspicious/noExplicitAny: the node-postgres migrator wants its own driver type
    await migrate(handle.db as any, { migrationsFolder })
  } finally {
    await lockClient.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined)
    await lockClient.end()
  }
}

interface Journal {
  entries: { tag: string; when: number }[]
}

export function readJournal(): Journal {
  return JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8'))
}

/** Whether every committed migration has been applied: what /readyz reports. */
export async function getMigrationStatus(
  db: Db,
): Promise<{ applied: number; expected: number; current: boolean }> {
  const expected = readJournal().entries.length
  try {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    )
    const applied = Number(row?.n ?? 0)
    return { applied, expected, current: applied >= expected }
  } catch {
    return { applied: 0, expected, current: false }
  }
}
