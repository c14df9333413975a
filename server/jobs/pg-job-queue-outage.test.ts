import { sql } from 'drizzle-orm'
import type { FastifyBaseLogger } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../db/client'
import { queryRows } from '../db/query'
import { createTestApp, type TestContext } from '../test/test-app'
import { PgJobQueue, pollBackoffMs } from './pg-job-queue'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

/**
 * The test database behind a switch: while it is "down", every call the queue makes fails the way
 * node-postgres fails when PostgreSQL refuses connections. Each failed call is counted as a poll.
 */
function switchableDb(db: Db) {
  const state = { down: false, refusedCalls: 0 }
  const refused = () =>
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        if (state.down) {
          state.refusedCalls++
          throw refused()
        }
        return value.apply(target, args)
      }
    },
  })
  return { db: proxy, state }
}

/** Records what the queue logs, level by level. */
function recordingLog() {
  const lines: { level: string; msg: string; obj: Record<string, unknown> }[] = []
  const at =
    (level: string) =>
    (obj: Record<string, unknown>, msg: string): void => {
      lines.push({ level, msg, obj })
    }
  const log = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') }
  return { log: log as unknown as FastifyBaseLogger, lines }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function until(what: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms
  while (!what()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`)
    await sleep(10)
  }
}

describe('the job queue while the database is away', () => {
  it('waits twice as long after each failed poll, up to the cap, with jitter in [½, 1] of it', () => {
    expect([1, 2, 3, 4, 5].map((n) => pollBackoffMs(n, 500, 30_000, 1))).toEqual([
      1000, 2000, 4000, 8000, 16000,
    ])
    expect(pollBackoffMs(6, 500, 30_000, 1)).toBe(30_000)
    expect(pollBackoffMs(1_000, 500, 30_000, 1)).toBe(30_000)
    expect(pollBackoffMs(3, 500, 30_000, 0)).toBe(2000)
    const jittered = Array.from({ length: 50 }, () => pollBackoffMs(3, 500, 30_000))
    expect(Math.min(...jittered)).toBeGreaterThanOrEqual(2000)
    expect(Math.max(...jittered)).toBeLessThanOrEqual(4000)
    expect(new Set(jittered).size).toBeGreaterThan(1)
  })

  it('backs off instead of polling every interval, logs one line when it loses the database and one when it is back, then runs the work', async () => {
    const { db, state } = switchableDb(t.db)
    const { log, lines } = recordingLog()
    const queue = new PgJobQueue(db, log, { pollMs: 20, maxPollBackoffMs: 160 })
    const ran: string[] = []
    queue.register<{ note: string }>('after-outage', async (p) => {
      ran.push(p.note)
    })
    queue.start()
    try {
      await sleep(60)
      state.down = true
      await sleep(1_500)
      // Polling every 20 ms would have made ~75 attempts in 1.5 s; backing off to 80–160 ms makes ~15.
      const refusedWhileDown = state.refusedCalls
      expect(refusedWhileDown).toBeGreaterThan(3)
      expect(refusedWhileDown).toBeLessThan(25)
      const outageLines = lines.filter((l) => l.level !== 'info' || l.msg !== 'job done')
      expect(outageLines.map((l) => [l.level, l.msg])).toEqual([
        ['warn', 'job queue lost the database: polling with backoff until it is back'],
      ])

      state.down = false
      // Enqueued straight into the database: only the queue's own poll can find it.
      await t.db.execute(
        sql`insert into jobs (queue, payload) values ('after-outage', '{"note":"sau sự cố"}')`,
      )
      await until(() => ran.length === 1, 1_000)
      expect(ran).toEqual(['sau sự cố'])
      const back = lines.filter((l) => l.msg === 'job queue reached the database again: polling resumed')
      expect(back).toHaveLength(1)
      expect(back[0]!.obj.failedPolls).toBeGreaterThan(3)
      expect(back[0]!.obj.downMs).toBeGreaterThanOrEqual(1_000)
      expect(lines.filter((l) => l.msg.startsWith('job queue lost'))).toHaveLength(1)
      expect(lines.filter((l) => l.msg === 'job done').map((l) => l.obj.queue)).toEqual(['after-outage'])
    } finally {
      await queue.stop()
    }
  })

  it('writes the outcome of a job that ended while the database was away once it is back, and does not run it again', async () => {
    const { db, state } = switchableDb(t.db)
    const queue = new PgJobQueue(db, undefined, { pollMs: 20, maxPollBackoffMs: 80 })
    let runs = 0
    queue.register('ends-in-outage', async () => {
      runs++
      state.down = true // the database goes away while the job runs
    })
    const [job] = await queryRows<{ id: number }>(
      t.db,
      sql`insert into jobs (queue, payload) values ('ends-in-outage', '{}') returning id`,
    )
    const statusOf = async () =>
      (await queryRows<{ status: string }>(t.db, sql`select status from jobs where id = ${job!.id}`))[0]
        ?.status
    queue.start()
    try {
      await until(() => runs === 1 && state.refusedCalls > 0, 2_000)
      expect(await statusOf()).toBe('running')
      state.down = false
      await sleep(300) // a few polls
      expect(await statusOf()).toBe('succeeded')
      expect(runs).toBe(1)
    } finally {
      await queue.stop()
    }
  })

  it('keeps its backoff when batches in flight end during the outage, and records them once it is back', async () => {
    const { db, state } = switchableDb(t.db)
    const queue = new PgJobQueue(db, undefined, { pollMs: 300, maxPollBackoffMs: 20_000 })
    const releases: (() => void)[] = []
    const runs: number[] = []
    queue.registerBatch<{ n: number }>(
      'held-in-outage',
      async (batch) => {
        await new Promise<void>((r) => releases.push(r))
        runs.push(...batch.map((j) => j.payload.n))
        return batch.map(() => ({ status: 'done' }))
      },
      { batchSize: 1, concurrency: 2 },
    )
    // A free slot for single jobs: the queue keeps polling (and failing) while both batches run.
    queue.register('never-queued', async () => {})
    const ids = await queryRows<{ id: number }>(
      t.db,
      sql`insert into jobs (queue, payload) values ('held-in-outage', '{"n":1}'), ('held-in-outage', '{"n":2}') returning id`,
    )
    queue.start()
    try {
      await until(() => releases.length === 2, 2_000)
      state.down = true
      // Three failed polls: the next one is at least 300 × 2³ × ½ = 1.2 s away.
      await until(() => state.refusedCalls >= 3, 5_000)
      const refused = state.refusedCalls
      for (const release of releases) release()
      await sleep(500)
      // Only the two batches' own outcome writes failed: their ends did not poll out of turn.
      expect(state.refusedCalls).toBe(refused + 2)
      state.down = false
      const statuses = async () =>
        (
          await queryRows<{ status: string }>(
            t.db,
            sql`select status from jobs where id in (${ids[0]!.id}, ${ids[1]!.id})`,
          )
        ).map((r) => r.status)
      const end = Date.now() + 5_000
      while ((await statuses()).some((s) => s !== 'succeeded') && Date.now() < end) await sleep(50)
      expect(await statuses()).toEqual(['succeeded', 'succeeded'])
      expect(runs.sort()).toEqual([1, 2])
    } finally {
      await queue.stop()
    }
  })

  it('says a poll failed for another reason as an error, still once', async () => {
    const { log, lines } = recordingLog()
    const broken = new Proxy(t.db, {
      get(target, prop, receiver) {
        if (prop === 'update' || prop === 'execute')
          return () => {
            throw new Error('column "locked_by" does not exist')
          }
        return Reflect.get(target, prop, receiver)
      },
    })
    const queue = new PgJobQueue(broken, log, { pollMs: 10, maxPollBackoffMs: 40 })
    queue.register('never', async () => {})
    queue.start()
    await sleep(300)
    await queue.stop()
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['error', 'job queue poll failed: polling with backoff until it succeeds'],
    ])
  })
})
