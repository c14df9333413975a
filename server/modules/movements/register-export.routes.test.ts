import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '../../db/schema/index'
import { signInAs } from '../../test/auth-helpers'
import { buildRegisterPerson, buildResidenceReport } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { buildMovementsWorld, caller } from './movements.test-support'

let t: TestContext
let call: ReturnType<typeof caller>
beforeAll(async () => {
  t = await createTestApp()
  call = caller(t)
})
afterAll(() => t.close())

const HOUR = 3600_000

describe('commanders’ counts per area', () => {
  it('counts this week’s, pending and overdue reports per area of the unit, never another ward’s', async () => {
    const w = await buildMovementsWorld(t)
    const reporter = w.users.resident
    const past = new Date(Date.now() - 2 * 24 * HOUR)
    await buildResidenceReport(t.db, { area: w.area, reporter })
    await buildResidenceReport(t.db, { area: w.area, reporter, reviewDueAt: past })
    await buildResidenceReport(t.db, { area: w.area, reporter, status: 'confirmed' })
    await buildResidenceReport(t.db, { area: w.area, reporter, status: 'needs_correction' })
    // Sent a month ago and confirmed: not this week's.
    await buildResidenceReport(t.db, {
      area: w.area,
      reporter,
      status: 'confirmed',
      createdAt: new Date(Date.now() - 30 * 24 * HOUR),
    })
    await buildResidenceReport(t.db, { area: w.neighbourArea, reporter: w.users.landlord, reviewDueAt: past })

    const counts = await call(w.users.commander, 'GET', '/api/movements/area-counts')
    expect(counts.status).toBe(200)
    expect(counts.body.weekStart).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(new Date(`${counts.body.weekStart}T00:00:00Z`).getUTCDay()).toBe(1)
    expect(counts.body.items).toEqual([
      {
        area: { id: w.area.id, name: w.area.name },
        reportsThisWeek: 4,
        pending: 2,
        overdue: 1,
        awaitingCorrection: 1,
      },
      {
        area: { id: w.otherArea.id, name: w.otherArea.name },
        reportsThisWeek: 0,
        pending: 0,
        overdue: 0,
        awaitingCorrection: 0,
      },
    ])
    expect(counts.body.totals).toEqual({ reportsThisWeek: 4, pending: 2, overdue: 1, awaitingCorrection: 1 })

    const neighbour = await call(w.users.neighbourCommander, 'GET', '/api/movements/area-counts')
    expect(neighbour.body.items.map((i: { area: { id: string } }) => i.area.id)).toEqual([w.neighbourArea.id])
    expect(neighbour.body.totals).toMatchObject({ pending: 1, overdue: 1 })
    // An officer sees the areas they cover, not the rest of the ward.
    const officer = await call(w.users.otherOfficer, 'GET', '/api/movements/area-counts')
    expect(officer.body.items.map((i: { area: { id: string } }) => i.area.id)).toEqual([w.otherArea.id])
    expect((await call(w.users.resident, 'GET', '/api/movements/area-counts')).status).toBe(403)
  })
})

describe('the register as CSV', () => {
  it('exports the unit’s register for Excel, keeps ID numbers’ zeros, defuses formulas, and is on record', async () => {
    const w = await buildMovementsWorld(t)
    await buildRegisterPerson(t.db, {
      area: w.area,
      actor: w.users.officer,
      address: 'Số 7 ngõ 3 phố Huế',
      fullName: 'Nguyễn Thị Lan',
      idNumber: '001190004444',
    })
    await buildRegisterPerson(t.db, {
      area: w.otherArea,
      actor: w.users.otherOfficer,
      address: '=HYPERLINK("http://x","y")',
      fullName: 'Đỗ Văn Minh',
      residence: 'temporary',
      fromDate: '2026-11-01',
      untilDate: '2027-04-30',
    })
    await buildRegisterPerson(t.db, {
      area: w.neighbourArea,
      actor: w.users.neighbourOfficer,
      fullName: 'Hàng Xóm',
    })

    const s = await signInAs(t.app, w.users.commander)
    const res = await t.app.inject({ method: 'GET', url: '/api/register/export.csv', headers: s.headers })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="so-dang-ky-don-vi-\d{4}-\d{2}-\d{2}\.csv"$/,
    )
    const lines = res.body.split('\r\n')
    expect(lines[0]).toBe(
      '\ufeffTổ dân phố,Địa chỉ,Họ và tên,Loại giấy tờ,Số giấy tờ,Quốc tịch,Hình thức cư trú,Tình trạng hôm nay,Từ ngày,Đến ngày,Tạm vắng từ,Tạm vắng đến,Ngày rời đi',
    )
    expect(res.body).toContain(`Nguyễn Thị Lan,Căn cước,="001190004444",VN,Thường trú,Thường trú`)
    expect(res.body).toContain(`"'=HYPERLINK(""http://x"",""y"")",Đỗ Văn Minh`)
    expect(res.body).toContain('Tạm trú,Tạm trú,01/11/2026,30/04/2027')
    expect(res.body).not.toContain('Hàng Xóm')

    const [row] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, w.users.commander.id), eq(auditLog.action, 'register.export')))
    expect(row?.details).toMatchObject({ people: 2, households: 2 })

    // One area: its officer may; the other area's officer and the neighbouring ward may not.
    const one = await t.app.inject({
      method: 'GET',
      url: `/api/register/export.csv?areaId=${w.area.id}`,
      headers: (await signInAs(t.app, w.users.officer)).headers,
    })
    expect(one.statusCode).toBe(200)
    expect(one.body).toContain('Nguyễn Thị Lan')
    expect(one.body).not.toContain('Đỗ Văn Minh')
    for (const u of [w.users.otherOfficer, w.users.neighbourCommander])
      expect((await call(u, 'GET', `/api/register/export.csv?areaId=${w.area.id}`)).status).toBe(404)
    const neighbour = await signInAs(t.app, w.users.neighbourCommander)
    const theirs = await t.app.inject({
      method: 'GET',
      url: '/api/register/export.csv',
      headers: neighbour.headers,
    })
    expect(theirs.body).toContain('Hàng Xóm')
    expect(theirs.body).not.toContain('Nguyễn Thị Lan')
  })
})
