// The ceilings for bench/province.ts, measured on the same machine right after the run:
// - online: the same residents' sockets, from the same two client processes, on two bare `ws`
//   servers (bench/lib/bare-ws-server.mjs: no database, no sessions, no rooms authorisation), and
//   one frame broadcast to all of them: what fan-out to that many sockets costs at the least;
// - push: the product's Web Push sender alone (VAPID, RFC 8291 encryption, keep-alive pool) posting
//   straight to the same fake push service, with no job queue and no database: what the push path
//   can do on this machine at the most.
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import webPush from 'web-push'
import { WebPushSender } from '../../server/modules/notifications/web-push-sender'
import type { spawnFakePushService } from './fake-push-process'
import { rssMiB, spawnNode, stopProcess } from './processes'
import { startClients } from './province-cluster'
import type { SessionClient } from './province-seed'

/** The ceiling's own processes, for the bench's exit handler. */
export const ceilingProcesses = new Set<ChildProcess>()

const now = () => performance.timeOrigin + performance.now()
const round = (n: number) => Math.round(n * 10) / 10
const pct = (xs: number[], p: number) =>
  xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN

async function listening(port: number, child: ChildProcess, withinMs = 30_000) {
  for (const until = Date.now() + withinMs; Date.now() < until; ) {
    if (child.exitCode !== null) throw new Error(`bare ws server on ${port} exited`)
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`bare ws server on ${port} not listening`)
}

async function bareFanOut(halves: SessionClient[][], port: number, log: (...a: unknown[]) => void) {
  const total = halves.reduce((n, h) => n + h.length, 0)
  const servers = halves.map((half, i) =>
    spawnNode([fileURLToPath(new URL('./bare-ws-server.mjs', import.meta.url))], {
      env: { ...process.env, PORT: String(port + i) },
      stdio: ['ignore', 'ignore', 'inherit'],
      fds: half.length + 1024,
    }),
  )
  const clients = []
  try {
    await Promise.all(servers.map((s, i) => listening(port + i, s)))
    for (const s of servers) ceilingProcesses.add(s)
    for (const half of halves) {
      clients.push(await startClients(half.length + 1024))
      ceilingProcesses.add(clients.at(-1)!.child)
    }
    const t0Connect = Date.now()
    await Promise.all(
      clients.map((c, i) =>
        c.ask(
          {
            type: 'start',
            bare: true,
            bareRoom: 'group:province',
            wsUrl: `ws://127.0.0.1:${port + i}/ws`,
            httpUrl: `http://127.0.0.1:${port + i}`,
            clients: halves[i],
            eventType: 'message.created',
            receipts: false,
            concurrency: 200,
          },
          'ready',
        ),
      ),
    )
    const connectMs = Date.now() - t0Connect
    const rssConnected = servers.map((s) => rssMiB(s.pid))
    const t0 = now()
    await Promise.all(
      servers.map((_, i) =>
        fetch(`http://127.0.0.1:${port + i}/broadcast/province`, {
          method: 'POST',
          body: JSON.stringify({ body: 'ceiling' }),
        }).then((r) => r.text()),
      ),
    )
    let received = 0
    for (const until = Date.now() + 60_000; Date.now() < until; ) {
      const counts = await Promise.all(
        clients.map((c) => c.ask<{ received: number }>({ type: 'count' }, 'count')),
      )
      received = counts.reduce((n, x) => n + x.received, 0)
      if (received >= total) break
      await new Promise((r) => setTimeout(r, 100))
    }
    const reports = await Promise.all(
      clients.map((c) => c.ask<{ times: number[]; duplicates: number }>({ type: 'report' }, 'report')),
    )
    const lat = reports.flatMap((r) => r.times.map((t) => t - t0)).sort((a, b) => a - b)
    const figures = {
      sockets: total,
      connectMs,
      received: lat.length,
      duplicates: reports.reduce((n, r) => n + r.duplicates, 0),
      p50Ms: round(pct(lat, 50)),
      p99Ms: round(pct(lat, 99)),
      maxMs: round(lat.at(-1) ?? Number.NaN),
      serverRssMiB: rssConnected,
    }
    log(
      `ceiling, bare ws: ${figures.received}/${total}, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, max ${figures.maxMs} ms; connected in ${connectMs} ms; RSS ${rssConnected.join(' / ')} MiB`,
    )
    return figures
  } finally {
    for (const c of clients) await c.close().catch(() => undefined)
    await Promise.all(servers.map((s) => stopProcess(s, 2000)))
  }
}

async function pushSenderAlone(
  push: Awaited<ReturnType<typeof spawnFakePushService>>,
  count: number,
  log: (...a: unknown[]) => void,
) {
  const devices = await push.addDevices(count)
  const sender = new WebPushSender(webPush.generateVAPIDKeys(), 'mailto:bench@nhipcau.invalid', ['127.0.0.1'])
  const payload = {
    title: 'Ceiling',
    body: 'Cảnh báo toàn thành phố (ceiling)',
    url: '/alerts/x',
    tag: 'ceiling',
  }
  const before = await push.stats()
  const t0 = now()
  const sent = await Promise.all(devices.map((d) => sender.send(d, payload)))
  const ms = now() - t0
  sender.close()
  const after = await push.stats()
  const figures = {
    devices: count,
    delivered: sent.filter((s) => s.outcome === 'delivered').length,
    accepted: after.accepted - before.accepted,
    decrypted: after.decrypted - before.decrypted,
    ms: round(ms),
    perSecond: Math.round((after.accepted - before.accepted) / (ms / 1000)),
  }
  log(
    `ceiling, push sender alone: ${figures.accepted}/${count} accepted in ${figures.ms} ms = ${figures.perSecond}/s`,
  )
  return figures
}

export async function runCeilings(opts: {
  halves: SessionClient[][]
  port: number
  push: Awaited<ReturnType<typeof spawnFakePushService>>
  pushDevices: number
  log: (...a: unknown[]) => void
}) {
  const bareWs = await bareFanOut(opts.halves, opts.port, opts.log).catch((err) => ({ error: String(err) }))
  const pushSender =
    opts.pushDevices > 0
      ? await pushSenderAlone(opts.push, opts.pushDevices, opts.log).catch((err) => ({ error: String(err) }))
      : null
  return { bareWs, pushSender }
}
