import type { FastifyServerOptions } from 'fastify'
import { type App, buildApp } from './app'
import type { Config } from './config'
import { openDatabase } from './db/client'
import { migrateDatabase } from './db/migrate'
import { PgJobQueue } from './jobs/pg-job-queue'
import { createEventBus } from './realtime/create-event-bus'
import { createFileStorage } from './storage/create-file-storage'

/** Opens the database, applies migrations and builds the app: what main.ts and the CLI share. */
export async function bootstrap(config: Config, logger?: FastifyServerOptions['logger']): Promise<App> {
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR })
  try {
    await migrateDatabase(database, config.DATABASE_URL)
    const bus = await createEventBus(config)
    const jobs = new PgJobQueue(database.db)
    const storage = await createFileStorage(config)
    const app = await buildApp({ config, database, bus, jobs, storage, logger })
    jobs.attachLogger(app.log)
    app.addHook('onClose', async () => {
      await jobs.stop()
      await bus.close()
      await database.close()
      storage.close?.()
    })
    return app
  } catch (err) {
    await database.close()
    throw err
  }
}
