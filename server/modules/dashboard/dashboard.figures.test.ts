import type { TDashboard } from '@common/schemas/dashboard'
import { eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as s from '../../db/schema/index'
import { seedScale } from '../../seed/scale/scale-seed'
import { signInAs } from '../../test/auth-helpers'
import { buildProvince, buildWard, type UnitRow } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { ALERT_KIND_KIND, TIP_CATEGORY_KIND } from './dashboard.definitions'

// The figures are checked against counts made here in JavaScript from the seeded rows themselves,
// not with the dashboard's SQL: a wrong filter, join or percentile there shows up as a difference.
const NOW = new Date('2026-11-20T03:00:00Z')
const SIZE = {
  areas: 5,
  households: 400,
  residents: 900,
  officers: 3,
  conversations: 120,
  tips: 20,
  cases: 10,
  alerts: 3,
  days: 92,
}
const FROM = new Date('2026-10-01T00:00:00+07:00')
const TO = new Date('2026-11-01T00:00:00+07:00')
const PREV = new Date(FROM.getTime() - (TO.getTime() - FROM.getTime()))
const inPeriod = (d: Date | null) => !!d && d >= FROM && d < TO
const inPrevious = (d: Date | null) => !!d && d >= PREV && d < FROM

let t: TestContext
let province: UnitRow
let wards: UnitRow[]
const commanders: Record<string, { id: string }> = {}

beforeAll(async () => {
  t = await createTestApp()
  province = await buildProvince(t.db, { name: 'Thành phố Thử', slug: 'thu' })
  wards = [
    await buildWard(t.db, { parent: province, name: 'Phường Định Công', slug: 'phuong-dinh-cong-t' }),
    await buildWard(t.db, { parent: province, name: 'Phường Hoàng Mai', slug: 'phuong-hoang-mai-t' }),
  ]
  const seeded = await seedScale(t.db, {
    scale: 'province',
    passwordHash: 'x',
    now: NOW,
    size: SIZE,
    wards,
    province,
  })
  for (const username of [
    ...seeded.wards.map((w) => w.commanderUsername),
    seeded.provinceCommanderUsername!,
  ]) {
    const [u] = await t.db.select().from(s.users).where(eq(s.users.username, username))
    commanders[username] = u!
  }
}, 240_000)
afterAll(() => t.close())

async function dashboardAs(username: string, unitId: string) {
  const session = await signInAs(t.app, { id: commanders[username]!.id, kind: 'staff' })
  const res = await t.app.inject({
    url: '/api/dashboard',
    query: { unitId, from: '2026-10-01', to: '2026-10-31' },
    headers: session.headers,
  })
  return res
}

/** percentile_cont: linear interpolation between the two nearest ranks. */
function percentile(values: number[], q: number): number | null {
  if (!values.length) return null
  const v = [...values].sort((a, b) => a - b)
  const x = (v.length - 1) * q
  const lo = Math.floor(x)
  return v[lo]! + (v[Math.min(lo + 1, v.length - 1)]! - v[lo]!) * (x - lo)
}
const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10)

/** The facts of one ward, read row by row. */
async function factsOf(ward: UnitRow) {
  const areas = await t.db.select().from(s.units).where(eq(s.units.parentId, ward.id))
  const areaIds = areas.map((a) => a.id)
  const convs = (
    await t.db.select().from(s.conversations).where(inArray(s.conversations.areaId, areaIds))
  ).filter((c) => c.kind === 'direct')
  const tips = await t.db.select().from(s.tips).where(inArray(s.tips.areaId, areaIds))
  const residents = await t.db.select().from(s.users).where(inArray(s.users.areaId, areaIds))
  const residentArea = new Map(residents.map((r) => [r.id, r.areaId]))
  const alerts = await t.db.select().from(s.alerts).where(eq(s.alerts.issuingUnitId, ward.id))
  const answers = (await t.db.select().from(s.alertAnswers)).filter((a) => residentArea.has(a.authorId))
  const cases = await t.db.select().from(s.cases).where(inArray(s.cases.areaId, areaIds))
  const requests = cases.length
    ? await t.db
        .select()
        .from(s.helpRequests)
        .where(
          inArray(
            s.helpRequests.caseId,
            cases.map((c) => c.id),
          ),
        )
    : []
  const responses = requests.length
    ? await t.db
        .select()
        .from(s.helpResponses)
        .where(
          inArray(
            s.helpResponses.helpRequestId,
            requests.map((r) => r.id),
          ),
        )
    : []
  const caseOf = new Map(cases.map((c) => [c.id, c]))
  const requestOf = new Map(requests.map((r) => [r.id, r]))
  const alertKind = new Map((await t.db.select().from(s.alerts)).map((a) => [a.id, a.kind]))
  const interactions = [
    ...convs.map((c) => ({ kind: c.labels[0] ?? 'other', at: c.createdAt, areaId: c.areaId })),
    ...tips.map((x) => ({ kind: TIP_CATEGORY_KIND[x.category]!, at: x.createdAt, areaId: x.areaId })),
    ...answers.map((a) => ({
      kind: ALERT_KIND_KIND[alertKind.get(a.alertId)!]!,
      at: a.createdAt,
      areaId: residentArea.get(a.authorId),
    })),
    ...responses.map((r) => {
      const c = caseOf.get(requestOf.get(r.helpRequestId)!.caseId)!
      return { kind: TIP_CATEGORY_KIND[c.category]!, at: r.createdAt, areaId: c.areaId }
    }),
  ]
  const sessions = await t.db
    .select()
    .from(s.sessions)
    .where(
      inArray(
        s.sessions.userId,
        residents.map((r) => r.id),
      ),
    )
  const members = (
    await t.db
      .select()
      .from(s.groupMembers)
      .where(
        inArray(
          s.groupMembers.userId,
          residents.map((r) => r.id),
        ),
      )
  ).filter((m) => m.status === 'active')
  const firstSeen = new Map<string, Date>()
  for (const x of [
    ...sessions.map((y) => ({ id: y.userId, at: y.createdAt })),
    ...members.map((m) => ({ id: m.userId, at: m.joinedAt })),
  ])
    if (!firstSeen.has(x.id) || firstSeen.get(x.id)! > x.at) firstSeen.set(x.id, x.at)
  const reports = await t.db
    .select()
    .from(s.residenceReports)
    .where(inArray(s.residenceReports.areaId, areaIds))
  return { areas, convs, tips, interactions, alerts, cases, residents, firstSeen, reports }
}

describe('dashboard figures against the seeded facts', () => {
  let ward: Awaited<ReturnType<typeof factsOf>>
  let body: TDashboard
  beforeAll(async () => {
    ward = await factsOf(wards[0]!)
    const res = await dashboardAs('chihuy.dinhcongt', wards[0]!.id)
    expect(res.statusCode).toBe(200)
    body = res.json()
  })

  it('counts interactions by kind, in the period and the one before', () => {
    expect(body.interactions.total).toEqual({
      current: ward.interactions.filter((i) => inPeriod(i.at)).length,
      previous: ward.interactions.filter((i) => inPrevious(i.at)).length,
    })
    expect(body.interactions.total.current).toBeGreaterThan(0)
    for (const k of body.interactions.byKind)
      expect(k.current, k.kind).toBe(
        ward.interactions.filter((i) => i.kind === k.kind && inPeriod(i.at)).length,
      )
  })

  it('counts interactions per residential group', () => {
    for (const a of ward.areas) {
      const expected = ward.interactions.filter((i) => i.areaId === a.id && inPeriod(i.at)).length
      expect(body.interactions.byChild.find((c) => c.id === a.id)?.current ?? 0, a.name).toBe(expected)
    }
  })

  it('gives each officer’s first-response median and 90th percentile, and the overdue count', () => {
    const started = [
      ...ward.convs.map((c) => ({
        officer: c.assigneeId,
        at: c.createdAt,
        first: c.firstResponseAt,
        due: new Date(c.createdAt.getTime() + 30 * 60_000),
      })),
      ...ward.tips.map((x) => ({
        officer: x.assigneeId,
        at: x.createdAt,
        first: x.firstResponseAt,
        due: x.firstResponseDueAt,
      })),
    ].filter((r) => inPeriod(r.at))
    for (const o of body.responseTimes.byOfficer) {
      const mine = started.filter((r) => r.officer === o.id)
      const minutes = mine.filter((r) => r.first).map((r) => (r.first!.getTime() - r.at.getTime()) / 60_000)
      expect(o.count).toBe(mine.length)
      expect(o.firstResponseMedian).toBe(round1(percentile(minutes, 0.5)))
      expect(o.firstResponseP90).toBe(round1(percentile(minutes, 0.9)))
    }
    const overdue = started.filter((r) => (r.first ?? new Date()) > r.due).length
    expect(body.responseTimes.overall.overdue).toBe(overdue)
  })

  it('counts residents reached per area against its households', () => {
    for (const a of ward.areas) {
      const row = body.reach.find((r) => r.id === a.id)!
      expect(row.households).toBe(a.householdCount)
      const reached = ward.residents.filter(
        (r) => r.areaId === a.id && (ward.firstSeen.get(r.id) ?? TO) < TO,
      ).length
      expect(row.reached, a.name).toBe(reached)
    }
  })

  it('counts open cases by status at the end of the period and closed cases by outcome', () => {
    const open = ward.cases.filter(
      (c) => c.createdAt < TO && (c.resolvedAt ?? c.closedAt ?? new Date(8.64e15)) >= TO,
    )
    expect(body.cases.openByAge.reduce((n, a) => n + a.count, 0)).toBe(open.length)
    const closed = ward.cases.filter((c) => inPeriod(c.closedAt))
    expect(body.cases.closedByOutcome.reduce((n, o) => n + o.current, 0)).toBe(closed.length)
  })

  it('adds up the reach of the alerts published in the period', () => {
    const mine = ward.alerts.filter((a) => inPeriod(a.publishedAt))
    expect(body.alerts.issued.current).toBe(mine.length)
    expect(body.alerts.totals.targeted).toBe(mine.reduce((n, a) => n + a.targetedCount, 0))
    expect(body.alerts.totals.read).toBe(mine.reduce((n, a) => n + a.readCount, 0))
  })

  it('counts the residence reports sent in the period by kind and area, and those confirmed', () => {
    const sent = ward.reports.filter((r) => inPeriod(r.createdAt))
    expect(body.movements.total).toEqual({
      current: sent.length,
      previous: ward.reports.filter((r) => inPrevious(r.createdAt)).length,
    })
    expect(sent.length).toBeGreaterThan(0)
    for (const k of body.movements.byKind) {
      const mine = sent.filter((r) => r.kind === k.kind)
      expect([k.current, k.confirmed], k.kind).toEqual([
        mine.length,
        mine.filter((r) => r.status === 'confirmed').length,
      ])
    }
    for (const a of ward.areas)
      expect(body.movements.byChild.find((c) => c.id === a.id)?.current ?? 0, a.name).toBe(
        sent.filter((r) => r.areaId === a.id).length,
      )
  })
})

describe('who sees which figures', () => {
  it('never shows a ward commander another ward', async () => {
    const res = await dashboardAs('chihuy.dinhcongt', wards[1]!.id)
    expect(res.statusCode).toBe(404)
  })

  it('shows a province commander each ward and the total', async () => {
    const res = await dashboardAs('chihuy.thu', province.id)
    expect(res.statusCode).toBe(200)
    const body: TDashboard = res.json()
    const perWard = await Promise.all(
      wards.map(async (w) => (await factsOf(w)).interactions.filter((i) => inPeriod(i.at)).length),
    )
    expect(body.interactions.byChild.map((c) => [c.id, c.current]).sort()).toEqual(
      wards.map((w, i) => [w.id, perWard[i]]).sort(),
    )
    expect(body.interactions.total.current).toBe(perWard[0]! + perWard[1]!)
  })
})
