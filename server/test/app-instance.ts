import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type App, buildApp } from '../app'
import type { DatabaseHandle } from '../db/client'
import { PgJobQueue } from '../jobs/pg-job-queue'
import type { EventBus } from '../realtime/event-bus'
import { LocalFileStorage } from '../storage/local-file-storage'
import { captureLogs } from './log-capture'
import { testConfig } from './test-config'

export interface AppInstance {
  name: string
  app: App
  /** http://127.0.0.1:port — for fetch, the outbox sender and the resuming client. */
  base: string
  logs: ReturnType<typeof captureLogs>
  /** GET /readyz: its status code. */
  readyz(): Promise<number>
  /** Closes the app and its bus (the database belongs to the caller). */
  close(): Promise<void>
}

/**
 * One app instance in this process, listening on a free port with its own bus and a logger a test
 * can read: several of them on one database and one Redis are the instances behind a load balancer,
 * without the minutes of cold start a server process costs on a busy machine.
 */
export async function startAppInstance(
  name: string,
  database: DatabaseHandle,
  bus: EventBus,
): Promise<AppInstance> {
  const filesDir = mkdtempSync(join(tmpdir(), `nhipcau-${name}-`))
  const logs = captureLogs()
  const app = await buildApp({
    config: testConfig(),
    database,
    bus,
    jobs: new PgJobQueue(database.db),
    storage: new LocalFileStorage(filesDir),
    logger: logs.logger,
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  return {
    name,
    app,
    base,
    logs,
    readyz: async () => (await app.inject({ url: '/readyz' })).statusCode,
    async close() {
      await app.close()
      await bus.close()
      rmSync(filesDir, { recursive: true, force: true })
    },
  }
}
