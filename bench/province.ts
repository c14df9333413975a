// npm run bench:province — a province-wide alert on the production shape: PostgreSQL, two app
// instances (separate node processes, `server/main.ts` as `npm start` runs it) sharing one database
// and one Redis, a fake push service in its own process. 500,000 residents in 126 commune-level units
// (51 phường with tổ dân phố, 75 xã with thôn: Hà Nội after the 2025 reform); 20,000 of them connected
// by WebSocket, half to each instance, from two client processes; 50,000 of the others with a push
// subscription. A province commander publishes through the HTTP API of instance A. Reports the
// publish request, online delivery (p50/p99/max, every connected resident once), delivery receipts,
// Web Push (accepted, rate, duplicates), each instance's RSS and CPU, and the load average; then the
// ceilings on the same machine (a bare `ws` fan-out to the same sockets, the push sender alone).
// Environment: BENCH_RESIDENTS, BENCH_CONNECTED, BENCH_UNITS, BENCH_WARDS, BENCH_AREAS_PER_UNIT,
// BENCH_PUSH_DEVICES, BENCH_PUSH_CEILING, BENCH_CEILING (0: skip), BENCH_PORT (A; B is +1, the
// ceiling's servers +2 and +3), BENCH_TIMEOUT_S, BENCH_STALL_S, BENCH_PUSH_DECRYPT (the fake push
// service's sample: "first/every", default 100/50, or "all"), DATABASE_URL or BENCH_DATABASE_URL
// (default postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL (default redis://127.0.0.1:6379).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { queryRows } from '../server/db/query'
import { ALERT_PUSH_QUEUE, alertDeliverySettings } from '../server/modules/alerts/alert-delivery'
import { PUSH_QUEUE } from '../server/modules/notifications/push-notifier'
import { spawnFakePushService } from './lib/fake-push-process'
import { cpuSeconds, fdSoftLimit, rssMiB, stopProcess } from './lib/processes'
import { ceilingProcesses, runCeilings } from './lib/province-ceiling'
import { type ClientProcess, type Instance, startClients, startInstance } from './lib/province-cluster'
import { insertPushSubscriptions, type SessionClient, seedProvince } from './lib/province-seed'
import { openScratchDatabase } from './lib/scratch-database'

const env = process.env
const RESIDENTS = Number(env.BENCH_RESIDENTS ?? 500_000)
const CONNECTED = Math.min(RESIDENTS, Number(env.BENCH_CONNECTED ?? 20_000))
/** One resident in ten has a push subscription (50,000 of 500,000): see bench/README.md for why. */
const PUSH_DEVICES = Math.min(
  RESIDENTS - CONNECTED,
  Number(env.BENCH_PUSH_DEVICES ?? Math.round(RESIDENTS / 10)),
)
const SIZE = {
  residents: RESIDENTS,
  units: Number(env.BENCH_UNITS ?? 126),
  wards: Number(env.BENCH_WARDS ?? 51),
  areasPerUnit: Number(env.BENCH_AREAS_PER_UNIT ?? 40),
  connected: CONNECTED,
  pushDevices: PUSH_DEVICES,
}
const PORT = Number(env.BENCH_PORT ?? 4140)
const TIMEOUT_MS = Number(env.BENCH_TIMEOUT_S ?? 1800) * 1000
const STALL_MS = Number(env.BENCH_STALL_S ?? 180) * 1000
const CEILING = env.BENCH_CEILING !== '0'
const PUSH_CEILING = Number(env.BENCH_PUSH_CEILING ?? 5000)
env.DATABASE_URL ||= env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'
const REDIS_URL = env.REDIS_URL || 'redis://127.0.0.1:6379'
const SECRET = 'bench-province-secret-bench-province-secret'
const METRICS_TOKEN = 'bench-province-metrics-token-000000000000'

const startedAt = Date.now()
const deadline = startedAt + TIMEOUT_MS
const log = (...a: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a)
const round = (n: number) => Math.round(n * 10) / 10
const now = () => performance.timeOrigin + performance.now()
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const pct = (xs: number[], p: number) =>
  xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN
const load = () => loadavg().map((x) => Math.round(x * 100) / 100)

/**
 * Polls `progress` until it reaches `target`. Gives up at the run's deadline, or when nothing has
 * moved for STALL_MS (a lost event or receipt would otherwise hold the run until the deadline).
 */
async function waitUntil(what: string, target: number, progress: () => Promise<number>, stepMs = 250) {
  let last = -1
  let movedAt = Date.now()
  while (Date.now() < deadline) {
    const n = await progress()
    if (n >= target) return true
    if (n !== last) [last, movedAt] = [n, Date.now()]
    else if (Date.now() - movedAt > STALL_MS) {
      log(`gave up waiting for ${what}: ${n} of ${target}, nothing moved for ${STALL_MS / 1000} s`)
      return false
    }
    await sleep(stepMs)
  }
  log(`timed out waiting for ${what}`)
  return false
}

// What the run has found so far: written as it is when the run ends, timed out or not.
const result: Record<string, unknown> & { notes: string[] } = {
  at: new Date().toISOString(),
  complete: false,
  machine: {
    nproc: cpus().length,
    cpu: cpus()[0]?.model,
    ramGiB: round(totalmem() / 2 ** 30),
    node: process.version,
    fdLimit: fdSoftLimit(),
  },
  load: { start: load() },
  params: { ...SIZE, pushGraceMs: alertDeliverySettings.pushGraceMs, timeoutS: TIMEOUT_MS / 1000 },
  notes: [],
}
function save() {
  ;(result.load as Record<string, unknown>).end = load()
  result.wallS = round((Date.now() - startedAt) / 1000)
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true })
  writeFileSync(new URL('./results/province.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`)
  log('results in bench/results/province.json')
}

const dir = mkdtempSync(join(tmpdir(), 'nhipcau-bench-province-'))
const scratch = await openScratchDatabase('province', { poolMax: 8 })
if (scratch.engine !== 'postgresql' || !scratch.url) throw new Error('bench:province needs PostgreSQL')
const db = scratch.db
const instances: Instance[] = []
const clientProcs: ClientProcess[] = []
let push: Awaited<ReturnType<typeof spawnFakePushService>> | undefined
const pids = () => ({
  a: instances[0]?.child.pid,
  b: instances[1]?.child.pid,
  clientsA: clientProcs[0]?.child.pid,
  clientsB: clientProcs[1]?.child.pid,
  push: push?.pid,
})
/** RSS of both instances now, and the highest seen by the sampler. */
const peak = { a: 0, b: 0 }
const sampler = setInterval(() => {
  peak.a = Math.max(peak.a, rssMiB(instances[0]?.child.pid) || 0)
  peak.b = Math.max(peak.b, rssMiB(instances[1]?.child.pid) || 0)
}, 250)
const rssNow = () => ({ a: rssMiB(instances[0]?.child.pid), b: rssMiB(instances[1]?.child.pid) })
const cpuNow = () => Object.fromEntries(Object.entries(pids()).map(([k, pid]) => [k, cpuSeconds(pid)]))

async function cleanup() {
  clearInterval(sampler)
  for (const c of clientProcs) await c.close().catch(() => undefined)
  await Promise.all(instances.map((i) => stopProcess(i.child)))
  await Promise.race([push?.close().catch(() => undefined), sleep(5000)])
  await scratch.drop().catch((err) => log('could not drop the scratch database', err))
  rmSync(dir, { recursive: true, force: true })
}
// Whatever way the bench ends, no server or client process of its own outlives it.
process.on('exit', () => {
  const own = [...instances.map((i) => i.child), ...clientProcs.map((c) => c.child), ...ceilingProcesses]
  for (const c of own) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
})
process.once('SIGINT', () => {
  result.notes.push('interrupted (SIGINT)')
  save()
  void cleanup().finally(() => process.exit(130))
})

try {
  await run()
} catch (err) {
  result.error = String((err as Error)?.stack ?? err)
  log('failed:', err)
  for (const i of instances) log(`instance ${i.name} log tail:\n${i.logTail()}`)
}
save()
// Cleanup must not keep the bench alive (a child that does not answer): a minute at most.
setTimeout(() => process.exit(2), 60_000).unref()
await cleanup()
process.exit(result.complete ? 0 : 1)

async function run() {
  const [pg] = await queryRows<{ v: string }>(db, sql`select version() as v`)
  ;(result.machine as Record<string, unknown>).postgres = pg?.v.split(' on ')[0]
  log(`load average ${load().join(' ')} on ${cpus().length} cores; ${pg?.v.split(' on ')[0]}`)

  // ── Seed ────────────────────────────────────────────────────────────────────────────────────
  const t0Seed = Date.now()
  const seeded = await seedProvince(db, SIZE, SECRET)
  push = await spawnFakePushService()
  const t0Devices = Date.now()
  const devices = await push.addDevices(seeded.pushUserIds.length)
  await insertPushSubscriptions(db, seeded.pushUserIds, devices)
  const devicesMs = Date.now() - t0Devices
  result.seed = {
    units: seeded.units,
    areas: seeded.areas,
    residents: RESIDENTS,
    sessions: seeded.clients.length,
    pushDevices: devices.length,
    ...seeded.timings,
    pushDevicesMs: devicesMs,
    totalMs: Date.now() - t0Seed,
  }
  log(
    `seeded 1 province, ${seeded.units} units, ${seeded.areas} areas, ${RESIDENTS} residents (${seeded.timings.residentsMs} ms), ${seeded.clients.length} sessions, ${devices.length} push devices in ${Date.now() - t0Seed} ms total`,
  )

  // ── Two instances, one database, one Redis ─────────────────────────────────────────────────
  const perInstance = Math.ceil(CONNECTED / 2)
  const instanceEnv = {
    DATABASE_URL: scratch.url!,
    REDIS_URL,
    SESSION_SECRET: SECRET,
    PUBLIC_URL: `http://127.0.0.1:${PORT}`,
    PUSH_ALLOWED_HOSTS: '127.0.0.1',
    METRICS_TOKEN,
  }
  for (const [name, port] of [
    ['a', PORT],
    ['b', PORT + 1],
  ] as const)
    instances.push(startInstance(name, port, dir, instanceEnv, perInstance + 1024))
  for (const i of instances)
    if (!(await i.ready(deadline))) throw new Error(`instance ${i.name} not ready:\n${i.logTail()}`)
  await sleep(2000) // start-up work (scheduled jobs, VAPID keys) settles before the idle figure
  const rssIdle = rssNow()
  log(`instances ready on ${PORT} and ${PORT + 1}; RSS ${rssIdle.a} / ${rssIdle.b} MiB`)

  // ── 20,000 residents connect, half to each instance ────────────────────────────────────────
  const halves: SessionClient[][] = [[], []]
  seeded.clients.forEach((c, i) => {
    halves[i % 2]!.push(c)
  })
  for (let i = 0; i < 2; i++) clientProcs.push(await startClients(halves[i]!.length + 1024))
  const t0Connect = Date.now()
  const ready = await Promise.all(
    clientProcs.map((c, i) =>
      c.ask<{ connected: number; failed: number }>(
        {
          type: 'start',
          wsUrl: `ws://127.0.0.1:${instances[i]!.port}/ws`,
          httpUrl: instances[i]!.base,
          clients: halves[i],
          eventType: 'alert.published',
          receipts: true,
          concurrency: 200,
        },
        'ready',
      ),
    ),
  )
  const connectMs = Date.now() - t0Connect
  const metricsConnected = await Promise.all(instances.map((i) => i.metrics()))
  const rssConnected = rssNow()
  result.connect = {
    ms: connectMs,
    connected: ready.reduce((n, r) => n + r.connected, 0),
    failed: ready.reduce((n, r) => n + r.failed, 0),
    socketsOnA: metricsConnected[0]?.nhipcau_websocket_connections,
    socketsOnB: metricsConnected[1]?.nhipcau_websocket_connections,
  }
  log(
    `${ready[0]!.connected} + ${ready[1]!.connected} sockets subscribed in ${connectMs} ms (${ready[0]!.failed + ready[1]!.failed} failed); RSS ${rssConnected.a} / ${rssConnected.b} MiB`,
  )
  if (Date.now() > deadline) throw new Error('timed out before publishing')

  // ── The province commander publishes on instance A ─────────────────────────────────────────
  const headers = { cookie: seeded.commander.cookie, 'x-csrf-token': seeded.commander.csrf }
  const post = (path: string, body?: unknown) =>
    fetch(`${instances[0]!.base}${path}`, {
      method: 'POST',
      ...(body === undefined
        ? { headers }
        : { headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    })
  const draft = await post('/api/alerts', {
    kind: 'scam_warning',
    headline: 'Cảnh báo toàn thành phố: giả danh công an gọi điện yêu cầu chuyển tiền',
    description: 'Benchmark: cảnh báo gửi toàn thành phố.',
    scope: { kind: 'province' },
  })
  if (draft.status !== 201 && draft.status !== 200)
    throw new Error(`create draft: HTTP ${draft.status} ${await draft.text()}`)
  const alertId = ((await draft.json()) as { id: string }).id
  const cpuBefore = cpuNow()
  const t0 = now()
  const submitted = await post(`/api/alerts/${alertId}/submit`)
  const publishMs = now() - t0
  const view = (await submitted.json()) as { state?: string; stats?: { targeted?: number }; detail?: string }
  result.publish = {
    httpStatus: submitted.status,
    httpMs: round(publishMs),
    state: view.state,
    targeted: view.stats?.targeted,
  }
  log(
    `published: HTTP ${submitted.status} in ${round(publishMs)} ms, state ${view.state}, targeted ${view.stats?.targeted}`,
  )
  if (view.state !== 'active')
    throw new Error(`the alert is ${view.state}, not active: ${JSON.stringify(view)}`)

  // ── Online delivery: every connected resident, once ────────────────────────────────────────
  type Count = { received: number; duplicates: number; receiptsSent: number }
  const counts = () => Promise.all(clientProcs.map((c) => c.ask<Count>({ type: 'count' }, 'count')))
  const onlineDone = await waitUntil('every connected resident', CONNECTED, async () =>
    (await counts()).reduce((n, x) => n + x.received, 0),
  )
  type Report = {
    times: number[]
    missing: number
    duplicates: number
    otherEvents: number
    unexpectedCloses: number
    receiptsSent: number
  }
  const reports = () => Promise.all(clientProcs.map((c) => c.ask<Report>({ type: 'report' }, 'report')))
  const first = await reports()
  const latencies = first.flatMap((r) => r.times.map((t) => t - t0)).sort((a, b) => a - b)
  const online = {
    expected: CONNECTED,
    received: latencies.length,
    missing: first.reduce((n, r) => n + r.missing, 0),
    duplicates: first.reduce((n, r) => n + r.duplicates, 0),
    receivedOnA: first[0]!.times.length,
    receivedOnB: first[1]!.times.length,
    p50Ms: round(pct(latencies, 50)),
    p99Ms: round(pct(latencies, 99)),
    maxMs: round(latencies.at(-1) ?? Number.NaN),
    complete: onlineDone,
  }
  result.online = online
  log(
    `online: ${online.received}/${CONNECTED} (A ${online.receivedOnA}, B ${online.receivedOnB}), p50 ${online.p50Ms} ms, p99 ${online.p99Ms} ms, max ${online.maxMs} ms; duplicates ${online.duplicates}`,
  )

  // ── Receipts counted on the alert ──────────────────────────────────────────────────────────
  let receiptsAt = Number.NaN
  const counted = async () => {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`select delivered_count::int as n from alerts where id = ${alertId}`,
    )
    return row?.n ?? 0
  }
  const receiptsDone = await waitUntil('delivery receipts', CONNECTED, async () => {
    const n = await counted()
    if (n >= CONNECTED) receiptsAt = now() - t0
    return n
  })
  const sent = await counts()
  result.receipts = {
    counted: await counted(),
    allCountedMs: round(receiptsAt),
    sentOnSockets: sent.reduce((n, x) => n + x.receiptsSent, 0),
    complete: receiptsDone,
  }
  log(
    `receipts: ${(result.receipts as { counted: number }).counted}/${CONNECTED} counted after ${round(receiptsAt)} ms`,
  )

  // ── Web Push to the offline residents with a device ────────────────────────────────────────
  let pushAt = Number.NaN
  const pushDone = await waitUntil('push acceptance', devices.length, async () => {
    const { devices: reached } = await push!.stats()
    if (reached >= devices.length) pushAt = now() - t0
    return reached
  })
  await sleep(2000) // a late duplicate (a retry after an accepted push) would come after the last device
  const stats = await push!.stats()
  const spanS = ((stats.lastAt ?? 0) - (stats.firstAt ?? 0)) / 1000
  const [recipients] = await queryRows<{ rows: number; ready_ms: number | null }>(
    db,
    sql`select (select count(*) from alert_recipients where alert_id = ${alertId})::int as rows,
               (extract(epoch from recipients_ready_at - published_at) * 1000)::int as ready_ms
          from alerts where id = ${alertId}`,
  )
  // When the alert's push job (which walks the recipients) queued the first and the last push job,
  // after publication: if the last comes about when the last push is accepted, the walk set the pace.
  const [queued] = await queryRows<{
    first_ms: number | null
    last_ms: number | null
    walk_done_ms: number | null
  }>(
    db,
    sql`select (extract(epoch from min(j.created_at) - a.published_at) * 1000)::int as first_ms,
               (extract(epoch from max(j.created_at) - a.published_at) * 1000)::int as last_ms,
               (select (extract(epoch from max(w.finished_at) - a.published_at) * 1000)::int
                  from jobs w where w.queue = ${ALERT_PUSH_QUEUE}) as walk_done_ms
          from alerts a, jobs j where a.id = ${alertId} and j.queue = ${PUSH_QUEUE}
         group by a.published_at`,
  )
  const metricsEnd = await Promise.all(instances.map((i) => i.metrics()))
  const outcome = (m: Record<string, number> | undefined, o: string) =>
    m?.[`nhipcau_push_results_total{outcome="${o}"}`] ?? 0
  result.push = {
    devices: devices.length,
    accepted: stats.accepted,
    devicesReached: stats.devices,
    duplicates: stats.duplicates,
    replaced: stats.replaced,
    errors: stats.errors,
    decrypted: stats.decrypted,
    decryptSample: stats.decryptSample,
    vapidTokensVerified: stats.vapidTokensVerified,
    firstPushAfterMs: stats.firstAt ? round(stats.firstAt - t0) : null,
    lastPushAfterMs: stats.lastAt ? round(stats.lastAt - t0) : null,
    pushJobsQueuedAfterPublicationMs: { first: queued?.first_ms, last: queued?.last_ms },
    recipientsWalkDoneAfterPublicationMs: queued?.walk_done_ms,
    allAcceptedMs: round(pushAt),
    firstToLastS: round(spanS),
    perSecond: spanS > 0 ? Math.round(stats.accepted / spanS) : null,
    sentByA: outcome(metricsEnd[0], 'delivered'),
    sentByB: outcome(metricsEnd[1], 'delivered'),
    failedOrRetried: outcome(metricsEnd[0], 'failed') + outcome(metricsEnd[1], 'failed'),
    pushServiceConnections: stats.connections,
    pushServiceMaxInFlight: stats.maxInFlight,
    complete: pushDone,
  }
  result.recipients = { rows: recipients?.rows, writtenAfterMs: recipients?.ready_ms }
  log(
    `push: ${stats.devices}/${devices.length} devices after ${round(pushAt)} ms; ${stats.accepted} accepted in ${round(spanS)} s first→last = ${(result.push as { perSecond: number }).perSecond}/s; duplicates ${stats.duplicates} (devices notified twice), replaced ${stats.replaced} (a second copy with the same Topic), errors ${stats.errors}, decrypted ${stats.decrypted} (${stats.decryptSample}); sent by A ${outcome(metricsEnd[0], 'delivered')}, by B ${outcome(metricsEnd[1], 'delivered')}; ${recipients?.rows} recipient rows written ${recipients?.ready_ms} ms after publication; push jobs queued ${queued?.first_ms}–${queued?.last_ms} ms after publication (walk done at ${queued?.walk_done_ms} ms), last push accepted ${stats.lastAt ? round(stats.lastAt - t0) : null} ms after submit`,
  )

  // A resident must have it once: a second look after everything settled.
  const last = await reports()
  online.duplicates = last.reduce((n, r) => n + r.duplicates, 0)
  online.missing = last.reduce((n, r) => n + r.missing, 0)
  const fanned = (m: Record<string, number> | undefined, k: string) => m?.[k] ?? 0
  result.realtimePerInstance = {
    a: {
      eventsFannedOut: fanned(metricsEnd[0], 'nhipcau_realtime_events_fanned_out_total'),
      framesSent: fanned(metricsEnd[0], 'nhipcau_realtime_frames_sent_total'),
    },
    b: {
      eventsFannedOut: fanned(metricsEnd[1], 'nhipcau_realtime_events_fanned_out_total'),
      framesSent: fanned(metricsEnd[1], 'nhipcau_realtime_frames_sent_total'),
    },
    unexpectedCloses: last.reduce((n, r) => n + r.unexpectedCloses, 0),
    receiptsSent: last.reduce((n, r) => n + r.receiptsSent, 0),
  }
  const cpuAfter = cpuNow()
  const rssEnd = rssNow()
  peak.a = Math.max(peak.a, rssEnd.a)
  peak.b = Math.max(peak.b, rssEnd.b)
  result.instances = {
    rssMiB: { idle: rssIdle, connected: rssConnected, end: rssEnd, peak: { ...peak } },
    cpuSecondsFromPublishToEnd: Object.fromEntries(
      Object.entries(cpuAfter).map(([k, v]) => [k, round(v - (cpuBefore[k] ?? 0))]),
    ),
  }
  log(`RSS at the end ${JSON.stringify(rssEnd)} MiB, peak ${JSON.stringify(peak)} MiB`)
  result.complete = onlineDone && receiptsDone && pushDone && online.duplicates === 0 && online.missing === 0
  if (!result.complete) result.notes.push('incomplete: see the complete flags and counts')

  // ── Ceilings on the same machine, once the instances have stopped ──────────────────────────
  for (const c of clientProcs.splice(0)) await c.close()
  await Promise.all(instances.map((i) => stopProcess(i.child)))
  if (CEILING && Date.now() < deadline)
    result.ceiling = await runCeilings({
      halves,
      port: PORT + 2,
      push: push!,
      pushDevices: Math.min(PUSH_CEILING, devices.length),
      log,
    })
}
