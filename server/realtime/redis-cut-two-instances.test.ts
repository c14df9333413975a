import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../db/client'
import { type AppInstance, startAppInstance } from '../test/app-instance'
import {
  acknowledged,
  bothSidesWriting,
  buildLoadWorld,
  deliveryReport,
  finishWriting,
  type LoadWorld,
  recoveredBySync,
  storedMessages,
  visibleIn,
  waitFor,
} from '../test/messaging-load'
import { ResumingClient } from '../test/resuming-client'
import { TcpProxy } from '../test/tcp-proxy'
import { createTestDatabase } from '../test/test-database'
import { testRedisChannel } from '../test/test-redis'
import { RedisEventBus } from './redis-event-bus'

const postgresUrl = process.env.DATABASE_URL
const redisUrl = process.env.TEST_REDIS_URL
const KEY = 'rc2-'
const channel = testRedisChannel()
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Redis restarts (the TCP proxies in front of it are cut for 2 s, then restored, one instance's
 * a second after the other's) while two instances fan out under load: residents and their officer send continuously through instance A, and every
 * WebSocket client listens on instance B. Meanwhile both instances say `degraded`; when Redis is
 * back, B's clients are asked to resync and fetch what they missed: every acknowledged message
 * reaches every client allowed to read it, once, in the order sent.
 */
describe.runIf(postgresUrl && redisUrl)('Redis cut while two instances fan out under load', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>
  let secondPool: Awaited<ReturnType<typeof openDatabase>>
  let proxyA: TcpProxy
  let proxyB: TcpProxy
  let a: AppInstance
  let b: AppInstance
  let world: LoadWorld
  const clients: ResumingClient[] = []

  beforeAll(async () => {
    database = await createTestDatabase()
    secondPool = await openDatabase({ databaseUrl: database.url, dataDir: 'memory://', poolMax: 5 })
    // Each instance reaches Redis through its own proxy: cutting both is Redis restarting, and
    // restoring them apart is the instances reconnecting at their own pace (ioredis backs off).
    proxyA = await TcpProxy.to(redisUrl!, 6379)
    proxyB = await TcpProxy.to(redisUrl!, 6379)
    a = await startAppInstance(
      'a',
      database,
      await RedisEventBus.connect(proxyA.url(redisUrl!), undefined, { channel }),
    )
    b = await startAppInstance(
      'b',
      secondPool,
      await RedisEventBus.connect(proxyB.url(redisUrl!), undefined, { channel }),
    )
    world = await buildLoadWorld(a.app, database.db, a.base, 3)
  })
  afterAll(async () => {
    for (const c of clients) c.stop()
    await a?.close()
    await b?.close()
    await proxyA?.close()
    await proxyB?.close()
    await secondPool?.close()
    await database?.close()
  })

  it('every client on B gets every acknowledged message once, in order; /readyz degraded then ready', async () => {
    const visible = visibleIn(world)
    const who = [world.officer, ...world.residents.map((r) => r.headers)]
    for (const [i, name] of Object.keys(visible).entries())
      clients.push(
        new ResumingClient(
          name,
          b.base,
          who[i]!,
          visible[name]!.map((id) => `conversation:${id}`),
        ),
      )
    await Promise.all(clients.map((c) => c.start()))

    const senders = bothSidesWriting(world, a.base, a.base, { keyPrefix: KEY, retryRefusedMs: 200 })
    const all = () => senders.flatMap((s) => s.sent)
    const loops = Promise.all(senders.map((s) => s.loop()))
    expect(await waitFor(() => acknowledged(all()).length >= 30, 30_000)).toBe(true)
    const beforeCut = acknowledged(all()).length

    proxyA.cut('reset')
    proxyB.cut('reset')
    const cutAt = Date.now()
    const buses = [a, b].map((i) => i.app.deps.bus)
    expect(await waitFor(() => buses.every((bus) => bus.state() === 'degraded'), 5_000)).toBe(true)
    const readyDuring = [await a.readyz(), await b.readyz()]
    await sleep(Math.max(0, 2_000 - (Date.now() - cutAt)))
    const duringCut = acknowledged(all()).length - beforeCut

    // B is back first and resyncs its clients; A, still apart from Redis for another second, goes on
    // delivering what it is sent to its own clients only (the widest gap a 2 s reconnect backoff leaves).
    proxyB.restore()
    expect(await waitFor(() => buses[1]!.state() === 'shared', 15_000)).toBe(true)
    await sleep(1_000)
    proxyA.restore()
    const restoredAAt = Date.now()
    expect(await waitFor(() => buses.every((bus) => bus.state() === 'shared'), 15_000)).toBe(true)
    const rejoinedAMs = Date.now() - restoredAAt
    const readyAfter = [await a.readyz(), await b.readyz()]
    // Everyone goes on writing for a while after Redis is back, then stops.
    await sleep(1_500)
    const sent = await finishWriting(senders, loops)
    expect(sent.filter((s) => !s.acknowledged).map((s) => `${s.url} ${s.lastStatus}`)).toEqual([])

    const report = deliveryReport(clients, visible, senders)
    await waitFor(report.complete, 20_000, 50)
    const resumedMs = Math.max(...clients.map((c) => c.resumedAt)) - restoredAAt

    expect(readyDuring).toEqual([503, 503])
    expect(readyAfter).toEqual([200, 200])
    expect(duringCut).toBeGreaterThan(0) // writes go on while Redis is away
    expect(report.missing).toEqual(Object.fromEntries(clients.map((c) => [c.name, []])))
    expect(report.notAllowed).toEqual(Object.fromEntries(clients.map((c) => [c.name, []])))
    expect(report.outOfOrder).toEqual(Object.fromEntries(clients.map((c) => [c.name, 0])))
    expect(report.redelivered).toEqual(Object.fromEntries(clients.map((c) => [c.name, 0])))
    for (const c of clients) expect(c.connections, `${c.name} was asked to resync`).toBeGreaterThanOrEqual(2)
    const stored = await storedMessages(database.db, KEY)
    expect(stored.duplicated).toEqual([])
    expect(stored.keys).toEqual(new Set(sent.map((s) => s.key)))
    // One line when Redis goes, one when it is back, on each instance.
    for (const i of [a, b])
      expect(i.logs.messages(/^redis /), i.name).toEqual([
        "redis unreachable: realtime events reach this instance's own clients only",
        'redis reachable again: clients asked to resync',
      ])
    // A served its own clients only while apart: B, back first, was asked to have its clients resync again.
    expect(b.logs.messages(/^realtime: clients asked to resync/)).toHaveLength(1)
    expect(a.logs.messages(/^realtime: clients asked to resync/)).toHaveLength(0)

    console.info(
      `redis cut 2 s under two instances: ${sent.length} messages sent on A, ${acknowledged(sent).length} acknowledged ` +
        `(${duringCut} while Redis was away), ${stored.keys.size} stored, ${stored.duplicated.length} duplicates; ` +
        `${clients.length} clients on B: 0 missing, 0 out of order, 0 delivered twice; A rejoined the bus ${rejoinedAMs} ms ` +
        `after its link to Redis returned (1 s after B's), every client on B had resynced ${resumedMs} ms after that; recovered by the resync: ${recoveredBySync(clients)}; ` +
        `connections per client: ${clients.map((c) => c.connections).join(', ')}`,
    )
  }, 120_000)
})
