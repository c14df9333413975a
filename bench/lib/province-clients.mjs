// Client process for bench/province.ts: the residents connected to ONE instance. A process of its
// own (not a worker thread) because file descriptors are counted per process: 10,000 sockets here,
// 10,000 in the other one, each under `ulimit -n`. Driven over the IPC channel of child_process.
//
// Each client opens a WebSocket with its own session cookie, subscribes to its area's room as the
// web client does (`web/api/realtime.ts`), and records when the alert event arrives (wall clock,
// comparable with the bench process) and how many times (a second copy is a duplicate). Then it
// confirms delivery on its socket (`alert_receipts`, 200 ms later: the web app sends the receipts of
// the next 200 ms together), as the web app does (web/features/alerts/alerts-api.ts).
// In the ceiling run (`bare`) the same sockets go to bench/lib/bare-ws-server.mjs instead.
import WebSocket from 'ws'

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
let receiptsSent = 0
let recording = false

function onEvent(client, socket, event) {
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
    const receipts = [{ alertId: event.alertId, state: 'delivered' }]
    setTimeout(() => {
      socket.send(JSON.stringify({ type: 'alert_receipts', receipts }))
      receiptsSent++
    }, 200)
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
      } else if (msg.type === 'event') onEvent(client, socket, msg.event)
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
      receiptsSent,
    })
  } else if (msg.type === 'report') {
    send({
      type: 'report',
      times: [...received.values()],
      missing: cfg.clients.filter((c) => !received.has(c.userId)).length,
      duplicates,
      otherEvents,
      unexpectedCloses,
      receiptsSent,
    })
  } else if (msg.type === 'close') {
    closing = true
    for (const s of sockets) s.terminate()
    send({ type: 'closed' })
  }
})
process.on('disconnect', () => process.exit(0))
send({ type: 'started' })
