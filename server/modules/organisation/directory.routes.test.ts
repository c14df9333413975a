import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { roleGrants } from '../../db/schema/index'
import {
  buildArea,
  buildCommander,
  buildOfficer,
  buildProvince,
  buildResident,
  buildWard,
} from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'

let t: TestContext
let ip = 0
/** Each call from its own address, so the per-IP limits only bite in the test about them. */
const fromNewIp = () => `10.0.${Math.floor(++ip / 250)}.${ip % 250}`

const w = {} as Awaited<ReturnType<typeof buildWorld>>
async function buildWorld() {
  const city = await buildProvince(t.db, { name: 'Thành phố Thử Nghiệm', slug: 'tp-thu-nghiem' })
  const ward = await buildWard(t.db, {
    parent: city,
    name: 'Phường Đồng Nhân Mới',
    slug: 'phuong-dong-nhan-moi',
    phone: '+842439781234',
  })
  const area1 = await buildArea(t.db, {
    parent: ward,
    name: 'Tổ dân phố số 1',
    slug: 'dn-tdp-1',
    address: 'Phố Huế (số lẻ), Hàng Chuối',
  })
  const area2 = await buildArea(t.db, {
    parent: ward,
    name: 'Tổ dân phố số 2',
    slug: 'dn-tdp-2',
    address: 'Lò Đúc',
  })
  const free = await buildArea(t.db, { parent: ward, name: 'Tổ dân phố số 3', slug: 'dn-tdp-3' })
  const commander = await buildCommander(t.db, {
    unit: ward,
    fullName: 'Nguyễn Văn Hùng',
    rank: 'Trung tá',
    title: 'Trưởng Công an phường',
    officialPhone: '+84912000001',
  })
  const officer = await buildOfficer(t.db, {
    unit: ward,
    areas: [area1, area2],
    fullName: 'Lê Đức Chương',
    rank: 'Thượng úy',
    title: 'Cảnh sát khu vực',
    officialPhone: '+84912000011',
    photoUrl: '/photos/chuong.jpg',
  })
  const resident = await buildResident(t.db, {
    area: area1,
    fullName: 'Lê Thị Chương',
    displayName: 'Lê Thị Chương',
    phone: '+84987000001',
  })
  return { city, ward, area1, area2, free, commander, officer, resident }
}

beforeAll(async () => {
  t = await createTestApp()
  Object.assign(w, await buildWorld())
})
afterAll(() => t.close())

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ url, headers, remoteAddress: fromNewIp() })
const check = (phone: string, headers: Record<string, string> = {}, remoteAddress = fromNewIp()) =>
  t.app.inject({
    method: 'POST',
    url: '/api/directory/check-phone',
    payload: { phone },
    headers,
    remoteAddress,
  })

describe('the public directory', () => {
  it('shows a ward’s commander, its officers with the areas they cover, and its areas — without signing in', async () => {
    const res = await get('/api/directory/units/phuong-dong-nhan-moi')
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.unit).toMatchObject({ name: 'Phường Đồng Nhân Mới', phone: '+842439781234' })
    expect(body.ancestors.map((a: { slug: string }) => a.slug)).toEqual(['tp-thu-nghiem'])
    expect(body.commanders).toEqual([
      expect.objectContaining({ name: 'Nguyễn Văn Hùng', rank: 'Trung tá', officialPhone: '+84912000001' }),
    ])
    expect(body.officers).toEqual([
      expect.objectContaining({
        name: 'Lê Đức Chương',
        photoUrl: '/photos/chuong.jpg',
        areas: [
          { slug: 'dn-tdp-1', name: 'Tổ dân phố số 1' },
          { slug: 'dn-tdp-2', name: 'Tổ dân phố số 2' },
        ],
      }),
    ])
    expect(
      body.areas.map((a: { slug: string; currentOfficer: { name: string } | null }) => [
        a.slug,
        a.currentOfficer?.name ?? null,
      ]),
    ).toEqual([
      ['dn-tdp-1', 'Lê Đức Chương'],
      ['dn-tdp-2', 'Lê Đức Chương'],
      ['dn-tdp-3', null],
    ])
    expect(res.body).not.toContain(w.resident.phone!)
    expect(res.body).not.toContain('Lê Thị Chương')
    expect(res.body).not.toContain(w.ward.id)
  })

  it('lists a city’s communes without listing every area officer of the city', async () => {
    const body = (await get('/api/directory/units/tp-thu-nghiem')).json()
    expect(body.children.map((c: { slug: string }) => c.slug)).toEqual(['phuong-dong-nhan-moi'])
    expect(body.officers).toEqual([])
    expect(body.areas).toEqual([])
  })

  it('shows an area with its officer now and the ward’s commanders', async () => {
    const body = (await get('/api/directory/areas/dn-tdp-2')).json()
    expect(body.area).toMatchObject({
      name: 'Tổ dân phố số 2',
      currentOfficer: { name: 'Lê Đức Chương', officialPhone: '+84912000011' },
    })
    expect(body.unit.slug).toBe('phuong-dong-nhan-moi')
    expect(body.commanders.map((c: { name: string }) => c.name)).toEqual(['Nguyễn Văn Hùng'])
    expect((await get('/api/directory/areas/phuong-dong-nhan-moi')).statusCode).toBe(404)
    expect((await get('/api/directory/units/dn-tdp-2')).statusCode).toBe(404)
  })

  it('finds officers, areas and streets with or without diacritics, and never residents', async () => {
    for (const q of ['Lê Đức Chương', 'le duc chuong', 'DUC CHUONG']) {
      const body = (await get(`/api/directory/search?q=${encodeURIComponent(q)}`)).json()
      expect(
        body.officers.map((o: { name: string }) => o.name),
        q,
      ).toEqual(['Lê Đức Chương'])
      expect(body.officers[0].unit).toEqual({ slug: 'phuong-dong-nhan-moi', name: 'Phường Đồng Nhân Mới' })
    }
    const street = (await get(`/api/directory/search?q=${encodeURIComponent('pho hue')}`)).json()
    expect(street.units).toEqual([
      expect.objectContaining({
        slug: 'dn-tdp-1',
        currentOfficer: expect.objectContaining({ name: 'Lê Đức Chương' }),
      }),
    ])
    expect(street.units[0].parent).toEqual({ slug: 'phuong-dong-nhan-moi', name: 'Phường Đồng Nhân Mới' })
    const ward = (await get(`/api/directory/search?q=${encodeURIComponent('dong nhan')}`)).json()
    expect(ward.units.map((u: { slug: string }) => u.slug)).toEqual(['phuong-dong-nhan-moi'])
    const residents = (await get(`/api/directory/search?q=${encodeURIComponent('Lê Thị Chương')}`)).json()
    expect(residents).toEqual({ units: [], officers: [] })
    expect((await get('/api/directory/search?q=a')).statusCode).toBe(400)
  })
})

describe('is this caller really police?', () => {
  it('recognises an officer’s official number typed in any format', async () => {
    for (const phone of [
      '0912000011',
      '0912 000 011',
      '+84 912.000.011',
      '84912000011',
      '(+84) 912-000-011',
    ]) {
      const res = await check(phone)
      expect(res.statusCode, phone).toBe(200)
      expect(res.json()).toEqual({
        official: true,
        phone: '+84912000011',
        owner: {
          kind: 'officer',
          name: 'Lê Đức Chương',
          rank: 'Thượng úy',
          title: 'Cảnh sát khu vực',
          photoUrl: '/photos/chuong.jpg',
          unit: { slug: 'phuong-dong-nhan-moi', name: 'Phường Đồng Nhân Mới' },
        },
      })
    }
  })

  it('recognises a ward station’s landline', async () => {
    const body = (await check('024 3978 1234')).json()
    expect(body).toMatchObject({
      official: true,
      owner: { kind: 'unit', name: 'Phường Đồng Nhân Mới', unit: { slug: 'phuong-dong-nhan-moi' } },
    })
  })

  it('says clearly that another number is not official, with the scam advice in the caller’s language', async () => {
    const vi = (await check('0987 654 321')).json()
    expect(vi.official).toBe(false)
    expect(vi.advice).toHaveLength(6)
    expect(vi.advice[0].text).toContain('Công an không bao giờ yêu cầu chuyển tiền')
    expect(vi.advice.map((a: { text: string }) => a.text).join(' ')).toContain('113')
    const en = (await check('0987 654 321', { 'accept-language': 'en' })).json()
    expect(en.advice[0].text).toMatch(/^The police never ask you to transfer money/)
  })

  it('never vouches for a resident’s number or for an officer whose role was revoked', async () => {
    expect((await check('0987000001')).json().official).toBe(false)
    const former = await buildOfficer(t.db, { unit: w.ward, officialPhone: '+84912000099' })
    expect((await check('0912000099')).json().official).toBe(true)
    await t.db.update(roleGrants).set({ revokedAt: new Date() }).where(eq(roleGrants.userId, former.user.id))
    expect((await check('0912000099')).json().official).toBe(false)
  })

  it('explains an invalid number, naming the field', async () => {
    const res = await check('12345')
    expect(res.statusCode).toBe(400)
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'phone', code: 'phone_invalid' })])
    expect(res.json().errors[0].message).toContain('0912 345 678')
  })

  it('limits each address to 20 checks a minute', async () => {
    const address = '192.0.2.77'
    for (let i = 0; i < 20; i++) expect((await check('0987654321', {}, address)).statusCode).toBe(200)
    const limited = await check('0987654321', {}, address)
    expect(limited.statusCode).toBe(429)
    expect(limited.headers['content-type']).toMatch(/problem\+json/)
    expect(limited.headers['retry-after']).toBeDefined()
    expect((await check('0987654321', {}, '192.0.2.78')).statusCode).toBe(200)
  })
})
