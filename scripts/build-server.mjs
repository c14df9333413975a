// `npm run build:server`: bundles the server into dist/server (scripts/lib/server-build.mjs).
// `npm start` does it too when the bundle is missing or stale; images and deployments run it once
// (through `npm run build`) so that a server on a read-only tree never has to.
import { buildServer, serverBuildDir } from './lib/server-build.mjs'

try {
  const seconds = await buildServer()
  process.stdout.write(`nhipcau: server built into ${serverBuildDir} in ${seconds.toFixed(1)} s\n`)
} catch (err) {
  process.stderr.write(`nhipcau: the server build failed: ${err?.message ?? err}\n`)
  process.exit(1)
}
