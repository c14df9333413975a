import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, buildApp } from '../../app'
import type { DatabaseHandle } from '../../db/client'
import { PgJobQueue } from '../../jobs/pg-job-queue'
import { loggerOptions } from '../../lib/logger'
import { InProcessEventBus } from '../../realtime/event-bus'
import { LocalFileStorage } from '../../storage/local-file-storage'
import { fakeScamPhone } from '../../test/factories/index'
import { testConfig } from '../../test/test-config'
import { createTestDatabase } from '../../test/test-database'
import { buildScamWorld, caller, scamReport } from './scam-numbers.test-support'

/**
 * Issue 17, "done when": the scam-number page and feed show no reporter data. A whole journey
 * (two residents report, an officer verifies, a warning is raised) runs on an app logging at
 * trace level with the production logger settings; then the public page, both feeds, the caller
 * check and every captured log line are searched for anything that identifies a reporter.
 */
let app: App
let database: DatabaseHandle
const logLines: string[] = []

beforeAll(async () => {
  database = await createTestDatabase()
  const config = testConfig({ LOG_LEVEL: 'trace' })
  app = await buildApp({
    config,
    database,
    bus: new InProcessEventBus(),
    jobs: new PgJobQueue(database.db),
    storage: new LocalFileStorage(mkdtempSync(join(tmpdir(), 'nhipcau-scam-'))),
    logger: {
      ...(loggerOptions({ LOG_LEVEL: 'trace', LOG_FORMAT: 'json' }) as object),
      stream: { write: (line: string) => void logLines.push(line) },
    },
  })
  await app.ready()
})
afterAll(async () => {
  await app.close()
  await database.close()
})

describe('the public page, the feed and the logs', () => {
  it('carry the number and counts, never who reported', async () => {
    const call = caller(app)
    const w = await buildScamWorld(database.db)
    const phone = fakeScamPhone()
    const note = 'Người gọi biết tên con gái tôi là Nguyễn Thu Hà, số nhà 17 ngõ Văn Chương'
    const first = await call(
      w.resident,
      'POST',
      '/api/scam-numbers/reports',
      scamReport(phone, { note, amountVnd: 987_654_321 }),
    )
    const second = await call(
      w.secondResident,
      'POST',
      '/api/scam-numbers/reports',
      scamReport(phone, { claimedAs: 'vneid_support' }),
    )
    expect([first.status, second.status]).toEqual([201, 201])
    // The commander: the two reporters live in two areas of the ward.
    for (const r of [first, second])
      expect(
        (
          await call(w.commander, 'POST', `/api/scam-numbers/reports/${r.body.report.id}/review`, {
            decision: 'verify',
          })
        ).status,
      ).toBe(200)
    const queue = await call(w.officer, 'GET', '/api/scam-numbers/queue?status=all')
    // The capture works: the staff queue (audited) does carry the reporter, and the log saw requests.
    expect(queue.text).toContain('Trần Thị Báo')
    expect(logLines.join('\n')).toContain('/api/scam-numbers/queue')
    expect((await call(w.commander, 'POST', `/api/scam-numbers/numbers/${phone}/alert`)).status).toBe(201)

    const page = await call(null, 'GET', `/api/scam-numbers/numbers/${encodeURIComponent(phone)}`)
    const json = await call(null, 'GET', '/api/scam-numbers/feed.json')
    const csv = await call(null, 'GET', '/api/scam-numbers/feed.csv')
    const check = await call(null, 'POST', '/api/directory/check-phone', { phone })
    expect(page.status).toBe(200)
    // Two people: the page says "fewer than 3" (null) for every count, so nobody can tell them apart.
    expect(page.body).toMatchObject({ phone, reporters: null, counts: { last7Days: { total: null } } })
    expect(page.body.counts.last7Days.provinces).toEqual([{ name: w.province.name, count: null }])
    expect(page.body.counts.weeks.map((x: { count: number | null }) => x.count)).toEqual([null])
    expect(page.body.claims).toEqual(
      expect.arrayContaining([
        { claimedAs: 'police', count: null },
        { claimedAs: 'vneid_support', count: null },
      ]),
    )
    expect(json.body.items.find((i: { phone: string }) => i.phone === phone)).toMatchObject({
      reporters: 2,
      reportersLast7Days: 2,
      claims: ['police', 'vneid_support'],
    })
    expect(csv.text.split('\r\n')[0]).toBe(
      'phone,verified_at,first_reported_at,last_reported_at,reporters,reporters_last_7_days,claims,page_url',
    )
    expect(csv.text).toContain(`${phone},`)
    expect(check.body.scam.reportersLast7Days).toBe(2)

    const identifying = [
      w.resident.id,
      w.secondResident.id,
      w.resident.phone!,
      w.secondResident.phone!,
      w.resident.phone!.replace('+84', '0'),
      'Trần Thị Báo',
      'Bà Báo',
      'Lê Văn Hai',
      w.area.id,
      w.otherArea.id,
      w.area.name,
      w.otherArea.name,
      w.ward.name,
      note,
      'Nguyễn Thu Hà',
      '987654321',
      first.body.report.id,
      second.body.report.id,
      first.body.report.calledAt,
    ]
    const publicText = [page.text, json.text, csv.text, check.text].join('\n')
    for (const needle of identifying) expect(publicText, needle).not.toContain(needle)
    const logs = logLines.join('\n')
    for (const needle of identifying.filter((n) => n !== first.body.report.id && n !== second.body.report.id))
      expect(logs, needle).not.toContain(needle)
  })

  it('are cacheable: an unchanged feed answers 304 to its ETag', async () => {
    const call = caller(app)
    for (const url of ['/api/scam-numbers/feed.json', '/api/scam-numbers/feed.csv']) {
      const first = await call(null, 'GET', url)
      expect(first.headers['cache-control']).toBe('public, max-age=300')
      const etag = String(first.headers.etag)
      const again = await call(null, 'GET', url, undefined, { 'if-none-match': etag })
      expect(again.status).toBe(304)
      expect(again.text).toBe('')
    }
  })

  it('are rate-limited per address', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 31; i++)
      statuses.push(
        (await app.inject({ url: '/api/scam-numbers/feed.json', remoteAddress: '203.0.113.77' })).statusCode,
      )
    expect(statuses.filter((s) => s === 200)).toHaveLength(30)
    expect(statuses.at(-1)).toBe(429)
  })
})
