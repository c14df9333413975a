import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedScale } from '../../seed/scale/scale-seed'
import { signInAs, type TestSession } from '../../test/auth-helpers'
import { buildCommander, buildProvince, buildWard, type UnitRow } from '../../test/factories/index'
import { pdfPagesText } from '../../test/pdf-text'
import { createTestApp, type TestContext } from '../../test/test-app'

const SIZE = {
  areas: 3,
  households: 200,
  residents: 300,
  officers: 2,
  conversations: 40,
  tips: 6,
  cases: 4,
  alerts: 2,
  days: 92,
}
const NOW = new Date('2026-11-20T03:00:00Z')
const month = { from: '2026-10-01', to: '2026-10-31' }

let t: TestContext
let ward: UnitRow
let commander: TestSession
beforeAll(async () => {
  t = await createTestApp()
  const province = await buildProvince(t.db)
  ward = await buildWard(t.db, { parent: province, name: 'Phường Định Công', slug: 'phuong-dinh-cong-r' })
  await seedScale(t.db, { scale: 'ward', passwordHash: 'x', now: NOW, size: SIZE, wards: [ward] })
  const { user } = await buildCommander(t.db, { unit: ward })
  commander = await signInAs(t.app, user)
}, 120_000)
afterAll(() => t.close())

/** The text of a PDF as PDF.js extracts it: what a reader's copy-paste gives. */
async function pdfText(pdf: Buffer): Promise<string> {
  return (await pdfPagesText(pdf)).join('\n')
}

describe('monthly report', () => {
  it('is an A4 PDF in Vietnamese naming the unit, the period and the kinds of interaction', async () => {
    const res = await t.app.inject({
      url: '/api/dashboard/report.pdf',
      query: { unitId: ward.id, ...month },
      headers: commander.headers,
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    expect(res.headers['content-disposition']).toContain('bao-cao-phuong-dinh-cong-2026-10-01-2026-10-31.pdf')
    const text = await pdfText(res.rawPayload)
    expect(text).toContain('CÔNG AN PHƯỜNG ĐỊNH CÔNG')
    expect(text).toContain('01/10/2026 – 31/10/2026')
    expect(text).toContain('Thủ tục hành chính')
    expect(text).toContain('Thời gian phản hồi theo cán bộ')
  })

  it('gives each table as CSV with the same figures as the dashboard', async () => {
    const dash = await t.app.inject({
      url: '/api/dashboard',
      query: { unitId: ward.id, ...month },
      headers: commander.headers,
    })
    const res = await t.app.inject({
      url: '/api/dashboard/report/interactions.csv',
      query: { unitId: ward.id, ...month },
      headers: commander.headers,
    })
    expect(res.statusCode).toBe(200)
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    const total = dash.json().interactions.total
    expect(lines.at(-1)).toBe(`Tổng cộng,${total.current},${total.previous}`)
    expect(lines[1]).toMatch(/^Thủ tục hành chính,\d+,\d+$/)
  })

  it('refuses an unknown table and a period that ends before it starts, naming the field', async () => {
    const bad = await t.app.inject({
      url: '/api/dashboard/report/people.csv',
      query: { unitId: ward.id, ...month },
      headers: commander.headers,
    })
    expect(bad.statusCode).toBe(400)
    const reversed = await t.app.inject({
      url: '/api/dashboard',
      query: { unitId: ward.id, from: '2026-10-31', to: '2026-10-01' },
      headers: { ...commander.headers, 'accept-language': 'vi' },
    })
    expect(reversed.statusCode).toBe(400)
    expect(reversed.json().errors[0].field).toBe('to')
  })
})
