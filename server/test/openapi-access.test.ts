import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CSRF_HEADER, SESSION_COOKIE } from '../modules/auth/session.cookies'
import {
  exampleOf,
  exampleParams,
  fillPath,
  loadOpenApi,
  type OpenApiDocument,
  type Operation,
  operationsOf,
} from './openapi-walk'
import { createTestApp, type TestContext } from './test-app'

/**
 * Issue 11, point 5: /api/openapi.json tells the truth about access. The operations anyone may
 * call are listed here, by hand, on purpose: making an operation public is a decision a reviewer
 * should see in this file. Every other operation, called without cookies but with well-formed
 * parameters, must answer 401 (never 400, 403 or 404).
 */
const PUBLIC_OPERATIONS = new Set([
  'GET /healthz',
  'GET /readyz',
  // Sign-in steps, and the session probe the web client calls on every page.
  'GET /api/auth/session',
  'POST /api/auth/sign-out',
  'POST /api/auth/otp/request',
  'POST /api/auth/otp/verify',
  'POST /api/auth/staff/sign-in',
  'POST /api/auth/staff/totp',
  'POST /api/auth/staff/enrol',
  'GET /api/push/public-key',
  // The public directory, area pages and the QR codes on posters.
  'GET /api/hierarchy-levels',
  'GET /api/directory/units',
  'GET /api/directory/units/{slug}',
  'GET /api/directory/areas/{slug}',
  'GET /api/directory/search',
  'POST /api/directory/check-phone',
  'GET /q/{code}',
  // An officer's approved photo, shown on the area page (a pending one answers 404 to others).
  'GET /api/officer-photos/{id}',
  // Administrative procedures.
  'GET /api/procedures/search',
  'GET /api/procedures',
  'GET /api/procedures/{id}',
  // Public alerts, their CAP messages, photos and feeds.
  'GET /api/alerts',
  'GET /api/alerts/{id}',
  'POST /api/alerts/{id}/share',
  'GET /api/alerts/{id}/cap.xml',
  'GET /api/alerts/{id}/photos/{photoId}',
  'GET /feeds/units/{slug}/alerts.atom',
  'GET /feeds/provinces/{slug}/alerts.atom',
  // Tips: with a phone and a one-time code, anonymous, and by tip code.
  'POST /api/tips',
  'POST /api/tips/anonymous',
  'POST /api/tips/code/lookup',
  'POST /api/tips/code/messages',
  // Open311 (GeoReport v2): the service list and filing an anonymous request.
  'GET /open311/v2/services.json',
  'POST /open311/v2/requests.json',
  // Verified scam numbers (issue 17.1): a number's page and the open data feed, counts only.
  'GET /api/scam-numbers/numbers/{phone}',
  'GET /api/scam-numbers/feed.json',
  'GET /api/scam-numbers/feed.csv',
  // Zalo and Messenger call these: the platform's signature or verify token is the credential.
  'GET /api/channels/messenger/{accountId}/webhook',
  'POST /api/channels/{platform}/{accountId}/webhook',
  // eSMS calls this with a resident's SMS reply: its MD5 signature is the credential (404 unconfigured).
  'GET /api/sms/esms/mo',
  // eSMS reports an SMS's delivery to the URL given with it: the send's id and its HMAC are the credential.
  'GET /api/sms/esms/status/{sendId}/{token}',
])

/** Operations open with a credential other than the session; the route checks it (401 without). */
const OTHER_CREDENTIALS: Record<string, Record<string, string[]>[]> = {
  'GET /open311/v2/requests/{id}.json': [{ session: [] }, { tipCodeHeader: [] }, { tipCode: [] }],
}

let t: TestContext
let doc: OpenApiDocument
let ops: Operation[]
beforeAll(async () => {
  t = await createTestApp()
  doc = await loadOpenApi(t.app)
  ops = operationsOf(doc)
})
afterAll(() => t.close())

const isWrite = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method)

describe('OpenAPI declares who may call each operation', () => {
  it('declares the session cookie and the CSRF header as security schemes', () => {
    expect(doc.components?.securitySchemes).toMatchObject({
      session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
      csrf: { type: 'apiKey', in: 'header', name: CSRF_HEADER },
    })
  })

  it('marks exactly the listed operations public, and every other one with the session (and CSRF on writes)', () => {
    const listed = [...PUBLIC_OPERATIONS, ...Object.keys(OTHER_CREDENTIALS)]
    const missing = listed.filter((key) => !ops.some((op) => op.key === key))
    expect(missing, 'listed here but not in the document').toEqual([])
    const wrong: string[] = []
    for (const op of ops) {
      const expected = PUBLIC_OPERATIONS.has(op.key)
        ? []
        : (OTHER_CREDENTIALS[op.key] ??
          (isWrite(op.method) ? [{ session: [], csrf: [] }] : [{ session: [] }]))
      if (JSON.stringify(op.security) !== JSON.stringify(expected))
        wrong.push(`${op.key}: ${JSON.stringify(op.security)}`)
    }
    expect(wrong).toEqual([])
  })
})

describe('every operation that is not public answers 401 without cookies', () => {
  it('401 problem+json (GeoReport errors on Open311), with well-formed parameters and body', async () => {
    const wrong: string[] = []
    let checked = 0
    for (const op of ops) {
      if (PUBLIC_OPERATIONS.has(op.key)) continue
      checked++
      const query = exampleParams(op, 'query')
      const res = await t.app.inject({
        method: op.method as 'GET',
        url: fillPath(op.path, exampleParams(op, 'path')),
        query,
        ...(op.body ? { payload: exampleOf(op.body) as Record<string, unknown> } : {}),
      })
      const type = String(res.headers['content-type'])
      const format = op.path.startsWith('/open311/')
        ? type.startsWith('application/json') && res.json()[0]?.code === 401
        : type.startsWith('application/problem+json') && res.json().status === 401
      if (res.statusCode !== 401 || !format)
        wrong.push(`${op.key}: ${res.statusCode} ${res.body.slice(0, 120)}`)
    }
    expect(wrong).toEqual([])
    expect(checked).toBeGreaterThan(100)
  })

  it('still lets a public operation through without cookies', async () => {
    const res = await t.app.inject('/api/directory/units')
    expect(res.statusCode).toBe(200)
  })
})
