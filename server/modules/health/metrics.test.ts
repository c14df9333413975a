import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../test/test-app'

const TOKEN = 'm'.repeat(40)
let t: TestContext
beforeAll(async () => {
  t = await createTestApp({ METRICS_TOKEN: TOKEN })
})
afterAll(() => t.close())

const scrape = (authorization?: string) =>
  t.app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} })

/** The value of one sample line, e.g. `name{a="b"} 3`; undefined when the line is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

describe('GET /metrics (Prometheus)', () => {
  it('answers only the configured bearer token', async () => {
    expect((await scrape()).statusCode).toBe(401)
    expect((await scrape(`Bearer ${'x'.repeat(40)}`)).statusCode).toBe(401)
    expect((await scrape(`Basic ${TOKEN}`)).statusCode).toBe(401)
    const ok = await scrape(`Bearer ${TOKEN}`)
    expect(ok.statusCode).toBe(200)
    expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/)
    expect(ok.headers['cache-control']).toBe('no-store')
  })

  it('counts requests by route pattern and status, never by raw URL', async () => {
    const before = (await scrape(`Bearer ${TOKEN}`)).body
    const series = 'nhipcau_http_requests_total{method="GET",route="/api/procedures/:id",status="404"}'
    const was = sample(before, series) ?? 0
    await t.app.inject('/api/procedures/khong-co-thu-tuc-nay')
    await t.app.inject('/api/procedures/mot-thu-tuc-khac')
    const after = (await scrape(`Bearer ${TOKEN}`)).body
    expect(sample(after, series)).toBe(was + 2)
    expect(after).not.toContain('khong-co-thu-tuc-nay')
    expect(after).toContain('nhipcau_http_request_duration_seconds_bucket{le="0.005",method="GET"')
  })

  it('shows the job queue depth and age per queue, the sockets, realtime and push figures', async () => {
    await t.jobs.enqueue('metrics.test', { n: 1 }, { runAt: new Date(Date.now() - 60_000) })
    await t.jobs.enqueue('metrics.test', { n: 2 }, { runAt: new Date(Date.now() + 3_600_000) })
    const text = (await scrape(`Bearer ${TOKEN}`)).body
    expect(sample(text, 'nhipcau_jobs_due{queue="metrics.test"}')).toBe(1)
    expect(sample(text, 'nhipcau_jobs_oldest_wait_seconds{queue="metrics.test"}')).toBeGreaterThanOrEqual(59)
    expect(sample(text, 'nhipcau_jobs_dead{queue="metrics.test"}')).toBe(0)
    expect(sample(text, 'nhipcau_websocket_connections')).toBe(0)
    expect(sample(text, 'nhipcau_realtime_events_fanned_out_total')).toBe(0)
    expect(sample(text, 'nhipcau_push_results_total{outcome="delivered"}')).toBe(0)
    expect(sample(text, 'nhipcau_process_resident_memory_bytes')).toBeGreaterThan(10_000_000)
  })
})

describe('without METRICS_TOKEN', () => {
  it('has no /metrics at all (404, like an unknown path)', async () => {
    const plain = await createTestApp()
    try {
      const res = await plain.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })
      expect(res.statusCode).toBe(404)
    } finally {
      await plain.close()
    }
  })
})
