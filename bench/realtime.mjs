// bench:realtime — 5,000 WebSocket clients in one group plus 500 direct conversations, on loopback.
// Measures send→deliver latency (p50/p99) under steady load, delivered messages per second at
// saturation, and server memory per connection (RSS as connected, and RSS and heap after two full
// collections through the inspector); then runs the same load against a bare `ws` server
// (no database, no auth) as the ceiling. Results: bench/results/realtime.json (realtime-postgresql.json
// with BENCH_DATABASE_URL).
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { benchDatabase } from './lib/bench-postgres.mjs'
import { benchServerEnv } from './lib/bench-server-env.mjs'
import { memoryAfterGc } from './lib/heap-after-gc.mjs'
import { seedRealtimeWorld } from './lib/realtime-world-seed.mjs'

const RESIDENTS = Number(process.env.RESIDENTS ?? 5000)
const DIRECT = Number(process.env.DIRECT ?? 500)
const PORT = Number(process.env.BENCH_PORT ?? 3290)
const SECRET = 'bench-secret-bench-secret-bench-secret-00'
const dir = mkdtempSync(join(tmpdir(), 'nhipcau-bench-rt-'))
const worldFile = join(dir, 'world.json')
const children = new Set()
const log = (...args) => console.error('[bench:realtime]', ...args)

function run(cmd, args, env = {}) {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  children.add(child)
  child.on('exit', () => children.delete(child))
  return child
}
const exited = (child) => new Promise((resolve) => child.on('exit', (code) => resolve(code)))
const rssMiB = (pid) => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))
  return Math.round(Number(line.split(/\s+/)[1]) / 102.4) / 10
}
async function waitReady(url) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${url} not ready in 60 s`)
}

/** Runs the client process against a server and samples the server's RSS at each phase. */
async function drive(target, baseUrl, serverPid, inspectPort) {
  const rss = { idle: rssMiB(serverPid) }
  const afterGc = { idle: await memoryAfterGc(serverPid, inspectPort) }
  const clients = run(process.execPath, ['bench/lib/realtime-clients.mjs', target, baseUrl, worldFile])
  let result
  for await (const line of createInterface({ input: clients.stdout })) {
    const msg = JSON.parse(line)
    log(target, msg.phase, msg.phase === 'connected' ? `${msg.sockets} sockets in ${msg.seconds} s` : '')
    if (msg.phase === 'connected') {
      rss.connected = rssMiB(serverPid)
      // The clients wait a moment before the steady phase (realtime-clients.mjs): room for this.
      afterGc.connected = await memoryAfterGc(serverPid, inspectPort)
    }
    if (msg.phase === 'steady-done') rss.after_steady = rssMiB(serverPid)
    if (msg.phase === 'done') result = msg
  }
  if ((await exited(clients)) !== 0 && !result) throw new Error(`${target} clients failed`)
  rss.per_connection_kib = Math.round((((rss.connected - rss.idle) * 1024) / RESIDENTS) * 10) / 10
  const perConnection = (key) =>
    Math.round((((afterGc.connected[key] - afterGc.idle[key]) * 1024) / RESIDENTS) * 10) / 10
  afterGc.per_connection_kib = { rss: perConnection('rss_mib'), heap: perConnection('heap_used_mib') }
  return { ...result, server_rss_mib: rss, server_memory_after_gc: afterGc }
}

process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

const started = Date.now()
const loadAtStart = loadavg().map((n) => Math.round(n * 100) / 100)
const database = await benchDatabase('rt')
log(`seeding ${RESIDENTS} residents, ${DIRECT} direct conversations…`)
await seedRealtimeWorld(run, exited, {
  dir,
  worldFile,
  residents: RESIDENTS,
  direct: DIRECT,
  databaseUrl: database.url,
})

log(`starting NhipCau (${database.label})…`)
const server = run(
  process.execPath,
  [`--inspect=127.0.0.1:${PORT + 7}`, '--import', 'tsx', 'server/main.ts'],
  benchServerEnv({ dataDir: join(dir, 'data'), port: PORT, secret: SECRET, databaseUrl: database.url }),
)
await waitReady(`http://127.0.0.1:${PORT}/readyz`)
const nhipcau = await drive('nhipcau', `http://127.0.0.1:${PORT}`, server.pid, PORT + 7)
server.kill('SIGTERM')
await exited(server)

log('starting the bare ws ceiling…')
const bare = run(process.execPath, [`--inspect=127.0.0.1:${PORT + 8}`, 'bench/lib/bare-ws-server.mjs'], {
  PORT: String(PORT + 1),
})
await waitReady(`http://127.0.0.1:${PORT + 1}/`).catch(() => undefined)
const ceiling = await drive('bare', `http://127.0.0.1:${PORT + 1}`, bare.pid, PORT + 8)
bare.kill('SIGKILL')

const results = {
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model,
    memory_gib: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    load_average_start: loadAtStart,
    load_average_end: loadavg().map((n) => Math.round(n * 100) / 100),
  },
  setup: {
    residents_connected: RESIDENTS,
    group_members: RESIDENTS,
    direct_conversations: DIRECT,
    database: database.label,
  },
  nhipcau,
  bare_ws_ceiling: ceiling,
  throughput_vs_ceiling_percent:
    Math.round((nhipcau.saturation.delivered_per_second / ceiling.saturation.delivered_per_second) * 1000) /
    10,
  wall_seconds: Math.round((Date.now() - started) / 1000),
}
await database.drop()
mkdirSync('bench/results', { recursive: true })
writeFileSync(
  `bench/results/${database.engine === 'pglite' ? 'realtime' : 'realtime-postgresql'}.json`,
  `${JSON.stringify(results, null, 2)}\n`,
)
console.log(JSON.stringify(results, null, 2))
process.exit(0)
