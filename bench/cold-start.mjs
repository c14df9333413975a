// Cold start: from launching `npm start` (scripts/start.mjs) to /readyz answering 200 and / serving the
// Vietnamese page. Scenarios: a clean clone (web build + empty data folder), a first start with the web
// app already built, and a restart on an existing data folder. Embedded database (PGlite) only.
//
//   npm run bench:cold-start                 3 runs of each scenario, a table on stdout
//   npm run bench:cold-start -- --runs 5 --save   also writes bench/results/cold-start.json
import { execSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ensureWebBuild } from '../scripts/lib/web-build.mjs'
import { startUntilReady } from './lib/server-until-ready.mjs'

const root = resolve(import.meta.dirname, '..')
const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, save: { type: 'boolean' } },
})
const runs = Number(args.runs)

const peakRssMb = (pid) => {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/)
    return line ? Math.round(Number(line[1]) / 1024) : null
  } catch {
    return null
  }
}

/** One start: seconds to /readyz 200, seconds to the Vietnamese home page, peak memory. */
async function measure(env) {
  const { DATABASE_URL: _u, REDIS_URL: _r, ...base } = process.env
  const { child, port, started, readyS, exited } = await startUntilReady(['scripts/start.mjs'], {
    ...base,
    DOTENV_CONFIG_PATH: '/dev/null',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    ...env,
  })
  const page = await (await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: 'text/html' } })).text()
  const pageS = (performance.now() - started) / 1000
  if (!page.includes('lang="vi"')) throw new Error('/ did not serve the Vietnamese page')
  const rssMb = peakRssMb(child.pid)
  child.kill('SIGTERM')
  await exited
  return { readyS, pageS, rssMb }
}

const scenarios = [
  {
    name: 'clean clone: web build + empty data folder',
    env: (dir) => ({ DATA_DIR: join(dir, 'data'), WEB_DIST_DIR: join(dir, 'web') }),
  },
  { name: 'first start: empty data folder, web built', env: (dir) => ({ DATA_DIR: join(dir, 'data') }) },
  { name: 'restart: existing data folder', env: (dir) => ({ DATA_DIR: join(dir, 'data') }), reuse: true },
]

const load = loadavg()[0]
const cores = cpus().length
if (load > cores)
  process.stderr.write(`warning: load average ${load.toFixed(1)} on ${cores} cores; figures will be high\n`)
ensureWebBuild(join(root, 'dist', 'web'))

const results = []
for (const scenario of scenarios) {
  const samples = []
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'nhipcau-bench-'))
    try {
      // A restart needs a folder that was started (initdb, migrations, demo seed) and stopped once.
      if (scenario.reuse) await measure(scenario.env(dir))
      samples.push(await measure(scenario.env(dir)))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const sorted = (key) => samples.map((s) => s[key]).sort((a, b) => a - b)
  const median = (xs) => xs[Math.floor(xs.length / 2)]
  const ready = sorted('readyS')
  results.push({
    scenario: scenario.name,
    runs,
    readySeconds: { min: ready[0], median: median(ready), max: ready.at(-1) },
    pageSecondsMedian: median(sorted('pageS')),
    peakRssMbMedian: median(sorted('rssMb')),
  })
}

const f = (x) => x.toFixed(2).padStart(6)
process.stdout.write(
  `\ncold start to /readyz 200 — ${runs} runs, ${cores} cores, Node ${process.version}, load ${load.toFixed(1)}\n`,
)
process.stdout.write(`${'scenario'.padEnd(46)}   min  median    max   page  peak RSS\n`)
for (const r of results) {
  const { min, median, max } = r.readySeconds
  process.stdout.write(
    `${r.scenario.padEnd(46)}${f(min)}${f(median)}${f(max)}${f(r.pageSecondsMedian)}  ${String(r.peakRssMbMedian ?? '?').padStart(5)} MB\n`,
  )
}

if (args.save) {
  const commit = (() => {
    try {
      return execSync('git rev-parse --short HEAD', { cwd: root, encoding: 'utf8' }).trim()
    } catch {
      return null
    }
  })()
  const file = join(root, 'bench', 'results', 'cold-start.json')
  const record = {
    date: new Date().toISOString(),
    commit,
    node: process.version,
    cores,
    loadAverage: load,
    results,
  }
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`)
  process.stdout.write(`saved ${file}\n`)
}
