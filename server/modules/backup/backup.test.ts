import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DatabaseHandle, openDatabase } from '../../db/client'
import { queryRows } from '../../db/query'
import { signInAs } from '../../test/auth-helpers'
import { buildArea, buildOfficer, buildResident } from '../../test/factories/index'
import { withDatabase } from '../../test/global-setup'
import { withAdminClient } from '../../test/postgres-admin'
import { createTestApp, type TestContext } from '../../test/test-app'
import { createBackup, RestoreRefusedError, restoreBackup } from './backup.service'
import { BackupArchiveError, listFiles, sha256File } from './backup-archive'
import { readLastBackup } from './backup-record'

/**
 * Backs up a ward while a resident keeps writing, restores it into an empty place, and compares
 * every table and every file. Runs on PGlite (`npm test`) and PostgreSQL (`npm run test:pg`).
 */
const postgresUrl = process.env.DATABASE_URL
const work = mkdtempSync(join(tmpdir(), 'nhipcau-backup-test-'))
const createdDatabases: string[] = []
let t: TestContext
let source: { DATA_DIR: string; DATABASE_URL: string | undefined }

beforeAll(async () => {
  t = await createTestApp()
  source = { DATA_DIR: join(work, 'source'), DATABASE_URL: (t.database as { url?: string }).url }
  // The uploaded files and the secret the server generated, as a running instance keeps them.
  await mkdir(join(source.DATA_DIR, 'files', 'evidence', 'ab'), { recursive: true })
  await writeFile(join(source.DATA_DIR, 'files', 'evidence', 'ab', 'photo-1.jpg'), Buffer.alloc(70_000, 7))
  await writeFile(join(source.DATA_DIR, 'files', 'evidence', 'ab', 'clip.mp4'), Buffer.alloc(5_000, 3))
  await writeFile(join(source.DATA_DIR, 'files', 'evidence', 'ab', 'upload.1234.part'), 'half a file')
  await writeFile(join(source.DATA_DIR, 'session-secret'), 'the-generated-secret\n')
})
afterAll(async () => {
  await t.close()
  rmSync(work, { recursive: true, force: true })
  if (postgresUrl)
    for (const name of createdDatabases)
      await withAdminClient(postgresUrl, (c) => c.query(`drop database if exists "${name}" with (force)`))
})

/** An empty place to restore into: a new data folder, and on PostgreSQL a new empty database. */
async function emptyTarget(name: string) {
  const DATA_DIR = join(work, name)
  if (!postgresUrl) return { DATA_DIR, DATABASE_URL: undefined }
  const database = `nhipcau_restore_${process.pid}_${name}`
  await withAdminClient(postgresUrl, (c) => c.query(`create database "${database}"`))
  createdDatabases.push(database)
  return { DATA_DIR, DATABASE_URL: withDatabase(postgresUrl, database) }
}

async function openRestored(target: { DATA_DIR: string; DATABASE_URL: string | undefined }) {
  return openDatabase({ databaseUrl: target.DATABASE_URL, dataDir: target.DATA_DIR, poolMax: 2 })
}

/** Every table of the application, each as the sorted text of its rows. */
async function tables(handle: DatabaseHandle): Promise<Map<string, string[]>> {
  const names = await queryRows<{ schema: string; name: string }>(
    handle.db,
    sql`select table_schema as schema, table_name as name from information_schema.tables
        where table_schema in ('public', 'drizzle') and table_type = 'BASE TABLE' order by 1, 2`,
  )
  const out = new Map<string, string[]>()
  for (const { schema, name } of names) {
    const rows = await queryRows<{ row: string }>(
      handle.db,
      sql`select t::text as row from ${sql.identifier(schema)}.${sql.identifier(name)} t`,
    )
    out.set(`${schema}.${name}`, rows.map((r) => r.row).sort())
  }
  return out
}

const messageCount = async (db: DatabaseHandle['db']) =>
  Number((await queryRows<{ n: number }>(db, sql`select count(*)::int as n from messages`))[0]?.n)

describe('backup and restore', () => {
  it('backs up while a resident writes, and the restore holds a consistent moment of every table', async () => {
    const area = await buildArea(t.db)
    await buildOfficer(t.db, { areas: [area] })
    const resident = await buildResident(t.db, { area })
    const session = await signInAs(t.app, resident)
    const send = (i: number) =>
      t.app.inject({
        method: 'POST',
        url: '/api/ask/messages',
        headers: session.headers,
        payload: { clientKey: `backup-load-${i}`, body: `Câu hỏi số ${i} trong lúc sao lưu` },
      })
    for (let i = 0; i < 5; i++) expect((await send(i)).statusCode).toBe(201)
    const before = await messageCount(t.db)

    let writing = true
    let sent = 5
    const load = (async () => {
      while (writing) {
        const res = await send(sent++)
        expect(res.statusCode, res.body).toBe(201)
        // A resident's pace, not a flood: the point is writes landing during the snapshot.
        await new Promise((r) => setTimeout(r, 20))
      }
    })()
    const file = join(work, 'under-load.tar.gz')
    const manifest = await createBackup(t.database, source, file).finally(() => {
      writing = false
    })
    await load
    expect(sent).toBeGreaterThan(5)

    expect(manifest.database.kind).toBe(postgresUrl ? 'postgres' : 'pglite')
    expect(manifest.entries.map((e) => e.path).filter((p) => !p.startsWith('database/'))).toEqual([
      'files/evidence/ab/clip.mp4',
      'files/evidence/ab/photo-1.jpg',
      'secrets/session-secret',
    ])
    // The health page reads what the last backup wrote.
    expect(await readLastBackup(source.DATA_DIR)).toEqual({
      at: manifest.createdAt,
      file,
      bytes: statSync(file).size,
    })

    const target = await emptyTarget('under-load')
    await restoreBackup(target, file)
    const restored = await openRestored(target)
    try {
      const now = await tables(t.database)
      const then = await tables(restored)
      expect([...then.keys()]).toEqual([...now.keys()])
      // Nothing in the snapshot that the source never had, and every message sent before it began.
      const restoredMessages = await messageCount(restored.db)
      expect(restoredMessages).toBeGreaterThanOrEqual(before)
      expect(restoredMessages).toBeLessThanOrEqual(await messageCount(t.db))
      const sourceIds = new Set(
        (await queryRows<{ id: string }>(t.db, sql`select id::text from messages`)).map((r) => r.id),
      )
      for (const { id } of await queryRows<{ id: string }>(restored.db, sql`select id::text from messages`))
        expect(sourceIds.has(id)).toBe(true)
    } finally {
      await restored.close()
    }
  }, 120_000)

  it('restores a quiet instance exactly: every row of every table, every file, the secret', async () => {
    // Quiet: the jobs that follow a message (notifications, auto-replies) have all run.
    while ((await t.jobs.drain()) > 0);
    const file = join(work, 'quiet.tar.gz')
    await createBackup(t.database, source, file)
    const target = await emptyTarget('quiet')
    await restoreBackup(target, file)
    const restored = await openRestored(target)
    try {
      const now = await tables(t.database)
      const then = await tables(restored)
      expect(then.size).toBeGreaterThan(30)
      for (const [name, rows] of now) expect(then.get(name), name).toEqual(rows)
    } finally {
      await restored.close()
    }
    const files = await listFiles(join(target.DATA_DIR, 'files'))
    expect(files).toEqual(['evidence/ab/clip.mp4', 'evidence/ab/photo-1.jpg'])
    for (const f of files)
      expect(await sha256File(join(target.DATA_DIR, 'files', f))).toBe(
        await sha256File(join(source.DATA_DIR, 'files', f)),
      )
    expect(await readFile(join(target.DATA_DIR, 'session-secret'), 'utf8')).toBe('the-generated-secret\n')
  }, 120_000)

  it('refuses to restore over data, and refuses a damaged archive before writing anything', async () => {
    const file = join(work, 'again.tar.gz')
    await createBackup(t.database, source, file)
    const used = await emptyTarget('used')
    await restoreBackup(used, file)
    await expect(restoreBackup(used, file)).rejects.toThrow(RestoreRefusedError)

    const damaged = join(work, 'damaged.tar.gz')
    const bytes = await readFile(file)
    const middle = Math.floor(bytes.length / 2)
    bytes[middle] = (bytes[middle] ?? 0) ^ 0xff
    writeFileSync(damaged, bytes)
    const fresh = await emptyTarget('fresh')
    await expect(restoreBackup(fresh, damaged)).rejects.toThrow(BackupArchiveError)
    expect(await listFiles(fresh.DATA_DIR)).toEqual([])
  }, 120_000)
})
