import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accessChanged } from '../../realtime/access-events'
import { publishAfterCommit } from '../../realtime/event-bus'
import { cookiesFrom, signInAs } from '../../test/auth-helpers'
import { buildOfficer, buildResident, fakePhone } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const sessionUser = async (headers: Record<string, string>) =>
  (await t.app.inject({ url: '/api/auth/session', headers })).json().user

async function signInWithCode(phone: string, headers: Record<string, string> = {}) {
  await t.app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone } })
  const { code } = (
    await t.app.inject({ url: `/api/dev/last-otp?phone=${encodeURIComponent(phone)}` })
  ).json()
  return t.app.inject({ method: 'POST', url: '/api/auth/otp/verify', payload: { phone, code }, headers })
}

describe('sessions', () => {
  it('answers user: null when nobody is signed in, and for an unknown token', async () => {
    expect(await sessionUser({})).toBeNull()
    expect(await sessionUser({ cookie: 'nhipcau_session=made-up' })).toBeNull()
  })

  it('rotates on sign-in: the token the browser had before no longer works afterwards', async () => {
    const resident = await buildResident(t.db)
    const before = await signInAs(t.app, resident)
    expect((await sessionUser(before.headers)).id).toBe(resident.id)
    const res = await signInWithCode(resident.phone!, before.headers)
    expect(res.statusCode).toBe(200)
    const after = cookiesFrom(res)
    expect(after).not.toContain(before.token)
    expect(await sessionUser(before.headers)).toBeNull()
    expect((await sessionUser({ cookie: after })).id).toBe(resident.id)
  })

  it('rejects a cookie-authenticated write without the CSRF header, or with a forged one', async () => {
    const resident = await buildResident(t.db)
    const s = await signInAs(t.app, resident)
    const patch = (headers: Record<string, string>) =>
      t.app.inject({ method: 'PATCH', url: '/api/me', payload: { displayName: 'Lan' }, headers })
    const missing = await patch(s.cookieOnly)
    expect(missing.statusCode).toBe(403)
    expect(missing.json().type).toBe('/problems/csrf')
    // Cookie and header agree, but neither is the token bound to this session (a planted cookie).
    const planted = await patch({
      cookie: `nhipcau_session=${s.token}; nhipcau_csrf=forged`,
      'x-csrf-token': 'forged',
    })
    expect(planted.statusCode).toBe(403)
    expect((await patch(s.headers)).statusCode).toBe(200)
  })

  it('lets a user list their sessions and revoke one; a revoked session is signed out', async () => {
    const resident = await buildResident(t.db)
    const phone = await signInAs(t.app, resident)
    const laptop = await signInAs(t.app, resident)
    const list = (await t.app.inject({ url: '/api/me/sessions', headers: phone.headers })).json().items
    expect(list).toHaveLength(2)
    expect(list.find((s: { id: string }) => s.id === phone.sessionId).isCurrent).toBe(true)
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/me/sessions/${laptop.sessionId}`,
      headers: phone.headers,
    })
    expect(del.statusCode).toBe(204)
    expect(await sessionUser(laptop.headers)).toBeNull()
    expect((await sessionUser(phone.headers)).id).toBe(resident.id)
  })

  it('never lets a user revoke someone else’s session', async () => {
    const a = await signInAs(t.app, await buildResident(t.db))
    const b = await signInAs(t.app, await buildResident(t.db))
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/me/sessions/${b.sessionId}`,
      headers: a.headers,
    })
    expect(res.statusCode).toBe(404)
    expect(await sessionUser(b.headers)).not.toBeNull()
  })

  it('signs out everywhere else, and signs out here', async () => {
    const resident = await buildResident(t.db)
    const here = await signInAs(t.app, resident)
    const there = await signInAs(t.app, resident)
    const res = await t.app.inject({ method: 'DELETE', url: '/api/me/sessions', headers: here.headers })
    expect(res.json()).toEqual({ ended: 1 })
    expect(await sessionUser(there.headers)).toBeNull()
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: here.headers })
    expect(out.statusCode).toBe(204)
    expect(await sessionUser(here.headers)).toBeNull()
  })

  it('fills the actor with an officer’s current areas only', async () => {
    const { user, areas } = await buildOfficer(t.db)
    const s = await signInAs(t.app, user)
    const me = await sessionUser(s.headers)
    expect(me).toMatchObject({ kind: 'staff', roles: ['officer'] })
    const { sql } = await import('drizzle-orm')
    await t.db.execute(
      sql`update area_assignments set ends_at = now() - interval '1 minute' where officer_id = ${user.id}`,
    )
    // A new session reads the areas afresh: the ended one is not among them.
    const fresh = await signInAs(t.app, user)
    const listFresh = await t.app.inject({
      url: `/api/residents?areaId=${areas[0]!.id}`,
      headers: fresh.headers,
    })
    expect(listFresh.statusCode).toBe(403)
    // The open session was resolved before (and is cached): the access event every assignment change
    // publishes (the officer-change job at a scheduled end) drops it, and the next request is refused.
    await publishAfterCommit(t.app.deps.bus, accessChanged([user.id]))
    const list = await t.app.inject({ url: `/api/residents?areaId=${areas[0]!.id}`, headers: s.headers })
    expect(list.statusCode).toBe(403)
  })

  it('marks cookies Secure outside a plain-http localhost', async () => {
    const secureApp = await createTestApp({ PUBLIC_URL: 'https://nhipcau.example.vn' })
    try {
      const phone = fakePhone()
      await secureApp.app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone } })
      const { code } = (
        await secureApp.app.inject({ url: `/api/dev/last-otp?phone=${encodeURIComponent(phone)}` })
      ).json()
      const res = await secureApp.app.inject({
        method: 'POST',
        url: '/api/auth/otp/verify',
        payload: { phone, code },
      })
      expect(res.cookies.every((c) => c.secure === true)).toBe(true)
    } finally {
      await secureApp.close()
    }
  })
})
