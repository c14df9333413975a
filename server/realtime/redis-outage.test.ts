import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TRealtimeEvent } from '@common/events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, buildApp } from '../app'
import { PgJobQueue } from '../jobs/pg-job-queue'
import { callerFor, key } from '../modules/messaging/messaging.test-support'
import { LocalFileStorage } from '../storage/local-file-storage'
import { signInAs } from '../test/auth-helpers'
import { buildAdmin, buildArea, buildOfficer, buildResident, buildWard } from '../test/factories/index'
import { captureLogs } from '../test/log-capture'
import { TcpProxy } from '../test/tcp-proxy'
import type { TestContext } from '../test/test-app'
import { testConfig } from '../test/test-config'
import { createTestDatabase } from '../test/test-database'
import { testRedisChannel } from '../test/test-redis'
import { openTestSocket } from '../test/ws-client'
import { resyncRequested, type TBusEvent } from './access-events'
import { createEventBus } from './create-event-bus'
import type { BusState } from './event-bus'
import { RedisEventBus } from './redis-event-bus'

/** Needs a Redis server: runs when TEST_REDIS_URL names one (CI sets it; `npm test` alone needs none). */
const REDIS_URL = process.env.TEST_REDIS_URL
const channel = testRedisChannel()

async function until(what: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms
  while (!what()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/**
 * Redis goes away under a running instance (a TCP proxy between them is cut): the instance keeps
 * serving its own clients in real time, /readyz says `degraded`, and when Redis is back the bus
 * carries events between instances again and clients are asked to reconnect and resync.
 */
describe.runIf(REDIS_URL)('when Redis is unreachable', () => {
  let proxy: TcpProxy
  let bus: RedisEventBus
  let other: RedisEventBus
  let database: Awaited<ReturnType<typeof createTestDatabase>>
  let app: App
  let wsUrl: string
  const filesDir = mkdtempSync(join(tmpdir(), 'nhipcau-redis-outage-'))

  beforeAll(async () => {
    proxy = await TcpProxy.to(REDIS_URL!, 6379)
    bus = await RedisEventBus.connect(proxy.url(REDIS_URL!), undefined, { channel })
    other = await RedisEventBus.connect(REDIS_URL!, undefined, { channel })
    database = await createTestDatabase()
    const jobs = new PgJobQueue(database.db)
    const storage = new LocalFileStorage(filesDir)
    app = await buildApp({ config: testConfig(), database, bus, jobs, storage })
    await app.listen({ port: 0, host: '127.0.0.1' })
    wsUrl = `ws://127.0.0.1:${(app.server.address() as { port: number }).port}/ws`
  })
  afterAll(async () => {
    await app?.close()
    await bus?.close()
    await other?.close()
    await proxy?.close()
    await database?.close()
    rmSync(filesDir, { recursive: true, force: true })
  })

  it('keeps serving its own clients, says degraded, then shares events again and asks clients to resync', async () => {
    const t = { app } as TestContext
    const ward = await buildWard(database.db)
    const area = await buildArea(database.db, { parent: ward })
    const officer = await callerFor(t, (await buildOfficer(database.db, { areas: [area], unit: ward })).user)
    const resident = await callerFor(t, await buildResident(database.db, { area }))
    const officerSocket = await openTestSocket(wsUrl, officer.session.headers.cookie)
    const states: BusState[] = []
    bus.onStateChange((s) => states.push(s))

    proxy.cut('reset')
    await until(() => bus.state() === 'degraded', 3_000)
    const ready = await app.inject({ url: '/readyz' })
    expect(ready.statusCode).toBe(503)
    expect(ready.json()).toMatchObject({ realtime: 'degraded', database: { reachable: true } })

    const started = Date.now()
    const sent = await resident.post('/api/ask/messages', { clientKey: key(), body: 'Khi Redis vắng mặt' })
    expect(sent.status).toBe(201)
    const seen = await officerSocket.nextEvent(
      (e) => e.type === 'message.created' && e.message.body === 'Khi Redis vắng mặt',
    )
    expect(seen).toMatchObject({ conversationId: sent.body.conversationId })
    expect(Date.now() - started).toBeLessThan(2_000)

    proxy.restore()
    await until(() => bus.state() === 'shared', 10_000)
    expect(states).toEqual(['degraded', 'shared'])
    // What other instances sent meanwhile never reached this socket: it is asked to reconnect.
    expect(await officerSocket.closed).toBe(1001)
    expect((await app.inject({ url: '/readyz' })).json()).toMatchObject({
      status: 'ready',
      realtime: 'shared',
    })

    const fromOther: TRealtimeEvent = {
      type: 'system.ping',
      rooms: ['system:test'],
      at: new Date().toISOString(),
      message: `sau sự cố ${Math.random()}`,
    }
    const received = new Promise<TBusEvent>((resolve) => bus.subscribe(resolve))
    await other.publish(fromOther)
    expect(await received).toEqual(fromOther)
  })
  it('an instance that served only its own clients while apart from Redis has the others resync when it is back', async () => {
    const t = { app } as TestContext
    const ward = await buildWard(database.db)
    const officer = await callerFor(t, (await buildOfficer(database.db, { unit: ward })).user)
    const requests = { here: 0, other: 0 }
    bus.subscribe((e) => void (e.type === 'access.resync' && requests.here++))
    other.subscribe((e) => void (e.type === 'access.resync' && requests.other++))
    const ping = (message: string): TRealtimeEvent => ({
      type: 'system.ping',
      rooms: ['system:test'],
      at: new Date().toISOString(),
      message,
    })
    /** Published by `bus` after whatever it published before: once `other` has it, it has those too. */
    const barrier = async () => {
      const message = `rào chắn ${Math.random()}`
      const seen = new Promise<void>((resolve) =>
        other.subscribe((e) => void (e.type === 'system.ping' && e.message === message && resolve())),
      )
      await bus.publish(ping(message))
      await seen
    }

    // Away and back with nothing delivered meanwhile: nobody else is asked anything.
    proxy.cut('reset')
    await until(() => bus.state() === 'degraded', 3_000)
    proxy.restore()
    await until(() => bus.state() === 'shared', 10_000)
    await barrier()
    expect(requests).toEqual({ here: 0, other: 0 })

    // Away, an event delivered to this instance's clients only, back: the others are asked to resync.
    proxy.cut('reset')
    await until(() => bus.state() === 'degraded', 3_000)
    await bus.publish(ping('chỉ ở máy này'))
    proxy.restore()
    await until(() => bus.state() === 'shared', 10_000)
    await barrier()
    expect(requests).toEqual({ here: 0, other: 1 })

    // On an instance that is asked, every client is told to reconnect and resync.
    const socket = await openTestSocket(wsUrl, officer.session.headers.cookie)
    await other.publish(resyncRequested('một máy khác'))
    expect(await socket.closed).toBe(1001)
  })
})

/**
 * Redis is already away when an instance starts (the proxy refuses every connection): the
 * instance starts all the same — createEventBus then buildApp, as bootstrap() does — says so in one
 * log line, on /readyz and on the administrators' health page, and joins the shared bus when
 * Redis returns.
 */
describe.runIf(REDIS_URL)('when Redis is unreachable at startup', () => {
  let proxy: TcpProxy
  let other: RedisEventBus
  let database: Awaited<ReturnType<typeof createTestDatabase>>
  let app: App | undefined
  const filesDir = mkdtempSync(join(tmpdir(), 'nhipcau-redis-startup-'))
  const logs = captureLogs()

  beforeAll(async () => {
    proxy = await TcpProxy.to(REDIS_URL!, 6379)
    other = await RedisEventBus.connect(REDIS_URL!, undefined, { channel })
    database = await createTestDatabase()
  })
  afterAll(async () => {
    await app?.close()
    await app?.deps.bus.close()
    await other?.close()
    await proxy?.close()
    await database?.close()
    rmSync(filesDir, { recursive: true, force: true })
  })

  it('does not wait more than the start-up wait for a Redis that does not answer', async () => {
    proxy.cut('blackhole')
    const started = Date.now()
    const bus = await RedisEventBus.connect(proxy.url(REDIS_URL!), undefined, { waitMs: 500, channel })
    try {
      expect(Date.now() - started).toBeLessThan(1_500)
      expect(bus.state()).toBe('degraded')
    } finally {
      await bus.close()
    }
  })

  it('starts degraded, shows it, and shares events once Redis is back', async () => {
    proxy.cut('reset')
    const config = testConfig({ REDIS_URL: proxy.url(REDIS_URL!) })
    const started = Date.now()
    const bus = await createEventBus(config, undefined, { channel })
    // A refused connection does not hold the start up (a Redis that hangs holds it 3 s at most).
    const startMs = Date.now() - started
    expect(startMs).toBeLessThan(3_000)
    expect(bus.state()).toBe('degraded')
    const jobs = new PgJobQueue(database.db)
    const storage = new LocalFileStorage(filesDir)
    app = await buildApp({
      config,
      database,
      bus,
      jobs,
      storage,
      logger: logs.logger,
    })
    await app.listen({ port: 0, host: '127.0.0.1' })

    const redisLines = () => logs.messages(/^redis /)
    expect(redisLines()).toEqual([
      "redis unreachable: realtime events reach this instance's own clients only",
    ])
    const ready = await app.inject({ url: '/readyz' })
    expect(ready.statusCode).toBe(503)
    expect(ready.json()).toMatchObject({ realtime: 'degraded', database: { reachable: true } })
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200)
    const admin = await signInAs(app, await buildAdmin(app.db))
    const health = async () =>
      (await app!.inject({ url: '/api/admin/health', headers: admin.headers })).json().redis
    expect(await health()).toEqual({ configured: true, reachable: false })

    // Its own clients are served in real time meanwhile.
    const wsUrl = `ws://127.0.0.1:${(app.server.address() as { port: number }).port}/ws`
    const t = { app } as TestContext
    const ward = await buildWard(app.db)
    const area = await buildArea(app.db, { parent: ward })
    const officer = await callerFor(t, (await buildOfficer(app.db, { areas: [area], unit: ward })).user)
    const resident = await callerFor(t, await buildResident(app.db, { area }))
    const officerSocket = await openTestSocket(wsUrl, officer.session.headers.cookie)
    const sent = await resident.post('/api/ask/messages', {
      clientKey: key(),
      body: 'Redis chưa có lúc khởi động',
    })
    expect(sent.status).toBe(201)
    await officerSocket.nextEvent(
      (e) => e.type === 'message.created' && e.message.body === 'Redis chưa có lúc khởi động',
    )

    proxy.restore()
    const restored = Date.now()
    await until(() => app!.deps.bus.state() === 'shared', 10_000)
    const joinMs = Date.now() - restored
    expect(redisLines()).toEqual([
      "redis unreachable: realtime events reach this instance's own clients only",
      'redis reachable again: clients asked to resync',
    ])
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200)
    expect(await health()).toEqual({ configured: true, reachable: true })
    expect(await officerSocket.closed).toBe(1001)

    // Another instance's event now reaches this one through Redis.
    const fromOther: TRealtimeEvent = {
      type: 'system.ping',
      rooms: ['system:test'],
      at: new Date().toISOString(),
      message: `sau khi Redis trở lại ${Math.random()}`,
    }
    const received = new Promise<TBusEvent>((resolve) => app!.deps.bus.subscribe(resolve))
    await other.publish(fromOther)
    expect(await received).toEqual(fromOther)
    console.info(
      `redis away at startup: bus ready in ${startMs} ms, joined the shared bus ${joinMs} ms after Redis returned`,
    )
  })
})
