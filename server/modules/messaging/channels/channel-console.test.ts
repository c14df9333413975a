import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog, externalContacts } from '../../../db/schema/index'
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
}, 180_000)
afterAll(async () => {
  await t?.close()
  await graph.stop()
})

/** A ward with two areas (the first covered by an officer) and its Facebook Page connected. */
async function world() {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward, name: 'Tổ dân phố 5' })
  const otherArea = await buildArea(t.db, { parent: ward, name: 'Tổ dân phố 6' })
  const officer = (await buildOfficer(t.db, { areas: [area], unit: ward })).user
  const otherOfficer = (await buildOfficer(t.db, { areas: [otherArea], unit: ward })).user
  const commander = (await buildCommander(t.db, { unit: ward })).user
  const { account, secrets } = await buildMessengerAccount(t.db, t.config.CHANNEL_SECRET_KEY, { unit: ward })
  graph.validTokens.add(secrets.accessToken)
  return { ward, area, otherArea, officer, otherOfficer, commander, account, secrets }
}
type World = Awaited<ReturnType<typeof world>>

let mids = 0
const psid = () => `${7_100_000_000_000_000 + ++mids * 89}`

function deliver(w: World, items: unknown[]) {
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
      'x-hub-signature-256': messengerSignature(w.secrets.appSecret, body),
    },
    payload: body,
  })
}
const text = (w: World, sender: string, body: string, extra: Record<string, unknown> = {}) => ({
  sender: { id: sender },
  recipient: { id: w.account.externalId },
  timestamp: Date.now(),
  message: { mid: `m_console_${++mids}`, text: body, ...extra },
})

async function drain() {
  while ((await t.jobs.drain()) > 0) {}
}

/** Someone who wrote from the poster's m.me link of the first area: their conversation with its officer. */
async function routedContact(w: World) {
  const sender = psid()
  await deliver(w, [
    {
      sender: { id: sender },
      timestamp: Date.now() - 1000,
      referral: { ref: w.area.slug, source: 'SHORTLINK' },
    },
    text(w, sender, 'Cho em hỏi về tạm trú'),
  ])
  await drain()
  const officer = await callerFor(t, w.officer)
  const inbox = await officer.get('/api/inbox')
  const conversation = (inbox.body.conversations as { id: string; channel: string }[]).find(
    (c) => c.channel === 'messenger',
  )!
  return { sender, officer, conversationId: conversation.id }
}

describe('a failed reply sent again', () => {
  it('goes out once more when the officer presses retry, and pressing twice sends it once', async () => {
    const w = await world()
    const { sender, officer, conversationId } = await routedContact(w)
    graph.sends.length = 0
    graph.failNext(graphErrors.tokenExpired)
    const sent = await officer.post(`/api/conversations/${conversationId}/messages`, {
      clientKey: key(),
      body: 'Anh/chị mang căn cước đến phường nhé.',
    })
    await drain()
    const messageId = sent.body.message.id as string
    const failed = (await officer.get(`/api/conversations/${conversationId}/messages`)).body.messages.find(
      (m: { id: string }) => m.id === messageId,
    )
    expect(failed.delivery).toMatchObject({ status: 'failed', errorKey: 'channels.error.token_invalid' })
    expect(graph.sends).toHaveLength(1)

    // Two clicks (or two officers) before the queue runs: one new delivery.
    const [first, second] = await Promise.all([
      officer.post(`/api/messages/${messageId}/delivery/retry`),
      officer.post(`/api/messages/${messageId}/delivery/retry`),
    ])
    expect(first.status).toBe(200)
    expect(second.status).toBe(200)
    expect(first.body.delivery.status).toBe('pending')
    await drain()
    expect(graph.sends).toHaveLength(2)
    expect(graph.sends[1]!.body.recipient?.id).toBe(sender)
    expect(graph.sends[1]!.body.message?.text).toBe('Anh/chị mang căn cước đến phường nhé.')
    const after = (await officer.get(`/api/conversations/${conversationId}/messages`)).body.messages.find(
      (m: { id: string }) => m.id === messageId,
    )
    expect(after.delivery).toMatchObject({ status: 'sent', errorKey: null, retries: 1 })

    // Once sent, retry changes nothing and sends nothing.
    const late = await officer.post(`/api/messages/${messageId}/delivery/retry`)
    expect(late.status).toBe(200)
    await drain()
    expect(graph.sends).toHaveLength(2)
  })

  it('is refused for a web message, and to an officer of another area', async () => {
    const w = await world()
    const { officer, conversationId } = await routedContact(w)
    const note = await officer.post(`/api/conversations/${conversationId}/messages`, {
      clientKey: key(),
      body: 'Ghi chú nội bộ',
      internal: true,
    })
    expect((await officer.post(`/api/messages/${note.body.message.id}/delivery/retry`)).status).toBe(409)
    const reply = await officer.post(`/api/conversations/${conversationId}/messages`, {
      clientKey: key(),
      body: 'Trả lời',
    })
    const other = await callerFor(t, w.otherOfficer)
    expect((await other.post(`/api/messages/${reply.body.message.id}/delivery/retry`)).status).toBe(404)
  })
})

describe('disconnecting a Page', () => {
  it('disables it for the commander, audited: webhooks are then dropped and replies fail as not connected', async () => {
    const w = await world()
    const { officer, conversationId } = await routedContact(w)
    const commander = await callerFor(t, w.commander)
    expect((await officer.del(`/api/units/${w.ward.id}/channels/${w.account.id}`)).status).toBe(403)
    const res = await commander.del(`/api/units/${w.ward.id}/channels/${w.account.id}`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: w.account.id, status: 'disabled' })
    const list = await commander.get(`/api/units/${w.ward.id}/channels`)
    expect(list.body.accounts[0].status).toBe('disabled')
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, w.account.id), eq(auditLog.action, 'channel.disconnect')))
    expect(audits).toHaveLength(1)

    graph.sends.length = 0
    const reply = await officer.post(`/api/conversations/${conversationId}/messages`, {
      clientKey: key(),
      body: 'Sau khi ngắt',
    })
    await drain()
    expect(graph.sends).toHaveLength(0)
    const shown = (await officer.get(`/api/conversations/${conversationId}/messages`)).body.messages.find(
      (m: { id: string }) => m.id === reply.body.message.id,
    )
    expect(shown.delivery).toMatchObject({ status: 'failed', errorKey: 'channels.error.not_connected' })
    const newcomer = psid()
    expect((await deliver(w, [text(w, newcomer, 'Xin chào')])).statusCode).toBe(200)
    await drain()
    const contacts = await t.db
      .select()
      .from(externalContacts)
      .where(and(eq(externalContacts.accountId, w.account.id), eq(externalContacts.platformUserId, newcomer)))
    expect(contacts).toHaveLength(0)
  })

  it("refuses another ward's account id under this ward", async () => {
    const w = await world()
    const other = await world()
    const commander = await callerFor(t, w.commander)
    expect((await commander.del(`/api/units/${w.ward.id}/channels/${other.account.id}`)).status).toBe(404)
  })
})
