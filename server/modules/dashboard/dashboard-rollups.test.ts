import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jobs } from '../../db/schema/index'
import { signInAs } from '../../test/auth-helpers'
import { buildArea, buildCommander, buildResident, buildWard } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { DASHBOARD_ROLLUPS_QUEUE, ROLLUP_EVERY_MS, scheduleDashboardRollups } from './dashboard-rollups.job'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const today = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10)

describe('households reached, rolled up by a job', () => {
  it('counts a resident who signed in once the job has rebuilt the roll-up, and says when', async () => {
    const ward = await buildWard(t.db)
    const area = await buildArea(t.db, { parent: ward, householdCount: 40 })
    const { user: commander } = await buildCommander(t.db, { unit: ward })
    const staff = await signInAs(t.app, { id: commander.id, kind: 'staff' })
    const reachOf = async () => {
      const res = await t.app.inject({
        url: '/api/dashboard',
        query: { unitId: ward.id, from: today(), to: today() },
        headers: staff.headers,
      })
      expect(res.statusCode).toBe(200)
      const body = res.json()
      return { row: body.reach.find((r: { id: string }) => r.id === area.id), asOf: body.reachAsOf }
    }

    const resident = await buildResident(t.db, { area })
    await signInAs(t.app, { id: resident.id, kind: 'resident' })
    const before = await reachOf()
    expect(before.row).toMatchObject({ households: 40, reached: 0 })

    const started = Date.now()
    await scheduleDashboardRollups(t.jobs)
    await t.jobs.drain()
    const after = await reachOf()
    expect(after.row).toMatchObject({ households: 40, reached: 1, reachedBefore: 0 })
    expect(new Date(after.asOf).getTime()).toBeGreaterThanOrEqual(started - 1000)
  })

  it('queues one refresh per quarter of an hour however often it is scheduled, and the next one', async () => {
    const slot = Math.floor(Date.now() / ROLLUP_EVERY_MS) * ROLLUP_EVERY_MS
    const queued = () => t.db.select().from(jobs).where(eq(jobs.queue, DASHBOARD_ROLLUPS_QUEUE))
    await scheduleDashboardRollups(t.jobs, slot + 1_000)
    const once = (await queued()).length
    await scheduleDashboardRollups(t.jobs, slot + 2_000)
    expect((await queued()).length).toBe(once)
    await t.jobs.drain()
    const pending = (await queued()).filter((j) => j.status === 'pending')
    expect(pending.map((j) => j.runAt.getTime())).toContain(slot + ROLLUP_EVERY_MS)
  })
})
