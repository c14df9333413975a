import { afterAll, describe, expect, it } from 'vitest'
import webPush from 'web-push'
import { WebPushSender } from '../../modules/notifications/web-push-sender'
import { startFakePushService } from './fake-push-service'

// The bench's push service must check what a real one checks, at a real one's cost: each VAPID
// token verified once, every request's shape checked, a sample decrypted.
const keys = webPush.generateVAPIDKeys()
const payload = { title: 'Cảnh báo', body: 'B', url: '/alerts/1', tag: 'alert-1' }
const closers: (() => unknown)[] = []
afterAll(async () => {
  for (const close of closers) await close()
})

describe('fake push service in sampling mode', () => {
  it('verifies one VAPID token once, decrypts the first N then 1 in M, and accepts every push', async () => {
    const push = await startFakePushService({ decrypt: { first: 2, every: 3 } })
    const sender = new WebPushSender(keys, 'mailto:quantri@nhipcau.invalid', ['127.0.0.1'])
    closers.push(push.close, () => sender.close())
    const devices = Array.from({ length: 10 }, (_, i) => push.addDevice(`s-${i}`))
    const results = await Promise.all(devices.map((d) => sender.send(d, payload)))
    expect(results.map((r) => r.outcome)).toEqual(devices.map(() => 'delivered'))
    expect(push.errors).toEqual([])
    // Pushes 0 and 1, then 2, 5 and 8.
    expect(push.stats).toMatchObject({ accepted: 10, decrypted: 5, vapidTokensVerified: 1 })
    expect(push.received.map((r) => JSON.parse(r.plaintext).title)).toEqual(Array(5).fill('Cảnh báo'))
  })

  it('refuses a push that is not aes128gcm-shaped even when it is not in the decrypted sample', async () => {
    const push = await startFakePushService({ decrypt: { first: 0, every: 1000 } })
    closers.push(push.close)
    const device = push.addDevice('shape')
    const auth = webPush.getVapidHeaders(
      new URL(device.endpoint).origin,
      'mailto:quantri@nhipcau.invalid',
      keys.publicKey,
      keys.privateKey,
      'aes128gcm',
    ).Authorization
    const post = (headers: Record<string, string>, body: Buffer) =>
      fetch(device.endpoint, {
        method: 'POST',
        headers: { authorization: auth, ...headers },
        body: new Uint8Array(body),
      })
    const good = webPush.generateRequestDetails(device, JSON.stringify(payload), {
      TTL: 60,
      contentEncoding: 'aes128gcm',
    })
    const body = good.body as Buffer
    const ok = { 'content-encoding': 'aes128gcm', ttl: '60' }
    expect((await post({ ...ok, 'content-encoding': 'aesgcm' }, body)).status).toBe(400)
    expect((await post({ 'content-encoding': 'aes128gcm' }, body)).status).toBe(400) // no TTL
    expect((await post(ok, body.subarray(0, 90))).status).toBe(400) // no room for the tag
    expect((await post(ok, Buffer.concat([body, Buffer.alloc(4096)]))).status).toBe(400)
    expect((await post({ ...ok, authorization: `${auth.slice(0, -4)}AAAA` }, body)).status).toBe(400)
    expect(push.stats.accepted).toBe(0)
    expect((await post(ok, body)).status).toBe(201)
    expect(push.stats).toMatchObject({ accepted: 1, decrypted: 1 })
  })
})
