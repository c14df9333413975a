// A migrated database of the bench's own, dropped at the end: a new embedded (PGlite) database in a
// temp folder, or — when DATABASE_URL is set — a new database on that PostgreSQL server, so a bench
// never touches the data of a running instance.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../../server/db/client'
import { migrateDatabase } from '../../server/db/migrate'
import { withDatabase } from '../../server/test/global-setup'
import { withAdminClient } from '../../server/test/postgres-admin'

export async function openScratchDatabase(name: string, opts: { poolMax?: number } = {}) {
  const baseUrl = process.env.DATABASE_URL
  const dbName = `nhipcau_bench_${name}_${process.pid}`
  const dataDir = mkdtempSync(join(tmpdir(), `nc-bench-${name}-`))
  let databaseUrl = baseUrl
  if (baseUrl) {
    await withAdminClient(baseUrl, (c) => c.query(`create database "${dbName}"`))
    databaseUrl = withDatabase(baseUrl, dbName)
  }
  const handle = await openDatabase({ databaseUrl, dataDir: join(dataDir, 'pg'), poolMax: opts.poolMax ?? 4 })
  await migrateDatabase(handle, databaseUrl)
  return {
    db: handle.db,
    handle,
    /** Its address, for server processes the bench starts on it (PostgreSQL only). */
    url: databaseUrl,
    /** Which server the figures come from, for the results. */
    engine: baseUrl ? ('postgresql' as const) : ('pglite' as const),
    async drop() {
      await handle.close()
      rmSync(dataDir, { recursive: true, force: true })
      if (baseUrl)
        await withAdminClient(baseUrl, (c) => c.query(`drop database if exists "${dbName}" with (force)`))
    },
  }
}
