import type { TRealtimeEvent } from '@common/events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signInAs } from '../../test/auth-helpers'
import { buildAlertsWorld } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { listenForSockets, openTestSocket } from '../../test/ws-client'
import { foundPerson, publish } from '../alerts/alerts.test-helpers'
import { createMetrics } from './metrics'

/** GET /metrics read while things happen: the figures the issue names move with them (issue 16). */
const TOKEN = 'm'.repeat(40)
let t: TestContext
beforeAll(async () => {
  t = await createTestApp({ METRICS_TOKEN: TOKEN })
})
afterAll(() => t.close())

const scrape = (authorization: string) => t.app.inject({ url: '/metrics', headers: { authorization } })

/** The value of one sample line, e.g. `name{a="b"} 3`; undefined when the line is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

describe('the figures move with what happens', () => {
  it('counts open sockets, events fanned out and frames sent, and forgets a socket once closed', async () => {
    const url = await listenForSockets(t)
    const auth = `Bearer ${TOKEN}`
    const before = (await scrape(auth)).body
    const w = await buildAlertsWorld(t.db)
    const room = `unit:${w.ward.id}`
    const sockets = await Promise.all(
      [w.commander, w.officer].map(async (u) =>
        openTestSocket(url, (await signInAs(t.app, u)).headers.cookie),
      ),
    )
    for (const s of sockets) expect((await s.subscribe([room])).rooms).toEqual([room])
    // A whole-ward-and-neighbour alert waits for the commander: one event to the ward's room.
    const sent = await publish(t.app, w.officer, foundPerson())
    const waits = (e: TRealtimeEvent) => e.type === 'alert.approval' && e.alertId === sent.id
    for (const s of sockets) await s.nextEvent(waits)

    const during = (await scrape(auth)).body
    expect(sample(during, 'nhipcau_websocket_connections')).toBe(
      (sample(before, 'nhipcau_websocket_connections') ?? 0) + 2,
    )
    const grew = (series: string) => sample(during, series)! - (sample(before, series) ?? 0)
    expect(grew('nhipcau_realtime_events_fanned_out_total')).toBeGreaterThanOrEqual(1)
    expect(grew('nhipcau_realtime_frames_sent_total')).toBeGreaterThanOrEqual(2)

    for (const s of sockets) s.ws.close()
    await Promise.all(sockets.map((s) => s.closed))
    const deadline = Date.now() + 5_000
    let open = Number.NaN
    while (Date.now() < deadline) {
      open = sample((await scrape(auth)).body, 'nhipcau_websocket_connections')!
      if (open === (sample(before, 'nhipcau_websocket_connections') ?? 0)) break
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(open).toBe(sample(before, 'nhipcau_websocket_connections') ?? 0)
  })

  it('shows each push outcome as its own series, read at every scrape', async () => {
    const push = { stats: { delivered: 0, gone: 0, refused: 0, failed: 0, deferred: 0, unconfirmed: 0 } }
    const hub = { connectionCount: 0, stats: { eventsFannedOut: 0, framesSent: 0 } }
    const metrics = createMetrics({ db: t.db, hub, push })
    push.stats.delivered = 1200
    push.stats.gone = 3
    push.stats.failed = 7
    const text = await metrics.render()
    expect(sample(text, 'nhipcau_push_results_total{outcome="delivered"}')).toBe(1200)
    expect(sample(text, 'nhipcau_push_results_total{outcome="gone"}')).toBe(3)
    expect(sample(text, 'nhipcau_push_results_total{outcome="refused"}')).toBe(0)
    expect(sample(text, 'nhipcau_push_results_total{outcome="failed"}')).toBe(7)
    push.stats.delivered = 1500
    expect(sample(await metrics.render(), 'nhipcau_push_results_total{outcome="delivered"}')).toBe(1500)
  })
})
