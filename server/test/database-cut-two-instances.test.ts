import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RedisEventBus } from '../realtime/redis-event-bus'
import { type AppInstance, startAppInstance } from './app-instance'
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
} from './messaging-load'
import { ResumingClient } from './resuming-client'
import { proxiedTestDatabase, type TcpProxy } from './tcp-proxy'
import { testRedisChannel } from './test-redis'

const postgresUrl = process.env.DATABASE_URL
const redisUrl = process.env.TEST_REDIS_URL
const KEY = 'pc2-'
const channel = testRedisChannel()
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * PostgreSQL restarts (the TCP proxy in front of it resets every connection and refuses new ones
 * for 2 s) while residents write through instance A and their officer answers through instance B,
 * both sharing Redis. Writes during the cut are refused 503 and sent again by the outbox with the
 * same key; both instances say not ready, then ready; each says so in one log line; and every
 * WebSocket client (the residents on A, the officer on B) ends up with every acknowledged message it
 * may read, once, in the order sent.
 */
describe.runIf(postgresUrl && redisUrl)(
  'PostgreSQL cut while two instances serve residents and their officer',
  () => {
    let databases: Awaited<ReturnType<typeof proxiedTestDatabase>>
    let proxy: TcpProxy
    let a: AppInstance
    let b: AppInstance
    let world: LoadWorld
    const clients: ResumingClient[] = []

    beforeAll(async () => {
      databases = await proxiedTestDatabase({ poolMax: 4, connectTimeoutMs: 1_000 })
      proxy = databases.proxy
      a = await startAppInstance(
        'a',
        databases.proxied,
        await RedisEventBus.connect(redisUrl!, undefined, { channel }),
      )
      b = await startAppInstance(
        'b',
        await databases.openProxied(),
        await RedisEventBus.connect(redisUrl!, undefined, { channel }),
      )
      world = await buildLoadWorld(a.app, databases.direct.db, a.base, 3)
    })
    afterAll(async () => {
      for (const c of clients) c.stop()
      await a?.close()
      await b?.close()
      await databases?.close()
    })

    it('loses and doubles nothing; every client has it all, in order; /readyz 503 then 200; one line each way', async () => {
      const visible = visibleIn(world)
      clients.push(
        new ResumingClient(
          'officer',
          b.base,
          world.officer,
          visible.officer!.map((id) => `conversation:${id}`),
        ),
        ...world.residents.map(
          (r) => new ResumingClient(r.name, a.base, r.headers, [`conversation:${r.conversationId}`]),
        ),
      )
      await Promise.all(clients.map((c) => c.start()))

      const senders = bothSidesWriting(world, a.base, b.base, { keyPrefix: KEY, retryRefusedMs: 200 })
      const all = () => senders.flatMap((s) => s.sent)
      const refused = () => senders.reduce((n, s) => n + (s.statuses.get(503) ?? 0), 0)
      const loops = Promise.all(senders.map((s) => s.loop()))
      expect(await waitFor(() => acknowledged(all()).length >= 30, 30_000)).toBe(true)
      const beforeCut = acknowledged(all()).length

      proxy.cut('reset')
      const cutAt = Date.now()
      const readyDuring = [await a.readyz(), await b.readyz()]
      await sleep(Math.max(0, 2_000 - (Date.now() - cutAt)))
      const refusedDuringCut = refused()

      proxy.restore()
      const restoredAt = Date.now()
      let readyAfterMs = -1
      for (const deadline = Date.now() + 15_000; Date.now() < deadline; await sleep(50))
        if ((await a.readyz()) === 200 && (await b.readyz()) === 200) {
          readyAfterMs = Date.now() - restoredAt
          break
        }
      const ackedAtRestore = acknowledged(all()).length
      expect(await waitFor(() => acknowledged(all()).length > ackedAtRestore, 15_000)).toBe(true)
      const writingAfterMs = Date.now() - restoredAt
      // Everyone goes on writing for a while after PostgreSQL is back, then stops.
      await sleep(1_500)
      const sent = await finishWriting(senders, loops)
      expect(sent.filter((s) => !s.acknowledged).map((s) => `${s.url} ${s.lastStatus}`)).toEqual([])

      const lastAcknowledgedAt = Date.now()
      const report = deliveryReport(clients, visible, senders)
      await waitFor(report.complete, 20_000, 50)
      const settledMs = Date.now() - lastAcknowledgedAt

      expect(readyDuring).toEqual([503, 503])
      expect(readyAfterMs).toBeGreaterThanOrEqual(0)
      expect(refusedDuringCut).toBeGreaterThan(0) // the cut landed mid-traffic
      expect(senders.reduce((n, s) => n + (s.statuses.get(500) ?? 0), 0)).toBe(0)
      expect(report.missing).toEqual(Object.fromEntries(clients.map((c) => [c.name, []])))
      expect(report.notAllowed).toEqual(Object.fromEntries(clients.map((c) => [c.name, []])))
      expect(report.outOfOrder).toEqual(Object.fromEntries(clients.map((c) => [c.name, 0])))
      const stored = await storedMessages(databases.direct.db, KEY)
      expect(stored.duplicated).toEqual([])
      expect(stored.keys).toEqual(new Set(sent.map((s) => s.key)))
      for (const i of [a, b])
        expect(i.logs.messages(/^database /), i.name).toEqual([
          'database unreachable: requests answered 503 until it is back',
          'database reachable again',
        ])

      const statuses = new Map<number, number>()
      for (const s of senders) for (const [k, n] of s.statuses) statuses.set(k, (statuses.get(k) ?? 0) + n)
      console.info(
        `postgresql cut 2 s under two instances: ${sent.length} messages sent (residents on A, officer on B), ` +
          `${acknowledged(sent).length} acknowledged, ${beforeCut} before the cut, ${stored.keys.size} stored, ` +
          `${stored.duplicated.length} duplicates; answers ${JSON.stringify(Object.fromEntries(statuses))}; ` +
          `${clients.length} clients: 0 missing, 0 out of order, delivered twice live: ${JSON.stringify(report.redelivered)}; ` +
          `/readyz 200 on both ${readyAfterMs} ms after PostgreSQL returned, writes acknowledged again after ${writingAfterMs} ms, ` +
          `every client had every message ${settledMs} ms after the last was acknowledged; recovered by a resync: ${recoveredBySync(clients)}; ` +
          `connections per client: ${clients.map((c) => c.connections).join(', ')}`,
      )
    }, 120_000)
  },
)
