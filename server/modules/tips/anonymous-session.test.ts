import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sessions } from '../../db/schema/index'
import { signInAs } from '../../test/auth-helpers'
import { buildResident } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'

// F13: the anonymous routes never read the session cookie, so a signed-in resident following up on
// their anonymous tip leaves no trace of their session (no last-seen touch, no CSRF check).

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const lastSeen = async (id: string) =>
  (await t.db.select({ at: sessions.lastSeenAt }).from(sessions).where(eq(sessions.id, id)))[0]!.at.getTime()

describe('F13: anonymous tip routes ignore the session', () => {
  it('leaves last_seen_at untouched for a request with a valid session cookie', async () => {
    const session = await signInAs(t.app, await buildResident(t.db))
    const dayAgo = sql`now() - interval '1 day'`
    await t.db.update(sessions).set({ lastSeenAt: dayAgo }).where(eq(sessions.id, session.sessionId))
    const before = await lastSeen(session.sessionId)

    // The cookie alone, without the CSRF header: a route that read it would answer 403.
    const lookup = await t.app.inject({
      method: 'POST',
      url: '/api/tips/code/lookup',
      headers: session.cookieOnly,
      payload: { code: 'KHONG-CO-MA-NAY-1234' },
    })
    // The handler ran (an unknown code, named on the field), not a CSRF refusal.
    expect(lookup.statusCode, lookup.body).toBe(400)
    expect(lookup.json().errors[0]).toMatchObject({ field: 'code', code: 'not_found' })
    const add = await t.app.inject({
      method: 'POST',
      url: '/api/tips/code/messages',
      headers: { ...session.cookieOnly, 'content-type': 'multipart/form-data; boundary=b' },
      payload: '--b\r\nContent-Disposition: form-data; name="code"\r\n\r\nKHONG-CO-MA-NAY-1234\r\n--b--\r\n',
    })
    expect(add.statusCode, add.body).toBe(400)
    expect(add.json().type).toBe('/problems/validation')
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/tips/anonymous',
      headers: {
        ...session.cookieOnly,
        'content-type': 'multipart/form-data; boundary=b',
        'idempotency-key': 'f13-anon-0000001',
      },
      payload: '--b\r\nContent-Disposition: form-data; name="category"\r\n\r\nother\r\n--b--\r\n',
    })
    expect(anonymous.statusCode).toBe(400)
    expect(await lastSeen(session.sessionId)).toBe(before)

    // The same cookie on a signed-in route does touch it: the check above can fail.
    await t.app.inject({ url: '/api/auth/session', headers: session.cookieOnly })
    expect(await lastSeen(session.sessionId)).toBeGreaterThan(before)
  })
})
