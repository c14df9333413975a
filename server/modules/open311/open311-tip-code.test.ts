import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildArea, buildOfficer, buildWard } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'

// F16: the tip code, a bearer credential, can stay out of the URL.

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

describe('F16: reading an Open311 request by its code', () => {
  it('accepts the code in the X-Tip-Code header, and still in the query for old clients', async () => {
    const ward = await buildWard(t.db)
    const area = await buildArea(t.db, { parent: ward })
    await buildOfficer(t.db, { unit: ward, areas: [area] })
    const res = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: { service_code: 'traffic', description: 'Xe máy đỗ chắn ngõ 9', address_id: area.id },
    })
    expect(res.statusCode, res.body).toBe(201)
    const [created] = res.json()
    const url = `/open311/v2/requests/${created.service_request_id}.json`

    const byHeader = await t.app.inject({ url, headers: { 'x-tip-code': created.tip_code } })
    expect(byHeader.statusCode, byHeader.body).toBe(200)
    expect(byHeader.json()[0].service_request_id).toBe(created.service_request_id)
    expect((await t.app.inject({ url, query: { tip_code: created.tip_code } })).statusCode).toBe(200)

    const wrong = await t.app.inject({ url, headers: { 'x-tip-code': 'AAAA-BBBB-CCCC-DDDD-EEEE' } })
    expect(wrong.statusCode).toBe(404)
    expect((await t.app.inject({ url })).statusCode).toBe(401)

    const doc = (await t.app.inject('/api/openapi.json')).json()
    const op = doc.paths['/open311/v2/requests/{id}.json'].get
    expect(op.security).toContainEqual({ tipCodeHeader: [] })
    expect(doc.components.securitySchemes.tipCodeHeader).toMatchObject({ in: 'header', name: 'X-Tip-Code' })
  })
})
