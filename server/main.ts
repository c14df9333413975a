import 'dotenv/config'
import { bootstrap } from './bootstrap'
import { ConfigError, loadConfig } from './config'
import { DataDirLockedError } from './db/data-dir-lock'
import { scheduleVacuum } from './db/maintenance.job'
import { LISTEN_BACKLOG, listenOnPassedSocket, takeListenSocket } from './lib/listen-socket'
import { loggerOptions } from './lib/logger'
import { scheduleDashboardRollups } from './modules/dashboard/dashboard-rollups.job'
import { scheduleRetention } from './modules/retention/retention.job'
import { seedIfEmpty } from './seed/seed-if-empty'

/** config → database → migrations → demo data on first start → listen; clean shutdown on signals. */
async function main(): Promise<void> {
  const startedAt = Date.now()
  const config = loadConfig()
  const app = await bootstrap(config, loggerOptions(config))
  const demo = config.SEED_DEMO && !config.isProduction ? await seedIfEmpty(app) : undefined
  app.deps.jobs.start()
  await scheduleDashboardRollups(app.deps.jobs)
  await scheduleRetention(app.deps.jobs)
  await scheduleVacuum(app.deps.database, app.deps.jobs)
  // Handed a socket by systemd (nhipcau.socket): listen on it, whatever PORT and HOST say.
  const fd = takeListenSocket()
  if (fd === undefined) await app.listen({ port: config.PORT, host: config.HOST, backlog: LISTEN_BACKLOG })
  else await listenOnPassedSocket(app, fd, LISTEN_BACKLOG)

  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down: finishing in-flight requests')
    const force = setTimeout(() => {
      app.log.error('shutdown took longer than 15 s; exiting')
      process.exit(1)
    }, 15_000)
    force.unref()
    try {
      await app.close()
      process.exit(0)
    } catch (err) {
      app.log.error({ err }, 'error while shutting down')
      process.exit(1)
    }
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  process.once('SIGINT', () => void shutdown('SIGINT'))

  const lines = [
    '',
    `NhipCau is ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s on ${app.deps.database.kind === 'pglite' ? `the embedded database in ${config.DATA_DIR}` : 'PostgreSQL'}.`,
    `  Open:      ${config.PUBLIC_URL}/`,
    `  API docs:  ${config.PUBLIC_URL}/api/docs`,
    ...(demo?.signIns.length ? ['', 'Demo sign-ins:', ...demo.signIns.map((s) => `  ${s}`)] : []),
    '',
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    process.stderr.write(`nhipcau: ${err.message}\n`)
    process.exit(78)
  }
  process.stderr.write(`nhipcau: failed to start: ${(err as Error)?.stack ?? err}\n`)
  process.exit(1)
})
