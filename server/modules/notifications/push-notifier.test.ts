import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { buildResident } from '../../test/factories/index'
import { startFakePushService } from '../../test/fakes/fake-push-service'
import { createTestApp, type TestContext } from '../../test/test-app'
import { pushRepository } from './push.repository'
import { PushNotifier } from './push-notifier'
import { pushTopic } from './web-push-sender'

let t: TestContext
let push: Awaited<ReturnType<typeof startFakePushService>>
let notifier: PushNotifier
beforeAll(async () => {
  t = await createTestApp()
  push = await startFakePushService()
  // An answer within 1.5 s or the push is unconfirmed: the fake answers in milliseconds unless told
  // to swallow an answer, and then the tests need not wait a minute.
  notifier = new PushNotifier(
    t.db,
    t.jobs,
    'mailto:quantri@nhipcau.invalid',
    t.config.PUSH_ALLOWED_HOSTS,
    undefined,
    { timeoutMs: 1500 },
  )
  notifier.registerJobs()
})
afterAll(async () => {
  await push.close()
  await t.close()
})

async function subscribe(userId: string, device: string) {
  const sub = push.addDevice(device)
  const row = await pushRepository.upsert(t.db, {
    userId,
    endpoint: sub.endpoint,
    p256dh: sub.keys.p256dh,
    auth: sub.keys.auth,
  })
  return row!
}

const drainAll = async () => {
  for (let i = 0; i < 10 && (await t.jobs.drain()) > 0; i++);
}

describe('Web Push delivery', () => {
  it('delivers an encrypted, VAPID-signed notification that the device can decrypt', async () => {
    const lan = await buildResident(t.db)
    await subscribe(lan.id, 'lan-phone')
    const queued = await notifier.notifyUsers(
      [lan.id],
      {
        title: 'Cảnh báo lừa đảo',
        body: 'Công an không bao giờ yêu cầu chuyển tiền qua điện thoại.',
        url: '/alerts/1',
      },
      { dedupeKey: 'alert-1' },
    )
    expect(queued).toBe(1)
    await drainAll()
    expect(push.errors).toEqual([])
    const got = push.received.find((r) => r.path === '/push/lan-phone')!
    expect(JSON.parse(got.plaintext)).toMatchObject({ title: 'Cảnh báo lừa đảo', url: '/alerts/1' })
    expect(got.vapidSubject).toBe('mailto:quantri@nhipcau.invalid')
  })

  it('never notifies the author, and never twice for one dedupe key', async () => {
    const author = await buildResident(t.db)
    const reader = await buildResident(t.db)
    await subscribe(author.id, 'author-phone')
    await subscribe(reader.id, 'reader-phone')
    const payload = { title: 'Tin nhắn mới', body: 'Xin chào', url: '/ask' }
    await notifier.notifyUsers([author.id, reader.id], payload, {
      dedupeKey: 'msg-7',
      excludeUserId: author.id,
    })
    expect(await notifier.notifyUsers([reader.id], payload, { dedupeKey: 'msg-7' })).toBe(0)
    await drainAll()
    expect(push.received.filter((r) => r.path === '/push/author-phone')).toHaveLength(0)
    expect(push.received.filter((r) => r.path === '/push/reader-phone')).toHaveLength(1)
  })

  it('retries when the push service fails, and drops a subscription the service says is gone', async () => {
    const flakyUser = await buildResident(t.db)
    const goneUser = await buildResident(t.db)
    await subscribe(flakyUser.id, 'flaky-phone')
    const goneSub = await subscribe(goneUser.id, 'old-phone')
    push.failNext('flaky-phone', 2)
    push.markGone('old-phone')
    await notifier.notifyUsers(
      [flakyUser.id, goneUser.id],
      { title: 'T', body: 'B', url: '/' },
      { dedupeKey: 'n-3' },
    )
    await drainAll()
    expect(push.received.filter((r) => r.path === '/push/flaky-phone')).toHaveLength(1)
    expect(await pushRepository.get(t.db, goneSub.id)).toBeUndefined()
  })

  it('sends once when the service accepted the push but recording it failed (a retry would buzz twice)', async () => {
    const user = await buildResident(t.db)
    await subscribe(user.id, 'once-phone')
    vi.spyOn(pushRepository, 'markDelivered').mockRejectedValueOnce(new Error('connection terminated'))
    await notifier.notifyUsers([user.id], { title: 'T', body: 'B', url: '/' }, { dedupeKey: 'n-4' })
    await drainAll()
    expect(push.received.filter((r) => r.path === '/push/once-phone')).toHaveLength(1)
    expect(notifier.stats.delivered).toBeGreaterThanOrEqual(1)
  })

  it('sends an unanswered alert push once more with the same Topic and tag, so the device shows it once', async () => {
    const user = await buildResident(t.db)
    await subscribe(user.id, 'alert-phone')
    // The service stores both copies but never answers: the resend happens once, not until answered.
    push.swallowNext('alert-phone', 2)
    const tag = 'alert-2b7e1c1e-8d1f-4c7a-9a52-1f0c2d3e4f50'
    await notifier.notifyUsers(
      [user.id],
      { title: 'Tìm trẻ lạc', body: 'Bé trai 6 tuổi, áo xanh', url: '/alerts/a', tag },
      { dedupeKey: 'alert:a:v1', resendUnconfirmed: true },
    )
    await drainAll()
    const got = push.received.filter((r) => r.path === '/push/alert-phone')
    expect(got).toHaveLength(2)
    // Same Topic: the push service keeps only the newest undelivered copy. Same tag: the service
    // worker shows the second in place of the first (web/public/sw.js, no renotify).
    expect(got.map((r) => r.headers.topic)).toEqual([pushTopic(tag), pushTopic(tag)])
    expect(got.map((r) => JSON.parse(r.plaintext).tag)).toEqual([tag, tag])
    expect(notifier.resentUnconfirmed).toBe(1)
  })

  it('resends an unanswered alert push once and counts it delivered when the copy is answered', async () => {
    const user = await buildResident(t.db)
    const sub = await subscribe(user.id, 'alert-phone-2')
    push.swallowNext('alert-phone-2', 1)
    await notifier.notifyUsers(
      [user.id],
      { title: 'Tìm trẻ lạc', body: 'B', url: '/alerts/b', tag: 'alert-b' },
      { dedupeKey: 'alert:b:v1', resendUnconfirmed: true },
    )
    await drainAll()
    expect(push.received.filter((r) => r.path === '/push/alert-phone-2')).toHaveLength(2)
    expect((await pushRepository.get(t.db, sub.id))?.lastSuccessAt).toBeInstanceOf(Date)
  })

  it('never resends an unanswered message push: one request, however long the service is silent', async () => {
    const user = await buildResident(t.db)
    await subscribe(user.id, 'chat-phone')
    push.swallowNext('chat-phone', 1)
    await notifier.notifyUsers(
      [user.id],
      { title: 'Tin nhắn mới', body: 'B', url: '/ask', tag: 'c-1' },
      { dedupeKey: 'message:m-1' },
    )
    await drainAll()
    expect(push.received.filter((r) => r.path === '/push/chat-phone')).toHaveLength(1)
  })
})
