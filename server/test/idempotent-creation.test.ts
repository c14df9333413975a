import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../db/query'
import { jpegWithExif, multipart } from '../modules/tips/tips.test-support'
import { signInAs } from './auth-helpers'
import { type AuthzEntry, type AuthzWorld, authzEntries, buildAuthzWorld } from './authz-matrix'
import { buildDirectConversation } from './factories/index'
import { loadOpenApi, type Operation, operationsOf } from './openapi-walk'
import { createTestApp, type TestContext } from './test-app'

/**
 * Issue 11, point 6: every operation that creates a record takes a client key and a retry returns
 * the first record. The creating operations are the POSTs of /api/openapi.json, minus the ones
 * listed here with the reason they create nothing a retry could double. Each is called twice with
 * the same key (the `Idempotency-Key` header; body `clientKey`s stay as the request builds them),
 * as a caller the authorisation matrix lets through, with the request its matrix entry builds.
 */
const NOT_CREATING: Record<string, string> = {
  'POST /api/auth/sign-out': 'sign-in step',
  'POST /api/auth/otp/request': 'sign-in step (rate-limited per number)',
  'POST /api/auth/otp/verify': 'sign-in step',
  'POST /api/auth/staff/sign-in': 'sign-in step',
  'POST /api/auth/staff/totp': 'sign-in step',
  'POST /api/auth/staff/enrol': 'sign-in step',
  'POST /api/directory/check-phone': 'a question, answered without writing',
  'POST /api/alerts/preview': 'a question, answered without writing',
  'POST /api/unit-tree/import':
    'idempotent by content: rows match units by code, then slug; the same file twice changes nothing (unit-tree tests)',
  'POST /api/tips/code/lookup': 'a question, answered without writing',
  'POST /api/ask': "opens the caller's one conversation with their area (found or made: one per resident)",
  'POST /api/conversations/{id}/read': 'state: the read position',
  'POST /api/conversations/{id}/transfer': 'state: the assignee',
  'POST /api/messages/{id}/hide': 'state',
  'POST /api/messages/{id}/pin': 'state',
  'POST /api/groups/{id}/invite/rotate': 'state: a new invite code replaces the old one',
  'POST /api/groups/join': "state: the caller's membership (one per group and user)",
  'POST /api/areas/{id}/assignments/{assignmentId}/end': 'state transition',
  'POST /api/alerts/{id}/submit': 'state transition',
  'POST /api/alerts/{id}/approve': 'state transition',
  'POST /api/alerts/{id}/reject': 'state transition',
  'POST /api/alerts/{id}/cancel': 'state transition',
  'POST /api/alerts/{id}/receipt': "state: the caller's receipt (one per alert and user)",
  'POST /api/alerts/receipts': "state: the caller's receipts (one per alert and user)",
  'POST /api/alerts/{id}/share': 'a counter',
  'POST /api/cases/{id}/tips': 'links existing tips (one link per case and tip)',
  'POST /api/movements/reports/{id}/review': 'state transition',
  'POST /api/scam-numbers/reports/{id}/review': 'state transition',
  'POST /api/staff/officer-photos/{id}/approve': 'state transition',
  'POST /api/staff/officer-photos/{id}/refuse': 'state transition',
  'POST /api/conversations/{id}/channel-link':
    'state: the contact joins the account its single-use code names (a spent code links nothing twice; channel-link tests)',
  'POST /api/channels/{platform}/{accountId}/webhook':
    "a platform's signed delivery: a redelivery is one message by the platform's message id (channels tests)",
}

type Built = {
  url?: string
  payload?: unknown
  headers?: Record<string, string>
  query?: Record<string, string>
}

/**
 * Calls the matrix builds as "the door opened" (a 400 is enough there) but that create nothing:
 * here they get a body that creates. The URL still comes from the matrix entry.
 */
const CREATING_CALL: Record<string, (matrix: Built) => Promise<Built>> = {
  // The test configuration allows push services on 127.0.0.1 only (PUSH_ALLOWED_HOSTS).
  'POST /api/push/subscriptions': async (m) => ({
    payload: { ...(m.payload as object), endpoint: `http://127.0.0.1:9/push/${randomUUID()}` },
  }),
  'POST /api/alerts/{id}/photos': async (m) => ({
    url: m.url,
    ...multipart({ description: 'Ảnh cụ bà' }, [
      { data: await jpegWithExif(), filename: 'a.jpg', contentType: 'image/jpeg' },
    ]),
  }),
  'POST /api/me/photo': async () =>
    multipart({}, [{ data: await jpegWithExif(), filename: 'me.jpg', contentType: 'image/jpeg' }]),
  'POST /api/cases/{id}/evidence': async (m) => ({
    url: m.url,
    ...multipart({ note: 'Ảnh hiện trường' }, [
      { data: await jpegWithExif(), filename: 'b.jpg', contentType: 'image/jpeg' },
    ]),
  }),
  'POST /api/cases/{id}/links': async (m) => {
    const conversation = await buildDirectConversation(t.db, {
      resident: world.users.resident,
      area: world.area,
    })
    return { url: m.url, payload: { kind: 'conversation', targetId: conversation.id } }
  },
  'POST /api/tips/code/messages': async () => {
    const sent = await t.app.inject({
      method: 'POST',
      url: '/api/tips/anonymous',
      headers: { 'idempotency-key': randomUUID() },
      payload: { category: 'drugs', description: 'Tụ tập ban đêm ở bãi đất trống', areaId: world.area.id },
    })
    const code = (sent.json() as { tipCode: string }).tipCode
    return multipart({ code, clientKey: `walk-${randomUUID()}`, body: 'Tôi bổ sung: có hai xe máy' })
  },
}

let t: TestContext
let world: AuthzWorld
let all: Operation[]
let creating: Operation[]
beforeAll(async () => {
  t = await createTestApp()
  world = await buildAuthzWorld(t.db)
  all = operationsOf(await loadOpenApi(t.app))
  creating = all.filter((op) => op.method === 'POST' && !(op.key in NOT_CREATING))
})
afterAll(() => t.close())

const routeOf = (op: Operation) => op.path.replace(/\{([^}]+)\}/g, ':$1')
const entryOf = (op: Operation): AuthzEntry | undefined =>
  authzEntries.find((e) => e.method === 'POST' && e.route === routeOf(op))

/** The id of what a creating call answered with, wherever the shape keeps it. */
function idOf(body: unknown): string | undefined {
  if (Array.isArray(body)) return idOf(body[0])
  if (!body || typeof body !== 'object') return undefined
  const o = body as Record<string, unknown>
  for (const key of ['id', 'service_request_id']) if (typeof o[key] === 'string') return o[key] as string
  for (const value of Object.values(o)) {
    const nested = typeof value === 'object' ? idOf(value) : undefined
    if (nested) return nested
  }
  return undefined
}

/** Rows per table: a retry must add none anywhere (records, audit entries, jobs…). */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await queryRows<{ name: string }>(
    t.db,
    sql`select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like '%migrations%'`,
  )
  const union = tables
    .map((x) => `select '${x.name}' as name, count(*)::int as n from "${x.name}"`)
    .join(' union all ')
  const rows = await queryRows<{ name: string; n: number }>(t.db, sql.raw(union))
  return Object.fromEntries(rows.map((r) => [r.name, r.n]))
}

const changed = (a: Record<string, number>, b: Record<string, number>) =>
  Object.keys(b).filter((k) => a[k] !== b[k] && k !== 'sessions')

let ipSeq = 0

const bodyOf = (res: { body: string }) => {
  try {
    return JSON.parse(res.body) as unknown
  } catch {
    return undefined
  }
}

describe('creating operations answer a retry with the first record', () => {
  it('excludes only POSTs the document has, and finds the creating ones', () => {
    const keys = new Set(all.map((o) => o.key))
    expect(Object.keys(NOT_CREATING).filter((k) => !keys.has(k))).toEqual([])
    expect(creating.length).toBeGreaterThan(15)
  })

  it('the same key twice: one record, the same id', async () => {
    const wrong: string[] = []
    for (const op of creating) {
      const entry = entryOf(op)
      if (!entry) {
        wrong.push(`${op.key}: no authorisation-matrix entry to build the call`)
        continue
      }
      const role = entry.allow.find((r) => r !== 'anonymous') ?? 'anonymous'
      const session = role === 'anonymous' ? null : await signInAs(t.app, world.users[role])
      const matrix: Built = (await entry.request?.({ app: t.app, db: t.db, world, role })) ?? {}
      const creatingCall = CREATING_CALL[op.key]
      const req = creatingCall ? await creatingCall(matrix) : matrix
      const key = `walk-${randomUUID()}`
      const call = () =>
        t.app.inject({
          method: 'POST',
          url: req.url ?? op.path,
          ...(req.query ? { query: req.query } : {}),
          ...(req.payload !== undefined ? { payload: req.payload as Record<string, unknown> } : {}),
          headers: { ...(session?.headers ?? {}), ...(req.headers ?? {}), 'idempotency-key': key },
          remoteAddress: `10.9.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`,
        })
      const before = await rowCounts()
      const first = await call()
      const afterFirst = await rowCounts()
      const second = await call()
      const afterSecond = await rowCounts()
      const label = `${op.key} as ${role}`
      if (first.statusCode >= 300) {
        wrong.push(
          `${label}: the first call did not create (${first.statusCode} ${first.body.slice(0, 160)})`,
        )
        continue
      }
      if (changed(before, afterFirst).length === 0) wrong.push(`${label}: the first call wrote nothing`)
      if (second.statusCode >= 300)
        wrong.push(`${label}: the retry answered ${second.statusCode} ${second.body.slice(0, 120)}`)
      // An answer without a body (204) has no id to compare: one row is all a retry can show.
      const [a, b] = [idOf(bodyOf(first)), idOf(bodyOf(second))]
      if (first.body && a !== b) wrong.push(`${label}: ids ${a} then ${b}`)
      const more = changed(afterFirst, afterSecond).filter((k) => k !== 'idempotent_requests')
      if (more.length) wrong.push(`${label}: the retry wrote to ${more.join(', ')}`)
    }
    expect(wrong).toEqual([])
  }, 120_000)
})

describe('the Idempotency-Key header', () => {
  async function answerCall(key: string) {
    const entry = authzEntries.find((e) => e.method === 'POST' && e.route === '/api/alerts/:id/answers')
    const built = (await entry?.request?.({ app: t.app, db: t.db, world, role: 'resident' })) ?? {}
    const session = await signInAs(t.app, world.users.resident)
    return (payloadBody: string) =>
      t.app.inject({
        method: 'POST',
        url: built.url as string,
        headers: { ...session.headers, 'idempotency-key': key },
        payload: { body: payloadBody },
      })
  }

  it('replays the first answer, refuses the same key with another body, and refuses a malformed key', async () => {
    const key = `walk-${randomUUID()}`
    const call = await answerCall(key)
    const first = await call('Tôi thấy cụ ở chợ Mơ lúc 9 giờ')
    expect(first.statusCode, first.body).toBe(201)
    const replay = await call('Tôi thấy cụ ở chợ Mơ lúc 9 giờ')
    expect(replay.statusCode).toBe(201)
    expect(replay.headers['idempotent-replayed']).toBe('true')
    expect(replay.json().id).toBe(first.json().id)
    const other = await call('Một câu trả lời khác')
    expect(other.statusCode).toBe(409)
    expect(other.json().errors[0]).toMatchObject({ field: 'idempotency-key', code: 'reused' })
    const bad = await (await answerCall('short'))('Tôi thấy cụ ở chợ Mơ')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors[0]).toMatchObject({ field: 'idempotency-key' })
  })

  it('frees the key when the request fails, so the corrected retry runs', async () => {
    const call = await answerCall(`walk-${randomUUID()}`)
    const tooShort = await call('x')
    expect(tooShort.statusCode).toBe(400)
    const fixed = await call('Tôi thấy cụ ở chợ Mơ lúc 9 giờ')
    expect(fixed.statusCode, fixed.body).toBe(201)
  })
})
