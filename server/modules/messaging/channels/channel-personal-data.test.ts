import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { channelLinkCodes, externalContacts, inboundEvents, messages, users } from '../../../db/schema/index'
import { buildResident } from '../../../test/factories/index'
import { FakeZaloApi } from '../../../test/fakes/fake-zalo-api'
import { createTestApp, type TestContext } from '../../../test/test-app'
import { unzip } from '../../tips/tips.test-support'
import { callerFor } from '../messaging.test-support'
import {
  deliverZalo,
  drainJobs,
  routedZaloFollower,
  type ZaloWorld,
  zaloEvent,
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
  await deliverZalo(t, w, zaloEvent(w, userId, 'user_send_text', { text }))
  await drainJobs(t)
}

/** A resident whose Zalo chat (two messages, one naming her) is linked to her account. */
async function linkedResident() {
  const w = await zaloWorld(t, zalo)
  const resident = await buildResident(t.db, { area: w.area })
  const me = await callerFor(t, resident)
  const userId = await routedZaloFollower(t, w)
  await say(w, userId, 'Em là Nguyễn Thị Hoa, số nhà 12 ngõ 5')
  await say(w, userId, (await me.post('/api/me/channel-link-code')).body.code)
  await say(w, userId, 'Nhà em bị mất xe đạp')
  const [contact] = await t.db
    .select()
    .from(externalContacts)
    .where(eq(externalContacts.platformUserId, userId))
  return { w, resident, me, userId, contact: contact! }
}

describe("a linked Zalo contact in the resident's own data", () => {
  it('the export lists the linked chat and holds its messages as hers', async () => {
    const { me, w } = await linkedResident()
    const res = await t.app.inject({ url: '/api/me/export', headers: me.session.headers })
    expect(res.statusCode).toBe(200)
    const zip = await unzip(res.rawPayload)
    const json = (name: string) => JSON.parse(zip.get(`${name}.json`)!.toString('utf8'))
    expect(json('channels').linkedContacts).toEqual([
      expect.objectContaining({ platform: 'zalo', area: w.area.name, linkedAt: expect.any(String) }),
    ])
    expect(json('channels').linkCodes).toHaveLength(1)
    const [conversation] = json('messaging').conversations
    expect(conversation.messages.map((m: { from: string; body: string }) => [m.from, m.body])).toEqual([
      ['me', 'Em là Nguyễn Thị Hoa, số nhà 12 ngõ 5'],
      ['me', 'Nhà em bị mất xe đạp'],
    ])
    // What the resident sees in the app lists the link too.
    const links = (await me.get('/api/me/channel-links')).body.contacts
    expect(links).toEqual([expect.objectContaining({ platform: 'zalo', accountName: w.account.name })])
  })

  it('deleting the account empties the Zalo messages, the raw webhook events and the contact, and unlinks the chat', async () => {
    const { me, w, userId, contact, resident } = await linkedResident()
    const del = await t.app.inject({ method: 'DELETE', url: '/api/me', headers: me.session.headers })
    expect(del.statusCode).toBe(204)
    const events = await t.db.select().from(inboundEvents).where(eq(inboundEvents.platformUserId, userId))
    expect(events).toHaveLength(0)
    const [after] = await t.db.select().from(externalContacts).where(eq(externalContacts.id, contact.id))
    expect(after).toMatchObject({ residentId: null, areaId: null, displayName: '' })
    expect(after!.platformUserId).not.toBe(userId)
    const [standIn] = await t.db.select().from(users).where(eq(users.id, contact.userId))
    expect(standIn!.displayName).toBe('')
    const hers = await t.db.select().from(messages).where(eq(messages.authorId, resident.id))
    expect(hers.length).toBeGreaterThan(0)
    expect(hers.every((m) => m.body === '')).toBe(true)
    expect(
      await t.db.select().from(channelLinkCodes).where(eq(channelLinkCodes.residentId, resident.id)),
    ).toHaveLength(0)

    // The same chat writing again is a new, unlinked contact: nothing reaches the deleted account.
    await say(w, userId, 'Alo')
    const [fresh] = await t.db
      .select()
      .from(externalContacts)
      .where(eq(externalContacts.platformUserId, userId))
    expect(fresh!.id).not.toBe(contact.id)
    expect(fresh!.residentId).toBeNull()
  })
})
