import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_VERSION } from '../../lib/app-version'
import { signInAs } from '../../test/auth-helpers'
import { buildAdmin, buildOfficer } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { recordLastBackup } from '../backup/backup-record'

let t: TestContext
const dataDir = mkdtempSync(join(tmpdir(), 'nhipcau-health-'))
beforeAll(async () => {
  t = await createTestApp({ DATA_DIR: dataDir })
})
afterAll(async () => {
  await t.close()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('the administrators’ system health page', () => {
  it('shows the database, Redis, the job queue, disk space, the last backup, the version and the uptime', async () => {
    const admin = await signInAs(t.app, await buildAdmin(t.db))
    const get = () => t.app.inject({ url: '/api/admin/health', headers: admin.headers })

    const first = await get()
    expect(first.statusCode).toBe(200)
    expect(first.headers['cache-control']).toBe('no-store')
    const before = first.json()
    expect(before.database).toMatchObject({
      kind: process.env.DATABASE_URL ? 'postgres' : 'pglite',
      reachable: true,
    })
    expect(before.database.latencyMs).toBeGreaterThanOrEqual(0)
    expect(before.database.sizeBytes).toBeGreaterThan(1_000_000)
    expect(before.redis).toEqual({ configured: false, reachable: null })
    expect(before.lastBackup).toBeNull()
    expect(before.disk.path).toBe(dataDir)
    expect(before.disk.freeBytes).toBeGreaterThan(0)
    expect(before.disk.totalBytes).toBeGreaterThanOrEqual(before.disk.freeBytes)
    expect(before.version.app).toBe(APP_VERSION)
    expect(before.version.commit).toMatch(/^[0-9a-f]{7,12}$/)
    expect(before.uptimeSeconds).toBeGreaterThanOrEqual(0)

    // A job waiting for ten minutes, nothing running it (the test queue does not poll).
    await t.jobs.enqueue('health.test', {}, { runAt: new Date(Date.now() - 600_000) })
    await t.jobs.enqueue('health.test', {}, { runAt: new Date(Date.now() + 600_000) })
    await recordLastBackup(dataDir, {
      at: '2026-12-05T02:30:00.000Z',
      file: '/var/backups/x.tar.gz',
      bytes: 4096,
    })

    const after = (await get()).json()
    expect(after.jobs.due).toBe(before.jobs.due + 1)
    expect(after.jobs.oldestWaitSeconds).toBeGreaterThanOrEqual(600)
    expect(after.lastBackup).toEqual({
      at: '2026-12-05T02:30:00.000Z',
      file: '/var/backups/x.tar.gz',
      bytes: 4096,
    })
  })

  it('is for administrators only', async () => {
    const officer = await signInAs(t.app, (await buildOfficer(t.db)).user)
    expect((await t.app.inject({ url: '/api/admin/health', headers: officer.headers })).statusCode).toBe(403)
    expect((await t.app.inject({ url: '/api/admin/health' })).statusCode).toBe(401)
  })
})
