import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { channelAccounts, externalContacts, inboundEvents } from '../../../db/schema/index'
import { openSecret } from '../../../lib/secret-box'
import {
  buildArea,
  buildCommander,
  buildOfficer,
  buildWard,
  buildZaloAccount,
} from '../../../test/factories/index'
import { FakeZaloApi } from '../../../test/fakes/fake-zalo-api'
import { createTestApp, type TestContext } from '../../../test/test-app'
import { callerFor, key } from '../messaging.test-support'
import { zaloSignature } from './zalo.adapter'

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

async function world() {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward, name: 'Tổ dân phố 3' })
  const officer = (await buildOfficer(t.db, { areas: [area], unit: ward })).user
  const commander = (await buildCommander(t.db, { unit: ward })).user
  const { account, secrets } = await buildZaloAccount(t.db, t.config.CHANNEL_SECRET_KEY, { unit: ward })
  zalo.validTokens.add(secrets.accessToken)
  return { ward, area, officer, commander, account, secrets }
}
type World = Awaited<ReturnType<typeof world>>

let seq = 0
const zaloUser = () => `84${Date.now() % 1_000_000_000}${++seq}`

function event(
  w: World,
  userId: string,
  eventName: string,
  message: Record<string, unknown> | null,
  at = Date.now(),
) {
  return {
    app_id: w.account.appId,
    user_id_by_app: `app-${userId}`,
    event_name: eventName,
    timestamp: String(at),
    ...(message
      ? {
          sender: { id: userId },
          recipient: { id: w.account.externalId },
          message: { msg_id: `zmsg-${++seq}`, ...message },
        }
      : { oa_id: w.account.externalId, follower: { id: userId }, source: 'oa_profile' }),
  }
}

function deliver(w: World, body: Record<string, unknown>, opts: { signature?: string } = {}) {
  const raw = JSON.stringify(body)
  return t.app.inject({
    method: 'POST',
    url: `/api/channels/zalo/${w.account.id}/webhook`,
    headers: {
      'content-type': 'application/json',
      'x-zevent-signature':
        opts.signature ?? zaloSignature(w.account.appId, raw, String(body.timestamp), w.secrets.oaSecret),
    },
    payload: raw,
  })
}

async function drain() {
  while ((await t.jobs.drain()) > 0) {}
}
const stored = async (w: World) =>
  (await t.db.select().from(inboundEvents).where(eq(inboundEvents.accountId, w.account.id))).length

/** A follower who answered the area question: their user id and the officer's conversation. */
async function routedFollower(w: World) {
  const userId = zaloUser()
  await deliver(w, event(w, userId, 'follow', null))
  zalo.sends.length = 0
  await drain()
  const question = zalo.sends.find((s) => s.body.recipient?.user_id === userId)!
  const button = question.body.message!.attachment!.payload!.buttons!.find((b) => b.title === 'Tổ dân phố 3')!
  await deliver(w, event(w, userId, 'user_send_text', { text: button.payload }))
  await drain()
  return { userId, question }
}

describe('Zalo OA webhook', () => {
  it('refuses a bad signature and a stale timestamp with 401, storing nothing', async () => {
    const w = await world()
    const userId = zaloUser()
    const body = event(w, userId, 'user_send_text', { text: 'Xin chào' })
    expect((await deliver(w, body, { signature: 'mac=0000' })).statusCode).toBe(401)
    const stale = event(w, userId, 'user_send_text', { text: 'Xin chào' }, Date.now() - 60 * 60_000)
    expect((await deliver(w, stale)).statusCode).toBe(401)
    // Signed with another OA's secret.
    const raw = JSON.stringify(body)
    const forged = zaloSignature(w.account.appId, raw, body.timestamp, 'another-oa-secret')
    expect((await deliver(w, body, { signature: forged })).statusCode).toBe(401)
    expect(await stored(w)).toBe(0)
  })

  it('asks a new follower their area with buttons, then files text, image, location and sticker once each', async () => {
    const w = await world()
    const { userId, question } = await routedFollower(w)
    expect(question.accessToken).toBe(w.secrets.accessToken)
    expect(question.body.message?.text).toContain('Anh/chị ở tổ dân phố nào?')
    const text = event(w, userId, 'user_send_text', { text: 'Xóm em có người lạ hay tụ tập' })
    for (let i = 0; i < 3; i++) expect((await deliver(w, text)).statusCode).toBe(200)
    await deliver(
      w,
      event(w, userId, 'user_send_image', {
        text: '',
        attachments: [{ type: 'image', payload: { url: `${zalo.baseUrl}/cdn/missing.jpg` } }],
      }),
    )
    await deliver(
      w,
      event(w, userId, 'user_send_location', {
        attachments: [
          { type: 'location', payload: { coordinates: { latitude: '21.0285', longitude: '105.8542' } } },
        ],
      }),
    )
    await deliver(
      w,
      event(w, userId, 'user_send_sticker', {
        attachments: [{ type: 'sticker', payload: { id: 'abc', url: `${zalo.baseUrl}/cdn/s.png` } }],
      }),
    )
    await drain()
    const officer = await callerFor(t, w.officer)
    const inbox = (await officer.get('/api/inbox')).body.conversations
    expect(inbox).toHaveLength(1)
    expect(inbox[0].channel).toBe('zalo')
    const messages = (await officer.get(`/api/conversations/${inbox[0].id}/messages`)).body.messages
    expect(messages.map((m: { kind: string; body: string }) => [m.kind, m.body])).toEqual([
      ['text', 'Xóm em có người lạ hay tụ tập'],
      ['text', '📷'],
      ['location', ''],
      ['text', '🙂'],
    ])
    expect(messages[2].payload).toMatchObject({ lat: 21.0285, lng: 105.8542 })
  })
})

describe('the officer answers a Zalo follower', () => {
  it('sends a consultation message to the follower with the OA token', async () => {
    const w = await world()
    const { userId } = await routedFollower(w)
    await deliver(w, event(w, userId, 'user_send_text', { text: 'Cho em hỏi giờ làm việc' }))
    await drain()
    const officer = await callerFor(t, w.officer)
    const [conversation] = (await officer.get('/api/inbox')).body.conversations
    zalo.sends.length = 0
    const sent = await officer.post(`/api/conversations/${conversation.id}/messages`, {
      clientKey: key(),
      body: 'Sáng 7h30 đến 11h30 ạ.',
    })
    expect(sent.status).toBe(201)
    await drain()
    expect(zalo.sends).toEqual([
      {
        accessToken: w.secrets.accessToken,
        body: { recipient: { user_id: userId }, message: { text: 'Sáng 7h30 đến 11h30 ạ.' } },
      },
    ])
    const reply = (await officer.get(`/api/conversations/${conversation.id}/messages`)).body.messages.at(-1)
    expect(reply.delivery).toMatchObject({ channel: 'zalo', status: 'sent' })
  })

  it('shows "window closed" on the message when Zalo refuses it (-230)', async () => {
    const w = await world()
    const { userId } = await routedFollower(w)
    await deliver(w, event(w, userId, 'user_send_text', { text: 'Alo' }))
    await drain()
    const officer = await callerFor(t, w.officer)
    const [conversation] = (await officer.get('/api/inbox')).body.conversations
    zalo.failNext(-230, 'User has not interacted with the OA in the past 7 days')
    await officer.post(`/api/conversations/${conversation.id}/messages`, {
      clientKey: key(),
      body: 'Trả lời',
    })
    await drain()
    const reply = (await officer.get(`/api/conversations/${conversation.id}/messages`)).body.messages.at(-1)
    expect(reply.delivery).toMatchObject({ status: 'failed', errorKey: 'channels.error.window_closed' })
  })
})

describe('connecting an OA', () => {
  it('keeps the tokens write-only and refreshes the access token before it expires', async () => {
    const ward = await buildWard(t.db)
    const commander = await callerFor(t, (await buildCommander(t.db, { unit: ward })).user)
    const form = {
      oaId: `1${Date.now()}`,
      appId: `2${Date.now()}`,
      name: 'Công an phường',
      appSecret: 'zalo-app-secret-xyz',
      oaSecret: 'zalo-oa-secret-xyz',
      accessToken: 'zat-first-token-xyz',
      refreshToken: 'zrt-first-refresh-xyz',
      expiresIn: 600,
    }
    zalo.refreshTokens.set(form.refreshToken, form.appSecret)
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/units/${ward.id}/channels/zalo`,
      headers: commander.session.headers,
      payload: form,
    })
    expect(res.statusCode).toBe(200)
    for (const secret of ['xyz']) expect(res.body).not.toContain(secret)
    zalo.refreshes.length = 0
    await drain()
    expect(zalo.refreshes).toHaveLength(1)
    expect(zalo.refreshes[0]).toMatchObject({
      secretKey: form.appSecret,
      form: { refresh_token: form.refreshToken, app_id: form.appId, grant_type: 'refresh_token' },
    })
    const [row] = await t.db.select().from(channelAccounts).where(eq(channelAccounts.id, res.json().id))
    const secrets = openSecret<{ accessToken: string; refreshToken: string }>(
      t.config.CHANNEL_SECRET_KEY,
      row!.secrets,
    )
    expect(secrets.accessToken).not.toBe(form.accessToken)
    expect(zalo.validTokens.has(secrets.accessToken)).toBe(true)
    expect(row!.tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 24 * 3600_000)
    const contacts = await t.db.select().from(externalContacts).where(eq(externalContacts.accountId, row!.id))
    expect(contacts).toHaveLength(0)
  })
})
