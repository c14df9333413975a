import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signInAs } from '../../test/auth-helpers'
import { buildArea, buildCommander, buildOfficer, buildWard } from '../../test/factories/index'
import { pdfPagesText } from '../../test/pdf-text'
import { createTestApp, type TestContext } from '../../test/test-app'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

async function demoWard() {
  const ward = await buildWard(t.db, { name: 'Phường Hai Bà Trưng', phone: '+842439781234' })
  const areas = [
    await buildArea(t.db, { parent: ward, name: 'Tổ dân phố số 1' }),
    await buildArea(t.db, { parent: ward, name: 'Tổ dân phố số 2' }),
    await buildArea(t.db, { parent: ward, name: 'Tổ dân phố số 10' }),
  ]
  const { user: officer } = await buildOfficer(t.db, {
    unit: ward,
    areas: [areas[0]!],
    displayName: 'Thượng úy Lê Đức Chương',
    officialPhone: '+84912000011',
  })
  const { user: commander } = await buildCommander(t.db, {
    unit: ward,
    displayName: 'Trung tá Nguyễn Văn Hùng',
  })
  return { ward, areas, officer, commander }
}

describe('QR posters', () => {
  it('prints one A4 page per area of the ward, in Vietnamese with the officer and a scannable code', async () => {
    const { ward, commander } = await demoWard()
    const session = await signInAs(t.app, commander)
    const res = await t.app.inject({ url: `/api/units/${ward.id}/posters.pdf`, headers: session.headers })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    const pages = await pdfPagesText(res.rawPayload)
    expect(pages).toHaveLength(3)
    expect(pages[0]).toContain('Tổ dân phố số 1')
    expect(pages[0]).toContain('Thượng úy Lê Đức Chương')
    expect(pages[0]).toContain('0912 000 011')
    expect(pages[0]).toContain('CÔNG AN PHƯỜNG HAI BÀ TRƯNG')
    expect(pages[1]).toContain('Đang phân công cán bộ phụ trách')
    // Natural order: số 2 before số 10.
    expect(pages[2]).toContain('Tổ dân phố số 10')
  })

  it('keeps each area’s code across reprints and counts scans per poster', async () => {
    const { ward, areas, commander } = await demoWard()
    const session = await signInAs(t.app, commander)
    await t.app.inject({ url: `/api/units/${ward.id}/posters.pdf`, headers: session.headers })
    const list = (
      await t.app.inject({ url: `/api/units/${ward.id}/posters`, headers: session.headers })
    ).json()
    const first = list.find((r: { area: { id: string } }) => r.area.id === areas[0]!.id)
    expect(first.poster.scans).toBe(0)

    const scan = await t.app.inject({ url: `/q/${first.poster.code}` })
    expect(scan.statusCode).toBe(302)
    expect(scan.headers.location).toBe(`/a/${areas[0]!.slug}?src=qr`)
    await t.app.inject({ url: `/q/${first.poster.code.toLowerCase()}` })

    await t.app.inject({ url: `/api/units/${ward.id}/posters.pdf`, headers: session.headers })
    const again = (
      await t.app.inject({ url: `/api/units/${ward.id}/posters`, headers: session.headers })
    ).json()
    const same = again.find((r: { area: { id: string } }) => r.area.id === areas[0]!.id)
    expect(same.poster.code).toBe(first.poster.code)
    expect(same.poster.scans).toBe(2)
  })

  it('gives an officer PNG and SVG posters of their own area only', async () => {
    const { areas, officer } = await demoWard()
    const session = await signInAs(t.app, officer)
    const png = await t.app.inject({
      url: `/api/areas/${areas[0]!.id}/poster?format=png`,
      headers: session.headers,
    })
    expect(png.statusCode).toBe(200)
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG')
    const svg = await t.app.inject({
      url: `/api/areas/${areas[0]!.id}/poster?format=svg`,
      headers: session.headers,
    })
    expect(svg.body).toContain('aria-label="Tổ dân phố số 1"')
    const other = await t.app.inject({
      url: `/api/areas/${areas[1]!.id}/poster?format=pdf`,
      headers: session.headers,
    })
    expect(other.statusCode).toBe(404)
  })

  it('sends an unknown code to the home page and refuses anonymous printing', async () => {
    const { ward } = await demoWard()
    expect((await t.app.inject({ url: '/q/ZZZZ9999' })).headers.location).toBe('/')
    expect((await t.app.inject({ url: `/api/units/${ward.id}/posters.pdf` })).statusCode).toBe(401)
  })
})
