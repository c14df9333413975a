// `npm start`: check the configuration, build the web app if it is missing or stale, then run the
// server in this same process (so signals, exit codes and `kill -9` reach the server itself).
// The server runs from its prebuilt bundle (dist/server, rebuilt here when missing or stale), or
// through tsx when the bundle cannot be built.
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ensureServerBuild, serverBuildFile } from './lib/server-build.mjs'
import { ensureWebBuild } from './lib/web-build.mjs'

const bundle = await ensureServerBuild()
if (!bundle) await import('./lib/register-tsx.mjs')
const serverModule = (name) =>
  bundle ? pathToFileURL(serverBuildFile(name)).href : new URL(`../server/${name}.ts`, import.meta.url).href

await import('dotenv/config')
const { loadConfig, ConfigError } = await import(serverModule('config'))

let config
try {
  // Checked before the web build, so a bad value stops start-up at once with one line.
  config = loadConfig()
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  process.stderr.write(`nhipcau: ${err.message}\n`)
  process.exit(78)
}

// Said only now, so that a bad setting still stops start-up with its one line.
if (bundle?.seconds !== undefined) {
  process.stdout.write(`nhipcau: server built (${bundle.reason}) in ${bundle.seconds.toFixed(1)} s\n`)
}

if (process.env.SKIP_WEB_BUILD !== '1') {
  try {
    ensureWebBuild(resolve(config.WEB_DIST_DIR))
  } catch (err) {
    process.stderr.write(`nhipcau: ${err.message}\n`)
    process.exit(1)
  }
}

await import(serverModule('main'))
