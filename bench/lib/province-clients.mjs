// Client process for bench/province.ts: the residents connected to ONE instance. A process of its
// own (not a worker thread) because file descriptors are counted per process: 10,000 sockets here,
// 10,000 in the other one, each under `ulimit -n`. Driven over the IPC channel of child_process.
//
// Each client opens a WebSocket with its own session cookie, subscribes to its area's room as the
// web client does (`web/api/realtime.ts`), and records when the alert event arrives (wall clock,
// comparable with the bench process) and how many times (a second copy is a duplicate). Then it
// confirms delivery through POST /api/alerts/receipts from a small pool, as the web app does.
// In the ceiling run (`bare`) the same sockets go to bench/lib/bare-ws-server.mjs instead.
import { Agent, request } from 'node:http'
import WebSocket from 'ws'

// Receipts go over a few kept-alive connections (as many as the pool's workers), not one socket each.
const agent = new Agent({ keepAlive: true, maxSockets: 64 })

const now = () => performance.timeOrigin + performance.now()
const send = (msg) => process.send?.(msg)

let cfg
const sockets = []
/** userId → time of the first alert event; duplicates counted apart. */
const received = new Map()
let duplicates = 0
let otherEvents = 0
let unexpectedCloses = 0
let connectFailures = 0
const receiptQueue = []
const receipts = { ok: 0, failed: 0, statuses: {} }
let draining = false
let recording = false

/** POST with a JSON body over the kept-alive pool; resolves with the status once the body is read. */
function postJson(path, headers, body) {
  const data = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = request(
      `${cfg.httpUrl}${path}`,
      {
        method: 'POST',
        agent,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
        },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
        res.on('error', reject)
      },
    )
    req.setTimeout(120_000, () => req.destroy(new Error('receipt timed out')))
    req.on('error', reject)
    req.end(data)
  })
}

async function drainReceipts() {
  draining = true
  const worker = async () => {
    for (let job = receiptQueue.shift(); job; job = receiptQueue.shift()) {
      try {
        const status = await postJson(
          '/api/alerts/receipts',
          { cookie: job.client.cookie, 'x-csrf-token': job.client.csrf },
          { receipts: [{ alertId: job.alertId, state: 'delivered' }] },
        )
        receipts.statuses[status] = (receipts.statuses[status] ?? 0) + 1
        if (status === 200) receipts.ok++
        else receipts.failed++
      } catch {
        receipts.failed++
        receipts.statuses.network = (receipts.statuses.network ?? 0) + 1
      }
    }
  }
  await Promise.all(Array.from({ length: cfg.receiptConcurrency }, worker))
  draining = false
}

function onEvent(client, event) {
  if (!recording || event.type !== cfg.eventType) {
    otherEvents++
    return
  }
  if (received.has(client.userId)) {
    duplicates++
    return
  }
  received.set(client.userId, now())
  if (cfg.receipts) {
    // Later and from a small pool: the arrival times above must not wait for 10,000 fetches.
    receiptQueue.push({ client, alertId: event.alertId })
    if (!draining) setTimeout(drainReceipts, 20)
  }
}

function open(client) {
  return new Promise((resolve) => {
    const socket = new WebSocket(cfg.wsUrl, {
      headers: cfg.bare ? {} : { cookie: client.cookie },
      perMessageDeflate: false,
      handshakeTimeout: 120_000,
    })
    let subscribed = false
    const room = cfg.bare ? cfg.bareRoom : `area:${client.areaId}`
    socket.on('message', (raw) => {
      const msg = JSON.parse(raw.toString())
      if (msg.type === 'hello') socket.send(JSON.stringify({ type: 'subscribe', rooms: [room] }))
      else if (msg.type === 'subscribed') {
        subscribed = true
        if (msg.denied?.length) connectFailures++
        resolve()
      } else if (msg.type === 'event') onEvent(client, msg.event)
    })
    socket.on('error', () => {
      if (!subscribed) {
        connectFailures++
        resolve()
      }
    })
    socket.on('close', () => {
      if (subscribed && !closing) unexpectedCloses++
    })
    sockets.push(socket)
  })
}

let closing = false
process.on('message', async (msg) => {
  if (msg.type === 'start') {
    cfg = msg
    // Connect in waves so the server is not flooded by thousands of simultaneous handshakes.
    for (let i = 0; i < cfg.clients.length; i += cfg.concurrency) {
      await Promise.all(cfg.clients.slice(i, i + cfg.concurrency).map(open))
      send({ type: 'progress', connected: i + cfg.concurrency })
    }
    recording = true
    send({ type: 'ready', connected: sockets.length - connectFailures, failed: connectFailures })
  } else if (msg.type === 'count') {
    send({
      type: 'count',
      received: received.size,
      duplicates,
      otherEvents,
      unexpectedCloses,
      receiptsOk: receipts.ok,
      receiptsFailed: receipts.failed,
      receiptsQueued: receiptQueue.length,
    })
  } else if (msg.type === 'report') {
    send({
      type: 'report',
      times: [...received.values()],
      missing: cfg.clients.filter((c) => !received.has(c.userId)).length,
      duplicates,
      otherEvents,
      unexpectedCloses,
      receipts,
    })
  } else if (msg.type === 'close') {
    closing = true
    for (const s of sockets) s.terminate()
    send({ type: 'closed' })
  }
})
process.on('disconnect', () => process.exit(0))
send({ type: 'started' })
