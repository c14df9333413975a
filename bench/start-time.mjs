// bench:start-time — how long a restart takes to answer /readyz on a database that is already
// migrated: `npm start` as production runs it (scripts/start.mjs → the bundle in dist/server) against
// the TypeScript loaded through tsx (`node --import tsx server/main.ts`, how it started before).
// The server's own "ready in X s" line (main(): database, migrations, app, jobs, listen) splits each
// figure into module loading and the rest. Runs alternate between the ways, so load on a shared
// machine hits both alike. BENCH_DATABASE_URL: on PostgreSQL instead of the embedded PGlite.
//
//   npm run bench:start-time                 5 runs of each, a table on stdout (medians)
//   npm run bench:start-time -- --runs 9 --json
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ensureServerBuild } from '../scripts/lib/server-build.mjs'
import { benchDatabase } from './lib/bench-postgres.mjs'
import { benchServerEnv } from './lib/bench-server-env.mjs'

const root = resolve(import.meta.dirname, '..')
const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, json: { type: 'boolean' } },
})
const runs = Number(args.runs)

const ways = {
  'npm start (bundle)': ['scripts/start.mjs'],
  'tsx server/main.ts': ['--import', 'tsx', 'server/main.ts'],
}

const freePort = () =>
  new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => ok(port))
    })
  })

/** One start: seconds from spawn to /readyz 200, and the seconds main() says it took. */
async function measure(argv, env) {
  const port = await freePort()
  const started = performance.now()
  const child = spawn(process.execPath, argv, {
    cwd: root,
    env: { ...process.env, DOTENV_CONFIG_PATH: '/dev/null', SKIP_WEB_BUILD: '1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const exited = new Promise((ok) => child.once('exit', ok))
  let readyS = null
  while (readyS === null) {
    if (child.exitCode !== null) throw new Error(`the server exited:\n${output}`)
    if (performance.now() - started > 120_000) throw new Error(`not ready after 120 s:\n${output}`)
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200)
        readyS = (performance.now() - started) / 1000
    } catch {}
    if (readyS === null) await new Promise((r) => setTimeout(r, 25))
  }
  child.kill('SIGTERM')
  await exited
  const mainS = Number(/is ready in ([\d.]+) s/.exec(output)?.[1] ?? Number.NaN)
  return { readyS, mainS }
}

const build = await ensureServerBuild()
if (!build) throw new Error('the server bundle could not be built')
const database = await benchDatabase('start_time')
const dir = mkdtempSync(join(tmpdir(), 'nhipcau-bench-start-'))
const env = benchServerEnv({
  dataDir: join(dir, 'data'),
  port: 0,
  secret: 'bench-secret-bench-secret-bench-secret-00',
  databaseUrl: database.url,
})
const loadBefore = loadavg()[0]
const samples = Object.fromEntries(Object.keys(ways).map((w) => [w, []]))
try {
  // The first start creates and migrates the database; every measured start finds it current.
  await measure(ways['npm start (bundle)'], env)
  for (let i = 0; i < runs; i++)
    for (const [way, argv] of i % 2 ? Object.entries(ways).reverse() : Object.entries(ways))
      samples[way].push(await measure(argv, env))
} finally {
  rmSync(dir, { recursive: true, force: true })
  await database.drop()
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const results = Object.entries(samples).map(([way, s]) => {
  const ready = s.map((x) => x.readyS)
  return {
    way,
    runs: s.length,
    readySeconds: { min: Math.min(...ready), median: median(ready), max: Math.max(...ready) },
    mainSecondsMedian: median(s.map((x) => x.mainS)),
    beforeMainSecondsMedian: median(s.map((x) => x.readyS - x.mainS)),
  }
})
const record = {
  date: new Date().toISOString(),
  database: database.label,
  node: process.version,
  cores: cpus().length,
  loadAverage: { before: loadBefore, after: loadavg()[0] },
  results,
}
if (args.json) process.stdout.write(`${JSON.stringify(record, null, 2)}\n`)
const f = (x) => x.toFixed(2).padStart(7)
process.stdout.write(
  `\nrestart to /readyz 200 on ${database.label} — ${runs} runs each, ${record.cores} cores, Node ${process.version}, load ${loadBefore.toFixed(2)} → ${record.loadAverage.after.toFixed(2)}\n`,
)
process.stdout.write(`${'way'.padEnd(22)}    min  median     max  (modules ≈ ready − main(), main())\n`)
for (const r of results) {
  const { min, median: m, max } = r.readySeconds
  process.stdout.write(
    `${r.way.padEnd(22)}${f(min)}${f(m)}${f(max)}  (${r.beforeMainSecondsMedian.toFixed(2)} + ${r.mainSecondsMedian.toFixed(2)})\n`,
  )
}
