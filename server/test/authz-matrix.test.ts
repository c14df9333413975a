import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signInAs, type TestSession } from './auth-helpers'
import {
  type AuthzRole,
  type AuthzWorld,
  authzEntries,
  authzExempt,
  authzRoles,
  buildAuthzWorld,
  signInWorld,
  verdictOf,
} from './authz-matrix'
import { createTestApp, type TestContext } from './test-app'

let t: TestContext
let world: AuthzWorld
let sessions: Record<AuthzRole, TestSession | null>
beforeAll(async () => {
  t = await createTestApp()
  world = await buildAuthzWorld(t.db)
  sessions = await signInWorld(t.app, world)
})
afterAll(() => t.close())

let ipSeq = 0
/** Every call from its own address, so per-IP rate limits never decide a verdict. */
const nextIp = () => `10.${Math.floor(++ipSeq / 65000) % 250}.${Math.floor(ipSeq / 250) % 250}.${ipSeq % 250}`

const key = (method: string, url: string) => `${method} ${url}`

describe('authorisation matrix', () => {
  it('covers every route the app registers, and names no route that does not exist', () => {
    const registered = new Set(
      t.app.routeTable.filter((r) => !authzExempt(r.method, r.url)).map((r) => key(r.method, r.url)),
    )
    const inMatrix = new Set(authzEntries.map((e) => key(e.method as string, e.route)))
    const missing = [...registered].filter((k) => !inMatrix.has(k)).sort()
    const stale = [...inMatrix].filter((k) => !registered.has(k)).sort()
    expect(missing, 'routes without an entry in a <module>.authz.ts file').toEqual([])
    expect(stale, 'matrix entries for routes that are not registered').toEqual([])
    expect(authzEntries.length).toBe(inMatrix.size)
  })

  for (const entry of authzEntries) {
    it(`${entry.method} ${entry.route}`, async () => {
      const wrong: string[] = []
      for (const role of authzRoles) {
        const w = entry.freshWorld ? await buildAuthzWorld(t.db) : world
        const session =
          entry.freshWorld || entry.freshSession
            ? role === 'anonymous'
              ? null
              : await signInAs(t.app, w.users[role])
            : sessions[role]
        const req = (await entry.request?.({ app: t.app, db: t.db, world: w, role })) ?? {}
        const res = await t.app.inject({
          method: entry.method,
          url: req.url ?? entry.route,
          ...(req.query ? { query: req.query } : {}),
          ...(req.payload !== undefined ? { payload: req.payload as Record<string, unknown> } : {}),
          headers: { ...(session?.headers ?? {}), ...(req.headers ?? {}) },
          remoteAddress: req.remoteAddress ?? nextIp(),
        })
        const expected = entry.allow.includes(role) ? 'allowed' : 'denied'
        const got = verdictOf(res.statusCode)
        if (got !== expected)
          wrong.push(`${role}: expected ${expected}, got ${res.statusCode} ${res.body.slice(0, 160)}`)
      }
      expect(wrong).toEqual([])
      // Nine calls, and for some entries nine freshly built worlds.
    }, 120_000)
  }
})
