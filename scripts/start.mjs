// `npm start`: check the configuration, build the web app if it is missing or stale, then run the
// server in this same process (so signals, exit codes and `kill -9` reach the server itself).
import { resolve } from 'node:path'
import './lib/register-tsx.mjs'
import { ensureWebBuild } from './lib/web-build.mjs'

await import('dotenv/config')
const { loadConfig, ConfigError } = await import('../server/config.ts')

let config
try {
  // Checked before the web build, so a bad value stops start-up at once with one line.
  config = loadConfig()
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  process.stderr.write(`nhipcau: ${err.message}\n`)
  process.exit(78)
}

if (process.env.SKIP_WEB_BUILD !== '1') {
  try {
    ensureWebBuild(resolve(config.WEB_DIST_DIR))
  } catch (err) {
    process.stderr.write(`nhipcau: ${err.message}\n`)
    process.exit(1)
  }
}

await import('../server/main.ts')
