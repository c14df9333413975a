import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog, channelLinkCodes, conversations, externalContacts } from '../../../db/schema/index'
import { buildDirectConversation, buildMessage, buildResident } from '../../../test/factories/index'
import { FakeZaloApi } from '../../../test/fakes/fake-zalo-api'
import { createTestApp, type TestContext } from '../../../test/test-app'
import { callerFor, key } from '../messaging.test-support'
import {
  deliverZalo,
  drainJobs,
  routedZaloFollower,
  type ZaloWorld,
  zaloEvent,
  zaloUser,
  zaloWorld,
} from './zalo-webhook.test-support'

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

const say = async (w: ZaloWorld, userId: string, text: string) => {
  expect((await deliverZalo(t, w, zaloEvent(w, userId, 'user_send_text', { text }))).statusCode).toBe(200)
  await drainJobs(t)
}
const sentTo = (userId: string) =>
  zalo.sends.filter((s) => s.body.recipient?.user_id === userId).map((s) => s.body.message?.text ?? '')
const contactOf = async (userId: string) =>
  (await t.db.select().from(externalContacts).where(eq(externalContacts.platformUserId, userId)))[0]!

async function codeFor(resident: { id: string; kind: 'resident' | 'staff' }) {
  const res = await (await callerFor(t, resident)).post('/api/me/channel-link-code')
  expect(res.status).toBe(201)
  return res.body.code as string
}

describe('a resident gets a link code', () => {
  it('is short, readable, expires in 15 minutes, replaces the previous one and is rate-limited', async () => {
    const user = await buildResident(t.db)
    const resident = await callerFor(t, user)
    const first = await resident.post('/api/me/channel-link-code')
    expect(first.status).toBe(201)
    expect(first.body.code).toMatch(/^NC-[A-HJ-NP-Z2-9]{6}$/)
    const ttl = new Date(first.body.expiresAt).getTime() - Date.now()
    expect(ttl).toBeGreaterThan(14 * 60_000)
    expect(ttl).toBeLessThanOrEqual(15 * 60_000)
    for (let i = 0; i < 4; i++) expect((await resident.post('/api/me/channel-link-code')).status).toBe(201)
    const sixth = await resident.post('/api/me/channel-link-code')
    expect(sixth.status).toBe(429)
    // Only the last code works; nothing stores a code in clear.
    const rows = await t.db.select().from(channelLinkCodes).where(eq(channelLinkCodes.residentId, user.id))
    expect(rows.filter((r) => r.expiresAt.getTime() > Date.now())).toHaveLength(1)
    expect(JSON.stringify(rows)).not.toContain(first.body.code.slice(3))
  })

  it('is refused to staff', async () => {
    const w = await zaloWorld(t, zalo)
    expect((await (await callerFor(t, w.officer)).post('/api/me/channel-link-code')).status).toBe(403)
  })
})

describe('the contact sends the code in the Zalo chat', () => {
  it("makes the contact's conversation the resident's, answers in Zalo, files later messages as the resident's and audits the link", async () => {
    const w = await zaloWorld(t, zalo)
    const userId = await routedZaloFollower(t, w)
    await say(w, userId, 'Em muốn hỏi về đăng ký tạm trú')
    const resident = await buildResident(t.db, { area: w.area })
    const code = await codeFor(resident)
    zalo.sends.length = 0
    await say(w, userId, ` ${code.toLowerCase().replace('-', ' ')} `)
    expect(sentTo(userId)).toEqual([expect.stringContaining('Đã liên kết')])

    await say(w, userId, 'Cảm ơn anh')
    const me = await callerFor(t, resident)
    const ask = (await me.get('/api/ask')).body
    expect(ask.conversation.channel).toBe('zalo')
    const mine = (await me.get(`/api/conversations/${ask.conversation.id}/messages`)).body.messages
    // The code itself is a credential: never a message.
    expect(mine.map((m: { body: string; author: { id: string } }) => [m.body, m.author.id])).toEqual([
      ['Em muốn hỏi về đăng ký tạm trú', resident.id],
      ['Cảm ơn anh', resident.id],
    ])

    // The officer's answer still goes back to Zalo.
    const officer = await callerFor(t, w.officer)
    const inbox = (await officer.get('/api/inbox')).body.conversations
    expect(inbox.map((c: { id: string }) => c.id)).toEqual([ask.conversation.id])
    zalo.sends.length = 0
    await officer.post(`/api/conversations/${ask.conversation.id}/messages`, { clientKey: key(), body: 'Dạ' })
    await drainJobs(t)
    expect(sentTo(userId)).toEqual(['Dạ'])

    const contact = await contactOf(userId)
    expect(contact.residentId).toBe(resident.id)
    const [entry] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'channel.link'), eq(auditLog.entityId, contact.id)))
    expect(entry).toMatchObject({ actorRole: 'system', unitId: w.area.id })
    expect(entry!.details).toMatchObject({ platform: 'zalo', by: 'chat', residentId: resident.id })

    // Single use: the same code from another follower is refused, and links nothing.
    const other = await routedZaloFollower(t, w)
    zalo.sends.length = 0
    await say(w, other, code)
    expect(sentTo(other)).toEqual([expect.stringContaining('không đúng')])
    expect((await contactOf(other)).residentId).toBeNull()
  })

  it("moves the contact's messages into the conversation the resident already has, after its own", async () => {
    const w = await zaloWorld(t, zalo)
    const resident = await buildResident(t.db, { area: w.area })
    const web = await buildDirectConversation(t.db, { resident, area: w.area, assignee: w.officer })
    await buildMessage(t.db, { conversation: web, author: resident, body: 'Hỏi từ ứng dụng' })
    const userId = await routedZaloFollower(t, w)
    await say(w, userId, 'Hỏi từ Zalo')
    await say(w, userId, await codeFor(resident))

    const standIns = await t.db
      .select()
      .from(conversations)
      .where(eq(conversations.residentId, (await contactOf(userId)).userId))
    expect(standIns).toHaveLength(0)
    const officer = await callerFor(t, w.officer)
    const inbox = (await officer.get('/api/inbox')).body.conversations
    expect(inbox.map((c: { id: string; channel: string }) => [c.id, c.channel])).toEqual([[web.id, 'zalo']])
    const messages = (await officer.get(`/api/conversations/${web.id}/messages`)).body.messages
    expect(messages.map((m: { seq: number; body: string }) => [m.seq, m.body])).toEqual([
      [1, 'Hỏi từ ứng dụng'],
      [2, 'Hỏi từ Zalo'],
    ])

    // The resident now writes in the app: the answer stays in the app, nothing goes to Zalo.
    const me = await callerFor(t, resident)
    await me.post(`/api/conversations/${web.id}/messages`, { clientKey: key(), body: 'Em nhắn ở đây nhé' })
    zalo.sends.length = 0
    const reply = await officer.post(`/api/conversations/${web.id}/messages`, {
      clientKey: key(),
      body: 'Ok',
    })
    expect(reply.status).toBe(201)
    expect(reply.body.message.delivery).toBeNull()
    await drainJobs(t)
    expect(sentTo(userId)).toEqual([])
  })

  it('routes a contact who has not answered the area question to the resident’s area, with what they wrote before', async () => {
    const w = await zaloWorld(t, zalo)
    const userId = zaloUser()
    await say(w, userId, 'Có người lạ trước nhà em')
    const resident = await buildResident(t.db, { area: w.area })
    await say(w, userId, await codeFor(resident))
    const me = await callerFor(t, resident)
    const ask = (await me.get('/api/ask')).body
    const mine = (await me.get(`/api/conversations/${ask.conversation.id}/messages`)).body.messages
    expect(mine.map((m: { body: string }) => m.body)).toEqual(['Có người lạ trước nhà em'])
  })

  it('refuses an expired code and stops answering after five wrong codes in an hour', async () => {
    const w = await zaloWorld(t, zalo)
    const userId = await routedZaloFollower(t, w)
    const resident = await buildResident(t.db, { area: w.area })
    const code = await codeFor(resident)
    await t.db
      .update(channelLinkCodes)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(channelLinkCodes.residentId, resident.id))
    zalo.sends.length = 0
    await say(w, userId, code)
    for (let i = 0; i < 4; i++) await say(w, userId, 'NC-AAAAAA')
    const fresh = await codeFor(resident)
    await say(w, userId, fresh)
    const answers = sentTo(userId)
    expect(answers).toHaveLength(6)
    expect(answers.slice(0, 5).every((a) => a.includes('không đúng'))).toBe(true)
    expect(answers[5]).toContain('quá nhiều lần')
    expect((await contactOf(userId)).residentId).toBeNull()
  })
})

describe('the officer enters the code the resident reads out', () => {
  it('links the contact in the conversation, refuses a wrong code with the field named, and audits who did it', async () => {
    const w = await zaloWorld(t, zalo)
    const userId = await routedZaloFollower(t, w)
    await say(w, userId, 'Alo')
    const officer = await callerFor(t, w.officer)
    const [c] = (await officer.get('/api/inbox')).body.conversations
    const wrong = await officer.post(`/api/conversations/${c.id}/channel-link`, { code: 'NC-AAAAAA' })
    expect(wrong.status).toBe(400)
    expect(wrong.body.errors?.[0]?.field).toBe('code')
    const resident = await buildResident(t.db, { area: w.area })
    const ok = await officer.post(`/api/conversations/${c.id}/channel-link`, {
      code: await codeFor(resident),
    })
    expect(ok.status).toBe(200)
    expect(ok.body.conversationId).toBe(c.id)
    const me = await callerFor(t, resident)
    expect((await me.get('/api/ask')).body.conversation.id).toBe(c.id)
    const [entry] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'channel.link'), eq(auditLog.actorId, w.officer.id)))
    expect(entry?.details).toMatchObject({ by: 'officer', residentId: resident.id })
    // Linked already: the conversation is the resident's now, not a contact's.
    const again = await officer.post(`/api/conversations/${c.id}/channel-link`, {
      code: await codeFor(resident),
    })
    expect(again.status).toBe(409)
  })
})
