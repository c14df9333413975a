// The server prebuilt as plain JavaScript (dist/server), so that `npm start` does not compile ~800
// TypeScript files through tsx at every start: that took 2.8–4.2 s of a restart on 2 cores, while
// 5,000 clients were waiting to reconnect (bench/README.md, issue 16). esbuild bundles server/ and
// common/; npm packages stay outside, loaded from node_modules as before. Files the server reads at
// run time are named from the project root (server/lib/project-paths.ts), so they are not copied.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { newestMtime, repoRoot } from './web-build.mjs'

export const serverBuildDir = join(repoRoot, 'dist', 'server')

/** Output name → source. The worker thread loads its own file (push-encryption-pool.ts). */
const entryPoints = {
  main: 'server/main.ts',
  // scripts/start.mjs checks the configuration before anything else, from this small file alone.
  config: 'server/config.ts',
  'push-encryption.worker': 'server/modules/notifications/push-encryption.worker.ts',
}

/** What the bundle is made of: a change to any of these makes it stale. */
const sources = ['server', 'common', 'tsconfig.json', 'scripts/lib/server-build.mjs']

/** The bundle's file for an entry (`main`, `config`). */
export const serverBuildFile = (name) => join(serverBuildDir, `${name}.mjs`)

/** Why the bundle must be (re)built, or null when it is current. */
export function serverBuildReason() {
  // main.mjs is written last and stamped with the build's start (see buildServer).
  const main = serverBuildFile('main')
  if (!Object.keys(entryPoints).every((name) => existsSync(serverBuildFile(name))))
    return 'no server build yet'
  const builtAt = statSync(main).mtimeMs
  const changedAt = Math.max(...sources.map((s) => newestMtime(join(repoRoot, s))))
  return changedAt > builtAt ? 'server sources changed since the last build' : null
}

/** Builds the bundle into dist/server; returns the seconds spent. Throws when esbuild is missing or fails. */
export async function buildServer() {
  const started = Date.now()
  const esbuild = await import('esbuild').catch(() => {
    throw new Error('esbuild is not installed (run "npm install")')
  })
  const result = await esbuild.build({
    absWorkingDir: repoRoot,
    entryPoints,
    outdir: serverBuildDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    packages: 'external',
    // What the server imports only when needed (the Redis bus, S3 storage…) stays in chunks of its
    // own, loaded as late as through tsx, instead of joining what every start loads.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // Stack traces name the TypeScript files when Node runs with --enable-source-maps.
    sourcemap: 'linked',
    write: false,
    logLevel: 'silent',
  })
  // Each file replaced whole (a server starting meanwhile reads the old or the new one), main.mjs
  // last. Chunks are named by their content, so those of an earlier build stay until it is done.
  const isMain = (file) => basename(file.path) === 'main.mjs'
  for (const file of [...result.outputFiles].sort((a, b) => isMain(a) - isMain(b))) {
    mkdirSync(dirname(file.path), { recursive: true })
    const tmp = `${file.path}.${process.pid}.tmp`
    writeFileSync(tmp, file.contents)
    renameSync(tmp, file.path)
  }
  const written = new Set(result.outputFiles.map((file) => file.path))
  const chunks = join(serverBuildDir, 'chunks')
  for (const name of readdirSync(chunks)) {
    if (!written.has(join(chunks, name)) && !name.endsWith('.tmp'))
      rmSync(join(chunks, name), { force: true })
  }
  // Stamped with the build's start: a source saved while it ran is newer, so the next start rebuilds.
  const stamp = new Date(started)
  utimesSync(serverBuildFile('main'), stamp, stamp)
  return (Date.now() - started) / 1000
}

/**
 * Makes sure the bundle is current, building it when missing or stale. Returns what was done
 * (`{ reason, seconds }`, or `{}` when it was current), or null after one warning line when it
 * cannot be built: the caller then runs the TypeScript through tsx, as `npm run dev` does.
 */
export async function ensureServerBuild(warn = (line) => process.stderr.write(`${line}\n`)) {
  const reason = serverBuildReason()
  if (!reason) return {}
  try {
    return { reason, seconds: await buildServer() }
  } catch (err) {
    const why = String(err?.message ?? err).split('\n')[0]
    warn(`nhipcau: ${reason} and it could not be built (${why}); running the TypeScript through tsx`)
    return null
  }
}
