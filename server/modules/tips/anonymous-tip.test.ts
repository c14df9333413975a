import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, buildApp } from '../../app'
import type { DatabaseHandle } from '../../db/client'
import { queryRows } from '../../db/query'
import { PgJobQueue } from '../../jobs/pg-job-queue'
import { InProcessEventBus } from '../../realtime/event-bus'
import { LocalFileStorage } from '../../storage/local-file-storage'
import { signInAs, type TestSession } from '../../test/auth-helpers'
import { buildArea, buildOfficer, buildResident, buildWard } from '../../test/factories/index'
import { testConfig } from '../../test/test-config'
import { createTestDatabase } from '../../test/test-database'
import { jpegWithExif, multipart, newKey } from './tips.test-support'

/**
 * An anonymous tip keeps no link to its sender. The sender here is a signed-in resident whose browser
 * still sends its cookies, from a known address and device: after the tip, every row of every table
 * that changed, and every log line, is searched for anything that would identify them.
 */
const SENDER_IP = '198.51.100.77'
const SENDER_UA = 'SpyPhone/7.1 (Android 14; SM-A546E Build/UP1A)'
const FORWARDED_IP = '203.0.113.9'

let app: App
let database: DatabaseHandle
const logLines: string[] = []

beforeAll(async () => {
  database = await createTestDatabase()
  const config = testConfig({ LOG_LEVEL: 'trace' })
  app = await buildApp({
    config,
    database,
    bus: new InProcessEventBus(),
    jobs: new PgJobQueue(database.db),
    storage: new LocalFileStorage(mkdtempSync(join(tmpdir(), 'nhipcau-anon-'))),
    logger: { level: 'trace', stream: { write: (line: string) => void logLines.push(line) } },
  })
  await app.ready()
})
afterAll(async () => {
  await app.close()
  await database.close()
})

/** Every row of every table in the public schema, as JSON text, by table. */
async function snapshot(): Promise<Map<string, Set<string>>> {
  const tables = await queryRows<{ name: string }>(
    database.db,
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  )
  const out = new Map<string, Set<string>>()
  for (const { name } of tables) {
    const rows = await queryRows<{ j: unknown }>(
      database.db,
      sql`select to_jsonb(t) as j from ${sql.identifier(name)} t`,
    )
    out.set(name, new Set(rows.map((r) => JSON.stringify(r.j))))
  }
  return out
}

/** Rows that are new or changed since `before`, by table. */
function changes(before: Map<string, Set<string>>, after: Map<string, Set<string>>): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const [table, rows] of after) {
    const fresh = [...rows].filter((r) => !before.get(table)?.has(r))
    if (fresh.length) out.set(table, fresh)
  }
  return out
}

describe('an anonymous tip', () => {
  let sender: Awaited<ReturnType<typeof buildResident>>
  let senderSession: TestSession
  let officerSession: TestSession
  let code: string
  let tipId: string

  beforeAll(async () => {
    const ward = await buildWard(database.db)
    const area = await buildArea(database.db, { parent: ward })
    const { user: officer } = await buildOfficer(database.db, { unit: ward, areas: [area] })
    sender = await buildResident(database.db, { area, displayName: 'Người Gửi Bí Mật' })
    senderSession = await signInAs(app, sender)
    officerSession = await signInAs(app, officer)
  })

  const identifying = () => [
    SENDER_IP,
    FORWARDED_IP,
    SENDER_UA,
    'SpyPhone',
    sender.id,
    sender.phone!,
    senderSession.sessionId,
    'Người Gửi Bí Mật',
  ]

  it('leaves nothing in the database or the logs that identifies the sender', async () => {
    const area = (
      await queryRows<{ id: string }>(
        database.db,
        sql`select area_id as id from users where id = ${sender.id}`,
      )
    )[0]!
    // The capture works: an ordinary request from the same device is logged with its address.
    await app.inject({
      method: 'GET',
      url: '/healthz',
      remoteAddress: SENDER_IP,
      headers: { 'user-agent': SENDER_UA },
    })
    expect(logLines.join('\n')).toContain(SENDER_IP)
    logLines.length = 0

    const before = await snapshot()
    const form = multipart(
      {
        category: 'drugs',
        description: 'Có người bán ma túy ở cuối ngõ 5 vào buổi tối',
        areaId: area.id,
        contactPreference: 'phone_call',
        phone: sender.phone!,
      },
      [{ data: await jpegWithExif(), filename: `${sender.phone}.jpg`, contentType: 'image/jpeg' }],
    )
    const res = await app.inject({
      method: 'POST',
      url: '/api/tips/anonymous',
      payload: form.payload,
      remoteAddress: SENDER_IP,
      headers: {
        ...senderSession.headers,
        ...form.headers,
        'user-agent': SENDER_UA,
        'x-forwarded-for': FORWARDED_IP,
        'idempotency-key': newKey(),
      },
    })
    expect(res.statusCode, res.body).toBe(201)
    const body = res.json()
    code = body.tipCode
    tipId = body.tip.id
    expect(code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){4}$/)
    expect(body.tip.isAnonymous).toBe(true)
    expect(body.tip.contactPreference).toBe('none')

    const changed = changes(before, await snapshot())
    // upload_budgets: today's byte count under a keyed daily hash of the address (F9), never the address.
    expect([...changed.keys()].sort()).toEqual(['evidence_files', 'tips', 'upload_budgets'])
    const text = [...changed.values()].flat().join('\n')
    for (const needle of [...identifying(), code, code.replace(/-/g, '')]) expect(text).not.toContain(needle)
    const tip = JSON.parse(changed.get('tips')![0]!)
    expect(tip).toMatchObject({ submitter_id: null, is_anonymous: true, contact_preference: 'none' })
    expect(tip.code_hash).toMatch(/^[0-9a-f]{64}$/)

    const logs = logLines.join('\n')
    for (const needle of [...identifying(), code]) expect(logs).not.toContain(needle)
    expect(logs).not.toContain('/api/tips/anonymous')
  })

  it('is answered by the officer, and the sender reads the answer and adds information with the tip code', async () => {
    const view = await app.inject({
      method: 'GET',
      url: `/api/tips/${tipId}`,
      headers: officerSession.headers,
    })
    expect(view.statusCode).toBe(200)
    expect(view.json().sender).toBeNull()
    expect(view.json().files).toHaveLength(1)
    const reply = await app.inject({
      method: 'POST',
      url: `/api/tips/${tipId}/messages`,
      payload: { clientKey: newKey(), body: 'Cảm ơn anh/chị, công an phường sẽ kiểm tra tối nay.' },
      headers: officerSession.headers,
    })
    expect(reply.statusCode, reply.body).toBe(201)

    logLines.length = 0
    const before = await snapshot()
    const lookup = await app.inject({
      method: 'POST',
      url: '/api/tips/code/lookup',
      payload: { code: code.toLowerCase().replace(/-/g, ' ') },
      remoteAddress: SENDER_IP,
      headers: { 'user-agent': SENDER_UA },
    })
    expect(lookup.statusCode, lookup.body).toBe(200)
    expect(lookup.json().messages).toMatchObject([
      { from: 'staff', body: 'Cảm ơn anh/chị, công an phường sẽ kiểm tra tối nay.' },
    ])
    expect(lookup.json().status).toBe('in_review')

    const more = await app.inject({
      method: 'POST',
      url: '/api/tips/code/messages',
      payload: { code, clientKey: newKey(), body: 'Họ thường đến lúc 22 giờ, đi xe Wave màu đỏ.' },
      remoteAddress: SENDER_IP,
      headers: { 'user-agent': SENDER_UA },
    })
    expect(more.statusCode, more.body).toBe(201)
    const changed = changes(before, await snapshot())
    expect([...changed.keys()].sort()).toEqual(['tip_messages', 'tips'])
    const text = [...changed.values()].flat().join('\n')
    for (const needle of identifying()) expect(text).not.toContain(needle)
    const logs = logLines.join('\n')
    for (const needle of [...identifying(), code]) expect(logs).not.toContain(needle)

    const officerView = await app.inject({
      method: 'GET',
      url: `/api/tips/${tipId}`,
      headers: officerSession.headers,
    })
    expect(officerView.json().messages.map((m: { from: string }) => m.from)).toEqual(['staff', 'tipster'])

    const wrong = await app.inject({
      method: 'POST',
      url: '/api/tips/code/lookup',
      payload: { code: 'AAAA-BBBB-CCCC-DDDD-EEEE' },
    })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().errors[0].field).toBe('code')
  })

  it('sent again with the same key (a double tap) is the same tip with the same code', async () => {
    const key = newKey()
    const areaId = (
      await queryRows<{ id: string }>(
        database.db,
        sql`select area_id as id from users where id = ${sender.id}`,
      )
    )[0]!.id
    const send = () =>
      app.inject({
        method: 'POST',
        url: '/api/tips/anonymous',
        payload: { category: 'gambling', description: 'Đánh bạc ở nhà số 9', areaId },
        headers: { 'idempotency-key': key },
      })
    const first = await send()
    const again = await send()
    expect([first.statusCode, again.statusCode]).toEqual([201, 200])
    expect(again.json().tip.id).toBe(first.json().tip.id)
    expect(again.json().tipCode).toBe(first.json().tipCode)
  })
})
