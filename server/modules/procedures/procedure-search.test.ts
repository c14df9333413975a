import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signInAs } from '../../test/auth-helpers'
import { buildAdmin } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { importCatalogueFiles } from './procedure-import.service'
import { searchProcedures } from './procedure-search.service'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
  await importCatalogueFiles(t.db)
})
afterAll(() => t.close())

const ids = async (q: string, limit = 3) => (await searchProcedures(t.db, q, { limit })).map((h) => h.id)

describe('searching procedures the way residents write', () => {
  it('finds a procedure typed without diacritics', async () => {
    expect((await ids('dang ky tam tru'))[0]).toBe('dang-ky-tam-tru')
    expect((await ids('đăng ký tạm trú'))[0]).toBe('dang-ky-tam-tru')
  })

  it('understands chat spelling and particles', async () => {
    expect((await ids('lam giay khai sinh cho con o cho tam tru dc ko a'))[0]).toBe('dang-ky-khai-sinh')
  })

  it('maps abbreviations and old words to today’s procedures', async () => {
    expect(await ids('cccd bi mat')).toContain('cap-lai-the-can-cuoc')
    expect((await ids('gplx het han'))[0]).toBe('doi-giay-phep-lai-xe')
    expect(await ids('ho khau')).toContain('dang-ky-thuong-tru')
    expect((await ids('cắt khẩu cho bố'))[0]).toBe('xoa-dang-ky-thuong-tru')
    expect((await ids('lltp'))[0]).toBe('cap-phieu-ly-lich-tu-phap')
  })

  it('corrects common misspellings and tolerates typos', async () => {
    expect(await ids('tạm chú')).toContain('dang-ky-tam-tru')
    expect(await ids('làm hộ chíu')).toContain('cap-ho-chieu-pho-thong')
    // "thuog" is in no synonym list: the nearest indexed syllable (pg_trgm) stands in.
    expect(await ids('dang ky thuog tru')).toContain('dang-ky-thuong-tru')
  })

  it('tells neighbouring procedures apart', async () => {
    expect((await ids('mất hộ chiếu ở sân bay'))[0]).toBe('trinh-bao-mat-ho-chieu')
    expect((await ids('gia hạn tạm trú'))[0]).toBe('gia-han-tam-tru')
    expect((await ids('khai báo tạm vắng'))[0]).toBe('khai-bao-tam-vang')
  })

  it('returns nothing for greetings or gibberish rather than a random procedure', async () => {
    expect(await ids('a ơi')).toEqual([])
    expect(await ids('qwzx')).toEqual([])
  })

  it('respects the limit and ranks by a decreasing score', async () => {
    const hits = await searchProcedures(t.db, 'tạm trú', { limit: 5 })
    expect(hits).toHaveLength(5)
    const scores = hits.map((h) => h.score)
    expect([...scores].sort((a, b) => b - a)).toEqual(scores)
  })
})

describe('GET /api/procedures/search', () => {
  it('answers anyone with ranked procedures, each with id, name, category and a snippet', async () => {
    const res = await t.app.inject({ url: '/api/procedures/search?q=cccd%20bi%20mat&limit=3' })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.results).toHaveLength(3)
    expect(body.results.map((r: { id: string }) => r.id)).toContain('cap-lai-the-can-cuoc')
    const hit = body.results.find((r: { id: string }) => r.id === 'cap-lai-the-can-cuoc')
    expect(hit).toMatchObject({ nameVi: 'Cấp lại thẻ căn cước', category: 'can-cuoc' })
    expect(hit.snippet.length).toBeGreaterThan(10)
  })

  it('rejects a missing question, naming the field', async () => {
    const res = await t.app.inject({ url: '/api/procedures/search?limit=3' })
    expect(res.statusCode).toBe(400)
    expect(res.json().errors[0].field).toBe('q')
  })

  it('finds words staff add as keywords after an edit', async () => {
    expect(await ids('hộ nghèo xin xác nhận')).not.toContain('tach-ho')
    const admin = await buildAdmin(t.db)
    const session = await signInAs(t.app, admin)
    const current = (await t.app.inject({ url: '/api/procedures/tach-ho', headers: session.headers })).json()
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/procedures/tach-ho',
      headers: session.headers,
      payload: { keywords: [...current.staff.keywords, 'hộ nghèo'] },
    })
    expect(res.statusCode).toBe(200)
    expect((await ids('hộ nghèo'))[0]).toBe('tach-ho')
  })
})
