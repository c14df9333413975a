import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../config'
import { signInAs } from '../../test/auth-helpers'
import { buildResident } from '../../test/factories/index'
import { startFakePushService } from '../../test/fakes/fake-push-service'
import { createTestApp, type TestContext } from '../../test/test-app'
import { pushRepository } from './push.repository'
import { checkPushEndpoint, isInternalAddress } from './push-endpoint'
import { PushNotifier } from './push-notifier'

// F7 (push endpoints as blind SSRF) and F18 (taking over another user's push subscription).

let t: TestContext
let push: Awaited<ReturnType<typeof startFakePushService>>
/** Stands for an internal service (cloud metadata, an admin page): it must never be reached. */
let internal: Server
const internalHits: string[] = []
let internalPort = 0
beforeAll(async () => {
  t = await createTestApp()
  push = await startFakePushService()
  internal = createServer((req, res) => {
    internalHits.push(`${req.method} ${req.url}`)
    res.writeHead(201).end()
  })
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve))
  internalPort = (internal.address() as AddressInfo).port
})
afterAll(async () => {
  await new Promise<void>((resolve) => internal.close(() => resolve()))
  await push.close()
  await t.close()
})

const drainAll = async () => {
  for (let i = 0; i < 10 && (await t.jobs.drain()) > 0; i++);
}
const subscribeAs = (session: { headers: Record<string, string> }, body: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/push/subscriptions', headers: session.headers, payload: body })

describe('F7: the server posts only to push services', () => {
  it('refuses to subscribe an endpoint outside the allowed push services, naming the field', async () => {
    const session = await signInAs(t.app, await buildResident(t.db))
    const keys = push.addDevice('keys-only').keys
    for (const endpoint of [
      `http://10.0.0.5/internal/admin`,
      'http://169.254.169.254/latest/meta-data/',
      'https://evil.example.com/push/x',
      `http://localhost:${internalPort}/internal`,
    ]) {
      const res = await subscribeAs(session, { endpoint, keys })
      expect(res.statusCode, endpoint).toBe(400)
      expect(res.json().errors[0]).toMatchObject({ field: 'endpoint', code: 'push_service_not_allowed' })
    }
  })

  it('is strict by default in production: the browsers’ push services only, never an internal address', () => {
    const prod = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      SMS_PROVIDER: 'http',
      DATA_DIR: '/tmp/nhipcau-push-test',
    })
    const ok = (u: string) => checkPushEndpoint(u, prod.PUSH_ALLOWED_HOSTS)
    expect(ok('https://fcm.googleapis.com/fcm/send/abc').url.hostname).toBe('fcm.googleapis.com')
    expect(ok('https://web.push.apple.com/QGz').allowInternal).toBe(false)
    expect(ok('https://updates.push.services.mozilla.com/wpush/v2/x').url.hostname).toContain('mozilla')
    for (const u of ['https://evil.example.com/', 'https://googleapis.com.evil.vn/', 'https://127.0.0.1/']) {
      expect(() => ok(u), u).toThrow()
    }
    // Even an "any host" list never lets an internal address literal through.
    for (const u of [
      'http://127.0.0.1/',
      'http://[::1]/',
      'http://169.254.169.254/',
      'http://[::ffff:10.0.0.1]/',
    ]) {
      expect(() => checkPushEndpoint(u, ['*']), u).toThrow()
    }
    expect(
      ['10.1.2.3', '172.20.0.1', '192.168.0.9', '100.64.1.1', 'fe80::1', 'fd00::2'].every(isInternalAddress),
    ).toBe(true)
    expect(isInternalAddress('142.250.66.10')).toBe(false)
  })

  it('never follows a redirect from a push endpoint: a 3xx drops the subscription', async () => {
    const resident = await buildResident(t.db)
    const session = await signInAs(t.app, resident)
    const device = push.addDevice('redirecting-phone')
    expect((await subscribeAs(session, device)).statusCode).toBe(201)
    push.redirect('redirecting-phone', `http://127.0.0.1:${internalPort}/latest/meta-data/`)
    await t.app.push.notifyUsers([resident.id], { title: 'T', body: 'B', url: '/' }, { dedupeKey: 'redir-1' })
    await drainAll()
    expect(internalHits).toEqual([])
    expect(await pushRepository.listForUsers(t.db, [resident.id])).toEqual([])
  })

  it('checks the address when it connects, so a name resolving inside the network is refused', async () => {
    // A subscription stored before the allow-list existed, to a name that resolves to loopback.
    const resident = await buildResident(t.db)
    const keys = push.addDevice('old-row').keys
    await pushRepository.upsert(t.db, {
      userId: resident.id,
      endpoint: `http://localhost:${internalPort}/internal/admin?x=1`,
      p256dh: keys.p256dh,
      auth: keys.auth,
    })
    const notifier = new PushNotifier(t.db, t.jobs, 'mailto:quantri@nhipcau.invalid', ['*'])
    notifier.registerJobs()
    await notifier.notifyUsers([resident.id], { title: 'T', body: 'B', url: '/' }, { dedupeKey: 'dns-1' })
    await drainAll()
    t.app.push.registerJobs()
    expect(internalHits).toEqual([])
    expect(await pushRepository.listForUsers(t.db, [resident.id])).toEqual([])
  })
})

describe('F18: a push subscription stays with its owner', () => {
  it('refuses another account posting a known endpoint with other keys; the same browser may move it', async () => {
    const lan = await buildResident(t.db)
    const mallory = await buildResident(t.db)
    const device = push.addDevice('lan-phone-f18')
    expect((await subscribeAs(await signInAs(t.app, lan), device)).statusCode).toBe(201)

    const stranger = await signInAs(t.app, mallory)
    const otherKeys = push.addDevice('mallory-keys').keys
    const takeOver = await subscribeAs(stranger, { endpoint: device.endpoint, keys: otherKeys })
    expect(takeOver.statusCode).toBe(409)
    const [row] = await pushRepository.listForUsers(t.db, [lan.id])
    expect(row).toMatchObject({ endpoint: device.endpoint, p256dh: device.keys.p256dh })
    expect(await pushRepository.listForUsers(t.db, [mallory.id])).toEqual([])

    // The same browser (it alone has the keys) after another resident signs in on it.
    expect((await subscribeAs(stranger, device)).statusCode).toBe(201)
    expect(await pushRepository.listForUsers(t.db, [lan.id])).toEqual([])
    expect((await pushRepository.listForUsers(t.db, [mallory.id]))[0]?.endpoint).toBe(device.endpoint)
  })
})
