import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DatabaseHandle, openDatabase } from '../../db/client'
import { PgJobQueue } from '../../jobs/pg-job-queue'
import { buildArea, buildResident } from '../../test/factories/index'
import { startFakePushService } from '../../test/fakes/fake-push-service'
import { createTestDatabase } from '../../test/test-database'
import { pushRepository } from './push.repository'
import { PushNotifier } from './push-notifier'
import { pushTopic } from './web-push-sender'

// Two app instances' push pipelines on one database: each its own queue (several batches in
// flight), notifier and sender; on PostgreSQL each its own pool.
let database: DatabaseHandle & { url?: string }
let other: DatabaseHandle | undefined
let push: Awaited<ReturnType<typeof startFakePushService>>
beforeAll(async () => {
  database = await createTestDatabase()
  if (database.url)
    other = await openDatabase({ databaseUrl: database.url, dataDir: 'memory://', poolMax: 5 })
  push = await startFakePushService()
})
afterAll(async () => {
  await push.close()
  await other?.close()
  await database.close()
})

function instance(db: DatabaseHandle) {
  const jobs = new PgJobQueue(db.db, undefined, { pollMs: 20, baseBackoffMs: 0 })
  // The fake service decrypts every push on this test's own event loop: a few requests open at a
  // time keep its answers well inside the timeout on a busy machine (a late answer is resent).
  const notifier = new PushNotifier(db.db, jobs, 'mailto:quantri@nhipcau.invalid', ['127.0.0.1'], undefined, {
    timeoutMs: 3000,
    maxInFlight: 16,
  })
  notifier.registerJobs()
  return { jobs, notifier }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('Web Push from two instances', () => {
  it('reaches every device once (an unanswered alert push twice, with one Topic), whoever claims its job', async () => {
    const area = await buildArea(database.db)
    const devices: { userId: string; name: string }[] = []
    for (let i = 0; i < 300; i++) {
      const user = await buildResident(database.db, { area })
      const name = `two-${i}`
      const sub = push.addDevice(name)
      await pushRepository.upsert(database.db, {
        userId: user.id,
        endpoint: sub.endpoint,
        p256dh: sub.keys.p256dh,
        auth: sub.keys.auth,
      })
      devices.push({ userId: user.id, name })
    }
    push.failNext('two-7', 1) // a 500: retried, by either instance
    push.failNext('two-250', 1)
    push.swallowNext('two-42', 1) // stored but never answered: sent once more, no more
    push.swallowNext('two-280', 1)
    const a = instance(database)
    const b = instance(other ?? database)
    a.jobs.start()
    b.jobs.start()
    const tag = 'alert-two-instances'
    const payload = {
      title: 'Cảnh báo lừa đảo',
      body: 'Không chuyển tiền cho người lạ.',
      url: '/alerts/t',
      tag,
    }
    const opts = { dedupeKey: 'alert:t:v1', resendUnconfirmed: true }
    try {
      // Each instance queues part of the fan-out (overlapping: the dedupe key makes one job each).
      const ids = devices.map((d) => d.userId)
      const queued = await Promise.all([
        a.notifier.notifyUsers(ids.slice(0, 200), payload, opts),
        b.notifier.notifyUsers(ids.slice(100), payload, opts),
      ])
      expect(queued[0] + queued[1]).toBe(300)
      const end = Date.now() + 30_000
      while (new Set(push.received.map((r) => r.path)).size < 300 || push.received.length < 302) {
        if (Date.now() > end) break
        await sleep(50)
      }
      await sleep(300) // a late duplicate would come now
    } finally {
      await Promise.all([a.jobs.stop(), b.jobs.stop()])
      await Promise.all([a.notifier.close(), b.notifier.close()])
    }
    expect(push.errors).toEqual([])
    const count = new Map<string, number>()
    for (const r of push.received) count.set(r.path, (count.get(r.path) ?? 0) + 1)
    const expected = (name: string) => (name === 'two-42' || name === 'two-280' ? 2 : 1)
    expect(devices.filter((d) => count.get(`/push/${d.name}`) !== expected(d.name))).toEqual([])
    expect(push.received.filter((r) => r.headers.topic !== pushTopic(tag))).toEqual([])
    expect(a.notifier.resentUnconfirmed + b.notifier.resentUnconfirmed).toBe(2)
    // Which instance claims which job is a race here: 300 jobs fit in one poll of one instance
    // (4 batches of 200 in flight), and in one CI run instance A claimed none. That both instances
    // take a share when there is more work than one poll claims is shown by
    // pg-job-queue-concurrency.test.ts ("never run the same job, and both take a share").
    expect(a.notifier.stats.delivered + b.notifier.stats.delivered).toBeGreaterThanOrEqual(300)
  })
})
