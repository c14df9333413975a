// The server the browser journeys run against: port 3100 (or E2E_PORT), the embedded database in a
// fresh folder seeded with the demo ward. The folder is named by the port and wiped at every start,
// so a run killed with SIGKILL (as Playwright may stop its web server) leaves nothing that piles up.
import { mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import './lib/register-tsx.mjs'

const { acquireDataDirLock } = await import('../server/db/data-dir-lock.ts')

const port = process.env.E2E_PORT ?? '3100'
const dataDir = join(tmpdir(), `nhipcau-e2e-${port}`)

// Never wipe a folder a live server is using: taking its lock first says whether one is.
mkdirSync(dataDir, { recursive: true })
try {
  acquireDataDirLock(dataDir).release()
} catch (err) {
  process.stderr.write(`nhipcau e2e: ${err.message}\n`)
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
  // The platforms' APIs are local fakes a journey starts on the next ports (e2e/s10-channels.spec.ts):
  // no journey's call ever leaves the machine, and none but S10 talks to them.
  MESSENGER_GRAPH_URL: `http://127.0.0.1:${Number(port) + 4}`,
  ZALO_OPENAPI_URL: `http://127.0.0.1:${Number(port) + 5}`,
  ZALO_OAUTH_URL: `http://127.0.0.1:${Number(port) + 5}`,
  // Answers by SMS go to a fake eSMS.vn the SMS journey starts on E2E_PORT + 6 (e2e/s17-sms.spec.ts),
  // with the account and short-code keys that journey uses; sign-in codes stay in the dev outbox.
  SMS_MESSAGES_PROVIDER: 'http',
  SMS_MESSAGES_HTTP_URL: `http://127.0.0.1:${Number(port) + 6}/MainService.svc/json/SendMultipleMessage_V4_post_json/`,
  SMS_MESSAGES_HTTP_TOKEN: 'e2e-esms-key:e2e-esms-secret:CONGAN',
  SMS_PRICE_VND: '800',
  SMS_MO_CPID: 'e2e-cpid',
  SMS_MO_PRIVATE_KEY: 'e2e-esms-mo-private-key',
})
for (const name of ['DATABASE_URL', 'REDIS_URL', 'PUBLIC_URL', 'WEB_DIST_DIR', 'SESSION_SECRET'])
  delete process.env[name]

await import('./start.mjs')
