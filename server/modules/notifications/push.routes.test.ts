import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signInAs } from '../../test/auth-helpers'
import { buildArea, buildOfficer, buildResident } from '../../test/factories/index'
import { startFakePushService } from '../../test/fakes/fake-push-service'
import { createTestApp, type TestContext } from '../../test/test-app'

let t: TestContext
let push: Awaited<ReturnType<typeof startFakePushService>>
beforeAll(async () => {
  t = await createTestApp()
  push = await startFakePushService()
})
afterAll(async () => {
  await push.close()
  await t.close()
})

describe('Web Push subscriptions', () => {
  it('gives the same VAPID public key to every caller, generated once', async () => {
    const first = (await t.app.inject('/api/push/public-key')).json()
    const second = (await t.app.inject('/api/push/public-key')).json()
    expect(Buffer.from(first.publicKey, 'base64url')).toHaveLength(65)
    expect(second.publicKey).toBe(first.publicKey)
  })

  it('subscribes a phone once however often it re-subscribes, and pushes reach it', async () => {
    const resident = await buildResident(t.db)
    const session = await signInAs(t.app, resident)
    const device = push.addDevice('phone-of-lan')
    for (let i = 0; i < 2; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/push/subscriptions',
        headers: session.headers,
        payload: device,
      })
      expect(res.statusCode).toBe(201)
    }
    const queued = await t.app.push.notifyUsers(
      [resident.id],
      { title: 'Tin nhắn mới', body: 'Cán bộ đã trả lời anh/chị', url: '/ask' },
      { dedupeKey: 'route-test' },
    )
    expect(queued).toBe(1)
    while ((await t.jobs.drain()) > 0);
    expect(push.received.map((r) => JSON.parse(r.plaintext).title)).toEqual(['Tin nhắn mới'])

    const off = await t.app.inject({
      method: 'DELETE',
      url: '/api/push/subscriptions',
      headers: session.headers,
      payload: { endpoint: device.endpoint },
    })
    expect(off.statusCode).toBe(204)
    expect(
      await t.app.push.notifyUsers(
        [resident.id],
        { title: 'x', body: 'y', url: '/' },
        { dedupeKey: 'after-off' },
      ),
    ).toBe(0)
  })

  it('refuses a key that is not a P-256 public key, naming the field', async () => {
    const session = await signInAs(t.app, await buildResident(t.db))
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/push/subscriptions',
      headers: session.headers,
      payload: { endpoint: 'https://push.example.invalid/x', keys: { p256dh: 'abc', auth: 'def' } },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['keys.p256dh', 'keys.auth']),
    )
  })

  it('pushes a resident’s question to the area officer’s phone, never back to the resident', async () => {
    const area = await buildArea(t.db)
    const { user: officer } = await buildOfficer(t.db, { areas: [area] })
    const resident = await buildResident(t.db, { area })
    const officerPhone = push.addDevice('officer-phone')
    const residentPhone = push.addDevice('resident-phone')
    for (const [user, device] of [
      [officer, officerPhone],
      [resident, residentPhone],
    ] as const) {
      const session = await signInAs(t.app, user)
      await t.app.inject({
        method: 'POST',
        url: '/api/push/subscriptions',
        headers: session.headers,
        payload: device,
      })
    }
    const session = await signInAs(t.app, resident)
    const sent = await t.app.inject({
      method: 'POST',
      url: '/api/ask/messages',
      headers: session.headers,
      payload: { clientKey: 'push-question-1', body: 'Cho em hỏi làm căn cước cho con ở đâu ạ?' },
    })
    expect(sent.statusCode).toBe(201)
    while ((await t.jobs.drain()) > 0);
    const toOfficer = push.received
      .filter((r) => r.path === '/push/officer-phone')
      .map((r) => JSON.parse(r.plaintext))
    expect(toOfficer).toHaveLength(1)
    expect(toOfficer[0]).toMatchObject({ body: 'Cho em hỏi làm căn cước cho con ở đâu ạ?' })
    expect(toOfficer[0].url).toMatch(/^\/staff\/inbox\//)
    expect(push.received.filter((r) => r.path === '/push/resident-phone')).toHaveLength(0)
  })

  it('stops pushing a direct conversation its reader muted, and only to them', async () => {
    const area = await buildArea(t.db)
    const { user: officer } = await buildOfficer(t.db, { areas: [area] })
    const resident = await buildResident(t.db, { area })
    const residentSession = await signInAs(t.app, resident)
    const officerSession = await signInAs(t.app, officer)
    await t.app.inject({
      method: 'POST',
      url: '/api/push/subscriptions',
      headers: residentSession.headers,
      payload: push.addDevice('muting-resident'),
    })
    const asked = await t.app.inject({
      method: 'POST',
      url: '/api/ask/messages',
      headers: residentSession.headers,
      payload: { clientKey: 'mute-question-1', body: 'Em hỏi về tạm trú ạ' },
    })
    const conversationId = asked.json().conversationId
    const reply = (key: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/conversations/${conversationId}/messages`,
        headers: officerSession.headers,
        payload: { clientKey: key, body: `Trả lời ${key}` },
      })
    await reply('before-mute')
    const mute = await t.app.inject({
      method: 'PUT',
      url: `/api/conversations/${conversationId}/mute`,
      headers: residentSession.headers,
      payload: { muted: true },
    })
    expect(mute.json()).toEqual({ notificationsMuted: true })
    await reply('after-mute')
    while ((await t.jobs.drain()) > 0);
    const bodies = push.received
      .filter((r) => r.path === '/push/muting-resident')
      .map((r) => JSON.parse(r.plaintext).body)
    expect(bodies).toEqual(['Trả lời before-mute'])
  })
})
