// bench:reconnect — a restart with N residents connected (default 5,000, each with their own
// session, in one group; the first DIRECT also in a direct conversation with their officer).
// The server is killed (SIGKILL) right after a burst of acknowledged messages and started again on
// the same database; while the clients reconnect, the officer keeps sending. Measures how long
// until every client is connected again, has its rooms granted, and holds every acknowledged
// message of its rooms (events or catch-up by cursor), and counts what is missing.
// Two end points are reported. "Resumed": the client is connected, its rooms are granted and its
// first catch-up asked after that answer has finished, so it holds everything acknowledged before
// the kill and gets what follows live (checked: a message acknowledged before the kill that came
// later than the resume counts in resume_gaps). "Caught up" (the earlier figure): it also holds every
// message the officer sends during the DURING_SECONDS after ready, so it cannot come before ready +
// DURING_SECONDS. At the end every client must hold every acknowledged message (missing) and no
// source may have delivered one twice (duplicates: the same id twice on one socket, or twice from
// the catch-ups by cursor; an event and a catch-up carrying the same message is expected).
// The server runs as production starts it: `node scripts/start.mjs`, i.e. the prebuilt bundle in
// dist/server (built here first), the web build skipped as the systemd unit does; BENCH_SERVER=tsx
// runs `node --import tsx server/main.ts` instead, as it started before the bundle (for comparison).
// The listening socket is held across the restart as the deployment's systemd socket unit holds it;
// BENCH_SOCKET=bound has the server bind the port itself (connections refused while it is down).
// `--save` writes bench/results/reconnect.json. BENCH_PROFILE=1: a CPU profile of the restarted
// server, from its start to the end of the run (bench/results/reconnect-server/*.cpuprofile).
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { holdListeningSocket } from '../scripts/lib/held-socket.mjs'
import { ensureServerBuild } from '../scripts/lib/server-build.mjs'
import { benchDatabase } from './lib/bench-postgres.mjs'
import { benchServerEnv } from './lib/bench-server-env.mjs'
import { seedRealtimeWorld } from './lib/realtime-world-seed.mjs'
import { ReconnectingClient } from './lib/reconnecting-client.mjs'

const RESIDENTS = Number(process.env.RESIDENTS ?? 5000)
const DIRECT = Number(process.env.DIRECT ?? 500)
const PORT = Number(process.env.BENCH_PORT ?? 4310)
/** Messages acknowledged just before the kill (group, then one per direct conversation in turn). */
const BEFORE_KILL = Number(process.env.BEFORE_KILL ?? 10)
/** After the restart, the officer sends this long: group messages/s and direct messages/s. */
const DURING_SECONDS = Number(process.env.DURING_SECONDS ?? 5)
const GROUP_RATE = Number(process.env.GROUP_RATE ?? 2)
const DIRECT_RATE = Number(process.env.DIRECT_RATE ?? 10)
const TIMEOUT_SECONDS = Number(process.env.TIMEOUT_SECONDS ?? 180)
const SAVE = process.argv.includes('--save')
const SECRET = 'bench-secret-bench-secret-bench-secret-00'
const baseUrl = `http://127.0.0.1:${PORT}`
const dir = mkdtempSync(join(tmpdir(), 'nhipcau-bench-reconnect-'))
const worldFile = join(dir, 'world.json')
const children = new Set()
const log = (...args) => console.error('[bench:reconnect]', ...args)
const now = () => performance.now()
const seconds = (ms) => Math.round(ms / 100) / 10
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

function run(cmd, args, env = {}) {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] })
  children.add(child)
  child.on('exit', () => children.delete(child))
  return child
}
const exited = (child) =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.on('exit', r))
/** CPU seconds a process has used (user and system), from /proc. */
const cpuSecondsOf = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}
const rssMiB = (pid) => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))
  return Math.round(Number(line.split(/\s+/)[1]) / 102.4) / 10
}
async function waitReady() {
  for (let i = 0; i < 3600; i++) {
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) return
    } catch {}
    await sleep(50)
  }
  throw new Error('server not ready in 180 s')
}
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

const PROFILE_DIR = 'bench/results/reconnect-server'
const THROUGH_TSX = process.env.BENCH_SERVER === 'tsx'
/**
 * held (the default): the listening socket is held across the restart, as the systemd socket unit
 * of the deployment holds it (deploy/systemd/nhipcau.socket), so connections made while the server
 * is down wait in the kernel's queue. bound: the server binds the port itself, as without the unit,
 * and every connection made while it is down is refused and retried.
 */
const SOCKET = process.env.BENCH_SOCKET ?? 'held'
if (!['held', 'bound'].includes(SOCKET)) throw new Error(`BENCH_SOCKET=${SOCKET}: expected held or bound`)
const held = SOCKET === 'held' ? await holdListeningSocket({ port: PORT }) : undefined
/** Starts the server; its handle: pid, kill(signal) and the promise of its exit. */
async function startServer(profile = false) {
  const argv = [
    ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []),
    ...(THROUGH_TSX ? ['--import', 'tsx', 'server/main.ts'] : ['scripts/start.mjs']),
  ]
  const env = {
    ...benchServerEnv({ dataDir: join(dir, 'data'), port: PORT, secret: SECRET, databaseUrl: database.url }),
    SKIP_WEB_BUILD: '1',
  }
  if (held) return held.start([process.execPath, ...argv], { env: { ...process.env, ...env } })
  const child = run(process.execPath, argv, env)
  return { pid: child.pid, kill: (signal) => child.kill(signal), exited: exited(child) }
}

const started = Date.now()
if (!(await ensureServerBuild())) throw new Error('the server bundle could not be built')
const database = await benchDatabase('reconnect')
const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100)
log(`seeding ${RESIDENTS} residents (a session each), ${DIRECT} direct conversations…`)
await seedRealtimeWorld(run, exited, {
  dir,
  worldFile,
  residents: RESIDENTS,
  direct: DIRECT,
  databaseUrl: database.url,
})
const world = JSON.parse(readFileSync(worldFile, 'utf8'))

log(`starting NhipCau (${database.label})…`)
let server = await startServer()
await waitReady()
const rssIdle = rssMiB(server.pid)

// Every client, with its rooms.
const clients = world.residents.map((r, i) => {
  const rooms = [`group:${world.groupId}`]
  if (world.direct[i]) rooms.push(`conversation:${world.direct[i].conversationId}`)
  return new ReconnectingClient({ baseUrl, token: r.token, rooms, now })
})

const t0 = now()
for (let i = 0; i < clients.length; i += 200)
  await Promise.all(clients.slice(i, i + 200).map((c) => c.start()))
while (clients.some((c) => !c.subscribedAt)) await sleep(50)
const firstConnectSeconds = seconds(now() - t0)
await sleep(1000)
const rssConnected = rssMiB(server.pid)
log(`${clients.length} clients connected and subscribed in ${firstConnectSeconds} s`)

/** Acknowledged messages: id → the conversation (every client has the group's; one client a direct one's). */
const acknowledged = new Map()
const officerHeaders = {
  'content-type': 'application/json',
  cookie: `nhipcau_session=${world.officer.token}; nhipcau_csrf=${world.officer.csrf}`,
  'x-csrf-token': world.officer.csrf,
}
let sendErrors = 0
/** Sends one message; retried with the same clientKey until acknowledged or `until` passes. */
async function send(conversationId, until = Number.POSITIVE_INFINITY) {
  const body = JSON.stringify({ clientKey: randomUUID(), body: `reconnect|${Date.now()}` })
  for (;;) {
    try {
      const res = await fetch(`${baseUrl}/api/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers: officerHeaders,
        body,
      })
      if (res.status === 200 || res.status === 201) {
        acknowledged.set((await res.json()).message.id, conversationId)
        return
      }
      await res.arrayBuffer()
    } catch {}
    sendErrors++
    if (now() > until) return
    await sleep(100)
  }
}
let directTurn = 0
const nextDirect = () => world.direct[directTurn++ % world.direct.length].conversationId

// A burst acknowledged just before the kill: their events may never have left the old process.
const burst = []
for (let i = 0; i < BEFORE_KILL; i++) {
  burst.push(send(world.groupConversationId))
  if (world.direct.length) burst.push(send(nextDirect()))
}
await Promise.all(burst)
const acknowledgedBeforeKill = new Set(acknowledged.keys())
for (const c of clients) {
  c.subscribedAt = 0
  c.resumedAt = 0
}
const syncRequestsBeforeKill = clients.reduce((n, c) => n + c.syncRequests, 0)
const attemptsBeforeKill = clients.reduce((n, c) => n + c.attempts, 0)
const syncAnswersBeforeKill = clients.reduce((n, c) => n + c.syncAnswers, 0)
const killedAt = now()
const benchCpuAtKill = process.cpuUsage()
server.kill('SIGKILL')
await server.exited
log('killed; starting again on the same database…')
server = await startServer(process.env.BENCH_PROFILE === '1')
await waitReady()
const readyAt = now()
log(
  `ready again after ${seconds(readyAt - killedAt)} s; sending for ${DURING_SECONDS} s while clients return…`,
)

// While the clients come back: group and direct messages at a steady rate.
const during = []
const sendUntil = readyAt + DURING_SECONDS * 1000
let groupSent = 0
let directSent = 0
while (now() < sendUntil) {
  const elapsed = (now() - readyAt) / 1000
  while (groupSent < elapsed * GROUP_RATE) {
    groupSent++
    during.push(send(world.groupConversationId, sendUntil + 10_000))
  }
  while (world.direct.length && directSent < elapsed * DIRECT_RATE) {
    directSent++
    during.push(send(nextDirect(), sendUntil + 10_000))
  }
  await sleep(20)
}
await Promise.all(during)
const sendsDoneAt = now()

const expectedOf = (i) => {
  const mine = world.direct[i]?.conversationId
  const ids = []
  for (const [id, conversationId] of acknowledged)
    if (conversationId === world.groupConversationId || conversationId === mine) ids.push(id)
  return ids
}
const expected = clients.map((_, i) => expectedOf(i))
const missingOf = (c, i) => expected[i].filter((id) => !c.messages.has(id)).length
const deadline = now() + TIMEOUT_SECONDS * 1000
while (now() < deadline) {
  if (clients.every((c, i) => c.isOpen && c.subscribedAt && missingOf(c, i) === 0)) break
  await sleep(100)
}
// Who worked for the restart, from the kill until every client settled: the new server from its
// start, and this process (the 5,000 clients), on the same cores as the database.
const settledAt = now()
const serverCpu = cpuSecondsOf(server.pid)
const benchCpu = process.cpuUsage(benchCpuAtKill)
// A message is missing only from a client that is back, subscribed and done catching up: one still
// on its way back at the timeout has not missed anything yet, it is counted as not back.
const settled = (c) => c.isOpen && c.subscribedAt && !c.catchingUp
const missing = clients.reduce((n, c, i) => n + (settled(c) ? missingOf(c, i) : 0), 0)
const unsettled = clients.filter((c) => !settled(c))
const notSettled = unsettled.length
// Where the clients that had not settled were at the timeout (a hang shows here, not as missing).
const notSettledBreakdown = {
  socket_not_open: unsettled.filter((c) => !c.isOpen).length,
  rooms_not_granted_since_kill: unsettled.filter((c) => c.isOpen && !(c.subscribedAt > killedAt)).length,
  catch_up_still_running: unsettled.filter((c) => c.isOpen && c.catchingUp).length,
}
const back = clients.filter((c) => c.subscribedAt).length
const caughtUpAt = (c, i) =>
  Math.max(c.subscribedAt, ...expected[i].map((id) => c.messages.get(id) ?? Infinity))
const maxOf = (xs) => xs.reduce((a, b) => Math.max(a, b), 0)
const percentile = (xs, p) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}
const resubscribed = clients.map((c) => c.subscribedAt - killedAt)
const resumed = clients.map((c) => (c.resumedAt ? c.resumedAt - killedAt : Infinity))
/** Messages acknowledged before the kill that a client had only after its resume: should be 0. */
const resumeGaps = clients.reduce(
  (n, c, i) =>
    n +
    expected[i].filter((id) => acknowledgedBeforeKill.has(id) && !(c.messages.get(id) <= c.resumedAt)).length,
  0,
)
const duplicates = clients.reduce((n, c) => n + c.duplicates, 0)
const caughtUp = clients.map((c, i) => caughtUpAt(c, i) - killedAt)
const rssAfter = rssMiB(server.pid)

const results = {
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model,
    memory_gib: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    load_average_before: loadBefore,
    load_average_after: loadavg().map((x) => Math.round(x * 100) / 100),
    // Linux's cap on a listening socket's queue: a held socket's waiting reconnects beyond it are dropped.
    somaxconn: Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8')),
    note: 'shared machine: other sessions run builds and tests at the same time',
  },
  setup: {
    database: database.label,
    server: THROUGH_TSX
      ? 'node --import tsx server/main.ts'
      : 'node scripts/start.mjs (the bundle in dist/server)',
    socket:
      SOCKET === 'held'
        ? 'held across the restart (as the systemd socket unit holds it)'
        : 'bound by the server (refused while it is down)',
    residents_connected: RESIDENTS,
    rooms_per_client: DIRECT ? '1 group, plus 1 direct conversation for the first DIRECT' : '1 group',
    direct_conversations: DIRECT,
    acknowledged_before_kill: BEFORE_KILL * (world.direct.length ? 2 : 1),
    sending_after_restart: {
      seconds: DURING_SECONDS,
      group_per_second: GROUP_RATE,
      direct_per_second: DIRECT_RATE,
    },
    client:
      'backoff 0.5 s doubling, at most 1 s apart for 15 s after the drop then at most 5 s, equal jitter; resubscribe on open, catch up by cursor once the rooms are granted, a failed catch-up retried (1 s doubling to 5 s)',
  },
  first_connect_seconds: firstConnectSeconds,
  restart: {
    server_ready_after_kill_seconds: seconds(readyAt - killedAt),
    all_reconnected_and_resubscribed_seconds: back === clients.length ? seconds(maxOf(resubscribed)) : null,
    resubscribed_p50_seconds: seconds(percentile(resubscribed, 50)),
    // Back, rooms granted, and the first catch-up after that done (everything before the kill held).
    all_resumed_seconds: back === clients.length && resumeGaps === 0 ? seconds(maxOf(resumed)) : null,
    resumed_p50_seconds: seconds(percentile(resumed, 50)),
    resume_gaps: resumeGaps,
    duplicates,
    // Also every message sent during DURING_SECONDS after ready (≥ ready + DURING_SECONDS).
    all_caught_up_seconds: missing === 0 && notSettled === 0 ? seconds(maxOf(caughtUp)) : null,
    caught_up_p50_seconds: missing === 0 && notSettled === 0 ? seconds(percentile(caughtUp, 50)) : null,
    last_send_acknowledged_after_kill_seconds: seconds(sendsDoneAt - killedAt),
    clients_back: back,
    // Sockets the clients opened or tried after the kill: one each when none was refused.
    connect_attempts_after_kill: clients.reduce((n, c) => n + c.attempts, 0) - attemptsBeforeKill,
    messages_acknowledged: acknowledged.size,
    deliveries_expected: expected.reduce((n, ids) => n + ids.length, 0),
    missing,
    not_back_or_catching_up_at_timeout: notSettled,
    ...(notSettled ? { not_settled_at_timeout: notSettledBreakdown } : {}),
    send_retries: sendErrors,
    // Over the whole run: each client's first cursor and first catch-up, then those after the kill.
    sync_requests: clients.reduce((n, c) => n + c.syncRequests, 0),
    sync_requests_after_kill: clients.reduce((n, c) => n + c.syncRequests, 0) - syncRequestsBeforeKill,
    // Catch-ups carried by `subscribed` answers (the subscribe gave the cursor): no request each.
    catch_ups_in_subscribed_after_kill:
      clients.reduce((n, c) => n + c.syncAnswers, 0) - syncAnswersBeforeKill,
    sync_failures: Object.fromEntries(
      clients
        .flatMap((c) => [...c.syncFailures])
        .reduce((m, [reason, n]) => m.set(reason, (m.get(reason) ?? 0) + n), new Map()),
    ),
  },
  server_rss_mib: {
    idle: rssIdle,
    connected: rssConnected,
    per_connection_kib: Math.round((((rssConnected - rssIdle) * 1024) / RESIDENTS) * 10) / 10,
    after_restart_and_reconnect: rssAfter,
  },
  cpu_seconds_kill_to_settled: {
    wall: seconds(settledAt - killedAt),
    server: Math.round(serverCpu * 10) / 10,
    clients: Math.round((benchCpu.user + benchCpu.system) / 1e5) / 10,
  },
  wall_seconds: Math.round((Date.now() - started) / 1000),
}
for (const c of clients) c.stop()
server.kill('SIGTERM')
await server.exited
await held?.close()
await database.drop()
if (SAVE) {
  mkdirSync('bench/results', { recursive: true })
  const file = database.engine === 'pglite' ? 'reconnect' : 'reconnect-postgresql'
  writeFileSync(`bench/results/${file}.json`, `${JSON.stringify(results, null, 2)}\n`)
}
console.log(JSON.stringify(results, null, 2))
process.exit(missing === 0 && notSettled === 0 && resumeGaps === 0 && duplicates === 0 ? 0 : 1)
