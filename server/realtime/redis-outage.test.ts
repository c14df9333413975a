import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TRealtimeEvent } from '@common/events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, buildApp } from '../app'
import { PgJobQueue } from '../jobs/pg-job-queue'
import { callerFor, key } from '../modules/messaging/messaging.test-support'
import { LocalFileStorage } from '../storage/local-file-storage'
import { buildArea, buildOfficer, buildResident, buildWard } from '../test/factories/index'
import { TcpProxy } from '../test/tcp-proxy'
import type { TestContext } from '../test/test-app'
import { testConfig } from '../test/test-config'
import { createTestDatabase } from '../test/test-database'
import { openTestSocket } from '../test/ws-client'
import type { TBusEvent } from './access-events'
import type { BusState } from './event-bus'
import { RedisEventBus } from './redis-event-bus'

/** Needs a Redis server: runs when TEST_REDIS_URL names one (CI sets it; `npm test` alone needs none). */
const REDIS_URL = process.env.TEST_REDIS_URL

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
    const target = new URL(REDIS_URL!)
    proxy = new TcpProxy(target.hostname, Number(target.port || 6379))
    await proxy.start()
    bus = await RedisEventBus.connect(proxy.url(REDIS_URL!))
    other = await RedisEventBus.connect(REDIS_URL!)
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
})
