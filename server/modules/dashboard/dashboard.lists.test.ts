import type { TDashboard } from '@common/schemas/dashboard'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '../../db/schema/index'
import { signInAs } from '../../test/auth-helpers'
import {
  buildAdmin,
  buildArea,
  buildCase,
  buildCommander,
  buildDirectConversation,
  buildOfficer,
  buildProvince,
  buildResidenceReport,
  buildResident,
  buildTip,
  buildWard,
  type UnitRow,
} from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { refreshDashboardRollups } from './dashboard-rollups.job'

// The lists behind the figures: "households reached" and the movements open on the residents and
// reports they count, within the viewer's unit, audited; and every link a role is given opens.
let t: TestContext
let province: UnitRow
let ward: UnitRow
let area: UnitRow
let other: UnitRow
const people: Record<string, { id: string }> = {}
const roles: Record<string, { id: string }> = {}

const vnToday = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10)
const month = { from: `${vnToday.slice(0, 8)}01`, to: vnToday }

beforeAll(async () => {
  t = await createTestApp()
  province = await buildProvince(t.db)
  ward = await buildWard(t.db, { parent: province })
  area = await buildArea(t.db, { parent: ward, householdCount: 30 })
  other = await buildArea(t.db, { parent: await buildWard(t.db, { parent: province }) })
  roles.commander = (await buildCommander(t.db, { unit: ward })).user
  roles.provinceCommander = (await buildCommander(t.db, { unit: province })).user
  roles.admin = await buildAdmin(t.db)
  roles.officer = (await buildOfficer(t.db, { areas: [area], unit: ward })).user
  people.signedIn = await buildResident(t.db, { area })
  people.notYet = await buildResident(t.db, { area })
  people.elsewhere = await buildResident(t.db, { area: other })
  await signInAs(t.app, { id: people.signedIn.id, kind: 'resident' })
  await signInAs(t.app, { id: people.elsewhere.id, kind: 'resident' })
  await refreshDashboardRollups(t.db)
  await buildDirectConversation(t.db, {
    resident: people.notYet as never,
    area,
    assignee: roles.officer as never,
  })
  await buildTip(t.db, { area })
  await buildCase(t.db, { area, createdById: roles.officer.id })
  people.stay = await buildResidenceReport(t.db, { area, kind: 'stay', fullName: 'Nguyễn Thị Đến' })
  people.absence = await buildResidenceReport(t.db, { area, kind: 'absence', fullName: 'Lê Văn Đi' })
  await buildResidenceReport(t.db, { area: other, kind: 'stay', fullName: 'Phạm Văn Khác' })
}, 60_000)
afterAll(() => t.close())

async function get(role: string, url: string) {
  const session = await signInAs(t.app, { id: roles[role]!.id, kind: 'staff' })
  return t.app.inject({ url, headers: session.headers })
}
const dashboardOf = (role: string, unit: UnitRow) =>
  get(role, `/api/dashboard?${new URLSearchParams({ unitId: unit.id, ...month })}`)
/** The audit rows of one action by the ward's commander, written after `since`. */
const auditedSince = async (since: Date, action: string) =>
  (
    await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.actorId, roles.commander!.id)))
  ).filter((r) => r.at >= since)
const qs = (f: Record<string, string | null | undefined>) =>
  new URLSearchParams(Object.entries(f).filter((e): e is [string, string] => !!e[1])).toString()

/** Every list the page links from this response: each figure, and each row of each table. */
function linksOf(d: TDashboard): Record<string, string | null | undefined>[] {
  const i = d.interactions
  const r = d.responseTimes
  return [
    { figure: 'interactions' },
    ...i.byKind.map((k) => ({ figure: 'interactions', kind: k.kind })),
    ...i.byChild.map((c) => ({ figure: 'interactions', childId: c.id })),
    ...i.byOfficer.map((o) => ({ figure: 'interactions', officerId: o.id })),
    { figure: 'responses' },
    { figure: 'responses', overdue: 'true' },
    ...r.byOfficer.map((o) => ({ figure: 'responses', officerId: o.id, overdue: 'true' })),
    ...r.byChild.map((c) => ({ figure: 'responses', childId: c.id })),
    { figure: 'households' },
    ...d.reach.map((a) => ({ figure: 'households', childId: a.id })),
    { figure: 'open_cases' },
    ...d.cases.openByAge.map((a) => ({ figure: 'open_cases', age: a.age })),
    ...d.cases.openByStatus.map((s) => ({ figure: 'open_cases', status: s.status })),
    ...d.cases.closedByOutcome.map((o) => ({ figure: 'closed_cases', outcome: o.outcome })),
    { figure: 'alerts' },
    { figure: 'movements' },
    ...d.movements.byKind.map((k) => ({ figure: 'movements', reportKind: k.kind })),
    ...d.movements.byChild.map((c) => ({ figure: 'movements', childId: c.id })),
  ]
}

describe('every link on the dashboard opens, for each role', () => {
  for (const role of ['commander', 'provinceCommander', 'admin', 'officer'])
    it(`for the ${role}`, async () => {
      for (const unit of [ward, province]) {
        const res = await dashboardOf(role, unit)
        if (role === 'officer' || (role === 'commander' && unit === province)) {
          expect(res.statusCode, `${role} has no dashboard of ${unit.name}`).toBe(404)
          continue
        }
        expect(res.statusCode).toBe(200)
        const body: TDashboard = res.json()
        if (role === 'admin') {
          // The figures without their lists: the records of tips and cases are not an administrator's.
          expect(body.listsQuery).toBeNull()
          const records = await get(
            role,
            `/api/dashboard/records?unitId=${unit.id}&figure=interactions&from=${month.from}&to=${month.to}`,
          )
          expect(records.statusCode).toBe(404)
          continue
        }
        expect(body.listsQuery).not.toBeNull()
        const links = linksOf(body)
        expect(links.length).toBeGreaterThan(15)
        for (const f of links) {
          const url = `/api/dashboard/records?${body.listsQuery}&${qs(f)}`
          const opened = await get(role, url)
          expect(opened.statusCode, `${role}: ${url}`).toBe(200)
        }
      }
    })
})

describe('the list behind "households reached"', () => {
  it('names the residents of the unit reached by the end of the period, as many as the figure, and is audited', async () => {
    const since = new Date()
    const body: TDashboard = (await dashboardOf('commander', ward)).json()
    const row = body.reach.find((r) => r.id === area.id)!
    expect(row.reached).toBe(1)
    for (const query of [{}, { childId: area.id }]) {
      const res = await get(
        'commander',
        `/api/dashboard/records?${body.listsQuery}&${qs({ figure: 'households', ...query })}`,
      )
      expect(res.statusCode).toBe(200)
      const items = res.json().items as { id: string; source: string; kind: string; areaName: string }[]
      expect(items.map((x) => x.id)).toEqual([people.signedIn!.id])
      expect(items[0]).toMatchObject({ source: 'resident', kind: 'signed_in', areaName: area.name })
    }
    const logged = await auditedSince(since, 'resident.list')
    expect(logged).toHaveLength(2)
    expect(logged[0]!.details).toMatchObject({ count: 1, subjectUserIds: [people.signedIn!.id] })
    expect(logged[0]!.unitId).toBe(ward.id)
  })

  it('shows a province commander the residents of every ward under it', async () => {
    const res = await get(
      'provinceCommander',
      `/api/dashboard/records?${qs({ unitId: province.id, ...month, figure: 'households' })}`,
    )
    expect(res.statusCode).toBe(200)
    const ids = (res.json().items as { id: string }[]).map((x) => x.id).sort()
    expect(ids).toEqual([people.signedIn!.id, people.elsewhere!.id].sort())
  })
})

describe('movements on the dashboard', () => {
  it('counts the residence reports of the period by kind and area, and lists them, audited', async () => {
    const since = new Date()
    const body: TDashboard = (await dashboardOf('commander', ward)).json()
    expect(body.movements.total.current).toBe(2)
    expect(body.movements.byKind.find((k) => k.kind === 'stay')).toMatchObject({
      current: 1,
      direction: 'arrival',
      confirmed: 0,
    })
    expect(body.movements.byKind.find((k) => k.kind === 'absence')).toMatchObject({
      current: 1,
      direction: 'departure',
    })
    expect(body.movements.byChild).toEqual([{ id: area.id, name: area.name, current: 2, previous: 0 }])

    const res = await get(
      'commander',
      `/api/dashboard/records?${body.listsQuery}&${qs({ figure: 'movements', reportKind: 'stay' })}`,
    )
    expect(res.statusCode).toBe(200)
    expect(res.json().items).toMatchObject([
      {
        source: 'residence_report',
        id: people.stay!.id,
        title: 'Nguyễn Thị Đến',
        kind: 'stay',
        status: 'pending',
      },
    ])
    const [logged] = await auditedSince(since, 'residence_report.list')
    expect(logged?.details).toMatchObject({ count: 1, reportIds: [people.stay!.id] })
  })
})
