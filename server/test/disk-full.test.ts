import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, buildApp } from '../app'
import { evidenceFiles, tips } from '../db/schema/index'
import { PgJobQueue } from '../jobs/pg-job-queue'
import { fakeMp4, multipart, newKey } from '../modules/tips/tips.test-support'
import { InProcessEventBus } from '../realtime/event-bus'
import { LocalFileStorage } from '../storage/local-file-storage'
import { signInAs, type TestSession } from './auth-helpers'
import { buildArea, buildOfficer, buildResident, buildWard } from './factories/index'
import { testConfig } from './test-config'
import { createTestDatabase } from './test-database'

/** A 5 MB tmpfs as the files folder; mounting needs root (CAP_SYS_ADMIN), otherwise the test is skipped. */
const filesDir = mkdtempSync(join(tmpdir(), 'nhipcau-diskfull-'))
let mounted = false
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=5m', 'tmpfs', filesDir], { stdio: 'ignore' })
  mounted = true
} catch {
  rmSync(filesDir, { recursive: true, force: true })
}

/** Every file (not folder) under the files folder: nothing half-written may stay. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))

describe('when the files disk is full', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>
  let app: App
  let resident: TestSession

  beforeAll(async () => {
    if (!mounted) return
    database = await createTestDatabase()
    const jobs = new PgJobQueue(database.db, undefined, { baseBackoffMs: 0 })
    app = await buildApp({
      config: testConfig(),
      database,
      bus: new InProcessEventBus(),
      jobs,
      storage: new LocalFileStorage(filesDir),
    })
    await app.ready()
    const ward = await buildWard(database.db)
    const area = await buildArea(database.db, { parent: ward })
    await buildOfficer(database.db, { unit: ward, areas: [area] })
    resident = await signInAs(app, await buildResident(database.db, { area }))
  })
  afterAll(async () => {
    await app?.close()
    await database?.close()
    if (!mounted) return
    execFileSync('umount', [filesDir])
    rmSync(filesDir, { recursive: true, force: true })
  })

  const sendTip = (clip: Buffer, lang: 'vi' | 'en') => {
    const form = multipart({ category: 'disorder_fight', description: 'Đánh nhau trước quán karaoke' }, [
      { data: clip, filename: 'clip.mp4', contentType: 'video/mp4' },
    ])
    return app.inject({
      method: 'POST',
      url: '/api/tips',
      payload: form.payload,
      headers: {
        ...resident.headers,
        ...form.headers,
        'idempotency-key': newKey(),
        'accept-language': lang,
      },
    })
  }

  it.skipIf(!mounted)(
    'a clip larger than the free space: 507 problem+json in the sender’s language, nothing half-kept, then a small clip goes through',
    async () => {
      for (const lang of ['vi', 'en'] as const) {
        const res = await sendTip(fakeMp4(6 * 1024 * 1024), lang)
        expect(res.statusCode, res.body).toBe(507)
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
        expect(res.json()).toMatchObject({ type: '/problems/insufficient-storage', status: 507 })
        expect(res.json().detail).toMatch(lang === 'vi' ? /bộ nhớ.*đầy/i : /storage.*full/i)
      }
      expect(filesUnder(filesDir)).toEqual([])
      expect(await database.db.select().from(tips)).toEqual([])
      expect(await database.db.select().from(evidenceFiles)).toEqual([])

      // The space is free again (nothing was kept): a small clip is stored and recorded.
      const ok = await sendTip(fakeMp4(300_000), 'vi')
      expect(ok.statusCode, ok.body).toBe(201)
      expect(await database.db.select().from(tips)).toHaveLength(1)
      const evidence = await database.db.select().from(evidenceFiles)
      expect(evidence).toHaveLength(1)
      expect(filesUnder(filesDir)).toHaveLength(1)
    },
  )
})
