import Ajv2020 from 'ajv/dist/2020'
import addFormats from 'ajv-formats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestSession } from './auth-helpers'
import { type AuthzWorld, buildAuthzWorld, signInWorld } from './authz-matrix'
import {
  buildCase,
  buildDirectConversation,
  buildGroup,
  buildHelpRequest,
  buildMessage,
  buildProcedure,
  buildRegisterPerson,
  buildResidenceReport,
  buildTip,
} from './factories/index'
import {
  exampleOf,
  type JsonSchema,
  loadOpenApi,
  type Operation,
  operationsOf,
  type Parameter,
  typeOf,
} from './openapi-walk'
import { createTestApp, type TestContext } from './test-app'

/**
 * Issue 11, point 4: every operation of /api/openapi.json, anonymous and signed in as each role,
 * gets hostile values in every path parameter, query parameter and JSON body field (one field at
 * a time, the rest well-formed and pointing at real records), and whole hostile bodies.
 *
 * - No answer is ≥ 500.
 * - No 2xx for input the published schema forbids (judged with Ajv against the same document;
 *   NUL, lone surrogates, nesting past the edge guard's depth and non-finite numbers are always
 *   forbidden).
 * - Every 4xx is problem+json (Open311 answers in its GeoReport format).
 *
 * Kept fast for `npm test`: one app, inject(), and values sampled per field: each role sends two
 * of the hostile values to each field, rotating, so across the five callers every field gets
 * every value.
 */

type Hostile = {
  name: string
  /** The decoded value, as a string field would receive it (absent: not a string). */
  text?: string
  /** Raw JSON for a body field (default: the text, JSON-encoded). */
  json?: string
  /** Already-encoded form for a path segment or query value (default: encodeURIComponent(text)). */
  raw?: string
  /** Forbidden whatever the schema says. */
  forbidden?: boolean
  /** Where it applies. */
  in: readonly ('path' | 'query' | 'body')[]
}

const MB = 'a'.repeat(1_000_000)
const DEEP = `${'['.repeat(10_000)}${']'.repeat(10_000)}`
const HOSTILE: Hostile[] = [
  { name: 'NUL', text: 'a\u0000b', forbidden: true, in: ['path', 'query', 'body'] },
  {
    name: 'lone surrogate',
    text: '\ud800x',
    json: '"\\ud800x"',
    raw: '%ED%A0%80x',
    forbidden: true,
    in: ['path', 'query', 'body'],
  },
  { name: '1 MB string', text: MB, in: ['path', 'query', 'body'] },
  { name: '10,000-deep JSON', json: DEEP, forbidden: true, in: ['body'] },
  { name: '1e309', text: '1e309', json: '1e309', in: ['path', 'query', 'body'] },
  { name: 'SQL', text: "' OR 1=1; DROP TABLE users; --", in: ['path', 'query', 'body'] },
  {
    name: 'path traversal',
    text: '../../../../etc/passwd',
    raw: '..%2F..%2F..%2F..%2Fetc%2Fpasswd',
    in: ['path', 'query', 'body'],
  },
  { name: 'bad percent-encoding', raw: '%E0%A4%A', forbidden: true, in: ['path', 'query'] },
  { name: 'object for a value', json: '{"$ne":null}', in: ['body'] },
  { name: '-1e20', text: '-1e20', json: '-1e20', in: ['query', 'body'] },
]

const ROLES = ['anonymous', 'resident', 'officer', 'commander', 'admin'] as const
type Role = (typeof ROLES)[number]

/** Calls that end the caller's session or account run last, and a lost session is renewed. */
const LAST = ['POST /api/auth/sign-out', 'DELETE /api/me/sessions', 'DELETE /api/me']

let t: TestContext
let w: AuthzWorld
let ops: Operation[]
let sessions: Record<string, TestSession | null>
const ids: Record<string, string> = {}
const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true })
addFormats(ajv)

beforeAll(async () => {
  t = await createTestApp()
  w = await buildAuthzWorld(t.db)
  sessions = await signInWorld(t.app, w)
  ops = operationsOf(await loadOpenApi(t.app)).sort((a, b) => LAST.indexOf(a.key) - LAST.indexOf(b.key))
  const u = w.users
  const officerHeaders = sessions.officer?.headers ?? {}
  const alert = await t.app.inject({
    method: 'POST',
    url: '/api/alerts',
    headers: officerHeaders,
    payload: {
      kind: 'found_person',
      headline: 'Tìm người thân cho cụ bà khoảng 80 tuổi',
      description: 'Cụ đang ở trụ sở Công an phường.',
      issuingUnitId: w.ward.id,
      scope: { kind: 'areas', unitIds: [w.area.id] },
    },
  })
  ids.alerts = alert.json().id
  await t.app.inject({ method: 'POST', url: `/api/alerts/${ids.alerts}/submit`, headers: officerHeaders })
  ids.tips = (await buildTip(t.db, { area: w.area, assigneeId: u.officer.id, submitterId: u.resident.id })).id
  const c = await buildCase(t.db, { area: w.area, assigneeId: u.officer.id, createdById: u.officer.id })
  ids.cases = c.id
  ids['help-requests'] = (
    await buildHelpRequest(t.db, { caseRow: c, area: w.area, createdById: u.officer.id })
  ).id
  const conv = await buildDirectConversation(t.db, {
    resident: u.resident,
    area: w.area,
    assignee: u.officer,
  })
  ids.conversations = conv.id
  ids.messages = (await buildMessage(t.db, { conversation: conv, author: u.resident })).id
  ids.groups = (await buildGroup(t.db, { unit: w.area, owner: u.officer, members: [u.resident] })).group.id
  ids.procedures = await buildProcedure(t.db)
  ids.reports = (await buildResidenceReport(t.db, { area: w.area, reporter: u.resident })).id
  ids.people = (await buildRegisterPerson(t.db, { area: w.area, actor: u.officer })).id
  ids.residents = u.resident.id
  ids.members = u.resident.id
  ids.units = w.ward.id
  ids.areas = w.area.id
}, 120_000)

afterAll(() => t.close())

/** Real records for path parameters: by the segment before `{id}`, or by the parameter's name. */
function pathValues(op: Operation): Record<string, string> {
  const out: Record<string, string> = {}
  const segments = op.path.split('/')
  for (const p of op.parameters.filter((x) => x.in === 'path')) {
    const i = segments.indexOf(`{${p.name}}`)
    const before = segments[i - 1] ?? ''
    let value: string | undefined
    if (p.name === 'slug')
      value = before === 'areas' ? w.area.slug : before === 'provinces' ? w.province.slug : w.ward.slug
    else if (p.name === 'unitId') value = w.ward.id
    else if (p.name === 'userId') value = w.users.resident.id
    else value = ids[before]
    out[p.name] = value ?? String(exampleOf(p.schema, p.name))
  }
  return out
}

function queryValues(op: Operation): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of op.parameters.filter((x) => x.in === 'query' && x.required))
    out[p.name] = String(exampleOf(p.schema, p.name))
  return out
}

/** Leaves of a body schema one may put a hostile value in: properties, one level of nesting, array items. */
function bodyFields(schema: JsonSchema, prefix: string[] = [], depth = 0): string[][] {
  const s = (schema.anyOf ?? schema.oneOf)?.[0] ?? schema
  const out: string[][] = []
  for (const [name, child] of Object.entries(s.properties ?? {})) {
    const path = [...prefix, name]
    out.push(path)
    const type = typeOf(child)
    if (type === 'object' && depth < 1) out.push(...bodyFields(child, path, depth + 1))
    if (type === 'array' && depth < 1) out.push([...path, '0'])
  }
  return out
}

const bodyFieldSchema = (schema: JsonSchema, path: string[]): JsonSchema | undefined => {
  let s: JsonSchema | undefined = schema
  for (const key of path) {
    const cur: JsonSchema = (s?.anyOf ?? s?.oneOf)?.[0] ?? s ?? {}
    s = /^\d+$/.test(key) ? cur.items : cur.properties?.[key]
  }
  return s
}

const MARK = '__hostile_value__'

/** The body with one field replaced, as JSON text (so 1e309 and 10,000-deep arrays go through as sent). */
function bodyText(base: unknown, path: string[], json: string): string {
  const copy = structuredClone(base) as Record<string, unknown>
  let node: Record<string, unknown> = copy
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = /^\d+$/.test(key) ? [] : {}
    node = node[key] as Record<string, unknown>
  }
  node[path[path.length - 1] as string] = MARK
  return JSON.stringify(copy).replace(`"${MARK}"`, json)
}

/** The value as the server decodes it, for judging against the schema. */
const decoded = (h: Hostile, where: 'path' | 'query' | 'body'): unknown => {
  if (where !== 'body') return h.text ?? null
  const text = h.json ?? JSON.stringify(h.text)
  return h.name === '10,000-deep JSON' ? [] : JSON.parse(text)
}

function schemaForbids(
  op: Operation,
  where: 'path' | 'query' | 'body',
  field: string[],
  h: Hostile,
  body?: unknown,
) {
  if (h.forbidden) return true
  const value = decoded(h, where)
  if (typeof value === 'number' && !Number.isFinite(value)) return true
  if (where === 'body') {
    const parsed = structuredClone(body) as Record<string, unknown>
    let node = parsed
    for (const key of field.slice(0, -1)) node = (node[key] ?? {}) as Record<string, unknown>
    node[field[field.length - 1] as string] = value
    return !ajv.validate(op.body ?? {}, parsed)
  }
  const param = op.parameters.find((p) => p.in === where && p.name === field[0]) as Parameter
  const type = typeOf(param.schema)
  const coerced = type === 'number' || type === 'integer' ? Number(value) : value
  if (typeof coerced === 'number' && !Number.isFinite(coerced)) return true
  return !ajv.validate(param.schema, coerced)
}

let ipSeq = 0
const nextIp = () => `10.${(++ipSeq >> 16) & 255}.${(ipSeq >> 8) & 255}.${ipSeq & 255}`

const qs = (values: Record<string, string>, rawName?: string, raw?: string) =>
  Object.entries(values)
    .map(
      ([k, v]) =>
        `${encodeURIComponent(k)}=${k === rawName && raw !== undefined ? raw : encodeURIComponent(v)}`,
    )
    .join('&')

const encodeHostile = (h: Hostile) => h.raw ?? encodeURIComponent(h.text ?? '')

interface Finding {
  role: Role
  what: string
  status: number
  body: string
}
const serverErrors: Finding[] = []
const acceptedForbidden: Finding[] = []
const notProblem: Finding[] = []
let sent = 0

async function send(
  role: Role,
  op: Operation,
  what: string,
  url: string,
  payload: string | undefined,
  forbidden: boolean,
) {
  const session = sessions[role]
  const res = await t.app.inject({
    method: op.method as 'GET',
    url,
    headers: {
      ...(session?.headers ?? {}),
      ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(payload !== undefined ? { payload } : {}),
    remoteAddress: nextIp(),
  })
  sent++
  const finding = { role, what: `${op.key} ${what}`, status: res.statusCode, body: res.body.slice(0, 200) }
  if (res.statusCode >= 500) serverErrors.push(finding)
  else if (res.statusCode < 300 && forbidden) acceptedForbidden.push(finding)
  else if (res.statusCode >= 400) {
    const type = String(res.headers['content-type'] ?? '')
    // Open311 answers in GeoReport's format, except for errors raised before routing.
    const ok =
      type.startsWith('application/problem+json') ||
      (op.path.startsWith('/open311/') && type.startsWith('application/json'))
    if (!ok) notProblem.push({ ...finding, body: `${type} ${finding.body}` })
  }
  // A call that ended the session (sign-out, "sign out everywhere"): the next ones get a new one.
  if (session && res.statusCode === 401) sessions[role] = await renewSession(role)
}

async function renewSession(role: Role) {
  const { signInAs } = await import('./auth-helpers')
  return signInAs(t.app, w.users[role as Exclude<Role, 'anonymous'>])
}

/**
 * The values field number `n` gets from caller number `r`: one each, rotating, so that the callers
 * together put half the list into every field and every value into every kind of field.
 * Anonymous callers get two on public operations and none on the others (401 before parsing).
 */
function sample(list: Hostile[], n: number, r: number, op: Operation): Hostile[] {
  if (r > 0) return [list[(n * 3 + r) % list.length] as Hostile]
  if (!isPublic(op)) return []
  return [list[n % list.length], list[(n + 5) % list.length]].filter((h): h is Hostile => Boolean(h))
}

const isPublic = (op: Operation) => Array.isArray(op.security) && op.security.length === 0

async function walk(role: Role) {
  const r = ROLES.indexOf(role)
  for (const [index, op] of ops.entries()) await walkOp(op, index, r, role)
}

async function walkOp(op: Operation, index: number, r: number, role: Role) {
  const pathValuesOf = pathValues(op)
  const query = queryValues(op)
  const body = op.body ? exampleOf(op.body, '', {}) : undefined
  const bodyJson = body === undefined ? undefined : JSON.stringify(body)
  const urlWith = (pathRaw?: [string, string], q = qs(query)) => {
    const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
      pathRaw && pathRaw[0] === name ? pathRaw[1] : encodeURIComponent(pathValuesOf[name] ?? 'x'),
    )
    return q ? `${path}?${q}` : path
  }
  if (r === 0 && !isPublic(op)) {
    // Protected: refused before anything is read, whatever the input (openapi-access.test.ts).
    await send(
      role,
      op,
      'anonymous, NUL in the query',
      urlWith(undefined, `${qs(query)}&x=%00`),
      bodyJson,
      true,
    )
    return
  }
  let n = index
  for (const p of op.parameters.filter((x) => x.in === 'path' || x.in === 'query')) {
    const where = p.in as 'path' | 'query'
    for (const h of sample(
      HOSTILE.filter((x) => x.in.includes(where)),
      n++,
      r,
      op,
    )) {
      const url =
        where === 'path'
          ? urlWith([p.name, encodeHostile(h)])
          : urlWith(undefined, qs({ ...query, [p.name]: '' }, p.name, encodeHostile(h)))
      await send(
        role,
        op,
        `${where} ${p.name}=${h.name}`,
        url,
        bodyJson,
        schemaForbids(op, where, [p.name], h),
      )
    }
  }
  if (op.body) {
    for (const field of bodyFields(op.body)) {
      if (!bodyFieldSchema(op.body, field)) continue
      for (const h of sample(
        HOSTILE.filter((x) => x.in.includes('body')),
        n++,
        r,
        op,
      )) {
        const json = h.json ?? JSON.stringify(h.text)
        const forbidden = schemaForbids(op, 'body', field, h, body)
        await send(
          role,
          op,
          `body ${field.join('.')}=${h.name}`,
          urlWith(),
          bodyText(body, field, json),
          forbidden,
        )
      }
    }
  }
  // Whole hostile bodies, also where none is published (a JSON body the route never reads):
  // each write gets one from one signed-in caller, and from anonymous callers when it is public.
  if (op.method !== 'GET' && (r === 0 || index % 4 === r - 1)) {
    const whole = [DEEP, '1e309', `{"a":${DEEP}}`][index % 3] as string
    await send(role, op, 'whole body', urlWith(), whole, whole !== '1e309' || Boolean(op.body))
  }
}

describe('hostile input on every operation of /api/openapi.json', () => {
  for (const role of ROLES) {
    it(`as ${role}: no 5xx, no 2xx for what the schema forbids, every 4xx a problem`, async () => {
      const before = { s: serverErrors.length, a: acceptedForbidden.length, p: notProblem.length }
      await walk(role)
      expect(serverErrors.slice(before.s)).toEqual([])
      expect(acceptedForbidden.slice(before.a)).toEqual([])
      expect(notProblem.slice(before.p)).toEqual([])
    }, 120_000)
  }

  it('walked every operation with hundreds of values', () => {
    expect(ops.length).toBeGreaterThan(150)
    expect(sent).toBeGreaterThan(1500)
  })
})
