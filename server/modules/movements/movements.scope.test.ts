import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { signInAs } from '../../test/auth-helpers'
import { createTestApp, type TestContext } from '../../test/test-app'
import { buildMovementsWorld, caller, stayReport, tenantReport } from './movements.test-support'

let t: TestContext
let call: ReturnType<typeof caller>
let base: string
const sockets: WebSocket[] = []
beforeAll(async () => {
  t = await createTestApp()
  call = caller(t)
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  base = `ws://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/ws`
})
afterAll(async () => {
  for (const s of sockets) s.close()
  await t.close()
})

interface Frame {
  type: string
  rooms?: string[]
  denied?: string[]
  event?: { type: string; reportId?: string }
}

async function connect(user: { id: string; kind: 'resident' | 'staff' }) {
  const session = await signInAs(t.app, user)
  const socket = new WebSocket(base, { headers: { cookie: session.headers.cookie } })
  sockets.push(socket)
  const frames: Frame[] = []
  socket.on('message', (raw) => frames.push(JSON.parse(raw.toString()) as Frame))
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  const waitFor = async (pred: (f: Frame) => boolean, ms = 5000) => {
    const until = Date.now() + ms
    while (Date.now() < until) {
      const hit = frames.find(pred)
      if (hit) return hit
      await new Promise((r) => setTimeout(r, 20))
    }
    throw new Error(`no matching frame; got ${JSON.stringify(frames)}`)
  }
  const subscribe = async (rooms: string[]) => {
    const before = frames.filter((f) => f.type === 'subscribed').length
    socket.send(JSON.stringify({ type: 'subscribe', rooms }))
    await waitFor(() => frames.filter((f) => f.type === 'subscribed').length > before)
    return frames.filter((f) => f.type === 'subscribed').at(-1)!
  }
  await waitFor((f) => f.type === 'hello')
  return { frames, waitFor, subscribe }
}

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
    const isIt = (f: Frame) => f.event?.type === 'residence_report.changed' && f.event.reportId === id
    await officer.waitFor(isIt)
    await commander.waitFor(isIt)
    await resident.waitFor(isIt)
    // The same event has reached three sockets; give the others the same time, then look.
    await new Promise((r) => setTimeout(r, 200))
    expect(neighbour.frames.filter(isIt)).toEqual([])
    expect(neighbourCommander.frames.filter(isIt)).toEqual([])
  })
})
