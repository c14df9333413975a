import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../../../db/query'
import { externalContacts, inboundEvents } from '../../../db/schema/index'
import {
  buildArea,
  buildCommander,
  buildMessengerAccount,
  buildOfficer,
  buildWard,
} from '../../../test/factories/index'
import { FakeGraphApi, graphErrors } from '../../../test/fakes/fake-graph-api'
import { createTestApp, type TestContext } from '../../../test/test-app'
import { callerFor, key } from '../messaging.test-support'
import { messengerSignature } from './messenger.adapter'

let t: TestContext
const graph = new FakeGraphApi()
beforeAll(async () => {
  const url = await graph.start()
  t = await createTestApp({ MESSENGER_GRAPH_URL: url, MESSENGER_GRAPH_VERSION: 'v23.0' })
})
afterAll(async () => {
  await t.close()
  await graph.stop()
})

/** A ward with two areas, the first covered by an officer, and its Facebook Page connected. */
async function world() {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward, name: 'Tổ dân phố 5' })
  const otherArea = await buildArea(t.db, { parent: ward, name: 'Tổ dân phố 6' })
  const officer = (await buildOfficer(t.db, { areas: [area], unit: ward })).user
  const commander = (await buildCommander(t.db, { unit: ward })).user
  const { account, secrets } = await buildMessengerAccount(t.db, t.config.CHANNEL_SECRET_KEY, { unit: ward })
  graph.validTokens.add(secrets.accessToken)
  return { ward, area, otherArea, officer, commander, account, secrets }
}
type World = Awaited<ReturnType<typeof world>>

let mids = 0
const psid = () => `${7_000_000_000_000_000 + ++mids * 97}`
const textItem = (w: World, sender: string, text: string, extra: Record<string, unknown> = {}) => ({
  sender: { id: sender },
  recipient: { id: w.account.externalId },
  timestamp: Date.now(),
  message: { mid: `m_${++mids}_${sender}`, text, ...extra },
})

function deliver(w: World, items: unknown[], opts: { secret?: string; signature?: string } = {}) {
  const body = Buffer.from(
    JSON.stringify({
      object: 'page',
      entry: [{ id: w.account.externalId, time: Date.now(), messaging: items }],
    }),
  )
  return t.app.inject({
    method: 'POST',
    url: `/api/channels/messenger/${w.account.id}/webhook`,
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': opts.signature ?? messengerSignature(opts.secret ?? w.secrets.appSecret, body),
    },
    payload: body,
  })
}

async function drain() {
  while ((await t.jobs.drain()) > 0) {}
}

const storedEvents = async (w: World) =>
  (await t.db.select().from(inboundEvents).where(eq(inboundEvents.accountId, w.account.id))).length

async function inboxOf(w: World) {
  const officer = await callerFor(t, w.officer)
  const inbox = await officer.get('/api/inbox')
  return {
    officer,
    conversations: inbox.body.conversations as { id: string; channel: string; title: string }[],
  }
}

describe('Messenger webhook', () => {
  it('answers the verification handshake only with the verify token the unit chose', async () => {
    const w = await world()
    const url = `/api/channels/messenger/${w.account.id}/webhook`
    const ok = await t.app.inject({
      url: `${url}?hub.mode=subscribe&hub.verify_token=${w.secrets.verifyToken}&hub.challenge=1158201444`,
    })
    expect(ok.statusCode).toBe(200)
    expect(ok.body).toBe('1158201444')
    const wrong = await t.app.inject({
      url: `${url}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1`,
    })
    expect(wrong.statusCode).toBe(403)
    expect(wrong.body).not.toContain('1158201444')
  })

  it('refuses a bad signature with 401 and stores nothing', async () => {
    const w = await world()
    const sender = psid()
    const wrongSecret = await deliver(w, [textItem(w, sender, 'Xin chào')], { secret: 'not-the-app-secret' })
    expect(wrongSecret.statusCode).toBe(401)
    const missing = await deliver(w, [textItem(w, sender, 'Xin chào')], { signature: '' })
    expect(missing.statusCode).toBe(401)
    expect(await storedEvents(w)).toBe(0)
    const contacts = await t.db
      .select()
      .from(externalContacts)
      .where(eq(externalContacts.accountId, w.account.id))
    expect(contacts).toHaveLength(0)
  })

  it('turns the same event delivered three times into one message in the area officer inbox', async () => {
    const w = await world()
    const sender = psid()
    const item = textItem(w, sender, 'Nhà em bị mất xe máy đêm qua', {})
    // Came from the poster's m.me link: ?ref=<area short code>.
    const referral = {
      sender: { id: sender },
      timestamp: Date.now() - 1000,
      referral: { ref: w.area.slug, source: 'SHORTLINK', type: 'OPEN_THREAD' },
    }
    expect((await deliver(w, [referral])).statusCode).toBe(200)
    for (let i = 0; i < 3; i++) {
      const res = await deliver(w, [item])
      expect(res.statusCode).toBe(200)
      expect(res.body).toBe('EVENT_RECEIVED')
    }
    await drain()
    const { officer, conversations } = await inboxOf(w)
    expect(conversations).toHaveLength(1)
    expect(conversations[0]!.channel).toBe('messenger')
    const thread = await officer.get(`/api/conversations/${conversations[0]!.id}/messages`)
    expect(thread.body.messages.map((m: { body: string }) => m.body)).toEqual([
      'Nhà em bị mất xe máy đêm qua',
    ])
  })

  it('asks an unrouted contact which area they live in, then files their messages there in order', async () => {
    const w = await world()
    const sender = psid()
    await deliver(w, [textItem(w, sender, 'Cho em hỏi thủ tục tạm trú')])
    await deliver(w, [textItem(w, sender, 'Em ở trọ ạ')])
    graph.sends.length = 0
    await drain()
    // One question, with the ward's areas as quick replies.
    const asked = graph.sends.filter((s) => s.body.recipient?.id === sender)
    expect(asked).toHaveLength(1)
    expect(asked[0]!.accessToken).toBe(w.secrets.accessToken)
    expect(asked[0]!.body.message?.text).toContain('Anh/chị ở tổ dân phố nào?')
    const choices = asked[0]!.body.message?.quick_replies ?? []
    expect(choices.map((c) => c.title)).toEqual(['Tổ dân phố 5', 'Tổ dân phố 6'])
    expect((await inboxOf(w)).conversations).toHaveLength(0)

    await deliver(w, [textItem(w, sender, 'Tổ dân phố 5', { quick_reply: { payload: choices[0]!.payload } })])
    await drain()
    const { officer, conversations } = await inboxOf(w)
    expect(conversations).toHaveLength(1)
    const thread = await officer.get(`/api/conversations/${conversations[0]!.id}/messages`)
    expect(thread.body.messages.map((m: { body: string }) => m.body)).toEqual([
      'Cho em hỏi thủ tục tạm trú',
      'Em ở trọ ạ',
    ])
  })
})

/** A contact routed to w.area who wrote `ago` ms ago; returns the officer's conversation id. */
async function contactWhoWrote(w: World, ago = 0) {
  const sender = psid()
  await deliver(w, [{ ...textItem(w, sender, 'Anh ơi cho em hỏi'), timestamp: Date.now() - ago }, ...[]])
  await t.db.execute(sql`select 1`)
  await deliver(w, [
    {
      sender: { id: sender },
      timestamp: Date.now() - ago,
      referral: { ref: w.area.slug, source: 'SHORTLINK' },
    },
  ])
  // The first message came before the area: answer the question to route it.
  await deliver(w, [
    {
      ...textItem(w, sender, 'Tổ 5', { quick_reply: { payload: `AREA:${w.area.slug}` } }),
      timestamp: Date.now() - ago,
    },
  ])
  await drain()
  const [contact] = await t.db
    .select()
    .from(externalContacts)
    .where(and(eq(externalContacts.accountId, w.account.id), eq(externalContacts.platformUserId, sender)))
  await t.db
    .update(externalContacts)
    .set({ lastInboundAt: new Date(Date.now() - ago) })
    .where(eq(externalContacts.id, contact!.id))
  const { officer, conversations } = await inboxOf(w)
  return { sender, officer, conversationId: conversations[0]!.id }
}

describe('the officer answers a Messenger contact', () => {
  it('sends the reply through the Send API to the contact with the page token, and shows it as sent', async () => {
    const w = await world()
    const { sender, officer, conversationId } = await contactWhoWrote(w)
    graph.sends.length = 0
    const sent = await officer.post(`/api/conversations/${conversationId}/messages`, {
      clientKey: key(),
      body: 'Anh/chị mang CCCD đến trụ sở nhé.',
    })
    expect(sent.status).toBe(201)
    expect(sent.body.message.delivery).toMatchObject({ channel: 'messenger', status: 'pending' })
    await drain()
    expect(graph.sends).toHaveLength(1)
    expect(graph.sends[0]).toMatchObject({
      accessToken: w.secrets.accessToken,
      body: {
        recipient: { id: sender },
        messaging_type: 'RESPONSE',
        message: { text: 'Anh/chị mang CCCD đến trụ sở nhé.' },
      },
    })
    const thread = await officer.get(`/api/conversations/${conversationId}/messages`)
    const reply = thread.body.messages.find((m: { id: string }) => m.id === sent.body.message.id)
    expect(reply.delivery).toMatchObject({ status: 'sent', errorKey: null })
  })

  it('uses the HUMAN_AGENT tag after 24 hours and refuses after 7 days with a clear message', async () => {
    const w = await world()
    const twoDays = await contactWhoWrote(w, 2 * 24 * 3600_000)
    graph.sends.length = 0
    expect(
      (
        await twoDays.officer.post(`/api/conversations/${twoDays.conversationId}/messages`, {
          clientKey: key(),
          body: 'Trả lời muộn',
        })
      ).status,
    ).toBe(201)
    await drain()
    expect(graph.sends[0]!.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' })

    const eightDays = await contactWhoWrote(w, 8 * 24 * 3600_000)
    const refused = await eightDays.officer.post(`/api/conversations/${eightDays.conversationId}/messages`, {
      clientKey: key(),
      body: 'Quá hạn',
    })
    expect(refused.status).toBe(409)
    expect(refused.body.detail).toContain('Messenger không cho phép trả lời nữa')
    // An internal note is still allowed: it never leaves NhipCau.
    const note = await eightDays.officer.post(`/api/conversations/${eightDays.conversationId}/messages`, {
      clientKey: key(),
      body: 'Ghi chú',
      internal: true,
    })
    expect(note.status).toBe(201)
  })

  it('retries a temporary failure and shows a lasting one on the message', async () => {
    const w = await world()
    const { officer, conversationId } = await contactWhoWrote(w)
    graph.sends.length = 0
    graph.failNext(graphErrors.serverError, 2)
    const first = await officer.post(`/api/conversations/${conversationId}/messages`, {
      clientKey: key(),
      body: 'Lần một',
    })
    await drain()
    expect(graph.sends).toHaveLength(3)
    const ok = (await officer.get(`/api/conversations/${conversationId}/messages`)).body.messages.find(
      (m: { id: string }) => m.id === first.body.message.id,
    )
    expect(ok.delivery).toMatchObject({ status: 'sent', attempts: 3 })

    graph.validTokens.delete(w.secrets.accessToken)
    const second = await officer.post(`/api/conversations/${conversationId}/messages`, {
      clientKey: key(),
      body: 'Lần hai',
    })
    await drain()
    const failed = (await officer.get(`/api/conversations/${conversationId}/messages`)).body.messages.find(
      (m: { id: string }) => m.id === second.body.message.id,
    )
    expect(failed.delivery).toMatchObject({
      status: 'failed',
      errorKey: 'channels.error.token_invalid',
      attempts: 1,
    })
  })
})

describe('connecting a Page', () => {
  it('lets the ward commander connect it, and never returns the secrets', async () => {
    const w = await world()
    const commander = await callerFor(t, w.commander)
    const form = {
      pageId: '112233445566',
      name: 'Công an phường',
      appSecret: 'app-secret-abcdef',
      pageAccessToken: 'EAAG-token-abcdef',
      verifyToken: 'verify-abcdef',
    }
    const connected =
      (await commander.session) &&
      (await t.app.inject({
        method: 'PUT',
        url: `/api/units/${w.ward.id}/channels/messenger`,
        headers: commander.session.headers,
        payload: form,
      }))
    expect(connected.statusCode).toBe(200)
    expect(connected.json().webhookUrl).toMatch(/\/api\/channels\/messenger\/[0-9a-f-]{36}\/webhook$/)
    const list = await commander.get(`/api/units/${w.ward.id}/channels`)
    const text = JSON.stringify(list.body) + connected.body
    for (const secret of ['app-secret-abcdef', 'EAAG-token-abcdef', 'verify-abcdef'])
      expect(text).not.toContain(secret)
    const [stored] = await queryRows<{ secrets: string }>(
      t.db,
      sql`select secrets from channel_accounts where external_id = '112233445566'`,
    )
    expect(stored!.secrets).not.toContain('abcdef')
    const officer = await callerFor(t, w.officer)
    expect((await officer.get(`/api/units/${w.ward.id}/channels`)).status).toBe(403)
  })
})
