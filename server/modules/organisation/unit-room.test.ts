import type { TRealtimeEvent } from '@common/events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signInAs } from '../../test/auth-helpers'
import { buildAlertsWorld, buildCommander } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { listenForSockets, openTestSocket } from '../../test/ws-client'
import { foundPerson, publish } from '../alerts/alerts.test-helpers'

let t: TestContext
let url: string
beforeAll(async () => {
  t = await createTestApp()
  url = await listenForSockets(t)
})
afterAll(() => t.close())

const connect = async (user: { id: string; kind: 'resident' | 'staff' }) =>
  openTestSocket(url, (await signInAs(t.app, user)).headers.cookie)

describe('the unit room (unit:<id>)', () => {
  it("takes the unit's commander and officers only, and tells the commander an alert waits for approval", async () => {
    const w = await buildAlertsWorld(t.db)
    const commander = await connect(w.commander)
    const officer = await connect(w.officer)
    const neighbour = await connect(w.neighbourOfficer)
    const resident = await connect(w.resident)
    const room = `unit:${w.ward.id}`
    expect((await commander.subscribe([room])).rooms).toEqual([room])
    expect((await officer.subscribe([room])).rooms).toEqual([room])
    expect((await neighbour.subscribe([room, `unit:${w.neighbourWard.id}`])).rooms).toEqual([
      `unit:${w.neighbourWard.id}`,
    ])
    expect((await resident.subscribe([room])).denied).toEqual([room])

    // A whole-ward-and-neighbour alert needs the commander's approval.
    const sent = await publish(t.app, w.officer, foundPerson())
    expect(sent.state).toBe('pending_approval')
    const waits = (e: TRealtimeEvent) =>
      e.type === 'alert.approval' && e.alertId === sent.id && e.state === 'pending_approval'
    await commander.nextEvent(waits)
    await neighbour.settle()
    await resident.settle()
    expect(neighbour.events().filter(waits)).toEqual([])
    expect(resident.events().filter(waits)).toEqual([])
  })

  it('tells every commander who may approve, up the tree, in their own unit’s room; and when it is decided', async () => {
    const w = await buildAlertsWorld(t.db)
    const provinceCommander = (await buildCommander(t.db, { unit: w.province })).user
    const neighbourCommander = (await buildCommander(t.db, { unit: w.neighbourWard })).user
    // Each console listens to the rooms of the units its user commands (web: usePendingApprovals).
    const above = await connect(provinceCommander)
    const beside = await connect(neighbourCommander)
    expect((await above.subscribe([`unit:${w.province.id}`])).rooms).toEqual([`unit:${w.province.id}`])
    expect((await beside.subscribe([`unit:${w.neighbourWard.id}`])).rooms).toEqual([
      `unit:${w.neighbourWard.id}`,
    ])

    const sent = await publish(t.app, w.officer, foundPerson())
    expect(sent.state).toBe('pending_approval')
    const about = (state: string) => (e: TRealtimeEvent) =>
      e.type === 'alert.approval' && e.alertId === sent.id && e.state === state
    await above.nextEvent(about('pending_approval'))
    // The badge's count agrees with the event: one alert waits for the province's commander.
    const count = await t.app.inject({
      url: '/api/staff/alerts/pending-approval/count',
      headers: (await signInAs(t.app, provinceCommander)).headers,
    })
    expect(count.json()).toEqual({ count: 1 })

    // The ward's commander approves: the province's badge drops without a reload.
    const session = await signInAs(t.app, w.commander)
    const approved = await t.app.inject({
      method: 'POST',
      url: `/api/alerts/${sent.id}/approve`,
      headers: session.headers,
    })
    expect(approved.statusCode).toBe(200)
    await above.nextEvent(about('active'))
    await beside.settle()
    expect(beside.events().filter((e) => e.type === 'alert.approval')).toEqual([])
  })
})
