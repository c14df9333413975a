import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import webPush from 'web-push'
import { startFakePushService } from '../../test/fakes/fake-push-service'
import { WebPushSender, type WebPushSenderOptions } from './web-push-sender'

// The sender against the fake push service over real HTTP on loopback: what a push service sees
// (sockets, requests in flight, what was accepted) is what these tests check.
let push: Awaited<ReturnType<typeof startFakePushService>>
const keys = webPush.generateVAPIDKeys()
const payload = { title: 'Cảnh báo lừa đảo', body: 'Không chuyển tiền', url: '/alerts/1', tag: 'alert-1' }
const senders: WebPushSender[] = []
const newSender = (opts: WebPushSenderOptions = {}) => {
  const sender = new WebPushSender(keys, 'mailto:quantri@nhipcau.invalid', ['127.0.0.1'], opts)
  senders.push(sender)
  return sender
}

beforeAll(async () => {
  push = await startFakePushService()
})
beforeEach(() => {
  push.setAnswerDelay(0)
  push.onAnswered(undefined)
})
afterAll(async () => {
  for (const s of senders) s.close()
  await push.close()
})

describe('WebPushSender', () => {
  it('keeps at most maxInFlight requests open and reuses their connections', async () => {
    const sender = newSender({ maxInFlight: 8 })
    const devices = Array.from({ length: 60 }, (_, i) => push.addDevice(`pool-${i}`))
    push.setAnswerDelay(20) // answers overlap, so requests really are in flight together
    const before = { ...push.stats }
    const results = await Promise.all(devices.map((d) => sender.send(d, payload)))
    expect(results.map((r) => r.outcome)).toEqual(devices.map(() => 'delivered'))
    expect(push.errors).toEqual([])
    const got = push.received.filter((r) => r.path.startsWith('/push/pool-'))
    expect(got).toHaveLength(60)
    expect(JSON.parse(got[0]!.plaintext)).toMatchObject({ title: 'Cảnh báo lừa đảo' })
    expect(push.stats.maxInFlight).toBeLessThanOrEqual(8)
    expect(push.stats.maxInFlight).toBeGreaterThan(1)
    // 60 requests over at most 8 sockets: one connection per request would be 60.
    expect(push.stats.connections - before.connections).toBeLessThanOrEqual(8)
  })

  it('stops sending to a service that answered 429 until its Retry-After, then sends again', async () => {
    const sender = newSender()
    const a = push.addDevice('throttled-a')
    const b = push.addDevice('throttled-b')
    push.throttle(1, '2')
    const started = Date.now()
    const first = await sender.send(a, payload)
    expect(first.outcome).toBe('failed')
    const retryAt = first.outcome === 'failed' ? first.retryAt!.getTime() : 0
    expect(retryAt - started).toBeGreaterThanOrEqual(1900)
    const requests = push.stats.requests
    // Another device on the same service is not tried while the service asked us to wait.
    const second = await sender.send(b, payload)
    expect(second).toEqual({ outcome: 'deferred', until: new Date(retryAt) })
    expect(push.stats.requests).toBe(requests)
    await new Promise((r) => setTimeout(r, retryAt - Date.now() + 50))
    expect((await sender.send(b, payload)).outcome).toBe('delivered')
    expect(push.received.filter((r) => r.path === '/push/throttled-b')).toHaveLength(1)
  })

  it('says gone for a device the service answers 410, so its subscription is dropped', async () => {
    const sender = newSender()
    const d = push.addDevice('gone-device')
    push.markGone('gone-device')
    expect((await sender.send(d, payload)).outcome).toBe('gone')
  })

  it('refuses a subscription whose keys no browser makes, without posting it or throwing', async () => {
    const sender = newSender()
    const d = push.addDevice('bad-keys')
    const requests = push.stats.requests
    const offCurve = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString('base64url')
    expect((await sender.send({ ...d, keys: { ...d.keys, p256dh: offCurve } }, payload)).outcome).toBe(
      'refused',
    )
    expect((await sender.send({ ...d, keys: { ...d.keys, auth: 'c2hvcnQ' } }, payload)).outcome).toBe(
      'refused',
    )
    expect((await sender.send({ ...d, endpoint: 'not a url' }, payload)).outcome).toBe('refused')
    expect(push.stats.requests).toBe(requests)
  })

  it('does not resend a push the service got but answered too late: one push, marked unconfirmed', async () => {
    // What made duplicates: the old sender threw on its timeout, the job was retried, and the push
    // service (which had accepted the first request) got a second one.
    const sender = newSender({ timeoutMs: 100 })
    const d = push.addDevice('slow-answer')
    push.setAnswerDelay(400)
    expect((await sender.send(d, payload)).outcome).toBe('unconfirmed')
    await new Promise((r) => setTimeout(r, 500))
    expect(push.received.filter((r) => r.path === '/push/slow-answer')).toHaveLength(1)
  })

  it('reads an answer that arrived during an event-loop stall instead of calling it a timeout', async () => {
    const sender = newSender({ timeoutMs: 100 })
    const d = push.addDevice('stalled-loop')
    // The service answers at once, then this process is busy for 400 ms (a long synchronous
    // query): when the loop turns again the timeout is due and the answer is waiting in the socket.
    push.onAnswered(() => {
      push.onAnswered(undefined)
      const until = Date.now() + 400
      while (Date.now() < until);
    })
    expect((await sender.send(d, payload)).outcome).toBe('delivered')
  })
})
