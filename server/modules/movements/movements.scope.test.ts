import type { TRealtimeEvent } from '@common/events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signInAs } from '../../test/auth-helpers'
import { createTestApp, type TestContext } from '../../test/test-app'
import { listenForSockets, openTestSocket } from '../../test/ws-client'
import { buildMovementsWorld, caller, stayReport, tenantReport } from './movements.test-support'

let t: TestContext
let call: ReturnType<typeof caller>
let url: string
beforeAll(async () => {
  t = await createTestApp()
  call = caller(t)
  url = await listenForSockets(t)
})
afterAll(() => t.close())

const connect = async (user: { id: string; kind: 'resident' | 'staff' }) =>
  openTestSocket(url, (await signInAs(t.app, user)).headers.cookie)

describe('scope: the neighbouring ward sees nothing of it', () => {
  it('over REST: queue, report, review, register, expiring stays, person', async () => {
    const w = await buildMovementsWorld(t)
    const sent = await call(
      w.users.landlord,
      'POST',
      '/api/movements/reports',
      tenantReport(w.area.id, { toDate: '2026-12-08' }),
    )
    const id = sent.body.report.id as string
    const ids = async (u: typeof w.users.officer) =>
      (await call(u, 'GET', '/api/movements/queue')).body.items.map((r: { id: string }) => r.id)

    expect(await ids(w.users.officer)).toContain(id)
    expect(await ids(w.users.commander)).toContain(id)
    expect(await ids(w.users.otherOfficer)).not.toContain(id)
    expect(await ids(w.users.neighbourOfficer)).not.toContain(id)
    expect(await ids(w.users.neighbourCommander)).not.toContain(id)

    for (const u of [
      w.users.neighbourOfficer,
      w.users.neighbourCommander,
      w.users.otherOfficer,
      w.users.resident,
    ]) {
      expect((await call(u, 'GET', `/api/movements/reports/${id}`)).status).toBe(404)
      expect(
        (await call(u, 'POST', `/api/movements/reports/${id}/review`, { decision: 'confirm' })).status,
      ).toBe(404)
    }
    expect(
      (await call(w.users.officer, 'POST', `/api/movements/reports/${id}/review`, { decision: 'confirm' }))
        .status,
    ).toBe(200)

    const households = async (u: typeof w.users.officer, q = '') =>
      (await call(u, 'GET', `/api/register/households?q=${encodeURIComponent('Đặng Thị Thu')}${q}`)).body
    expect((await households(w.users.officer)).items).toHaveLength(1)
    expect((await households(w.users.commander)).items).toHaveLength(1)
    expect((await households(w.users.neighbourOfficer)).items).toEqual([])
    expect((await households(w.users.neighbourCommander)).items).toEqual([])
    expect((await households(w.users.otherOfficer)).items).toEqual([])
    expect(
      (await call(w.users.neighbourOfficer, 'GET', `/api/register/households?areaId=${w.area.id}`)).status,
    ).toBe(404)

    const personId = (await households(w.users.officer)).items[0].people[0].id
    expect((await call(w.users.neighbourCommander, 'GET', `/api/register/people/${personId}`)).status).toBe(
      404,
    )
    const expiring = async (u: typeof w.users.officer) =>
      (await call(u, 'GET', '/api/register/expiring')).body.items.map((p: { id: string }) => p.id)
    expect(await expiring(w.users.officer)).toContain(personId)
    expect(await expiring(w.users.neighbourOfficer)).not.toContain(personId)
    const areas = (await call(w.users.neighbourCommander, 'GET', '/api/register/areas')).body.items
    expect(areas.map((a: { id: string }) => a.id)).toEqual([w.neighbourArea.id])
  })

  it('over WebSocket: the neighbour cannot join the ward’s register rooms and hears nothing', async () => {
    const w = await buildMovementsWorld(t)
    const officer = await connect(w.users.officer)
    const commander = await connect(w.users.commander)
    const neighbour = await connect(w.users.neighbourOfficer)
    const neighbourCommander = await connect(w.users.neighbourCommander)
    const resident = await connect(w.users.resident)
    expect(await officer.subscribe([`register:${w.area.id}`, `register:${w.otherArea.id}`])).toMatchObject({
      rooms: [`register:${w.area.id}`],
      denied: [`register:${w.otherArea.id}`],
    })
    expect((await commander.subscribe([`register:${w.ward.id}`])).rooms).toEqual([`register:${w.ward.id}`])
    expect(
      (
        await neighbour.subscribe([
          `register:${w.area.id}`,
          `register:${w.ward.id}`,
          `register:${w.neighbourArea.id}`,
        ])
      ).rooms,
    ).toEqual([`register:${w.neighbourArea.id}`])
    expect(
      (await neighbourCommander.subscribe([`register:${w.ward.id}`, `register:${w.neighbourWard.id}`])).rooms,
    ).toEqual([`register:${w.neighbourWard.id}`])
    expect((await resident.subscribe([`register:${w.area.id}`])).denied).toEqual([`register:${w.area.id}`])

    const sent = await call(w.users.resident, 'POST', '/api/movements/reports', stayReport())
    const id = sent.body.report.id as string
    const isIt = (e: TRealtimeEvent) => e.type === 'residence_report.changed' && e.reportId === id
    await officer.nextEvent(isIt)
    await commander.nextEvent(isIt)
    await resident.nextEvent(isIt)
    // A barrier: every delivery queued before it has reached these sockets.
    await neighbour.settle()
    await neighbourCommander.settle()
    expect(neighbour.events().filter(isIt)).toEqual([])
    expect(neighbourCommander.events().filter(isIt)).toEqual([])
  })
})
