// Builds the React app when its built copy is missing or older than its sources, so that
// `npm start` on a clean clone serves the page without a separate build step.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const repoRoot = resolve(import.meta.dirname, '../..')

/** What the web build reads: a change to any of these makes the built copy stale. */
const sources = ['web', 'common', 'vite.config.ts', 'package-lock.json', 'tsconfig.json']

/** The latest modification time of a file, or of any file under a folder (dot files and node_modules aside). */
export function newestMtime(path) {
  let stat
  try {
    stat = statSync(path)
  } catch {
    return 0
  }
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = 0
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue
    newest = Math.max(newest, newestMtime(join(path, entry)))
  }
  return newest
}

/** Why the build at `outDir` must be (re)made, or null when it is current. */
export function webBuildReason(outDir) {
  const index = join(outDir, 'index.html')
  if (!existsSync(index)) return 'no built web app yet'
  const builtAt = statSync(index).mtimeMs
  const changedAt = Math.max(...sources.map((s) => newestMtime(join(repoRoot, s))))
  return changedAt > builtAt ? 'web sources changed since the last build' : null
}

/** The build empties its folder first: only do that to a missing or empty folder, or an earlier build. */
function looksLikeWebBuild(outDir) {
  if (!existsSync(outDir)) return true
  const entries = readdirSync(outDir)
  return entries.length === 0 || entries.includes('index.html')
}

/**
 * Builds the web app into `outDir` when needed. Returns the seconds spent (0 when current).
 * Throws with a clear message when a build is needed and Vite is not installed.
 */
export function ensureWebBuild(outDir, log = (line) => process.stdout.write(`${line}\n`)) {
  const reason = webBuildReason(outDir)
  if (!reason) return 0
  const viteBin = join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js')
  if (!existsSync(viteBin)) {
    if (existsSync(join(outDir, 'index.html'))) {
      log(`nhipcau: ${reason}, but Vite is not installed; serving the existing build in ${outDir}`)
      return 0
    }
    throw new Error(
      `there is no built web app in ${outDir} and Vite is not installed: run "npm install" (or "npm run build" where dev dependencies are present)`,
    )
  }
  if (!looksLikeWebBuild(outDir)) {
    throw new Error(`WEB_DIST_DIR=${outDir} holds other files; refusing to build the web app over them`)
  }
  log(`nhipcau: building the web app (${reason}) …`)
  const started = Date.now()
  const res = spawnSync(
    process.execPath,
    [viteBin, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: repoRoot,
      stdio: 'inherit',
      // Residents always get the production bundle. The server's NODE_ENV (development for the
      // demo and the browser journeys) must not turn it into React's development build, which
      // boots several times slower on a phone and made journeys wait on it under load.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  )
  if (res.status !== 0) throw new Error(`the web build failed (vite exited with ${res.status ?? res.signal})`)
  const seconds = (Date.now() - started) / 1000
  log(`nhipcau: web app built in ${seconds.toFixed(1)} s`)
  return seconds
}
