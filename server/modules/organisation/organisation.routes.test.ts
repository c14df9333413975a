import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../../db/query'
import type { TBusEvent } from '../../realtime/access-events'
import { signInAs, type TestSession } from '../../test/auth-helpers'
import {
  buildAdmin,
  buildArea,
  buildCommander,
  buildOfficer,
  buildResident,
  buildWard,
  type UnitRow,
} from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'

let t: TestContext
const events: TBusEvent[] = []
beforeAll(async () => {
  t = await createTestApp()
  t.bus.subscribe((e) => events.push(e))
})
afterAll(() => t.close())

/** A ward with a commander, two officers (each with one area), a free area, and a neighbouring ward. */
async function world() {
  const ward = await buildWard(t.db)
  const free = await buildArea(t.db, { parent: ward, name: 'Tổ dân phố số 9' })
  const { user: commander } = await buildCommander(t.db, { unit: ward })
  const a = await buildOfficer(t.db, { unit: ward })
  const b = await buildOfficer(t.db, { unit: ward })
  const neighbourWard = await buildWard(t.db)
  const neighbour = await buildOfficer(t.db, { unit: neighbourWard })
  const { user: neighbourCommander } = await buildCommander(t.db, { unit: neighbourWard })
  const as = async (user: { id: string; kind: 'resident' | 'staff' }) => (await signInAs(t.app, user)).headers
  return { ward, free, commander, a, b, neighbourWard, neighbour, neighbourCommander, as }
}

const assign = (area: UnitRow, headers: TestSession['headers'], payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/areas/${area.id}/assignments`, headers, payload })

describe('assigning officers to areas', () => {
  it('lets a commander assign an officer to a free area; the area then shows that officer', async () => {
    const w = await world()
    const headers = await w.as(w.commander)
    const res = await assign(w.free, headers, { officerId: w.a.user.id })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({
      previousOfficerId: null,
      assignment: { officer: { id: w.a.user.id }, isCurrent: true },
    })

    const detail = (await t.app.inject({ url: `/api/areas/${w.free.id}`, headers })).json()
    expect(detail.area.currentOfficer.id).toBe(w.a.user.id)
    expect(detail.can).toEqual({ update: true, assign: true })
    expect(events.filter((e) => e.type === 'area.officer_changed').at(-1)).toMatchObject({
      areaId: w.free.id,
      officerId: w.a.user.id,
      previousOfficerId: null,
    })
    const [row] = await queryRows<{ action: string; actor_id: string }>(
      t.db,
      sql`select action, actor_id from audit_log where entity_id = ${res.json().assignment.id}`,
    )
    expect(row).toEqual({ action: 'assignment.create', actor_id: w.commander.id })
  })

  it('reassigns: the old assignment ends when the new one starts and the change is announced', async () => {
    const w = await world()
    const area = w.a.areas[0]!
    const headers = await w.as(w.commander)
    const res = await assign(area, headers, { officerId: w.b.user.id })
    expect(res.statusCode).toBe(201)
    expect(res.json().previousOfficerId).toBe(w.a.user.id)
    const detail = (await t.app.inject({ url: `/api/areas/${area.id}`, headers })).json()
    expect(detail.area.currentOfficer.id).toBe(w.b.user.id)
    expect(
      detail.assignments.map((x: { officer: { id: string }; isCurrent: boolean }) => [
        x.officer.id,
        x.isCurrent,
      ]),
    ).toEqual([
      [w.b.user.id, true],
      [w.a.user.id, false],
    ])
    expect(detail.assignments[1].endsAt).toBe(detail.assignments[0].startsAt)
    const event = events.filter((e) => e.type === 'area.officer_changed').at(-1)!
    expect(event).toMatchObject({ areaId: area.id, officerId: w.b.user.id, previousOfficerId: w.a.user.id })
    expect(event.rooms).toEqual(
      expect.arrayContaining([`area:${area.id}`, `user:${w.a.user.id}`, `user:${w.b.user.id}`]),
    )
  })

  it('refuses the officer already in charge, an officer of another ward, and an end before the start', async () => {
    const w = await world()
    const area = w.a.areas[0]!
    const headers = await w.as(w.commander)
    expect((await assign(area, headers, { officerId: w.a.user.id })).statusCode).toBe(409)
    const foreign = await assign(area, headers, { officerId: w.neighbour.user.id })
    expect(foreign.statusCode).toBe(400)
    expect(foreign.json().errors).toEqual([
      expect.objectContaining({ field: 'officerId', code: 'not_in_unit' }),
    ])
    const backwards = await assign(area, headers, {
      officerId: w.b.user.id,
      startsAt: '2026-03-10',
      endsAt: '2026-03-01',
    })
    expect(backwards.json().errors[0].field).toBe('endsAt')
  })

  it('plans a future assignment without changing today’s officer, and refuses one that would overlap it', async () => {
    const w = await world()
    const area = w.a.areas[0]!
    const headers = await w.as(w.commander)
    const later = new Date(Date.now() + 7 * 86_400_000).toISOString()
    expect((await assign(area, headers, { officerId: w.b.user.id, startsAt: later })).statusCode).toBe(201)
    const detail = (await t.app.inject({ url: `/api/areas/${area.id}`, headers })).json()
    expect(detail.area.currentOfficer.id).toBe(w.a.user.id)
    const overlap = await assign(area, headers, { officerId: w.b.user.id })
    expect(overlap.statusCode).toBe(409)
  })

  it('ends an assignment: the area has no officer and the change is announced', async () => {
    const w = await world()
    const area = w.a.areas[0]!
    const headers = await w.as(w.commander)
    const detail = (await t.app.inject({ url: `/api/areas/${area.id}`, headers })).json()
    const id = detail.assignments[0].id
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/areas/${area.id}/assignments/${id}/end`,
      headers,
      payload: {},
    })
    expect(res.statusCode).toBe(204)
    const after = (await t.app.inject({ url: `/api/areas/${area.id}`, headers })).json()
    expect(after.area.currentOfficer).toBeNull()
    expect(events.filter((e) => e.type === 'area.officer_changed').at(-1)).toMatchObject({
      areaId: area.id,
      officerId: null,
      previousOfficerId: w.a.user.id,
    })
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/areas/${area.id}/assignments/${id}/end`,
      headers,
      payload: {},
    })
    expect(again.statusCode).toBe(409)
  })

  it('keeps other wards out: neighbours see nothing, officers read but do not assign, residents get 403', async () => {
    const w = await world()
    const area = w.a.areas[0]!
    const neighbourCommander = await w.as(w.neighbourCommander)
    expect(
      (await t.app.inject({ url: `/api/areas/${area.id}`, headers: neighbourCommander })).statusCode,
    ).toBe(404)
    expect((await assign(area, neighbourCommander, { officerId: w.b.user.id })).statusCode).toBe(404)
    const neighbourOfficer = await w.as(w.neighbour.user)
    expect(
      (await t.app.inject({ url: `/api/units/${w.ward.id}/areas`, headers: neighbourOfficer })).statusCode,
    ).toBe(404)

    const officer = await w.as(w.a.user)
    const read = await t.app.inject({ url: `/api/areas/${area.id}`, headers: officer })
    expect(read.statusCode).toBe(200)
    expect(read.json().can).toEqual({ update: false, assign: false })
    expect((await assign(area, officer, { officerId: w.b.user.id })).statusCode).toBe(403)

    const resident = await w.as(await buildResident(t.db, { area }))
    expect((await t.app.inject({ url: `/api/areas/${area.id}`, headers: resident })).statusCode).toBe(404)
    expect((await t.app.inject({ url: '/api/units', headers: resident })).statusCode).toBe(403)
    expect((await t.app.inject({ url: `/api/areas/${area.id}` })).statusCode).toBe(401)
  })
})

describe('units and areas for staff', () => {
  it('shows a commander their ward, its areas with officers, and its officers', async () => {
    const w = await world()
    const headers = await w.as(w.commander)
    const roots = (await t.app.inject({ url: '/api/units', headers })).json()
    expect(roots.units.map((u: { id: string }) => u.id)).toEqual([w.ward.id])

    const detail = (await t.app.inject({ url: `/api/units/${w.ward.id}`, headers })).json()
    expect(detail.can.manage).toBe(true)
    const byId = new Map(detail.children.map((c: { id: string }) => [c.id, c]))
    expect(byId.get(w.a.areas[0]!.id)).toMatchObject({ isArea: true, currentOfficer: { id: w.a.user.id } })
    expect(byId.get(w.free.id)).toMatchObject({ currentOfficer: null })

    const officers = (await t.app.inject({ url: `/api/units/${w.ward.id}/officers`, headers })).json()
      .officers
    expect(officers[0]).toMatchObject({ id: w.commander.id, role: 'commander' })
    const a = officers.find((o: { id: string }) => o.id === w.a.user.id)
    expect(a).toMatchObject({ role: 'officer', areas: [{ id: w.a.areas[0]!.id }] })
    expect(officers.map((o: { id: string }) => o.id)).not.toContain(w.neighbour.user.id)
  })

  it('creates and updates an area, and writes both to the audit log', async () => {
    const w = await world()
    const headers = await w.as(w.commander)
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/units/${w.ward.id}/areas`,
      headers,
      payload: { name: 'Tổ dân phố số 21', householdCount: 120, address: 'Ngõ 12 Phố Huế' },
    })
    expect(created.statusCode).toBe(201)
    const area = created.json()
    expect(area).toMatchObject({
      parentId: w.ward.id,
      isArea: true,
      householdCount: 120,
      slug: `${w.ward.slug}-to-dan-pho-so-21`,
    })
    const dup = await t.app.inject({
      method: 'POST',
      url: `/api/units/${w.ward.id}/areas`,
      headers,
      payload: { name: 'Tổ dân phố số 21' },
    })
    expect(dup.statusCode).toBe(409)

    const updated = await t.app.inject({
      method: 'PATCH',
      url: `/api/areas/${area.id}`,
      headers,
      payload: { residentCount: 410 },
    })
    expect(updated.json()).toMatchObject({ residentCount: 410, householdCount: 120 })
    const actions = await queryRows<{ action: string; details: { fields?: string[] } }>(
      t.db,
      sql`select action, details from audit_log where entity_id = ${area.id} order by id`,
    )
    expect(actions).toEqual([
      expect.objectContaining({ action: 'area.create' }),
      expect.objectContaining({ action: 'area.update', details: { fields: ['residentCount'] } }),
    ])
    const inArea = await t.app.inject({
      method: 'POST',
      url: `/api/units/${area.id}/areas`,
      headers,
      payload: { name: 'X' },
    })
    expect(inArea.statusCode).toBe(400)
  })

  it('lets an administrator rename a hierarchy level; others may only read the levels', async () => {
    const admin = await signInAs(t.app, await buildAdmin(t.db))
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/hierarchy-levels/residential_group',
      headers: admin.headers,
      payload: { labelVi: 'Tổ dân phố, thôn, ấp' },
    })
    expect(res.statusCode).toBe(200)
    const levels = (await t.app.inject('/api/hierarchy-levels')).json().levels
    expect(levels.map((l: { key: string }) => l.key)).toEqual([
      'province',
      'district',
      'commune',
      'residential_group',
    ])
    expect(levels[3].labelVi).toBe('Tổ dân phố, thôn, ấp')
    expect(levels[1].enabled).toBe(false)
    const w = await world()
    const denied = await t.app.inject({
      method: 'PATCH',
      url: '/api/hierarchy-levels/district',
      headers: await w.as(w.commander),
      payload: { enabled: true },
    })
    expect(denied.statusCode).toBe(403)
  })
})
