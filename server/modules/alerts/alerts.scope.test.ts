import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { auditLog, unitNeighbours } from '../../db/schema/index'
import { buildAlertsWorld, buildCommander, buildWard } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { as, foundPerson, publish } from './alerts.test-helpers'

// Regression tests for the security review's F1 (answers across wards) and F2 (approval and neighbours).

let t: TestContext
let w: Awaited<ReturnType<typeof buildAlertsWorld>>

beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})
beforeEach(async () => {
  w = await buildAlertsWorld(t.db)
})

type Answer = { body: string; author: { id: string; phone: string | null } }

describe('F1: answers to an alert addressed to a neighbouring ward', () => {
  it("stay with the issuing ward; the neighbour's staff read only their own residents, phones stay in the resident's ward", async () => {
    const sent = await publish(t.app, w.commander, foundPerson({ scope: { kind: 'unit_neighbours' } }))
    expect(sent.state).toBe('active')
    const mine = await (await as(t.app, w.resident)).call('POST', `/api/alerts/${sent.id}/answers`, {
      body: 'Tôi thấy cụ ở số 5 phố Huế, gọi cho tôi',
    })
    expect(mine.statusCode, mine.body).toBe(201)
    const theirs = await (await as(t.app, w.neighbourResident)).call(
      'POST',
      `/api/alerts/${sent.id}/answers`,
      { body: 'Cụ đi về phía chợ' },
    )
    expect(theirs.statusCode, theirs.body).toBe(201)

    const neighbour = await as(t.app, w.neighbourOfficer)
    const seen = await neighbour.call('GET', `/api/alerts/${sent.id}/answers`)
    expect(seen.statusCode, seen.body).toBe(200)
    const items: Answer[] = seen.json().items
    expect(items.map((a) => a.author.id)).toEqual([w.neighbourResident.id])
    expect(items[0]!.author.phone).toBe(w.neighbourResident.phone)
    expect(seen.body).not.toContain('phố Huế')
    expect(seen.body).not.toContain(w.resident.phone!)

    const issuing: Answer[] = (
      await (await as(t.app, w.officer)).call('GET', `/api/alerts/${sent.id}/answers`)
    ).json().items
    const byAuthor = new Map(issuing.map((a) => [a.author.id, a.author.phone]))
    expect(byAuthor.get(w.resident.id)).toBe(w.resident.phone)
    expect(byAuthor.get(w.neighbourResident.id)).toBeNull()

    // The neighbour officer's read is logged under their own ward, where their commander looks.
    const [entry] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'alert_answers.read'), eq(auditLog.actorId, w.neighbourOfficer.id)))
    expect(entry?.unitId).toBe(w.neighbourWard.id)
    expect(entry?.details).toMatchObject({ count: 1, subjectUserIds: [w.neighbourResident.id] })
  })
})

describe('F2: approval threshold and neighbours', () => {
  it('a ward commander cannot lift the threshold to the province, and a province alert always waits for the province', async () => {
    const commander = await as(t.app, w.commander)
    const lifted = await commander.call('PUT', `/api/alerts/units/${w.ward.id}/settings`, {
      approvalAbove: 'province',
    })
    expect(lifted.statusCode).toBe(400)
    expect(lifted.json().errors[0].field).toBe('approvalAbove')
    expect(
      (await commander.call('GET', `/api/alerts/units/${w.ward.id}/settings`)).json().approvalAbove,
    ).toBe('unit')

    // Even a threshold set by the province's own commander does not let a ward skip its approval.
    const provinceCommander = (await buildCommander(t.db, { unit: w.province })).user
    const province = await as(t.app, provinceCommander)
    const set = await province.call('PUT', `/api/alerts/units/${w.ward.id}/settings`, {
      approvalAbove: 'province',
    })
    expect(set.statusCode, set.body).toBe(200)
    const wide = await publish(t.app, w.officer, foundPerson({ scope: { kind: 'province' } }))
    expect(wide.state).toBe('pending_approval')
    expect((await commander.call('POST', `/api/alerts/${wide.id}/approve`)).statusCode).toBe(403)
    const approved = await province.call('POST', `/api/alerts/${wide.id}/approve`)
    expect(approved.statusCode, approved.body).toBe(200)
    expect(approved.json().state).toBe('active')
  })

  it("neighbours are siblings only, and a commander writes only their own ward's side", async () => {
    const commander = await as(t.app, w.commander)
    const elsewhere = await buildWard(t.db)
    const far = await commander.call('PUT', `/api/alerts/units/${w.ward.id}/neighbours`, {
      neighbourIds: [elsewhere.id],
    })
    expect(far.statusCode).toBe(400)

    const replaced = await commander.call('PUT', `/api/alerts/units/${w.ward.id}/neighbours`, {
      neighbourIds: [w.farWard.id],
    })
    expect(replaced.statusCode, replaced.body).toBe(200)
    // The neighbouring ward keeps its own setting (it named this ward), and the far ward gets nothing written.
    const rows = await t.db.select().from(unitNeighbours)
    const of = (unitId: string) => rows.filter((r) => r.unitId === unitId).map((r) => r.neighbourId)
    expect(of(w.neighbourWard.id)).toEqual([w.ward.id])
    expect(of(w.farWard.id)).toEqual([])
    expect(of(w.ward.id)).toEqual([w.farWard.id])
  })
})
