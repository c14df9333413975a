// npm run bench:alerts — one alert to 50,000 seeded residents, 5,000 of them connected by WebSocket on
// loopback (each with its own session). Measures the time until every connected resident has the
// event (p50/p99/max), until every connected device has confirmed delivery, and until every Web Push
// for the other 45,000 has been accepted by the fake push service (RFC 8030/8291: each VAPID token
// verified once, every request's headers and body shape checked, a sample decrypted), which runs in
// its own node process (bench/lib/fake-push-process.ts) as a real one is elsewhere.
// Environment: BENCH_PORT, BENCH_RESIDENTS, BENCH_CONNECTED, BENCH_PUSH_WORKERS, BENCH_TIMEOUT_S,
// BENCH_PUSH_DECRYPT ("first/every", default 100/50, or "all"), DATABASE_URL (else PGlite).
// BENCH_PROFILE=1: CPU profiles of this process while the sockets connect
// (results/alerts-connect.cpuprofile), from the publish until every push is accepted
// (results/alerts-bench.cpuprofile), and of the push service process (results/push-service/*).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { sql } from 'drizzle-orm'
import { buildApp } from '../server/app'
import { loadConfig } from '../server/config'
import { openDatabase } from '../server/db/client'
import { migrateDatabase } from '../server/db/migrate'
import { queryRows } from '../server/db/query'
import { PgJobQueue } from '../server/jobs/pg-job-queue'
import { alertDeliverySettings } from '../server/modules/alerts/alert-delivery'
import { CSRF_COOKIE, SESSION_COOKIE } from '../server/modules/auth/session.cookies'
import { startSession } from '../server/modules/auth/session.service'
import { PushNotifier, vapidSubject } from '../server/modules/notifications/push-notifier'
import { InProcessEventBus } from '../server/realtime/event-bus'
import { LocalFileStorage } from '../server/storage/local-file-storage'
import { buildArea, buildCommander, buildProvince, buildWard } from '../server/test/factories/index'
import { withDatabase } from '../server/test/global-setup'
import { withAdminClient } from '../server/test/postgres-admin'
import { spawnFakePushService } from './lib/fake-push-process'

const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? 50_000)
const CONNECTED = Number(process.env.BENCH_CONNECTED ?? 5_000)
const AREAS = 50
// One queue, as one instance runs in production: the queue keeps several push batches in flight
// itself. More workers stand for more instances on the same database (on the embedded one, four
// queues with four batches each held its single connection and slowed the receipts 2.6 → 12.8 s).
const PUSH_WORKERS = Number(process.env.BENCH_PUSH_WORKERS ?? 1)
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 540) * 1000
const deadline = Date.now() + TIMEOUT_MS
const log = (...a: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a)
const pct = (xs: number[], p: number) =>
  xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN
const round = (n: number) => Math.round(n * 10) / 10

async function waitUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  stepMs = 50,
): Promise<boolean> {
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, stepMs))
  }
  log(`timed out waiting for ${what}`)
  return false
}

const dataDir = mkdtempSync(join(tmpdir(), 'nhipcau-bench-alerts-'))
// The embedded database of 50,000 residents is a few hundred MiB: never left behind, whatever the exit.
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }))
const PROFILE = process.env.BENCH_PROFILE === '1'
const resultsDir = new URL('./results/', import.meta.url)
mkdirSync(resultsDir, { recursive: true })
const push = await spawnFakePushService(
  PROFILE
    ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${new URL('push-service/', resultsDir).pathname}`] }
    : {},
)
const port = Number(process.env.BENCH_PORT ?? 3900 + Math.floor(Math.random() * 90))
const config = loadConfig({
  NODE_ENV: 'test',
  HOST: '127.0.0.1',
  PORT: String(port),
  DATA_DIR: dataDir,
  SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-00',
  LOG_LEVEL: 'silent',
  WEB_DIST_DIR: '/nonexistent',
  // The fake push service listens on this machine: named exactly, so its address is allowed.
  PUSH_ALLOWED_HOSTS: '127.0.0.1',
  ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
})
// On PostgreSQL the bench makes its own database and drops it at the end.
const benchDbName = `nhipcau_bench_${process.pid}`
let databaseUrl = config.DATABASE_URL
if (databaseUrl) {
  await withAdminClient(databaseUrl, (c) => c.query(`create database "${benchDbName}"`))
  databaseUrl = withDatabase(databaseUrl, benchDbName)
}
const database = await openDatabase({ databaseUrl, dataDir: join(dataDir, 'pg'), poolMax: 20 })
await migrateDatabase(database, databaseUrl)
const db = database.db
const jobs = new PgJobQueue(db, undefined, { pollMs: 50, batchSize: 50 })
mkdirSync(join(dataDir, 'files'), { recursive: true })
const app = await buildApp({
  config,
  database,
  bus: new InProcessEventBus(),
  jobs,
  storage: new LocalFileStorage(join(dataDir, 'files')),
})
await app.listen({ port, host: '127.0.0.1' })
log(`server on ${port}, database ${database.kind}`)

// Seed: one ward with 50 areas; residents spread over them; the first CONNECTED get sessions.
const province = await buildProvince(db)
const ward = await buildWard(db, { parent: province })
const areas = []
for (let i = 0; i < AREAS; i++) areas.push(await buildArea(db, { parent: ward }))
const commander = (await buildCommander(db, { unit: ward })).user
const t0Seed = Date.now()
const areaArray = sql.raw(`array[${areas.map((a) => `'${a.id}'::uuid`).join(',')}]`)
await db.execute(sql`insert into users (kind, display_name, phone, area_id)
  select 'resident', 'Cư dân ' || g, '+8490' || lpad(g::text, 7, '0'), (${areaArray})[1 + g % ${AREAS}]
  from generate_series(1, ${RESIDENTS}) g`)
const residents = await queryRows<{ id: string; area_id: string }>(
  db,
  sql`select id, area_id from users where kind = 'resident' and phone like '+8490%' order by phone`,
)
const online = residents.slice(0, CONNECTED)
const offline = residents.slice(CONNECTED)
const clients: { userId: string; areaId: string; cookie: string; csrf: string }[] = []
for (const r of online) {
  const s = await startSession(
    db,
    config,
    { id: r.id, kind: 'resident' },
    { ip: '127.0.0.1', userAgent: 'bench' },
  )
  clients.push({
    userId: r.id,
    areaId: r.area_id,
    cookie: `${SESSION_COOKIE}=${s.token}; ${CSRF_COOKIE}=${s.csrf}`,
    csrf: s.csrf,
  })
}
// Every resident who is not connected has allowed notifications on one device.
const subscriptions = await push.addDevices(offline.length)
const devices = offline.map((r, i) => ({ userId: r.id, ...subscriptions[i]! }))
for (let i = 0; i < devices.length; i += 1000) {
  const chunk = devices.slice(i, i + 1000)
  await db.execute(
    sql`insert into push_subscriptions (user_id, endpoint, p256dh, auth) values ${sql.join(
      chunk.map((d) => sql`(${d.userId}, ${d.endpoint}, ${d.keys.p256dh}, ${d.keys.auth})`),
      sql`, `,
    )}`,
  )
}
log(
  `seeded ${residents.length} residents, ${clients.length} sessions, ${devices.length} push devices in ${Date.now() - t0Seed} ms`,
)

// Extra queue workers (BENCH_PUSH_WORKERS): several app nodes share the job table.
const workers = [jobs]
const notifiers = [app.push]
for (let i = 1; i < PUSH_WORKERS; i++) {
  const q = new PgJobQueue(db, undefined, { pollMs: 50, batchSize: 50 })
  const notifier = new PushNotifier(db, q, vapidSubject(config.PUBLIC_URL), config.PUSH_ALLOWED_HOSTS)
  notifier.registerJobs()
  notifiers.push(notifier)
  workers.push(q)
}
for (const q of workers) q.start()

const wsWorker = new Worker(new URL('./alerts-ws-clients.mjs', import.meta.url), {
  workerData: {
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    clients,
    alertType: 'alert.published',
    concurrency: 250,
  },
})
wsWorker.on('error', (err) => {
  log('websocket worker failed', err)
  process.exit(2)
})
const fromWorker = (type: string) =>
  new Promise<Record<string, unknown>>((resolve) => {
    const on = (m: Record<string, unknown>) => {
      if (m.type === type) {
        wsWorker.off('message', on)
        resolve(m)
      }
    }
    wsWorker.on('message', on)
  })
const connectProfiler = PROFILE ? new Session() : undefined
if (connectProfiler) {
  connectProfiler.connect()
  await connectProfiler.post('Profiler.enable')
  await connectProfiler.post('Profiler.start')
}
const t0Connect = Date.now()
const ready = await fromWorker('ready')
if (connectProfiler) {
  const { profile } = await connectProfiler.post('Profiler.stop')
  writeFileSync(new URL('alerts-connect.cpuprofile', resultsDir), JSON.stringify(profile))
  connectProfiler.disconnect()
}
log(
  `${ready.connected} sockets connected and subscribed in ${Date.now() - t0Connect} ms (hub: ${app.hub.connectionCount})`,
)

// The alert: a commander publishes to the whole ward (within the threshold, so no approval step).
const s = await startSession(
  db,
  config,
  { id: commander.id, kind: 'staff' },
  { ip: '127.0.0.1', userAgent: 'bench' },
)
const headers = { cookie: `${SESSION_COOKIE}=${s.token}; ${CSRF_COOKIE}=${s.csrf}`, 'x-csrf-token': s.csrf }
const draft = await app.inject({
  method: 'POST',
  url: '/api/alerts',
  headers,
  payload: {
    kind: 'scam_warning',
    headline: 'Cảnh báo giả danh công an gọi điện',
    description: 'Benchmark',
    scope: { kind: 'unit' },
  },
})
const alertId = draft.json().id as string
const profiler = PROFILE ? new Session() : undefined
if (profiler) {
  profiler.connect()
  await profiler.post('Profiler.enable')
  await profiler.post('Profiler.start')
}
const t0 = performance.timeOrigin + performance.now()
const submitted = await app.inject({ method: 'POST', url: `/api/alerts/${alertId}/submit`, headers })
const submitMs = performance.timeOrigin + performance.now() - t0
log(
  `published: HTTP ${submitted.statusCode} in ${round(submitMs)} ms, targeted ${submitted.json().stats?.targeted}`,
)

const realtimeDone = await waitUntil(
  'every connected resident',
  async () => {
    const r = await new Promise<Record<string, unknown>>((resolve) => {
      void fromWorker('report').then(resolve)
      wsWorker.postMessage({ type: 'report' })
    })
    return (r.times as number[]).length >= clients.length
  },
  200,
)
const report = await new Promise<Record<string, unknown>>((resolve) => {
  void fromWorker('report').then(resolve)
  wsWorker.postMessage({ type: 'report' })
})
const latencies = (report.times as number[]).map((t) => t - t0).sort((a, b) => a - b)
log(
  `real time: ${latencies.length}/${clients.length}, p50 ${round(pct(latencies, 50))} ms, p99 ${round(pct(latencies, 99))} ms, max ${round(latencies.at(-1) ?? Number.NaN)} ms`,
)

let deliveredAt = Number.NaN
const receiptsDone = await waitUntil(
  'delivery receipts',
  async () => {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`select delivered_count::int as n from alerts where id = ${alertId}`,
    )
    if ((row?.n ?? 0) >= clients.length) deliveredAt = performance.timeOrigin + performance.now() - t0
    return (row?.n ?? 0) >= clients.length
  },
  100,
)
log(`delivery confirmed by every connected device after ${round(deliveredAt)} ms`)

let pushAt = Number.NaN
const pushDone = await waitUntil(
  'push acceptance',
  async () => {
    const { devices: reached } = await push.stats()
    if (reached >= devices.length) pushAt = performance.timeOrigin + performance.now() - t0
    return reached >= devices.length
  },
  100,
)
// Late duplicates (a retry after an accepted push) would come after the last device was reached.
await new Promise((r) => setTimeout(r, 2000))
if (profiler) {
  const { profile } = await profiler.post('Profiler.stop')
  writeFileSync(new URL('alerts-bench.cpuprofile', resultsDir), JSON.stringify(profile))
  profiler.disconnect()
  log('CPU profile of the publish → push phase in bench/results/alerts-bench.cpuprofile')
}
const pushStats = await push.stats()
const pushSpanS = ((pushStats.lastAt ?? 0) - (pushStats.firstAt ?? 0)) / 1000
const pushRate = pushSpanS > 0 ? Math.round(pushStats.accepted / pushSpanS) : Number.NaN
const senderOutcomes: Record<string, number> = {}
for (const n of notifiers)
  for (const [k, v] of Object.entries(n.stats)) senderOutcomes[k] = (senderOutcomes[k] ?? 0) + v
log(
  `web push: ${pushStats.devices}/${devices.length} devices reached after ${round(pushAt)} ms (grace ${alertDeliverySettings.pushGraceMs} ms); ${pushStats.accepted} accepted in ${round(pushSpanS)} s from first to last = ${pushRate}/s; duplicates ${pushStats.duplicates} (devices notified twice), replaced ${pushStats.replaced} (a second copy with the same Topic), errors ${pushStats.errors}; decrypted ${pushStats.decrypted} (${pushStats.decryptSample}), VAPID tokens verified ${pushStats.vapidTokensVerified}; push service saw ${pushStats.connections} connections for ${pushStats.requests} requests, at most ${pushStats.maxInFlight} in flight; sender outcomes ${JSON.stringify(senderOutcomes)}`,
)

const result = {
  at: new Date().toISOString(),
  machine: {
    nproc: cpus().length,
    cpu: cpus()[0]?.model,
    ramGiB: round(totalmem() / 2 ** 30),
    node: process.version,
    database: database.kind,
  },
  params: {
    residents: RESIDENTS,
    connected: CONNECTED,
    pushDevices: devices.length,
    areas: AREAS,
    pushWorkers: PUSH_WORKERS,
    pushGraceMs: alertDeliverySettings.pushGraceMs,
  },
  publishHttpMs: round(submitMs),
  realtime: {
    received: latencies.length,
    p50Ms: round(pct(latencies, 50)),
    p99Ms: round(pct(latencies, 99)),
    maxMs: round(latencies.at(-1) ?? Number.NaN),
    complete: realtimeDone,
  },
  deliveryReceipts: { allConfirmedMs: round(deliveredAt), complete: receiptsDone },
  webPush: {
    accepted: pushStats.accepted,
    devicesReached: pushStats.devices,
    duplicates: pushStats.duplicates,
    replaced: pushStats.replaced,
    decrypted: pushStats.decrypted,
    decryptSample: pushStats.decryptSample,
    vapidTokensVerified: pushStats.vapidTokensVerified,
    allAcceptedMs: round(pushAt),
    firstToLastS: round(pushSpanS),
    perSecond: pushRate,
    errors: pushStats.errors,
    connections: pushStats.connections,
    requests: pushStats.requests,
    maxInFlight: pushStats.maxInFlight,
    senderOutcomes,
    pushServiceProcess: 'separate node process (bench/lib/fake-push-process.ts)',
    complete: pushDone,
  },
}
writeFileSync(new URL('./results/alerts.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`)
log('results in bench/results/alerts.json')

// Cleanup must not keep the bench alive (running push jobs, open sockets): give it 15 s at most.
const exitCode = result.realtime.complete && result.webPush.complete ? 0 : 1
setTimeout(() => process.exit(exitCode), 15_000).unref()
wsWorker.postMessage({ type: 'close' })
await fromWorker('closed')
await wsWorker.terminate()
for (const q of workers) await q.stop()
await app.close()
await push.close()
await database.close()
if (config.DATABASE_URL)
  await withAdminClient(config.DATABASE_URL, (c) =>
    c.query(`drop database if exists "${benchDbName}" with (force)`),
  )
process.exit(exitCode)
