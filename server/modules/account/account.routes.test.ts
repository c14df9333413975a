import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../../db/query'
import { signInAs } from '../../test/auth-helpers'
import { buildArea, buildCommander, buildOfficer, buildResident, buildWard } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { unzip } from '../tips/tips.test-support'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

async function residentOfWard() {
  const ward = await buildWard(t.db, { name: 'Phường Hai Bà Trưng', phone: '+842439781234' })
  const area = await buildArea(t.db, { parent: ward, name: 'Tổ dân phố số 1' })
  const { user: officer } = await buildOfficer(t.db, {
    areas: [area],
    displayName: 'Thượng úy Lê Đức Chương',
    rank: 'Thượng úy',
    officialPhone: '+84912000011',
  })
  const resident = await buildResident(t.db, { area, displayName: 'Nguyễn Thị Lan', address: '12 ngõ 5' })
  return { ward, area, officer, resident, session: await signInAs(t.app, resident) }
}

describe('my account', () => {
  it('shows the resident their profile, area and officer', async () => {
    const { area, resident, session } = await residentOfWard()
    const me = (await t.app.inject({ url: '/api/me', headers: session.headers })).json()
    expect(me).toMatchObject({
      id: resident.id,
      phone: resident.phone,
      area: { id: area.id, name: 'Tổ dân phố số 1' },
    })
    const mine = (await t.app.inject({ url: '/api/me/area', headers: session.headers })).json()
    expect(mine).toEqual({
      area: {
        id: area.id,
        name: 'Tổ dân phố số 1',
        unit: { id: expect.any(String), name: 'Phường Hai Bà Trưng', phone: '+842439781234', address: null },
      },
      officers: [
        {
          id: expect.any(String),
          displayName: 'Thượng úy Lê Đức Chương',
          rank: 'Thượng úy',
          title: 'Cảnh sát khu vực',
          photoUrl: null,
          officialPhone: '+84912000011',
        },
      ],
    })
  })

  it('shows the new officer after a reassignment, and nobody before an assignment starts', async () => {
    const { area, officer, session } = await residentOfWard()
    await t.db.execute(sql`update area_assignments set ends_at = now() where officer_id = ${officer.id}`)
    await buildOfficer(t.db, { areas: [], displayName: 'Đại úy Trần Thị Mai' }).then(async ({ user }) => {
      await t.db.execute(
        sql`insert into area_assignments (officer_id, area_id, starts_at) values (${user.id}, ${area.id}, now() + interval '1 day')`,
      )
    })
    expect((await t.app.inject({ url: '/api/me/area', headers: session.headers })).json().officers).toEqual(
      [],
    )
  })

  it('updates name, area, address, language and large text; refuses a unit that is not an area', async () => {
    const { ward, session } = await residentOfWard()
    const other = await buildArea(t.db, { parent: ward, name: 'Tổ dân phố số 2' })
    const patch = (payload: Record<string, unknown>) =>
      t.app.inject({ method: 'PATCH', url: '/api/me', payload, headers: session.headers })
    const res = await patch({
      displayName: 'Lan',
      areaId: other.id,
      address: null,
      locale: 'en',
      largeText: true,
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      displayName: 'Lan',
      area: { id: other.id },
      address: null,
      locale: 'en',
      largeText: true,
    })
    const bad = await patch({ areaId: ward.id })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors[0]).toMatchObject({ field: 'areaId', code: 'not_an_area' })
  })

  it('does not let staff pick a home area', async () => {
    const { user } = await buildCommander(t.db)
    const s = await signInAs(t.app, user)
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      payload: { areaId: null },
      headers: s.headers,
    })
    expect(res.statusCode).toBe(403)
  })

  it('exports everything about the resident, including who read their data', async () => {
    const { officer, resident, session } = await residentOfWard()
    const os = await signInAs(t.app, officer)
    await t.app.inject({ url: `/api/residents/${resident.id}`, headers: os.headers })
    const res = await t.app.inject({ url: '/api/me/export', headers: session.headers })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="nhipcau-my-data-.+\.zip"/)
    const zip = await unzip(res.rawPayload)
    const account = JSON.parse(zip.get('account.json')!.toString('utf8'))
    expect(account.profile).toMatchObject({ id: resident.id, phone: resident.phone, address: '12 ngõ 5' })
    expect(account.sessions).toHaveLength(1)
    const audit = JSON.parse(zip.get('audit.json')!.toString('utf8'))
    expect(audit.accessLog[0]).toMatchObject({ action: 'resident.read', actorId: officer.id })
  })

  it('deletes the account: personal data gone, sessions ended, the audit log keeps that it happened', async () => {
    const { resident, session } = await residentOfWard()
    const res = await t.app.inject({ method: 'DELETE', url: '/api/me', headers: session.headers })
    expect(res.statusCode).toBe(204)
    expect((await t.app.inject({ url: '/api/me', headers: session.headers })).statusCode).toBe(401)
    const [row] = await queryRows<Record<string, unknown>>(
      t.db,
      sql`select * from users where id = ${resident.id}`,
    )
    expect(row).toMatchObject({
      phone: null,
      full_name: null,
      address: null,
      area_id: null,
      display_name: 'Tài khoản đã xoá',
    })
    expect(row?.deleted_at).not.toBeNull()
    const audit = await queryRows<Record<string, unknown>>(
      t.db,
      sql`select action, actor_id, actor_name, details from audit_log where entity_id = ${resident.id} and action = 'account.delete'`,
    )
    expect(audit).toEqual([
      {
        action: 'account.delete',
        actor_id: resident.id,
        actor_name: null,
        details: expect.objectContaining({ sessionsEnded: 1 }),
      },
    ])
    // Signing in again with the same number starts a new, empty account.
    await t.app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone: resident.phone } })
    const { code } = (
      await t.app.inject({ url: `/api/dev/last-otp?phone=${encodeURIComponent(resident.phone!)}` })
    ).json()
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/auth/otp/verify',
      payload: { phone: resident.phone, code },
    })
    expect(again.json()).toMatchObject({ isNewAccount: true })
    expect(again.json().user.id).not.toBe(resident.id)
  })
})

describe('residents’ personal data', () => {
  it('a resident can never read another resident’s data, in their own area or another', async () => {
    const a = await residentOfWard()
    const neighbour = await buildResident(t.db, { area: a.area })
    const elsewhere = await buildResident(t.db)
    for (const id of [neighbour.id, elsewhere.id, a.resident.id]) {
      expect(
        (await t.app.inject({ url: `/api/residents/${id}`, headers: a.session.headers })).statusCode,
      ).toBe(404)
    }
    expect(
      (await t.app.inject({ url: `/api/residents?areaId=${a.area.id}`, headers: a.session.headers }))
        .statusCode,
    ).toBe(403)
    const me = (await t.app.inject({ url: '/api/me', headers: a.session.headers })).json()
    expect(me.id).toBe(a.resident.id)
  })

  it('an officer reads residents of their own areas only, and each read is audited', async () => {
    const home = await residentOfWard()
    const away = await residentOfWard()
    const s = await signInAs(t.app, home.officer)
    const list = await t.app.inject({ url: `/api/residents?areaId=${home.area.id}`, headers: s.headers })
    expect(list.json().items.map((r: { id: string }) => r.id)).toEqual([home.resident.id])
    expect(
      (await t.app.inject({ url: `/api/residents/${away.resident.id}`, headers: s.headers })).statusCode,
    ).toBe(404)
    expect(
      (await t.app.inject({ url: `/api/residents?areaId=${away.area.id}`, headers: s.headers })).statusCode,
    ).toBe(403)
    const rows = await queryRows<{ action: string; entity_id: string }>(
      t.db,
      sql`select action, entity_id from audit_log where actor_id = ${home.officer.id} order by id`,
    )
    expect(rows).toEqual([{ action: 'resident.list', entity_id: home.area.id }])
  })
})
