import { and, eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DatabaseHandle, openDatabase } from '../db/client'
import { jobs } from '../db/schema/index'
import { createTestDatabase } from '../test/test-database'
import { PgJobQueue } from './pg-job-queue'

// Two handles on one database: on PostgreSQL two pools, as two app instances have; on PGlite the
// same handle twice (one connection, so SKIP LOCKED is never put to the test there).
let database: DatabaseHandle & { url?: string }
let other: DatabaseHandle | undefined
beforeAll(async () => {
  database = await createTestDatabase()
  if (database.url)
    other = await openDatabase({ databaseUrl: database.url, dataDir: 'memory://', poolMax: 5 })
})
afterAll(async () => {
  await other?.close()
  await database.close()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function until(what: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms
  while (!(await what())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`)
    await sleep(10)
  }
}

/** A batch handler whose batches stay in flight until the test lets each of them end. */
function heldBatches() {
  const held: { items: number[]; release: () => void }[] = []
  const handler = async (batch: { payload: unknown }[]) => {
    await new Promise<void>((release) =>
      held.push({ items: batch.map((j) => (j.payload as { n: number }).n), release }),
    )
    return batch.map(() => ({ status: 'done' as const }))
  }
  return { held, handler }
}

const statusOf = async (queue: string) =>
  (await database.db.select({ status: jobs.status }).from(jobs).where(eq(jobs.queue, queue))).map(
    (r) => r.status,
  )

describe('batches in flight', () => {
  it('claims the next batch while one is still running, up to the queue concurrency', async () => {
    // Polling once a minute: only enqueues and finished batches make the queue claim again.
    const queue = new PgJobQueue(database.db, undefined, { pollMs: 60_000 })
    const { held, handler } = heldBatches()
    queue.registerBatch('held-batch', handler, { batchSize: 2, concurrency: 3 })
    queue.start()
    try {
      const add = (n: number) =>
        queue.enqueueMany('held-batch', [{ payload: { n } }, { payload: { n: n + 1 } }])
      await add(1)
      await until(() => held.length === 1, 2_000)
      await add(3) // the first batch still runs: this one is claimed all the same
      await until(() => held.length === 2, 2_000)
      await add(5)
      await until(() => held.length === 3, 2_000)
      await add(7) // three in flight: this one waits for a free slot
      await sleep(300)
      expect(held).toHaveLength(3)
      held[0]!.release()
      await until(() => held.length === 4, 2_000)
      // A claim's rows come back in no particular order.
      expect(held.map((b) => [...b.items].sort())).toEqual([
        [1, 2],
        [3, 4],
        [5, 6],
        [7, 8],
      ])
      for (const b of held) b.release()
      await until(async () => (await statusOf('held-batch')).every((s) => s === 'succeeded'), 2_000)
    } finally {
      for (const b of held) b.release()
      await queue.stop()
    }
  })

  it('stop() returns only once every batch in flight has ended and been recorded', async () => {
    const queue = new PgJobQueue(database.db, undefined, { pollMs: 60_000 })
    const { held, handler } = heldBatches()
    queue.registerBatch('stopping-batch', handler, { batchSize: 1, concurrency: 2 })
    queue.start()
    await queue.enqueueMany('stopping-batch', [{ payload: { n: 1 } }, { payload: { n: 2 } }])
    await until(() => held.length === 2, 2_000)
    let stopped = false
    const stopping = queue.stop().then(() => {
      stopped = true
    })
    await sleep(100)
    held[0]!.release()
    await sleep(100)
    expect(stopped).toBe(false)
    held[1]!.release()
    await stopping
    expect(await statusOf('stopping-batch')).toEqual(['succeeded', 'succeeded'])
  })

  it('a long single job does not hold up the batches, nor the other single jobs', async () => {
    const queue = new PgJobQueue(database.db, undefined, { pollMs: 60_000 })
    let releaseLong: () => void = () => {}
    const ran: string[] = []
    queue.register<{ name: string }>('mixed-single', async ({ name }) => {
      if (name === 'long') await new Promise<void>((r) => (releaseLong = r))
      ran.push(name)
    })
    queue.registerBatch<{ name: string }>(
      'mixed-batch',
      async (batch) => {
        ran.push(...batch.map((j) => j.payload.name))
        return batch.map(() => ({ status: 'done' }))
      },
      { batchSize: 10 },
    )
    queue.start()
    try {
      await queue.enqueue('mixed-single', { name: 'long' })
      await sleep(50)
      await queue.enqueue('mixed-single', { name: 'short' })
      await queue.enqueue('mixed-batch', { name: 'push' })
      await until(() => ran.includes('short') && ran.includes('push'), 2_000)
      expect(ran).not.toContain('long')
    } finally {
      releaseLong()
      await queue.stop()
    }
    expect(ran).toContain('long')
  })
})

describe('two queues on one database', () => {
  it('never run the same job, and both take a share of the work', async () => {
    const ranBy = new Map<number, string[]>()
    const make = (name: string, db: DatabaseHandle) => {
      const queue = new PgJobQueue(db.db, undefined, { pollMs: 10, batchSize: 4 })
      const note = (id: number) => ranBy.set(id, [...(ranBy.get(id) ?? []), name])
      queue.registerBatch(
        'shared-batch',
        async (batch) => {
          await sleep(5 + Math.random() * 15)
          for (const j of batch) note(j.ctx.id)
          return batch.map(() => ({ status: 'done' as const }))
        },
        { batchSize: 5, concurrency: 3 },
      )
      queue.register('shared-single', async (_p, ctx) => {
        await sleep(Math.random() * 10)
        note(ctx.id)
      })
      return queue
    }
    const a = make('A', database)
    const b = make('B', other ?? database)
    a.start()
    b.start()
    try {
      const items = Array.from({ length: 400 }, (_, n) => ({ payload: { n } }))
      await a.enqueueMany('shared-batch', items)
      await a.enqueueMany('shared-single', items.slice(0, 60))
      const all = await database.db
        .select({ id: jobs.id })
        .from(jobs)
        .where(inArray(jobs.queue, ['shared-batch', 'shared-single']))
      expect(all).toHaveLength(460)
      await until(async () => {
        const open = await database.db
          .select({ id: jobs.id })
          .from(jobs)
          .where(and(inArray(jobs.queue, ['shared-batch', 'shared-single']), eq(jobs.status, 'pending')))
        return open.length === 0 && ranBy.size === 460
      }, 30_000)
    } finally {
      await Promise.all([a.stop(), b.stop()])
    }
    expect([...ranBy.values()].filter((by) => by.length !== 1)).toEqual([])
    const byB = [...ranBy.values()].filter((by) => by[0] === 'B').length
    // B learnt of the jobs only by polling (A enqueued them): it still ran a share of them.
    expect(byB).toBeGreaterThan(20)
    expect(byB).toBeLessThan(440)
    expect(new Set(await statusOf('shared-batch'))).toEqual(new Set(['succeeded']))
  })
})
