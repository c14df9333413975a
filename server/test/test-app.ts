import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type App, buildApp } from '../app'
import type { Config } from '../config'
import type { DatabaseHandle, Db } from '../db/client'
import { PgJobQueue } from '../jobs/pg-job-queue'
import { InProcessEventBus } from '../realtime/event-bus'
import { createFileStorage } from '../storage/create-file-storage'
import type { FileStorage } from '../storage/file-storage'
import { LocalFileStorage } from '../storage/local-file-storage'
import { testConfig } from './test-config'
import { createTestDatabase } from './test-database'

export interface TestContext {
  app: App
  db: Db
  database: DatabaseHandle
  config: Config
  jobs: PgJobQueue
  bus: InProcessEventBus
  storage: FileStorage
  close(): Promise<void>
}

/**
 * The app on a fresh database for one test file. Call in beforeAll and close in afterAll;
 * isolate tests inside a file with factories (new units per test), not by truncating.
 * With S3_* overrides (startFakeS3().env) files go to that bucket, as the server would put them.
 */
export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestContext> {
  const config = testConfig(overrides)
  const database = await createTestDatabase()
  const bus = new InProcessEventBus()
  // Tests drive the queue with drain(); nothing polls behind their back.
  const jobs = new PgJobQueue(database.db, undefined, { baseBackoffMs: 0 })
  const filesDir = mkdtempSync(join(tmpdir(), 'nhipcau-files-'))
  const storage: FileStorage & { close?(): void } = config.S3_BUCKET
    ? await createFileStorage(config)
    : new LocalFileStorage(filesDir)
  const app = await buildApp({ config, database, bus, jobs, storage })
  await app.ready()
  return {
    app,
    db: database.db,
    database,
    config,
    jobs,
    bus,
    storage,
    close: async () => {
      await app.close()
      await jobs.stop()
      await database.close()
      storage.close?.()
      rmSync(filesDir, { recursive: true, force: true })
    },
  }
}
