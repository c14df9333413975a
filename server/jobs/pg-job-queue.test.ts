import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jobs } from '../db/schema/index'
import { createTestApp, type TestContext } from '../test/test-app'
import { PgJobQueue } from './pg-job-queue'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const jobRow = async (id: number) => (await t.db.select().from(jobs).where(eq(jobs.id, id)))[0]!

describe('the Postgres job queue', () => {
  it('retries a failing job with backoff until it succeeds', async () => {
    const queue = new PgJobQueue(t.db, undefined, { baseBackoffMs: 0 })
    const attempts: number[] = []
    queue.register<{ to: string }>('flaky', async (_payload, ctx) => {
      attempts.push(ctx.attempt)
      if (ctx.attempt < 3) throw new Error(`gateway timeout #${ctx.attempt}`)
    })
    const id = (await queue.enqueue('flaky', { to: '+84912000011' }))!
    for (let i = 0; i < 5; i++) await queue.drain()
    expect(attempts).toEqual([1, 2, 3])
    const row = await jobRow(id)
    expect(row.status).toBe('succeeded')
    expect(row.attempts).toBe(3)
  })

  it('waits for the backoff before retrying', async () => {
    const queue = new PgJobQueue(t.db, undefined, { baseBackoffMs: 60_000 })
    let runs = 0
    queue.register('slow-retry', async () => {
      runs++
      throw new Error('down')
    })
    const id = (await queue.enqueue('slow-retry', {}))!
    await queue.drain()
    await queue.drain()
    expect(runs).toBe(1)
    const row = await jobRow(id)
    expect(row.status).toBe('pending')
    expect(row.runAt.getTime()).toBeGreaterThan(Date.now() + 50_000)
    expect(row.lastError).toContain('down')
  })

  it('moves a job that keeps failing to the dead-letter state', async () => {
    const queue = new PgJobQueue(t.db, undefined, { baseBackoffMs: 0 })
    queue.register('always-fails', async () => {
      throw new Error('invalid subscription')
    })
    const id = (await queue.enqueue('always-fails', {}, { maxAttempts: 2 }))!
    for (let i = 0; i < 4; i++) await queue.drain()
    const row = await jobRow(id)
    expect(row.status).toBe('dead')
    expect(row.attempts).toBe(2)
  })

  it('never runs a succeeded job twice, even with two workers draining at once', async () => {
    const runs = new Map<number, number>()
    const handler = async (_p: unknown, ctx: { id: number }) => {
      runs.set(ctx.id, (runs.get(ctx.id) ?? 0) + 1)
    }
    const a = new PgJobQueue(t.db, undefined, { batchSize: 3 })
    const b = new PgJobQueue(t.db, undefined, { batchSize: 3 })
    a.register('once', handler)
    b.register('once', handler)
    const ids: number[] = []
    for (let i = 0; i < 12; i++) ids.push((await a.enqueue('once', { i }))!)
    for (let round = 0; round < 6; round++) await Promise.all([a.drain(), b.drain()])
    expect([...runs.keys()].sort((x, y) => x - y)).toEqual(ids)
    expect([...runs.values()].every((n) => n === 1)).toBe(true)
  })

  it('makes one job for one unique key', async () => {
    const queue = new PgJobQueue(t.db)
    const first = await queue.enqueue('push', { alert: 1 }, { uniqueKey: 'push:alert-1:user-9' })
    const second = await queue.enqueue('push', { alert: 1 }, { uniqueKey: 'push:alert-1:user-9' })
    expect(first).toBeTypeOf('number')
    expect(second).toBeNull()
  })

  it('enqueues inside a transaction only if it commits', async () => {
    const queue = new PgJobQueue(t.db)
    await expect(
      t.db.transaction(async (tx) => {
        await queue.enqueue('tx-job', { n: 1 }, { tx, uniqueKey: 'tx-rolled-back' })
        throw new Error('rollback')
      }),
    ).rejects.toThrow('rollback')
    const rows = await t.db.select().from(jobs).where(eq(jobs.uniqueKey, 'tx-rolled-back'))
    expect(rows).toHaveLength(0)
  })
})

describe('bulk enqueue', () => {
  it('queues many jobs in one go and skips keys already queued', async () => {
    const queue = new PgJobQueue(t.db)
    const ran: number[] = []
    queue.register<{ n: number }>('bulk', async (p) => {
      ran.push(p.n)
    })
    const items = Array.from({ length: 1500 }, (_, n) => ({ payload: { n }, uniqueKey: `bulk-${n}` }))
    expect(await queue.enqueueMany('bulk', items)).toBe(1500)
    expect(await queue.enqueueMany('bulk', items.slice(0, 10))).toBe(0)
    while ((await queue.drain()) > 0);
    expect(ran.sort((a, b) => a - b)).toEqual(items.map((i) => i.payload.n))
  })
})
