import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../../db/query'
import { alerts, auditLog, scamNumberAlerts, scamReports } from '../../db/schema/index'
import { buildOfficer, buildScamReport, fakeScamPhone } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { buildScamWorld, caller, scamReport } from './scam-numbers.test-support'

let t: TestContext
let call: ReturnType<typeof caller>
beforeAll(async () => {
  t = await createTestApp()
  call = caller(t.app)
})
afterAll(() => t.close())

/** "+84701234567" → the ways people type it: "0701 234 567", "+84 70.123.4567", "84701234567". */
const typed = (e164: string) => {
  const n = e164.slice(3)
  return [
    `0${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`,
    `+84 ${n.slice(0, 2)}.${n.slice(2, 5)}.${n.slice(5)}`,
    `84${n}`,
  ]
}

describe('a resident reports a scam number after the caller check', () => {
  it('makes one report per tap, whatever way the number was typed', async () => {
    const w = await buildScamWorld(t.db)
    const phone = fakeScamPhone()
    const check = await call(null, 'POST', '/api/directory/check-phone', { phone: typed(phone)[0] })
    expect(check.body).toMatchObject({ official: false, phone, scam: null })

    const body = scamReport(typed(phone)[0]!)
    const first = await call(w.resident, 'POST', '/api/scam-numbers/reports', body)
    expect(first.status).toBe(201)
    expect(first.body).toMatchObject({
      created: true,
      report: { phone, status: 'pending', claimedAs: 'police' },
    })
    // A double tap (same client key) is the same report.
    const again = await call(w.resident, 'POST', '/api/scam-numbers/reports', body)
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ created: false, report: { id: first.body.report.id } })
    // Typed another way, a new report is about the same number.
    const other = await call(w.resident, 'POST', '/api/scam-numbers/reports', scamReport(typed(phone)[1]!))
    expect(other.body.report.phone).toBe(phone)
    const rows = await t.db.select().from(scamReports).where(eq(scamReports.reporterId, w.resident.id))
    expect(rows).toHaveLength(2)
    expect(new Set(rows.map((r) => r.numberId)).size).toBe(1)
    const mine = await call(w.resident, 'GET', '/api/scam-numbers/reports/mine')
    expect(mine.body.items.map((r: { id: string }) => r.id).sort()).toEqual(rows.map((r) => r.id).sort())
  })

  it('refuses an official number, a wrong number and a call in the future, storing nothing', async () => {
    const w = await buildScamWorld(t.db)
    const official = '+84912000777'
    await buildOfficer(t.db, { unit: w.ward, areas: [w.area], officialPhone: official })
    const res = await call(w.resident, 'POST', '/api/scam-numbers/reports', scamReport('0912 000 777'))
    expect(res.status).toBe(409)
    expect(res.body.detail).toContain('số điện thoại chính thức của công an')
    const bad = await call(w.resident, 'POST', '/api/scam-numbers/reports', scamReport('12345'))
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0]).toMatchObject({ field: 'phone' })
    const future = await call(
      w.resident,
      'POST',
      '/api/scam-numbers/reports',
      scamReport(fakeScamPhone(), { calledAt: new Date(Date.now() + 86_400_000).toISOString() }),
    )
    expect(future.status).toBe(400)
    expect(future.body.errors[0]).toMatchObject({ field: 'calledAt' })
    const rows = await t.db.select().from(scamReports).where(eq(scamReports.reporterId, w.resident.id))
    expect(rows).toHaveLength(0)
  })

  it('limits a resident to 10 reports in 10 minutes', async () => {
    const w = await buildScamWorld(t.db)
    const statuses: number[] = []
    for (let i = 0; i < 11; i++)
      statuses.push(
        (await call(w.secondResident, 'POST', '/api/scam-numbers/reports', scamReport(fakeScamPhone())))
          .status,
      )
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(201))
    expect(statuses[10]).toBe(429)
  })

  it('is for signed-in residents: staff and anonymous callers cannot report', async () => {
    const w = await buildScamWorld(t.db)
    expect((await call(null, 'POST', '/api/scam-numbers/reports', scamReport(fakeScamPhone()))).status).toBe(
      401,
    )
    expect(
      (await call(w.officer, 'POST', '/api/scam-numbers/reports', scamReport(fakeScamPhone()))).status,
    ).toBe(403)
  })
})

describe('officers verify reports in a queue scoped by the unit tree', () => {
  it('shows the area officer and the commander the reporter, audits the read, hides it from the neighbour', async () => {
    const w = await buildScamWorld(t.db)
    const phone = fakeScamPhone()
    const sent = await call(w.resident, 'POST', '/api/scam-numbers/reports', scamReport(phone))
    const id = sent.body.report.id
    for (const staff of [w.officer, w.commander]) {
      const q = await call(staff, 'GET', '/api/scam-numbers/queue')
      const item = q.body.items.find((i: { id: string }) => i.id === id)
      expect(item).toMatchObject({
        phone,
        reporter: { name: 'Trần Thị Báo', phone: w.resident.phone },
        area: { id: w.area.id },
        number: { status: 'reported', reporters: 1 },
        can: ['review'],
      })
    }
    const logged = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, w.officer.id), eq(auditLog.action, 'scam_report.list')))
    expect(logged).toHaveLength(1)
    expect((logged[0]!.details as { subjectUserIds: string[] }).subjectUserIds).toEqual([w.resident.id])

    const neighbour = await call(w.officerNeighbour, 'GET', '/api/scam-numbers/queue')
    expect(neighbour.body.items.map((i: { id: string }) => i.id)).not.toContain(id)
    const refused = await call(w.officerNeighbour, 'POST', `/api/scam-numbers/reports/${id}/review`, {
      decision: 'verify',
    })
    expect(refused.status).toBe(404)
    expect((await call(w.resident, 'GET', '/api/scam-numbers/queue')).status).toBe(403)
  })

  it('verifies: the number becomes public, the decision is audited, a second decision is refused', async () => {
    const w = await buildScamWorld(t.db)
    const phone = fakeScamPhone()
    const sent = await call(w.resident, 'POST', '/api/scam-numbers/reports', scamReport(phone))
    const id = sent.body.report.id
    expect((await call(null, 'GET', `/api/scam-numbers/numbers/${phone}`)).status).toBe(404)
    const verified = await call(w.officer, 'POST', `/api/scam-numbers/reports/${id}/review`, {
      decision: 'verify',
    })
    expect(verified.status).toBe(200)
    expect(verified.body).toMatchObject({
      status: 'verified',
      number: { status: 'verified' },
      can: ['raiseAlert'],
    })
    const twice = await call(w.commander, 'POST', `/api/scam-numbers/reports/${id}/review`, {
      decision: 'reject',
    })
    expect(twice.status).toBe(403)
    const [row] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'scam_report.verify')))
    expect(row).toMatchObject({ actorId: w.officer.id, unitPath: w.area.path })
    expect((await call(null, 'GET', `/api/scam-numbers/numbers/${phone}`)).status).toBe(200)
    const mine = await call(w.resident, 'GET', '/api/scam-numbers/reports/mine')
    expect(mine.body.items[0]).toMatchObject({ id, status: 'verified' })
  })

  it('the public page says "fewer than 3" (null) for counts of one or two people, and gives them from three', async () => {
    const w = await buildScamWorld(t.db)
    const phone = fakeScamPhone()
    const report = () =>
      buildScamReport(t.db, { phone, area: w.area, status: 'verified', verifiedBy: w.officer })
    await report()
    await report()
    const few = await call(null, 'GET', `/api/scam-numbers/numbers/${phone}`)
    expect(few.body).toMatchObject({ reporters: null, claims: [{ claimedAs: 'police', count: null }] })
    expect(few.body.counts.last7Days).toEqual({
      total: null,
      provinces: [{ name: w.province.name, count: null }],
    })
    expect(few.body.counts.weeks).toEqual([expect.objectContaining({ count: null })])
    expect(few.text).not.toMatch(/"(count|total|reporters)":[12]\b/)
    await report()
    const three = await call(null, 'GET', `/api/scam-numbers/numbers/${phone}`)
    expect(three.body).toMatchObject({ reporters: 3, claims: [{ claimedAs: 'police', count: 3 }] })
    expect(three.body.counts.last7Days).toEqual({
      total: 3,
      provinces: [{ name: w.province.name, count: 3 }],
    })
  })

  it('a rejected report does not make the number public', async () => {
    const w = await buildScamWorld(t.db)
    const phone = fakeScamPhone()
    const sent = await call(w.resident, 'POST', '/api/scam-numbers/reports', scamReport(phone))
    await call(w.officer, 'POST', `/api/scam-numbers/reports/${sent.body.report.id}/review`, {
      decision: 'reject',
    })
    expect((await call(null, 'GET', `/api/scam-numbers/numbers/${phone}`)).status).toBe(404)
    const check = await call(null, 'POST', '/api/directory/check-phone', { phone })
    expect(check.body.scam).toBeNull()
  })
})

describe('the caller check of a verified number', () => {
  it('says how many people of which province reported it in the last 7 days, in Vietnamese and English', async () => {
    const w = await buildScamWorld(t.db)
    const phone = fakeScamPhone()
    // Three people of the province this week (one of them twice), one 10 days ago, one rejected.
    const r1 = await buildScamReport(t.db, {
      phone,
      reporter: w.resident,
      status: 'verified',
      verifiedBy: w.officer,
    })
    await buildScamReport(t.db, { phone, reporter: w.resident })
    await buildScamReport(t.db, { phone, reporter: w.secondResident })
    await buildScamReport(t.db, { phone, area: w.neighbourArea })
    await buildScamReport(t.db, { phone, area: w.area, createdAt: new Date(Date.now() - 10 * 86_400_000) })
    await buildScamReport(t.db, { phone, area: w.area, status: 'rejected' })
    expect(r1.status).toBe('verified')
    const vi = await call(null, 'POST', '/api/directory/check-phone', { phone: typed(phone)[2] })
    expect(vi.body).toMatchObject({
      official: false,
      scam: {
        verified: true,
        reportersLast7Days: 3,
        province: w.province.name,
        reporters: 4,
        text: `Số này đã bị 3 người ở ${w.province.name} báo là lừa đảo giả danh công an trong 7 ngày qua.`,
      },
    })
    const en = await call(null, 'POST', '/api/directory/check-phone', { phone }, { 'accept-language': 'en' })
    expect(en.body.scam.text).toBe(
      `3 people in ${w.province.name} reported this number as a police-impersonation scam in the last 7 days.`,
    )
  })
})

describe('a scam-warning alert from a number in one click', () => {
  it('is raised through the alerts service with the verified reports attached, once', async () => {
    const w = await buildScamWorld(t.db)
    const phone = fakeScamPhone()
    const a = await buildScamReport(t.db, {
      phone,
      reporter: w.resident,
      status: 'verified',
      verifiedBy: w.officer,
    })
    const b = await buildScamReport(t.db, {
      phone,
      reporter: w.secondResident,
      status: 'verified',
      verifiedBy: w.officer,
    })
    await buildScamReport(t.db, {
      phone,
      area: w.neighbourArea,
      status: 'verified',
      verifiedBy: w.officerNeighbour,
    })
    await buildScamReport(t.db, { phone, reporter: w.resident })

    expect(
      (await call(w.officerNeighbour, 'POST', `/api/scam-numbers/numbers/${fakeScamPhone()}/alert`)).status,
    ).toBe(404)
    const raised = await call(w.commander, 'POST', `/api/scam-numbers/numbers/${phone}/alert`)
    expect(raised.status).toBe(201)
    // The commander's scope: the two reports of the home ward, not the neighbour's.
    expect(raised.body.reportIds.sort()).toEqual([a.id, b.id].sort())
    expect(raised.body.state).toBe('active')
    const [alert] = await t.db.select().from(alerts).where(eq(alerts.id, raised.body.alertId))
    expect(alert).toMatchObject({ kind: 'scam_warning', issuingUnitId: w.ward.id, state: 'active' })
    expect(alert!.headline).toContain(`${phone.slice(3, 6)}`)
    expect(alert!.description).toContain('3 người dân đã báo số')
    for (const secret of ['Trần Thị Báo', w.resident.phone!, 'tài khoản an toàn']) {
      expect(alert!.description).not.toContain(secret)
      expect(alert!.headline).not.toContain(secret)
    }
    const [link] = await t.db.select().from(scamNumberAlerts).where(eq(scamNumberAlerts.alertId, alert!.id))
    expect(link!.reportIds.sort()).toEqual([a.id, b.id].sort())

    const again = await call(w.officer, 'POST', `/api/scam-numbers/numbers/${phone}/alert`)
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ alertId: alert!.id, created: false })
    const page = await call(null, 'GET', `/api/scam-numbers/numbers/${phone}`)
    expect(page.body.alert).toEqual({ id: alert!.id, headline: alert!.headline })
  })

  it('two officers raising it for one number at the same moment make one warning', async () => {
    const w = await buildScamWorld(t.db)
    const phone = fakeScamPhone()
    await buildScamReport(t.db, { phone, reporter: w.resident, status: 'verified', verifiedBy: w.officer })
    const url = `/api/scam-numbers/numbers/${phone}/alert`
    const [a, b] = await Promise.all([call(w.officer, 'POST', url), call(w.commander, 'POST', url)])
    expect([a.status, b.status].sort()).toEqual([200, 201])
    expect(a.body.alertId).toBe(b.body.alertId)
    const [links] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from scam_number_alerts l join scam_numbers s on s.id = l.number_id
          where s.phone = ${phone}`,
    )
    expect(links!.n).toBe(1)
    const warnings = await t.db
      .select()
      .from(alerts)
      .where(and(eq(alerts.kind, 'scam_warning'), eq(alerts.issuingUnitId, w.ward.id)))
    expect(warnings.filter((x) => x.headline.includes(phone.slice(3, 6)))).toHaveLength(1)
  })

  it('is refused for a number nobody verified, and to residents', async () => {
    const w = await buildScamWorld(t.db)
    const phone = fakeScamPhone()
    await buildScamReport(t.db, { phone, reporter: w.resident })
    expect((await call(w.officer, 'POST', `/api/scam-numbers/numbers/${phone}/alert`)).status).toBe(404)
    expect((await call(w.resident, 'POST', `/api/scam-numbers/numbers/${phone}/alert`)).status).toBe(403)
  })
})
