import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, buildApp } from '../app'
import type { DatabaseHandle } from '../db/client'
import { PgJobQueue } from '../jobs/pg-job-queue'
import { InProcessEventBus } from '../realtime/event-bus'
import { LocalFileStorage } from '../storage/local-file-storage'
import { signInAs, type TestSession } from './auth-helpers'
import { buildArea, buildOfficer, buildResident, buildWard } from './factories/index'
import { captureLogs } from './log-capture'
import { proxiedTestDatabase, type TcpProxy } from './tcp-proxy'
import { testConfig } from './test-config'

/**
 * PostgreSQL goes away under a running app (a TCP proxy between them is cut): requests are
 * answered 503 problem+json with Retry-After within the connect timeout, /readyz says not ready,
 * /healthz stays alive, and once PostgreSQL is back the pool reconnects by itself. The log says
 * each change in one line, however many requests were refused.
 */
describe.skipIf(!process.env.DATABASE_URL)('when PostgreSQL is unreachable', () => {
  let direct: Awaited<ReturnType<typeof proxiedTestDatabase>>['direct']
  let proxied: DatabaseHandle
  let proxy: TcpProxy
  let closeDatabases: (() => Promise<void>) | undefined
  let app: App
  let resident: TestSession
  const logs = captureLogs()
  const filesDir = mkdtempSync(join(tmpdir(), 'nhipcau-outage-'))

  beforeAll(async () => {
    ;({
      direct,
      proxy,
      proxied,
      close: closeDatabases,
    } = await proxiedTestDatabase({
      poolMax: 3,
      connectTimeoutMs: 1_000,
    }))
    const bus = new InProcessEventBus()
    const jobs = new PgJobQueue(proxied.db)
    app = await buildApp({
      config: testConfig(),
      database: proxied,
      bus,
      jobs,
      storage: new LocalFileStorage(filesDir),
      logger: logs.logger,
    })
    await app.ready()
    const ward = await buildWard(direct.db)
    const area = await buildArea(direct.db, { parent: ward })
    await buildOfficer(direct.db, { areas: [area], unit: ward })
    resident = await signInAs(app, await buildResident(direct.db, { area }))
  })
  afterAll(async () => {
    await app?.close()
    await closeDatabases?.()
    rmSync(filesDir, { recursive: true, force: true })
  })

  const send = (body: string) =>
    app.inject({
      method: 'POST',
      url: '/api/ask/messages',
      headers: { ...resident.headers, 'accept-language': 'en' },
      payload: { clientKey: `k-${crypto.randomUUID()}`, body },
    })

  async function expectUnavailable(res: Awaited<ReturnType<typeof send>>) {
    expect(res.statusCode).toBe(503)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
    expect(res.json()).toMatchObject({ type: '/problems/unavailable', status: 503 })
    expect(res.json().detail).toMatch(/cannot reach its database/)
  }

  it.each([
    ['restarting (connections refused)', 'reset'],
    ['vanished (connections hang)', 'blackhole'],
  ] as const)(
    'a database %s: 503 with Retry-After, not ready, alive, then back by itself',
    async (_, mode) => {
      expect((await send('Trước sự cố')).statusCode).toBe(201)

      proxy.cut(mode)
      const started = Date.now()
      await expectUnavailable(await send('Trong sự cố'))
      await expectUnavailable(
        await app.inject({ url: '/api/ask', headers: { ...resident.headers, 'accept-language': 'en' } }),
      )
      // The connect timeout (1 s here, 5 s by default) bounds the wait; nothing hangs.
      expect(Date.now() - started).toBeLessThan(5_000)
      const ready = await app.inject({ url: '/readyz' })
      expect(ready.statusCode).toBe(503)
      expect(ready.json()).toMatchObject({ status: 'not_ready', database: { reachable: false } })
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200)

      proxy.restore()
      expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200)
      const after = await send('Sau sự cố')
      expect(after.statusCode).toBe(201)
      // The log says it once each way, however many requests were refused.
      expect(logs.messages(/^database /).slice(-2)).toEqual([
        'database unreachable: requests answered 503 until it is back',
        'database reachable again',
      ])
      expect(logs.messages(/^database /)).toHaveLength(mode === 'reset' ? 2 : 4)
    },
  )
})
