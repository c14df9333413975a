import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildArea, buildWard } from '../test/factories/index'
import { createTestApp, type TestContext } from '../test/test-app'
import { scheduleVacuum, VACUUM_EVERY_MS, VACUUM_QUEUE } from './maintenance.job'
import { queryRows } from './query'
import { jobs } from './schema/index'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const queued = () => t.db.select().from(jobs).where(eq(jobs.queue, VACUUM_QUEUE))
/** The planner's row estimate of a table: -1 until it is analysed. */
const estimate = async () =>
  Number(
    (
      await queryRows<{ n: number }>(
        t.db,
        sql`select reltuples::float8 as n from pg_class where relname = 'dashboard_reach_daily'`,
      )
    )[0]!.n,
  )

describe('VACUUM ANALYZE of the embedded database every hour', () => {
  it.skipIf(!!process.env.DATABASE_URL)(
    'is scheduled on PGlite, refreshes the planner statistics when it runs, and queues the next hour',
    async () => {
      expect(t.database.kind).toBe('pglite')
      const area = await buildArea(t.db, { parent: await buildWard(t.db) })
      await t.db.execute(
        sql`insert into dashboard_reach_daily (area_id, area_path, day, reached)
          select ${area.id}::uuid, ${area.path}, date '2026-11-01' + g, 1 from generate_series(0, 199) g`,
      )
      const rows = Number(
        (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from dashboard_reach_daily`))[0]!
          .n,
      )
      expect(rows).toBeGreaterThan(0)
      expect(await estimate()).not.toBe(rows)

      const now = Date.now()
      await scheduleVacuum(t.database, t.jobs, now)
      await scheduleVacuum(t.database, t.jobs, now + 1_000)
      const pending = (await queued()).filter((j) => j.status === 'pending')
      expect(pending).toHaveLength(1)
      const nextSlot = Math.floor(now / VACUUM_EVERY_MS) * VACUUM_EVERY_MS + VACUUM_EVERY_MS
      expect(pending[0]!.runAt.getTime()).toBe(nextSlot)

      // The run of this hour's slot (as if started an hour ago) is due now.
      await scheduleVacuum(t.database, t.jobs, now - VACUUM_EVERY_MS)
      expect(await t.jobs.drain()).toBeGreaterThanOrEqual(1)
      const after = await queued()
      expect(after.filter((j) => j.status === 'succeeded')).toHaveLength(1)
      expect(await estimate()).toBe(rows)
      const next = after.filter((j) => j.status === 'pending').map((j) => j.runAt.getTime())
      expect(next).toEqual([nextSlot])
    },
  )

  it('is not scheduled on PostgreSQL, whose autovacuum does it', async () => {
    const before = (await queued()).length
    await scheduleVacuum({ kind: 'postgres' }, t.jobs)
    expect((await queued()).length).toBe(before)
  })
})
