// The server the browser journeys run against: port 3100 (or E2E_PORT), the embedded database in a
// fresh folder seeded with the demo ward. The folder is named by the port and wiped at every start,
// so a run killed with SIGKILL (as Playwright may stop its web server) leaves nothing that piles up.
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const port = process.env.E2E_PORT ?? '3100'
const dataDir = join(tmpdir(), `nhipcau-e2e-${port}`)

const holder = readLockHolder(join(dataDir, 'nhipcau.lock'))
if (holder && isAlive(holder.pid)) {
  process.stderr.write(
    `nhipcau e2e: another e2e server (pid ${holder.pid}) is using ${dataDir}; stop it first\n`,
  )
  process.exit(1)
}
rmSync(dataDir, { recursive: true, force: true })
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }))

Object.assign(process.env, {
  NODE_ENV: 'development',
  HOST: '127.0.0.1',
  PORT: port,
  DATA_DIR: dataDir,
  SEED_DEMO: 'true',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  LOG_FORMAT: 'json',
  // Browser journeys always run on the embedded database with defaults, whatever .env says.
  DOTENV_CONFIG_PATH: '/dev/null',
})
for (const name of ['DATABASE_URL', 'REDIS_URL', 'PUBLIC_URL', 'WEB_DIST_DIR', 'SESSION_SECRET'])
  delete process.env[name]

await import('./start.mjs')

function readLockHolder(file) {
  if (!existsSync(file)) return undefined
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return err.code === 'EPERM'
  }
}
