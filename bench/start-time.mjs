// bench:start-time — how long a restart takes to answer /readyz on a database that is already
// migrated: `npm start` as production runs it (scripts/start.mjs → the bundle in dist/server) against
// the TypeScript loaded through tsx (`node --import tsx server/main.ts`, how it started before).
// The server's own "ready in X s" line (main(): database, migrations, app, jobs, listen) splits each
// figure into module loading and the rest. Runs alternate between the ways, so load on a shared
// machine hits both alike. BENCH_DATABASE_URL: on PostgreSQL instead of the embedded PGlite.
//
//   npm run bench:start-time                 5 runs of each, a table on stdout (medians)
//   npm run bench:start-time -- --runs 9 --json
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ensureServerBuild } from '../scripts/lib/server-build.mjs'
import { benchDatabase } from './lib/bench-postgres.mjs'
import { benchServerEnv } from './lib/bench-server-env.mjs'
import { startUntilReady } from './lib/server-until-ready.mjs'

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, json: { type: 'boolean' } },
})
const runs = Number(args.runs)

const ways = {
  'npm start (bundle)': ['scripts/start.mjs'],
  'tsx server/main.ts': ['--import', 'tsx', 'server/main.ts'],
}

/** One start: seconds from spawn to /readyz 200, and the seconds main() says it took. */
async function measure(argv, env) {
  const { child, readyS, output, exited } = await startUntilReady(
    argv,
    { ...process.env, DOTENV_CONFIG_PATH: '/dev/null', SKIP_WEB_BUILD: '1', ...env },
    { pollMs: 25 },
  )
  child.kill('SIGTERM')
  await exited
  const mainS = Number(/is ready in ([\d.]+) s/.exec(output())?.[1] ?? Number.NaN)
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
