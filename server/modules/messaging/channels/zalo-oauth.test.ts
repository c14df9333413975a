import { createHash } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog, channelAccounts } from '../../../db/schema/index'
import { openSecret } from '../../../lib/secret-box'
import { buildCommander, buildOfficer, buildWard } from '../../../test/factories/index'
import { FakeZaloApi } from '../../../test/fakes/fake-zalo-api'
import { createTestApp, type TestContext } from '../../../test/test-app'
import { callerFor } from '../messaging.test-support'

let t: TestContext
const zalo = new FakeZaloApi()
beforeAll(async () => {
  const url = await zalo.start()
  t = await createTestApp({ ZALO_OPENAPI_URL: url, ZALO_OAUTH_URL: url })
})
afterAll(async () => {
  await t.close()
  await zalo.stop()
})

let seq = 0
async function world() {
  const ward = await buildWard(t.db)
  const commander = await callerFor(t, (await buildCommander(t.db, { unit: ward })).user)
  const app = {
    appId: `3${Date.now()}${++seq}`,
    secretKey: `zalo-app-secret-${seq}-xyz`,
    oaId: `4${Date.now()}${seq}`,
  }
  zalo.oauth.apps.set(app.appId, { secretKey: app.secretKey, oaId: app.oaId })
  const form = {
    appId: app.appId,
    name: 'Công an phường (OA)',
    appSecret: app.secretKey,
    oaSecret: `oa-secret-${seq}-xyz`,
  }
  return { ward, commander, app, form }
}
type World = Awaited<ReturnType<typeof world>>

/** The commander presses "connect with Zalo": the consent URL, and the flow cookie the browser keeps. */
async function start(w: World) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/units/${w.ward.id}/channels/zalo/oauth`,
    headers: w.commander.session.headers,
    payload: w.form,
  })
  expect(res.statusCode, res.body).toBe(200)
  const flowCookie = res.cookies.find((c) => c.name === 'nhipcau_zalo_oauth')!
  return { url: new URL(res.json().authorizationUrl as string), flowCookie }
}

/** The browser at Zalo's consent page: where Zalo sends it back. */
async function consent(url: URL) {
  const res = await fetch(url, { redirect: 'manual' })
  expect(res.status).toBe(302)
  return new URL(res.headers.get('location')!)
}

function callback(w: World, back: URL, flowCookie: string, caller = w.commander) {
  return t.app.inject({
    method: 'GET',
    url: `${back.pathname}${back.search}`,
    headers: {
      ...caller.session.headers,
      cookie: `${caller.session.headers.cookie}; nhipcau_zalo_oauth=${flowCookie}`,
    },
  })
}

const accountsOf = (w: World) =>
  t.db
    .select()
    .from(channelAccounts)
    .where(and(eq(channelAccounts.unitId, w.ward.id), eq(channelAccounts.platform, 'zalo')))

describe('connect with Zalo (OAuth v4 with PKCE)', () => {
  it("sends the commander to Zalo with an S256 challenge, and Zalo's callback connects the OA with fresh tokens", async () => {
    const w = await world()
    const { url, flowCookie } = await start(w)
    expect(url.pathname).toBe('/v4/oa/permission')
    expect(url.searchParams.get('app_id')).toBe(w.app.appId)
    expect(url.searchParams.get('redirect_uri')).toBe(
      `${t.config.PUBLIC_URL}/api/channels/zalo/oauth/callback`,
    )
    const challenge = url.searchParams.get('code_challenge')!
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(url.searchParams.get('state')!.length).toBeGreaterThanOrEqual(32)
    // Neither the secrets nor the verifier travel to Zalo in the URL.
    expect(url.toString()).not.toContain('xyz')

    const back = await consent(url)
    expect(back.searchParams.get('oa_id')).toBe(w.app.oaId)
    const res = await callback(w, back, flowCookie.value)
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe(`/staff/units/${w.ward.id}/channels?connected=zalo`)
    // The flow cookie is spent.
    expect(res.cookies.find((c) => c.name === 'nhipcau_zalo_oauth')?.value).toBe('')

    // Zalo got the code with the verifier that hashes to the challenge, and the app's secret key in the header.
    const exchange = zalo.oauth.exchanges.at(-1)!
    expect(exchange.secretKey).toBe(w.app.secretKey)
    expect(exchange.form).toMatchObject({
      app_id: w.app.appId,
      grant_type: 'authorization_code',
      code: back.searchParams.get('code'),
    })
    expect(createHash('sha256').update(exchange.form.code_verifier!).digest('base64url')).toBe(challenge)

    const [row] = await accountsOf(w)
    expect(row).toMatchObject({
      externalId: w.app.oaId,
      appId: w.app.appId,
      status: 'active',
      name: 'Công an phường (OA)',
    })
    const secrets = openSecret<{ accessToken: string; refreshToken: string; oaSecret: string }>(
      t.config.CHANNEL_SECRET_KEY,
      row!.secrets,
    )
    expect(zalo.validTokens.has(secrets.accessToken)).toBe(true)
    expect(secrets.oaSecret).toBe(w.form.oaSecret)
    expect(row!.tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 24 * 3600_000)

    const list = await w.commander.get(`/api/units/${w.ward.id}/channels`)
    expect(list.body.accounts).toHaveLength(1)
    expect(JSON.stringify(list.body)).not.toContain('xyz')
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, row!.id), eq(auditLog.action, 'channel.connect')))
    expect(audits).toHaveLength(1)
  })

  it('a code is spent once: replaying the callback connects nothing more and says so', async () => {
    const w = await world()
    const { url, flowCookie } = await start(w)
    const back = await consent(url)
    expect((await callback(w, back, flowCookie.value)).statusCode).toBe(303)
    const again = await callback(w, back, flowCookie.value)
    expect(again.headers.location).toBe(`/staff/units/${w.ward.id}/channels?error=channels.oauth.refused`)
    const [row] = await accountsOf(w)
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, row!.id), eq(auditLog.action, 'channel.connect')))
    expect(audits).toHaveLength(1)
  })

  it("refuses a callback without the flow cookie, with another state, or in another person's session", async () => {
    const w = await world()
    const { url, flowCookie } = await start(w)
    const back = await consent(url)
    const noCookie = await t.app.inject({
      method: 'GET',
      url: `${back.pathname}${back.search}`,
      headers: w.commander.session.headers,
    })
    expect(noCookie.statusCode).toBe(404)
    const forged = new URL(back)
    forged.searchParams.set('state', 'someone-elses-state')
    expect((await callback(w, forged, flowCookie.value)).statusCode).toBe(404)
    const other = await callerFor(t, (await buildCommander(t.db, { unit: w.ward })).user)
    expect((await callback(w, back, flowCookie.value, other)).statusCode).toBe(404)
    const anonymous = await t.app.inject({
      method: 'GET',
      url: `${back.pathname}${back.search}`,
      cookies: { nhipcau_zalo_oauth: flowCookie.value },
    })
    expect(anonymous.statusCode).toBe(401)
    expect(await accountsOf(w)).toHaveLength(0)
  })

  it('when the OA admin refuses on Zalo, nothing is connected and the console says why', async () => {
    const w = await world()
    const { url, flowCookie } = await start(w)
    zalo.oauth.denyNext = true
    const back = await consent(url)
    const res = await callback(w, back, flowCookie.value)
    expect(res.headers.location).toBe(`/staff/units/${w.ward.id}/channels?error=channels.oauth.denied`)
    expect(await accountsOf(w)).toHaveLength(0)
  })

  it("an officer may not start connecting the ward's OA", async () => {
    const w = await world()
    const officer = await callerFor(t, (await buildOfficer(t.db, { unit: w.ward })).user)
    const res = await officer.post(`/api/units/${w.ward.id}/channels/zalo/oauth`, w.form)
    expect(res.status).toBe(403)
  })
})
