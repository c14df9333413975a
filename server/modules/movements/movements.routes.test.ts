import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog, residenceReports } from '../../db/schema/index'
import { citizenIdNumber } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { buildMovementsWorld, caller, stayReport, tenantReport } from './movements.test-support'

let t: TestContext
let call: ReturnType<typeof caller>
beforeAll(async () => {
  t = await createTestApp()
  call = caller(t)
})
afterAll(() => t.close())

describe('a household’s stay notification', () => {
  it('is received once, however often the phone retries', async () => {
    const w = await buildMovementsWorld(t)
    const body = stayReport()
    const first = await call(w.users.resident, 'POST', '/api/movements/reports', body)
    expect(first.status).toBe(201)
    expect(first.body.report).toMatchObject({
      kind: 'stay',
      status: 'pending',
      address: 'Số 12 ngõ 5 phố Lò Đúc',
      area: { id: w.area.id },
      person: { fullName: 'Nguyễn Văn Khách', isForeign: false },
      dueAt: '2026-12-04T16:00:00.000Z',
    })
    const again = await call(w.users.resident, 'POST', '/api/movements/reports', body)
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ created: false, report: { id: first.body.report.id } })
    const rows = await t.db
      .select()
      .from(residenceReports)
      .where(eq(residenceReports.reporterId, w.users.resident.id))
    expect(rows).toHaveLength(1)
    const mine = await call(w.users.resident, 'GET', '/api/movements/reports/mine')
    expect(mine.body.items.map((r: { id: string }) => r.id)).toEqual([first.body.report.id])
  })

  it('names the wrong field in Vietnamese and stores nothing', async () => {
    const w = await buildMovementsWorld(t)
    const bad = stayReport({
      person: { fullName: 'Khách', idKind: 'citizen_id', idNumber: '0012345678' },
      fromDate: '2026-12-08',
      toDate: '2026-12-07',
    })
    const res = await call(w.users.resident, 'POST', '/api/movements/reports', bad)
    expect(res.status).toBe(400)
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'person.idNumber',
          message: 'Số định danh cá nhân phải gồm đúng 12 chữ số.',
        }),
        expect.objectContaining({
          field: 'toDate',
          message: 'Ngày kết thúc phải bằng hoặc sau ngày bắt đầu.',
        }),
      ]),
    )
    const passport = await call(
      w.users.resident,
      'POST',
      '/api/movements/reports',
      stayReport({ person: { fullName: 'Kim Min-jun', idKind: 'passport', idNumber: 'M1234567' } }),
    )
    expect(passport.body.errors).toEqual([
      expect.objectContaining({
        field: 'person.nationality',
        message: 'Quốc tịch: bắt buộc khi khai báo bằng hộ chiếu.',
      }),
    ])
    const rows = await t.db
      .select()
      .from(residenceReports)
      .where(eq(residenceReports.reporterId, w.users.resident.id))
    expect(rows).toHaveLength(0)
  })

  it('a foreign guest is flagged, with the 12-hour deadline', async () => {
    const w = await buildMovementsWorld(t)
    const res = await call(
      w.users.resident,
      'POST',
      '/api/movements/reports',
      stayReport({
        person: { fullName: 'Kim Min-jun', idKind: 'passport', idNumber: 'm1234567', nationality: 'kr' },
        arrivalTime: '09:00',
      }),
    )
    expect(res.status).toBe(201)
    expect(res.body.report.person).toEqual({
      fullName: 'Kim Min-jun',
      idKind: 'passport',
      idNumber: 'M1234567',
      nationality: 'KR',
      isForeign: true,
    })
    expect(res.body.report.dueAt).toBe('2026-12-04T14:00:00.000Z')
  })
})

describe('a landlord’s tenant, the officer’s check, the register', () => {
  it('only a member of the landlords’ group reports tenants', async () => {
    const w = await buildMovementsWorld(t)
    const res = await call(w.users.resident, 'POST', '/api/movements/reports', tenantReport(w.area.id))
    expect(res.status).toBe(403)
    expect(res.body.detail).toContain('nhóm chủ nhà trọ')
    const outside = await call(
      w.users.landlord,
      'POST',
      '/api/movements/reports',
      tenantReport(w.neighbourArea.id),
    )
    expect(outside.status).toBe(403)
  })

  it('shows the same ID number staying in two places at once, the other address only to who may see it', async () => {
    const w = await buildMovementsWorld(t)
    const idNumber = citizenIdNumber()
    const person = { fullName: 'Đỗ Văn Hai Nơi', idKind: 'citizen_id', idNumber }
    const tenant = await call(
      w.users.landlord,
      'POST',
      '/api/movements/reports',
      tenantReport(w.otherArea.id, { person, address: 'Phòng 5, số 7 phố Hàn Thuyên' }),
    )
    const stay = await call(w.users.resident, 'POST', '/api/movements/reports', stayReport({ person }))
    expect([tenant.status, stay.status]).toEqual([201, 201])
    const conflictsOf = async (user: { id: string; kind: 'resident' | 'staff' }, id: string) =>
      (
        (await call(user, 'GET', '/api/movements/queue')).body.items as { id: string; conflicts: unknown[] }[]
      ).find((r) => r.id === id)?.conflicts
    // The area's officer sees the clash; the tenant's address is in an area that is not theirs.
    expect(await conflictsOf(w.users.officer, stay.body.report.id)).toEqual([
      { code: 'same_id_elsewhere', detail: '' },
    ])
    // The ward commander sees both reports and where the other one is.
    expect(await conflictsOf(w.users.commander, stay.body.report.id)).toEqual([
      { code: 'same_id_elsewhere', detail: 'Phòng 5, số 7 phố Hàn Thuyên' },
    ])
    expect(await conflictsOf(w.users.commander, tenant.body.report.id)).toContainEqual({
      code: 'same_id_elsewhere',
      detail: 'Số 12 ngõ 5 phố Lò Đúc',
    })
  })

  it('confirmed, the tenant is on the register until the stay’s end, with history and an audited read', async () => {
    const w = await buildMovementsWorld(t)
    const sent = await call(w.users.landlord, 'POST', '/api/movements/reports', tenantReport(w.area.id))
    expect(sent.status).toBe(201)
    const id = sent.body.report.id as string

    const queue = await call(w.users.officer, 'GET', '/api/movements/queue')
    const item = queue.body.items.find((r: { id: string }) => r.id === id)
    expect(item).toMatchObject({
      reporter: { capacity: 'landlord' },
      can: ['review'],
      conflicts: [{ code: 'tenant_not_self_reported' }],
    })

    const noReason = await call(w.users.officer, 'POST', `/api/movements/reports/${id}/review`, {
      decision: 'reject',
    })
    expect(noReason.status).toBe(400)
    expect(noReason.body.errors[0]).toMatchObject({ field: 'note' })

    const confirmed = await call(w.users.officer, 'POST', `/api/movements/reports/${id}/review`, {
      decision: 'confirm',
    })
    expect(confirmed.status).toBe(200)
    expect(confirmed.body).toMatchObject({ status: 'confirmed', can: [] })
    const twice = await call(w.users.officer, 'POST', `/api/movements/reports/${id}/review`, {
      decision: 'confirm',
    })
    expect(twice.status).toBe(409)

    const page = await call(
      w.users.officer,
      'GET',
      `/api/register/households?areaId=${w.area.id}&q=dang thi thu`,
    )
    expect(page.body.items).toHaveLength(1)
    expect(page.body.items[0]).toMatchObject({
      address: 'Phòng 203, số 41 phố Huế',
      people: [{ fullName: 'Đặng Thị Thu', residence: 'temporary', untilDate: '2027-05-31' }],
    })
    const personId = page.body.items[0].people[0].id as string
    const detail = await call(w.users.commander, 'GET', `/api/register/people/${personId}`)
    expect(detail.body.history).toEqual([
      expect.objectContaining({ change: 'arrived', reportId: id, untilDate: '2027-05-31' }),
    ])
    const audits = await t.db.select().from(auditLog).where(eq(auditLog.entityId, personId))
    expect(audits).toEqual([
      expect.objectContaining({ action: 'register.read', actorId: w.users.commander.id }),
    ])

    const mine = await call(w.users.landlord, 'GET', `/api/movements/reports/${id}`)
    expect(mine.body).toMatchObject({ status: 'confirmed', reviewerName: expect.any(String) })
    expect(mine.body.reporter).toBeUndefined()

    // The tenant leaves: the register keeps the history and no longer lists them by default.
    const out = await call(w.users.landlord, 'POST', '/api/movements/reports', {
      ...tenantReport(w.area.id, {
        kind: 'tenant_out',
        person: {
          fullName: 'Đặng Thị Thu',
          idKind: 'citizen_id',
          idNumber: sent.body.report.person.idNumber,
        },
        fromDate: '2026-12-03',
      }),
      toDate: undefined,
    })
    expect(out.status).toBe(201)
    await call(w.users.officer, 'POST', `/api/movements/reports/${out.body.report.id}/review`, {
      decision: 'confirm',
    })
    const after = await call(w.users.officer, 'GET', `/api/register/households?areaId=${w.area.id}`)
    expect(after.body.items[0].people).toEqual([])
    const withLeft = await call(
      w.users.officer,
      'GET',
      `/api/register/households?areaId=${w.area.id}&includeLeft=true`,
    )
    expect(withLeft.body.items[0].people[0]).toMatchObject({ status: 'left', endedOn: '2026-12-03' })
  })

  it('an absence marks a permanent resident away; search works without diacritics', async () => {
    const w = await buildMovementsWorld(t)
    const idNumber = citizenIdNumber()
    await call(w.users.officer, 'POST', '/api/register/people', {
      areaId: w.area.id,
      address: 'Số 12 ngõ 5 phố Lò Đúc',
      person: { fullName: 'Phùng Văn Đức', idKind: 'citizen_id', idNumber },
      residence: 'permanent',
    })
    const sent = await call(w.users.resident, 'POST', '/api/movements/reports', {
      kind: 'absence',
      clientKey: `a-${idNumber}`,
      person: { fullName: 'Phùng Văn Đức', idKind: 'citizen_id', idNumber },
      fromDate: '2026-12-01',
      toDate: '2027-12-01',
      destination: 'Quận Gò Vấp, TP Hồ Chí Minh',
      reason: 'Đi làm',
    })
    expect(sent.status).toBe(201)
    await call(w.users.officer, 'POST', `/api/movements/reports/${sent.body.report.id}/review`, {
      decision: 'confirm',
    })
    const found = await call(
      w.users.officer,
      'GET',
      `/api/register/households?q=${encodeURIComponent('phung van duc')}`,
    )
    expect(found.body.items).toHaveLength(1)
    expect(found.body.items[0].people).toEqual([
      expect.objectContaining({
        fullName: 'Phùng Văn Đức',
        residence: 'permanent',
        status: 'away',
        awayUntil: '2027-12-01',
      }),
    ])
    const accented = await call(
      w.users.officer,
      'GET',
      `/api/register/households?q=${encodeURIComponent('Lò Đúc')}`,
    )
    expect(accented.body.items.map((h: { address: string }) => h.address)).toContain('Số 12 ngõ 5 phố Lò Đúc')
  })

  it('asks for a correction; the reporter fixes it and it returns to the queue', async () => {
    const w = await buildMovementsWorld(t)
    const sent = await call(w.users.resident, 'POST', '/api/movements/reports', stayReport())
    const id = sent.body.report.id as string
    const asked = await call(w.users.officer, 'POST', `/api/movements/reports/${id}/review`, {
      decision: 'request_correction',
      note: 'Ngày đến chưa đúng',
    })
    expect(asked.body).toMatchObject({ status: 'needs_correction', reviewNote: 'Ngày đến chưa đúng' })
    const fixed = await call(
      w.users.resident,
      'PUT',
      `/api/movements/reports/${id}`,
      stayReport({ fromDate: '2026-12-05' }),
    )
    expect(fixed.status).toBe(200)
    expect(fixed.body).toMatchObject({ status: 'pending', fromDate: '2026-12-05' })
  })
})
