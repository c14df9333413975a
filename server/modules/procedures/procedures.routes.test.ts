import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '../../db/schema/index'
import { signInAs } from '../../test/auth-helpers'
import {
  buildAdmin,
  buildArea,
  buildCommander,
  buildOfficer,
  buildResident,
  buildWard,
} from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { importCatalogueFiles } from './procedure-import.service'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
  await importCatalogueFiles(t.db)
})
afterAll(() => t.close())

describe('reading the catalogue', () => {
  it('lists procedures by category for anyone, without review state', async () => {
    const res = await t.app.inject('/api/procedures?category=ho-tich')
    expect(res.statusCode).toBe(200)
    const ids = res.json().procedures.map((p: { id: string }) => p.id)
    expect(ids.sort()).toEqual(['dang-ky-khai-sinh', 'dang-ky-khai-tu'])
    expect(res.json().procedures[0].awaitingLegalReview).toBeUndefined()
  })

  it('shows a procedure page to anyone and the review flag only to staff', async () => {
    const pub = await t.app.inject('/api/procedures/dang-ky-thuong-tru')
    expect(pub.statusCode).toBe(200)
    expect(pub.json()).toMatchObject({ nameVi: 'Đăng ký thường trú', staff: null, unitNotes: null })
    expect(pub.json().requiredDocuments.length).toBeGreaterThan(2)

    const { user } = await buildOfficer(t.db)
    const staff = await t.app.inject({
      url: '/api/procedures/dang-ky-thuong-tru',
      headers: (await signInAs(t.app, user)).headers,
    })
    expect(staff.json().staff).toMatchObject({ awaitingLegalReview: true, can: { edit: false } })
    const list = await t.app.inject({
      url: '/api/procedures',
      headers: (await signInAs(t.app, user)).headers,
    })
    const row = list.json().procedures.find((p: { id: string }) => p.id === 'dang-ky-thuong-tru')
    expect(row.awaitingLegalReview).toBe(true)
  })

  it('gives the English text, the official links and the related procedures; review items only to staff', async () => {
    const pub = (await t.app.inject('/api/procedures/xoa-dang-ky-thuong-tru')).json()
    expect(pub.handlingBodyEn).toBe('Commune-level police where the permanent residence is registered')
    expect(pub.requiredDocumentsEn).toHaveLength(pub.requiredDocuments.length)
    expect(pub.feeEn).toBe('Free of charge')
    expect(pub.online.links.map((l: { url: string }) => l.url)).toEqual([
      'https://dichvucong.gov.vn',
      'https://dichvucong.bocongan.gov.vn',
      'https://vneid.gov.vn',
    ])
    expect(pub.related).toEqual([
      {
        id: 'dang-ky-khai-tu',
        nameVi: expect.stringMatching(/^Đăng ký khai tử/),
        nameEn: expect.any(String),
      },
      { id: 'khai-bao-tam-vang', nameVi: expect.any(String), nameEn: expect.any(String) },
      { id: 'dang-ky-tam-tru', nameVi: 'Đăng ký tạm trú', nameEn: expect.any(String) },
    ])
    const resident = await t.app.inject('/api/procedures/dang-ky-thuong-tru')
    expect(resident.body).not.toContain('8 m²')
    expect(resident.body).not.toContain('kiến thức riêng')

    const { user } = await buildOfficer(t.db)
    const staff = await t.app.inject({
      url: '/api/procedures/dang-ky-thuong-tru',
      headers: (await signInAs(t.app, user)).headers,
    })
    expect(staff.json().staff.provenance.reviewItems).toEqual([expect.stringContaining('8 m²')])
  })

  it('answers 404 for an unknown procedure', async () => {
    expect((await t.app.inject('/api/procedures/khong-co-thu-tuc-nay')).statusCode).toBe(404)
  })
})

describe('staff editing', () => {
  it('lets a commander edit, keeping a version with who and what, and an audit entry', async () => {
    const { user } = await buildCommander(t.db, { displayName: 'Trung tá Nguyễn Văn Hùng' })
    const session = await signInAs(t.app, user)
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/procedures/dang-ky-khai-tu',
      headers: session.headers,
      payload: {
        fee: 'Không thu lệ phí',
        reviewBy: '2026-12-31',
        awaitingLegalReview: false,
        note: 'Đã đối chiếu',
      },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ fee: 'Không thu lệ phí', version: 2 })
    expect(res.json().staff).toMatchObject({ reviewBy: '2026-12-31', awaitingLegalReview: false })

    const versions = await t.app.inject({
      url: '/api/procedures/dang-ky-khai-tu/versions',
      headers: session.headers,
    })
    const [latest, first] = versions.json().versions
    expect(latest).toMatchObject({
      version: 2,
      source: 'staff',
      note: 'Đã đối chiếu',
      changedBy: { id: user.id, displayName: 'Trung tá Nguyễn Văn Hùng' },
    })
    expect(latest.changedFields.sort()).toEqual(['awaitingLegalReview', 'fee', 'reviewBy'])
    expect(first).toMatchObject({ version: 1, source: 'import', changedBy: null })

    const logged = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'procedure.update'), eq(auditLog.entityId, 'dang-ky-khai-tu')))
    expect(logged).toHaveLength(1)
    expect(logged[0]?.actorId).toBe(user.id)
  })

  it('makes no new version when nothing changed', async () => {
    const admin = await buildAdmin(t.db)
    const session = await signInAs(t.app, admin)
    const before = (await t.app.inject({ url: '/api/procedures/tach-ho', headers: session.headers })).json()
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/procedures/tach-ho',
      headers: session.headers,
      payload: { fee: before.fee },
    })
    expect(res.json().version).toBe(before.version)
  })

  it('refuses officers, residents and anonymous callers', async () => {
    const { user: officer } = await buildOfficer(t.db)
    const resident = await buildResident(t.db)
    const put = (headers?: Record<string, string>) =>
      t.app.inject({ method: 'PUT', url: '/api/procedures/tach-ho', headers, payload: { fee: 'x' } })
    expect((await put((await signInAs(t.app, officer)).headers)).statusCode).toBe(403)
    expect((await put((await signInAs(t.app, resident)).headers)).statusCode).toBe(403)
    expect((await put()).statusCode).toBe(401)
    expect((await t.app.inject('/api/procedures/tach-ho/versions')).statusCode).toBe(401)
  })

  it('names the field of an invalid edit', async () => {
    const session = await signInAs(t.app, await buildAdmin(t.db))
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/procedures/tach-ho',
      headers: session.headers,
      payload: { reviewBy: '31/12/2026' },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().errors[0].field).toBe('reviewBy')
  })
})

describe('unit notes', () => {
  it('lets the ward commander add notes that show on the ward’s and its areas’ pages', async () => {
    const ward = await buildWard(t.db)
    const area = await buildArea(t.db, { parent: ward })
    const { user } = await buildCommander(t.db, { unit: ward })
    const session = await signInAs(t.app, user)
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/units/${ward.id}/procedures/dang-ky-tam-tru/notes`,
      headers: session.headers,
      payload: {
        openingHours: 'Thứ Hai – Thứ Sáu, 7:30–11:30',
        room: 'Phòng 102',
        officerOnDuty: 'Đại úy Trần Thị Mai',
      },
    })
    expect(res.statusCode).toBe(200)
    const page = await t.app.inject(`/api/procedures/dang-ky-tam-tru?unit=${area.slug}`)
    expect(page.json().unitNotes).toMatchObject({
      unitName: ward.name,
      room: 'Phòng 102',
      openingHours: 'Thứ Hai – Thứ Sáu, 7:30–11:30',
    })
    // Another ward's page shows none.
    const other = await buildWard(t.db)
    expect(
      (await t.app.inject(`/api/procedures/dang-ky-tam-tru?unit=${other.slug}`)).json().unitNotes,
    ).toBeNull()
  })

  it('refuses the commander of another ward', async () => {
    const ward = await buildWard(t.db)
    const { user } = await buildCommander(t.db)
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/units/${ward.id}/procedures/dang-ky-tam-tru/notes`,
      headers: (await signInAs(t.app, user)).headers,
      payload: { room: 'Phòng 1' },
    })
    expect(res.statusCode).toBe(403)
  })
})
