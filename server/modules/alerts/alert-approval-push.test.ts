import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildAdmin, buildAlertsWorld, buildCommander } from '../../test/factories/index'
import { startFakePushService } from '../../test/fakes/fake-push-service'
import { createTestApp, type TestContext } from '../../test/test-app'
import { as, drainJobs, foundPerson, publish, subscribePush, type Who } from './alerts.test-helpers'

let t: TestContext
let push: Awaited<ReturnType<typeof startFakePushService>>
let w: Awaited<ReturnType<typeof buildAlertsWorld>>
let provinceCommander: Who

beforeAll(async () => {
  t = await createTestApp()
  push = await startFakePushService()
})
afterAll(async () => {
  await push.close()
  await t.close()
})
beforeEach(async () => {
  w = await buildAlertsWorld(t.db)
  provinceCommander = (await buildCommander(t.db, { unit: w.province })).user
  for (const [who, device] of [
    [w.commander, 'ward-commander'],
    [provinceCommander, 'province-commander'],
    [w.officer, 'author'],
    [w.neighbourOfficer, 'neighbour-officer'],
  ] as const)
    await subscribePush(t, push, who.id, `${device}-${w.ward.id}`)
})

const pushesTo = (device: string) =>
  push.received
    .filter((r) => r.path === `/push/${device}-${w.ward.id}`)
    .map((r) => JSON.parse(r.plaintext) as { title: string; url: string })

const pendingCount = async (who: Who) => {
  const res = await (await as(t.app, who)).call('GET', '/api/staff/alerts/pending-approval/count')
  expect(res.statusCode, res.body).toBe(200)
  return res.json().count as number
}

describe('a wide alert waiting for approval', () => {
  it('pushes to the commanders who may approve it, in Vietnamese, opening the staff alert page', async () => {
    const sent = await publish(t.app, w.officer, foundPerson())
    expect(sent.state).toBe('pending_approval')
    await drainJobs(t)
    expect(push.errors).toEqual([])
    const expected = { title: `Cảnh báo chờ duyệt: ${sent.headline}`, url: `/staff/alerts/${sent.id}` }
    expect(pushesTo('ward-commander')).toEqual([expect.objectContaining(expected)])
    // The province's commander commands the ward too, so may approve it.
    expect(pushesTo('province-commander')).toEqual([expect.objectContaining(expected)])
    // The author and a neighbouring ward's officer have no say.
    expect(pushesTo('author')).toEqual([])
    expect(pushesTo('neighbour-officer')).toEqual([])
  })

  it('pushes once even when the job runs again, and again on a resubmission after a rejection', async () => {
    const sent = await publish(t.app, w.officer, foundPerson())
    await drainJobs(t)
    await t.db.execute(
      sql`update jobs set status = 'pending', run_at = now(), finished_at = null where queue = 'alerts.approval_push'`,
    )
    await drainJobs(t)
    expect(pushesTo('ward-commander')).toHaveLength(1)

    const commander = await as(t.app, w.commander)
    await commander.call('POST', `/api/alerts/${sent.id}/reject`, { reason: 'Che mặt cụ trong ảnh' })
    const officer = await as(t.app, w.officer)
    expect((await officer.call('POST', `/api/alerts/${sent.id}/submit`)).json().state).toBe(
      'pending_approval',
    )
    await drainJobs(t)
    expect(pushesTo('ward-commander')).toHaveLength(2)
  })

  it('counts it for the badge of those who may approve it, until it is approved', async () => {
    const sent = await publish(t.app, w.officer, foundPerson())
    await publish(t.app, w.officer, foundPerson({ headline: 'Tìm người thân cho cụ ông khoảng 75 tuổi' }))
    expect(await pendingCount(w.commander)).toBe(2)
    expect(await pendingCount(provinceCommander)).toBe(2)
    expect(await pendingCount(w.officer)).toBe(0)
    expect(await pendingCount(w.neighbourOfficer)).toBe(0)
    const approved = await (await as(t.app, w.commander)).call('POST', `/api/alerts/${sent.id}/approve`)
    expect(approved.statusCode, approved.body).toBe(200)
    expect(await pendingCount(w.commander)).toBe(1)
  })

  it('does not push once the alert was approved before the job ran', async () => {
    const sent = await publish(t.app, w.officer, foundPerson())
    await (await as(t.app, w.commander)).call('POST', `/api/alerts/${sent.id}/approve`)
    await drainJobs(t)
    expect(pushesTo('ward-commander')).toEqual([])
  })

  it('refuses the count to a resident', async () => {
    const res = await (await as(t.app, w.resident)).call('GET', '/api/staff/alerts/pending-approval/count')
    expect(res.statusCode).toBe(403)
  })

  it('gives an administrator 0: they configure, commanders approve (roles-and-data.md)', async () => {
    const sent = await publish(t.app, w.officer, foundPerson())
    expect(sent.state).toBe('pending_approval')
    expect(await pendingCount(await buildAdmin(t.db))).toBe(0)
  })
})
