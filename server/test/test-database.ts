import { readFileSync } from 'node:fs'
import { inject } from 'vitest'
import { type DatabaseHandle, openDatabase } from '../db/client'
import { withDatabase } from './global-setup'
import { goldenPglite } from './pglite-recycler'
import { withAdminClient } from './postgres-admin'

/**
 * A fresh, migrated database for one test file: a PGlite in the golden state (loaded from the
 * golden dump, or emptied after an earlier file in this worker), or a PostgreSQL database cloned
 * from the golden template and dropped afterwards.
 */
export async function createTestDatabase(): Promise<DatabaseHandle & { url?: string }> {
  const url = process.env.DATABASE_URL
  if (url) {
    const name = `nhipcau_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
    const golden = inject('goldenPgDatabase')
    await withAdminClient(url, (c) => c.query(`create database "${name}" template "${golden}"`))
    const dbUrl = withDatabase(url, name)
    const handle = await openDatabase({ databaseUrl: dbUrl, dataDir: 'memory://', poolMax: 5 })
    return {
      ...handle,
      url: dbUrl,
      close: async () => {
        await handle.close()
        await withAdminClient(url, (c) => c.query(`drop database if exists "${name}" with (force)`))
      },
    }
  }
  return goldenPglite(() => new Blob([readFileSync(inject('goldenPgliteDump'))]))
}
