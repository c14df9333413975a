import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signInAs } from '../../test/auth-helpers'
import { buildArea, buildOfficer, buildWard } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

/** GeoReport v2 field names, exactly as wiki.open311.org/GeoReport_v2 spells them. */
const SERVICE_FIELDS = [
  'description',
  'group',
  'keywords',
  'metadata',
  'service_code',
  'service_name',
  'type',
]
const REQUEST_FIELDS = [
  'address',
  'address_id',
  'agency_responsible',
  'description',
  'expected_datetime',
  'lat',
  'long',
  'media_url',
  'requested_datetime',
  'service_code',
  'service_name',
  'service_notice',
  'service_request_id',
  'status',
  'status_notes',
  'updated_datetime',
  'zipcode',
]
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/

describe('Open311 GeoReport v2', () => {
  it('lists the tip categories as services', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/open311/v2/services.json',
      headers: { 'accept-language': 'en' },
    })
    expect(res.statusCode).toBe(200)
    const services = res.json()
    expect(services).toHaveLength(11)
    for (const s of services) expect(Object.keys(s).sort()).toEqual(SERVICE_FIELDS)
    expect(services.find((s: { service_code: string }) => s.service_code === 'theft')).toMatchObject({
      service_name: 'Theft',
      metadata: false,
      type: 'realtime',
    })
  })

  it('files a request (form-encoded, no account) and reads it back with the GeoReport fields', async () => {
    const ward = await buildWard(t.db)
    const area = await buildArea(t.db, { parent: ward })
    const { user: officer } = await buildOfficer(t.db, { unit: ward, areas: [area] })
    const res = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: new URLSearchParams({
        service_code: 'traffic',
        description: 'Ô tô đỗ chắn lối thoát hiểm ngõ 7',
        address_string: 'Ngõ 7 phố Hàn Thuyên',
        address_id: area.id,
        email: 'someone@example.com',
        first_name: 'Lan',
        phone: '0912345678',
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(res.statusCode, res.body).toBe(201)
    const [created] = res.json()
    expect(created.service_request_id).toMatch(/^[0-9a-f-]{36}$/)
    expect(created).toHaveProperty('service_notice')
    expect(created).toHaveProperty('account_id', null)

    const session = await signInAs(t.app, officer)
    const one = await t.app.inject({
      method: 'GET',
      url: `/open311/v2/requests/${created.service_request_id}.json`,
      headers: session.headers,
    })
    expect(one.statusCode, one.body).toBe(200)
    const [request] = one.json()
    expect(Object.keys(request).sort()).toEqual(REQUEST_FIELDS)
    expect(request).toMatchObject({
      service_request_id: created.service_request_id,
      status: 'open',
      service_code: 'traffic',
      description: 'Ô tô đỗ chắn lối thoát hiểm ngõ 7',
      address: 'Ngõ 7 phố Hàn Thuyên',
      address_id: area.id,
      lat: null,
      long: null,
      agency_responsible: ward.name,
    })
    expect(request.requested_datetime).toMatch(ISO)
    expect(request.updated_datetime).toMatch(ISO)
    expect(JSON.stringify(request)).not.toContain('someone@example.com')

    const list = await t.app.inject({
      method: 'GET',
      url: '/open311/v2/requests.json',
      query: { service_code: 'traffic' },
      headers: session.headers,
    })
    expect(list.json().map((r: { service_request_id: string }) => r.service_request_id)).toContain(
      created.service_request_id,
    )

    const byCode = await t.app.inject({
      method: 'GET',
      url: `/open311/v2/requests/${created.service_request_id}.json`,
      query: { tip_code: created.tip_code },
    })
    expect(byCode.statusCode).toBe(200)
  })

  it('answers errors as GeoReport arrays of {code, description}', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: { service_code: 'ufo', description: 'Vật thể lạ bay qua', lat: 21, long: 105.8 },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toEqual([{ code: 400, description: expect.stringContaining('service_code') }])
    const noLocation = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: { service_code: 'theft', description: 'Mất xe đạp' },
    })
    expect(noLocation.statusCode).toBe(400)
    expect(noLocation.json()[0]).toMatchObject({ code: 400 })
    const anonymousList = await t.app.inject({ method: 'GET', url: '/open311/v2/requests.json' })
    expect(anonymousList.statusCode).toBe(401)
    expect(anonymousList.json()).toEqual([{ code: 401, description: expect.any(String) }])
    const missing = await t.app.inject({
      method: 'GET',
      url: `/open311/v2/requests/${crypto.randomUUID()}.json`,
      query: { tip_code: 'AAAA-BBBB-CCCC-DDDD-EEEE' },
    })
    expect(missing.statusCode).toBe(404)
    expect(missing.json()[0]).toMatchObject({ code: 404 })
  })
})
