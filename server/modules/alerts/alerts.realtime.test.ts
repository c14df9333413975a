import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { signInAs } from '../../test/auth-helpers'
import { buildAlertsWorld, buildAreaGroup } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { alertDeliverySettings } from './alert-delivery'
import { as, foundPerson, publish, type Who } from './alerts.test-helpers'

let t: TestContext
let base: string
const sockets: WebSocket[] = []

beforeAll(async () => {
  t = await createTestApp()
  alertDeliverySettings.pushGraceMs = 0
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
  event?: { type: string; alertId?: string; state?: string; msgType?: string }
}

/** A signed-in browser's socket that records every frame. */
async function connect(user: Who) {
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
    const before = frames.length
    socket.send(JSON.stringify({ type: 'subscribe', rooms }))
    await waitFor((f) => f.type === 'subscribed' && frames.indexOf(f) >= before)
    return frames.filter((f) => f.type === 'subscribed').at(-1)!
  }
  await waitFor((f) => f.type === 'hello')
  const send = (message: unknown) => socket.send(JSON.stringify(message))
  return { frames, waitFor, subscribe, send }
}

describe('real-time alerts', () => {
  it("a resident joins only their own area's room; an officer their areas; a commander the subtree", async () => {
    const w = await buildAlertsWorld(t.db)
    const resident = await connect(w.resident)
    expect(await resident.subscribe([`area:${w.area.id}`, `area:${w.otherArea.id}`])).toMatchObject({
      rooms: [`area:${w.area.id}`],
      denied: [`area:${w.otherArea.id}`],
    })
    const officer = await connect(w.officer)
    expect(
      (await officer.subscribe([`area:${w.otherArea.id}`, `area:${w.neighbourArea.id}`])).denied,
    ).toEqual([`area:${w.neighbourArea.id}`])
    const commander = await connect(w.commander)
    expect((await commander.subscribe([`area:${w.area.id}`, `area:${w.otherArea.id}`])).denied).toEqual([])
  })

  it('a resident in the neighbouring ward gets the alert without reloading, and the update after it', async () => {
    const w = await buildAlertsWorld(t.db)
    const neighbour = await connect(w.neighbourResident)
    await neighbour.subscribe([`area:${w.neighbourArea.id}`])
    const far = await connect(w.farResident)
    await far.subscribe([`area:${w.farArea.id}`])

    const sent = await publish(t.app, w.commander, foundPerson())
    const got = await neighbour.waitFor((f) => f.event?.type === 'alert.published')
    expect(got.event).toMatchObject({ alertId: sent.id, state: 'active' })

    const officer = await as(t.app, w.officer)
    const answer = await (await as(t.app, w.neighbourResident)).call(
      'POST',
      `/api/alerts/${sent.id}/answers`,
      { body: 'Tôi biết cụ.' },
    )
    expect(answer.statusCode).toBe(201)
    await officer.call('POST', `/api/alerts/${sent.id}/updates`, { close: { outcome: 'Đã đoàn tụ' } })
    const changed = await neighbour.waitFor((f) => f.event?.type === 'alert.changed')
    expect(changed.event).toMatchObject({ alertId: sent.id, msgType: 'Update', state: 'closed' })
    expect(far.frames.filter((f) => f.type === 'event')).toEqual([])
  })

  it('the issuing officer hears of an answer at once', async () => {
    const w = await buildAlertsWorld(t.db)
    const officerSocket = await connect(w.officer)
    const sent = await publish(t.app, w.officer, foundPerson({ scope: { kind: 'unit' } }))
    await (await as(t.app, w.resident)).call('POST', `/api/alerts/${sent.id}/answers`, {
      body: 'Cụ là mẹ chị Hoa.',
    })
    const heard = await officerSocket.waitFor((f) => f.event?.type === 'alert.answered')
    expect(heard.event).toMatchObject({ alertId: sent.id, answers: 1 })
  })

  it('a resident who belongs to two areas in scope gets one event, on every socket once', async () => {
    const w = await buildAlertsWorld(t.db)
    await buildAreaGroup(t.db, w.otherArea, w.officer, [w.resident])
    const resident = await connect(w.resident)
    await resident.subscribe([`area:${w.area.id}`])
    const sent = await publish(
      t.app,
      w.officer,
      foundPerson({ scope: { kind: 'areas', unitIds: [w.area.id, w.otherArea.id] } }),
    )
    await resident.waitFor((f) => f.event?.type === 'alert.published' && f.event.alertId === sent.id)
    // A barrier instead of a sleep: the socket delivers events in order, so once the next alert's
    // event is here, any duplicate of the first one would have arrived before it.
    const next = await publish(
      t.app,
      w.officer,
      foundPerson({ scope: { kind: 'areas', unitIds: [w.area.id] } }),
    )
    await resident.waitFor((f) => f.event?.type === 'alert.published' && f.event.alertId === next.id)
    expect(
      resident.frames.filter((f) => f.event?.type === 'alert.published' && f.event.alertId === sent.id),
    ).toHaveLength(1)
  })
})

describe('alert receipts on the socket', () => {
  it("counts a device's receipts sent on its socket, leaving out alerts that are not its own", async () => {
    const w = await buildAlertsWorld(t.db)
    const ward = await publish(
      t.app,
      w.officer,
      foundPerson({ scope: { kind: 'areas', unitIds: [w.area.id] } }),
    )
    const other = await publish(
      t.app,
      w.officer,
      foundPerson({ scope: { kind: 'areas', unitIds: [w.otherArea.id] } }),
    )
    const resident = await connect(w.resident)
    resident.send({
      type: 'alert_receipts',
      receipts: [
        { alertId: ward.id, state: 'delivered' },
        { alertId: ward.id, state: 'read' },
        { alertId: other.id, state: 'delivered' },
      ],
    })
    const officer = await as(t.app, w.officer)
    const statsOf = async (id: string) => (await officer.call('GET', `/api/alerts/${id}`)).json().stats
    const until = Date.now() + 5000
    while (Date.now() < until && (await statsOf(ward.id)).read < 1)
      await new Promise((r) => setTimeout(r, 50))
    expect(await statsOf(ward.id)).toMatchObject({ delivered: 1, read: 1 })
    expect(await statsOf(other.id)).toMatchObject({ delivered: 0 })
  })

  it('ignores receipts on a socket nobody signed in to, and refuses a malformed one', async () => {
    const w = await buildAlertsWorld(t.db)
    const sent = await publish(
      t.app,
      w.officer,
      foundPerson({ scope: { kind: 'areas', unitIds: [w.area.id] } }),
    )
    const anonymous = new WebSocket(base)
    sockets.push(anonymous)
    const frames: Frame[] = []
    anonymous.on('message', (raw) => frames.push(JSON.parse(raw.toString()) as Frame))
    await new Promise((resolve) => anonymous.once('open', resolve))
    anonymous.send(
      JSON.stringify({ type: 'alert_receipts', receipts: [{ alertId: sent.id, state: 'delivered' }] }),
    )
    anonymous.send(
      JSON.stringify({ type: 'alert_receipts', receipts: [{ alertId: 'nope', state: 'delivered' }] }),
    )
    const until = Date.now() + 5000
    while (Date.now() < until && !frames.some((f) => f.type === 'error'))
      await new Promise((r) => setTimeout(r, 20))
    expect(frames.filter((f) => f.type === 'error')).toHaveLength(1)
    const officer = await as(t.app, w.officer)
    expect((await officer.call('GET', `/api/alerts/${sent.id}`)).json().stats).toMatchObject({ delivered: 0 })
  })
})
