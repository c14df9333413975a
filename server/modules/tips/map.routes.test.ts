import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signInAs } from '../../test/auth-helpers'
import { buildArea, buildCase, buildOfficer, buildTip, buildWard } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'

let t: TestContext
beforeAll(async () => {
  t = await createTestApp({ MAP_TILE_URL: 'https://tiles.example.vn/{z}/{x}/{y}.png' })
})
afterAll(() => t.close())

describe('the staff map', () => {
  it('returns GeoJSON of tips and cases with a position, in scope, filtered by box, kind, category, status and time', async () => {
    const ward = await buildWard(t.db)
    const area = await buildArea(t.db, { parent: ward })
    const { user: officer } = await buildOfficer(t.db, { unit: ward, areas: [area] })
    const { user: neighbour } = await buildOfficer(t.db)
    const theft = await buildTip(t.db, {
      area,
      category: 'theft',
      lat: 21.01,
      lng: 105.85,
      assigneeId: officer.id,
    })
    await buildTip(t.db, { area, category: 'traffic', lat: 21.02, lng: 105.86, assigneeId: officer.id })
    await buildTip(t.db, { area, category: 'theft', assigneeId: officer.id }) // no position: not on the map
    const c = await buildCase(t.db, {
      category: 'suspicious_vehicle',
      area,
      createdById: officer.id,
      assigneeId: officer.id,
      lat: 21.03,
      lng: 105.87,
      status: 'resolved',
      outcome: 'other',
    })
    const session = await signInAs(t.app, officer)
    const get = async (query: Record<string, string>) => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/cases/map',
        query,
        headers: session.headers,
      })
      expect(res.statusCode, res.body).toBe(200)
      return res.json()
    }

    const all = await get({})
    expect(all.type).toBe('FeatureCollection')
    expect(all.features).toHaveLength(3)
    const tipFeature = all.features.find((f: { properties: { id: string } }) => f.properties.id === theft.id)
    expect(tipFeature).toMatchObject({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [105.85, 21.01] },
      properties: { kind: 'tip', category: 'theft', status: 'new', url: `/staff/tips/${theft.id}` },
    })
    expect((await get({ category: 'theft' })).features).toHaveLength(1)
    expect(
      (await get({ kinds: 'cases' })).features.map((f: { properties: { id: string } }) => f.properties.id),
    ).toEqual([c.id])
    expect((await get({ status: 'resolved,closed' })).features).toHaveLength(1)
    expect((await get({ bbox: '105.845,21.005,105.855,21.015' })).features).toHaveLength(1)
    expect((await get({ from: new Date(Date.now() + 60_000).toISOString() })).features).toHaveLength(0)

    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/cases/map',
      query: { bbox: '106,21,105,22' },
      headers: session.headers,
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors[0].field).toBe('bbox')

    const other = await signInAs(t.app, neighbour)
    const theirs = await t.app.inject({ method: 'GET', url: '/api/cases/map', headers: other.headers })
    expect(theirs.json().features).toEqual([])
  })

  it('tells the page which tile server to use (MAP_TILE_URL)', async () => {
    const { user: officer } = await buildOfficer(t.db)
    const session = await signInAs(t.app, officer)
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/cases/map/settings',
      headers: session.headers,
    })
    expect(res.json()).toEqual({ tileUrl: 'https://tiles.example.vn/{z}/{x}/{y}.png', attribution: '' })
  })
})
