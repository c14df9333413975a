import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildArea, buildMessengerAccount, buildOfficer, buildWard } from '../../../test/factories/index'
import { FakeGraphApi } from '../../../test/fakes/fake-graph-api'
import { FakeZaloApi } from '../../../test/fakes/fake-zalo-api'
import { createTestApp, type TestContext } from '../../../test/test-app'
import { callerFor } from '../messaging.test-support'
import { messengerSignature } from './messenger.adapter'
import { deliverZalo, drainJobs, zaloEvent, zaloUser, zaloWorld } from './zalo-webhook.test-support'

let t: TestContext
const zalo = new FakeZaloApi()
const graph = new FakeGraphApi()
beforeAll(async () => {
  const zaloUrl = await zalo.start()
  t = await createTestApp({
    ZALO_OPENAPI_URL: zaloUrl,
    ZALO_OAUTH_URL: zaloUrl,
    MESSENGER_GRAPH_URL: await graph.start(),
    MESSENGER_GRAPH_VERSION: 'v23.0',
  })
})
afterAll(async () => {
  await t.close()
  await zalo.stop()
  await graph.stop()
})

const titles = async (user: { id: string; kind: 'resident' | 'staff' }) =>
  ((await (await callerFor(t, user)).get('/api/inbox')).body.conversations as { title: string }[]).map(
    (c) => c.title,
  )

describe("contacts' names from the platforms' profile APIs", () => {
  it('shows the Zalo display name in the inbox, asked once with the OA token', async () => {
    const w = await zaloWorld(t, zalo)
    const userId = zaloUser()
    zalo.profiles.set(userId, 'Nguyễn Văn An')
    await deliverZalo(t, w, zaloEvent(w, userId, 'follow', null, { source: `AREA:${w.area.slug}` }))
    await deliverZalo(t, w, zaloEvent(w, userId, 'user_send_text', { text: 'Cho em hỏi ạ' }))
    await drainJobs(t)
    expect(await titles(w.officer)).toEqual(['Nguyễn Văn An'])
    expect(zalo.profileCalls.filter((u) => u === userId)).toHaveLength(1)
  })

  it('keeps the placeholder when Zalo has no profile for the person', async () => {
    const w = await zaloWorld(t, zalo)
    const userId = zaloUser()
    await deliverZalo(t, w, zaloEvent(w, userId, 'follow', null, { source: `AREA:${w.area.slug}` }))
    await deliverZalo(t, w, zaloEvent(w, userId, 'user_send_text', { text: 'Alo' }))
    await drainJobs(t)
    expect(await titles(w.officer)).toEqual([`Zalo …${userId.slice(-4)}`])
  })

  it("shows the Messenger user's name from the User Profile API (page token, fields asked)", async () => {
    const ward = await buildWard(t.db)
    const area = await buildArea(t.db, { parent: ward })
    const officer = (await buildOfficer(t.db, { areas: [area], unit: ward })).user
    const { account, secrets } = await buildMessengerAccount(t.db, t.config.CHANNEL_SECRET_KEY, {
      unit: ward,
    })
    graph.validTokens.add(secrets.accessToken)
    const psid = '7000000000004242'
    graph.profiles.set(psid, { first_name: 'Thị Bình', last_name: 'Trần' })
    const body = Buffer.from(
      JSON.stringify({
        object: 'page',
        entry: [
          {
            id: account.externalId,
            time: Date.now(),
            messaging: [
              { sender: { id: psid }, timestamp: Date.now(), referral: { ref: area.slug } },
              {
                sender: { id: psid },
                timestamp: Date.now(),
                message: { mid: `m_profile_${Date.now()}`, text: 'Chào anh' },
              },
            ],
          },
        ],
      }),
    )
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/channels/messenger/${account.id}/webhook`,
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': messengerSignature(secrets.appSecret, body),
      },
      payload: body,
    })
    expect(res.statusCode).toBe(200)
    await drainJobs(t)
    expect(await titles(officer)).toEqual(['Thị Bình Trần'])
    const call = graph.profileCalls.find((c) => c.psid === psid)
    expect(call?.accessToken).toBe(secrets.accessToken)
    expect(call?.fields).toContain('name')
  })
})
