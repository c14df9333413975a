import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { TestProject } from 'vitest/node'
import { createPglite, openDatabase } from '../db/client'
import { migrateDatabase } from '../db/migrate'
import { goldenDatabaseName, withAdminClient } from './postgres-admin'

declare module 'vitest' {
  export interface ProvidedContext {
    goldenPgliteDump: string
    goldenPgDatabase: string
  }
}

/**
 * Migrates once per run: a PGlite data-dir dump (each test file loads it in ~0.6 s instead of
 * running initdb), or, with DATABASE_URL, a template database each file clones.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL
  if (url) {
    const golden = goldenDatabaseName(project.name)
    await withAdminClient(url, async (c) => {
      await c.query(`drop database if exists "${golden}"`)
      await c.query(`create database "${golden}"`)
    })
    const goldenUrl = withDatabase(url, golden)
    const handle = await openDatabase({ databaseUrl: goldenUrl, dataDir: 'memory://', poolMax: 1 })
    await migrateDatabase(handle, goldenUrl)
    await handle.close()
    project.provide('goldenPgDatabase', golden)
    project.provide('goldenPgliteDump', '')
    return async () => {
      await withAdminClient(url, (c) => c.query(`drop database if exists "${golden}" with (force)`))
    }
  }
  const pglite = await createPglite('memory://')
  const { drizzle } = await import('drizzle-orm/pglite')
  const { migrate } = await import('drizzle-orm/pglite/migrator')
  const { migrationsFolder } = await import('../db/migrate')
  await migrate(drizzle(pglite), { migrationsFolder })
  const dump = await pglite.dumpDataDir('none')
  await pglite.close()
  const dir = resolve('.tmp')
  mkdirSync(dir, { recursive: true })
  const file = resolve(dir, `golden-${process.pid}-${project.name}.tar`)
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()))
  project.provide('goldenPgliteDump', file)
  project.provide('goldenPgDatabase', '')
  // 40 MB per run: remove it, or .tmp/ fills up.
  return () => rmSync(file, { force: true })
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}
