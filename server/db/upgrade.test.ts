import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, buildApp } from '../app'
import { PgJobQueue } from '../jobs/pg-job-queue'
import { InProcessEventBus } from '../realtime/event-bus'
import { LocalFileStorage } from '../storage/local-file-storage'
import { signInAs } from '../test/auth-helpers'
import { withDatabase } from '../test/global-setup'
import { withAdminClient } from '../test/postgres-admin'
import { testConfig } from '../test/test-config'
import { type DatabaseHandle, openDatabase } from './client'
import { migrateDatabase, migrationsFolder, readJournal } from './migrate'
import { queryRows } from './query'

/**
 * An upgrade from the previous release's data: a database made by the migrations up to
 * 0029_upload_budgets (before channels, tip quarantine and voice messages changed conversations,
 * messages, tips and message files), filled through SQL of that era — then today's migrations and
 * app. Every row written before is there unchanged, the new columns hold their defaults, and the
 * people of that era sign in, read their conversation and tips and go on writing.
 */
const PREVIOUS_RELEASE = '0029_upload_budgets'
const postgresUrl = process.env.DATABASE_URL
const dbName = `nhipcau_upgrade_${process.pid}_${Math.random().toString(36).slice(2, 6)}`
const url = postgresUrl ? withDatabase(postgresUrl, dbName) : undefined

/** The migrations folder as the previous release shipped it: the journal cut after `lastTag`. */
function previousReleaseMigrations(lastTag: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'nhipcau-old-migrations-'))
  cpSync(migrationsFolder, dir, { recursive: true })
  const journal = readJournal()
  const cut = journal.entries.findIndex((e) => e.tag === lastTag)
  expect(cut).toBeGreaterThan(0)
  expect(cut).toBeLessThan(journal.entries.length - 1)
  const path = join(dir, 'meta/_journal.json')
  const raw = JSON.parse(readFileSync(path, 'utf8'))
  writeFileSync(path, JSON.stringify({ ...raw, entries: raw.entries.slice(0, cut + 1) }))
  return dir
}

async function migrateTo(handle: DatabaseHandle, folder: string): Promise<void> {
  const { migrate } =
    handle.kind === 'pglite'
      ? await import('drizzle-orm/pglite/migrator')
      : await import('drizzle-orm/node-postgres/migrator')
  // biome-ignore lint/suspicious/noExplicitAny: each migrator wants its own driver type
  await migrate(handle.db as any, { migrationsFolder: folder })
}

const ids = {
  province: '00000000-0000-4000-8000-000000000001',
  ward: '00000000-0000-4000-8000-000000000002',
  area: '00000000-0000-4000-8000-000000000003',
  resident: '00000000-0000-4000-8000-000000000011',
  officer: '00000000-0000-4000-8000-000000000012',
  conversation: '00000000-0000-4000-8000-000000000021',
  question: '00000000-0000-4000-8000-000000000031',
  answer: '00000000-0000-4000-8000-000000000032',
  tip: '00000000-0000-4000-8000-000000000041',
}

/** What a ward's server of that release held: its units, a resident and an officer, a conversation, a tip. */
const previousReleaseData = `
insert into units (id, parent_id, path, level, kind, name, slug) values
  ('${ids.province}', null, '/${ids.province}/', 'province', 'city', 'Thành phố Hà Nội', 'thanh-pho-ha-noi'),
  ('${ids.ward}', '${ids.province}', '/${ids.province}/${ids.ward}/', 'commune', 'ward', 'Phường Cửa Nam', 'phuong-cua-nam'),
  ('${ids.area}', '${ids.ward}', '/${ids.province}/${ids.ward}/${ids.area}/', 'residential_group', 'residential_group', 'Tổ dân phố số 7', 'to-dan-pho-so-7');
insert into users (id, kind, phone, display_name, full_name, area_id) values
  ('${ids.resident}', 'resident', '+84987650001', 'Nguyễn Thị Hoa', 'Nguyễn Thị Hoa', '${ids.area}');
insert into users (id, kind, display_name, rank, title, official_phone, username) values
  ('${ids.officer}', 'staff', 'Lê Văn Minh', 'Thượng úy', 'Cảnh sát khu vực', '+84912650002', 'canbo-minh');
insert into role_grants (user_id, role, unit_id) values ('${ids.officer}', 'officer', '${ids.ward}');
insert into area_assignments (officer_id, area_id, starts_at) values ('${ids.officer}', '${ids.area}', '2026-11-01T00:00:00Z');
insert into conversations (id, kind, resident_id, area_id, area_path, assignee_id, last_seq, last_message_at, first_response_at, created_at) values
  ('${ids.conversation}', 'direct', '${ids.resident}', '${ids.area}', '/${ids.province}/${ids.ward}/${ids.area}/', '${ids.officer}', 2,
   '2026-11-20T08:05:00Z', '2026-11-20T08:05:00Z', '2026-11-20T08:00:00Z');
insert into messages (id, conversation_id, seq, author_id, body, client_key, created_at) values
  ('${ids.question}', '${ids.conversation}', 1, '${ids.resident}', 'Cho hỏi thủ tục đăng ký tạm trú cần giấy tờ gì ạ?', 'old-release-key-1', '2026-11-20T08:00:00Z'),
  ('${ids.answer}', '${ids.conversation}', 2, '${ids.officer}', 'Chị mang CCCD và giấy tờ chỗ ở hợp pháp đến trụ sở nhé.', 'old-release-key-2', '2026-11-20T08:05:00Z');
insert into tips (id, category, description, location_source, area_id, area_path, unit_id, submitter_id, idempotency_key_hash, first_response_due_at, created_at, updated_at) values
  ('${ids.tip}', 'theft', 'Mất trộm xe máy trước cổng chợ lúc 7 giờ sáng', 'area', '${ids.area}', '/${ids.province}/${ids.ward}/${ids.area}/',
   '${ids.ward}', '${ids.resident}', 'old-release-idem-1', '2026-11-21T08:00:00Z', '2026-11-20T09:00:00Z', '2026-11-20T09:00:00Z');
`

const TABLES = ['units', 'users', 'role_grants', 'area_assignments', 'conversations', 'messages', 'tips']

async function snapshot(handle: DatabaseHandle): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {}
  for (const table of TABLES)
    out[table] = await queryRows(handle.db, sql.raw(`select * from ${table} order by id`))
  return out
}

const columnsOf = async (handle: DatabaseHandle, table: string) =>
  (
    await queryRows<{ column_name: string }>(
      handle.db,
      sql`select column_name from information_schema.columns where table_schema = 'public' and table_name = ${table}`,
    )
  ).map((r) => r.column_name)

describe('upgrading from the previous release', () => {
  let handle: DatabaseHandle
  let app: App | undefined
  let oldMigrations: string
  const filesDir = mkdtempSync(join(tmpdir(), 'nhipcau-upgrade-files-'))

  beforeAll(async () => {
    if (postgresUrl) await withAdminClient(postgresUrl, (c) => c.query(`create database "${dbName}"`))
    handle = await openDatabase({ databaseUrl: url, dataDir: 'memory://' })
    oldMigrations = previousReleaseMigrations(PREVIOUS_RELEASE)
    // A new embedded database compiles PGlite's WebAssembly: over a minute on a busy machine.
  }, 180_000)
  afterAll(async () => {
    await app?.close()
    await handle?.close()
    rmSync(filesDir, { recursive: true, force: true })
    if (oldMigrations) rmSync(oldMigrations, { recursive: true, force: true })
    if (postgresUrl)
      await withAdminClient(postgresUrl, (c) => c.query(`drop database if exists "${dbName}" with (force)`))
  })

  it("keeps every row of the old schema and the app works on it: sign-in, the resident's thread, the tip queue, new messages", async () => {
    await migrateTo(handle, oldMigrations)
    // It really is the old schema: the columns later migrations add are not there yet.
    expect(await columnsOf(handle, 'conversations')).not.toContain('channel')
    expect(await columnsOf(handle, 'tips')).not.toContain('quarantined_at')
    // One statement at a time: PGlite's extended protocol takes no multi-statement string.
    for (const statement of previousReleaseData.split(/;\s*\n/).filter((q) => q.trim()))
      await handle.db.execute(sql.raw(statement))
    const before = await snapshot(handle)

    const started = Date.now()
    await migrateDatabase(handle, url)
    const migrateMs = Date.now() - started
    const after = await snapshot(handle)
    for (const table of TABLES) {
      expect(after[table]!.length, table).toBe(before[table]!.length)
      // Every column that existed holds what it held; added columns are compared below.
      const kept = after[table]!.map((row, i) =>
        Object.fromEntries(Object.keys(before[table]![i]!).map((col) => [col, row[col]])),
      )
      expect(kept, table).toEqual(before[table])
    }
    expect(after.conversations![0]).toMatchObject({ channel: 'web' })
    expect(after.messages![0]).toMatchObject({ delivery: null })
    expect(after.tips![0]).toMatchObject({ quarantined_at: null })

    app = await buildApp({
      config: testConfig(url ? { DATABASE_URL: url } : {}),
      database: handle,
      bus: new InProcessEventBus(),
      jobs: new PgJobQueue(handle.db),
      storage: new LocalFileStorage(filesDir),
    })
    const ready = await app.inject({ url: '/readyz' })
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toMatchObject({
      migrations: { current: true, expected: readJournal().entries.length },
    })

    const resident = await signInAs(app, { id: ids.resident, kind: 'resident' })
    const ask = (await app.inject({ url: '/api/ask', headers: resident.headers })).json()
    expect(ask).toMatchObject({ areaName: 'Tổ dân phố số 7', conversation: { id: ids.conversation } })
    const thread = await app.inject({
      url: `/api/conversations/${ids.conversation}/messages`,
      headers: resident.headers,
    })
    expect(thread.statusCode).toBe(200)
    expect(thread.json().messages.map((m: { seq: number; body: string }) => [m.seq, m.body])).toEqual([
      [1, 'Cho hỏi thủ tục đăng ký tạm trú cần giấy tờ gì ạ?'],
      [2, 'Chị mang CCCD và giấy tờ chỗ ở hợp pháp đến trụ sở nhé.'],
    ])
    const sent = await app.inject({
      method: 'POST',
      url: '/api/ask/messages',
      headers: resident.headers,
      payload: { clientKey: 'after-upgrade-1', body: 'Cảm ơn anh, mai tôi đến.' },
    })
    expect(sent.statusCode).toBe(201)
    expect(sent.json()).toMatchObject({ conversationId: ids.conversation, message: { seq: 3 } })
    // The old message's key still deduplicates: a late retry from an old phone adds nothing.
    const retried = await app.inject({
      method: 'POST',
      url: '/api/ask/messages',
      headers: resident.headers,
      payload: { clientKey: 'old-release-key-1', body: 'Cho hỏi thủ tục đăng ký tạm trú cần giấy tờ gì ạ?' },
    })
    expect(retried.statusCode).toBe(200)
    expect(retried.json().message.id).toBe(ids.question)

    const officer = await signInAs(app, { id: ids.officer, kind: 'staff' })
    const officerThread = await app.inject({
      url: `/api/conversations/${ids.conversation}/messages`,
      headers: officer.headers,
    })
    expect(officerThread.json().messages.map((m: { body: string }) => m.body)).toContain(
      'Cảm ơn anh, mai tôi đến.',
    )
    const tips = await app.inject({ url: '/api/tips?filter=all', headers: officer.headers })
    expect(tips.statusCode).toBe(200)
    expect(tips.json().map((t: { id: string }) => t.id)).toContain(ids.tip)
    console.info(
      `upgrade from ${PREVIOUS_RELEASE}: ${readJournal().entries.length - readJournal().entries.findIndex((e) => e.tag === PREVIOUS_RELEASE) - 1} migrations in ${migrateMs} ms (${handle.kind})`,
    )
  }, 300_000)
})
