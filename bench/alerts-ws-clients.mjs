// Worker thread for bench/alerts.ts: opens one WebSocket per resident session on loopback, joins the
// resident's area room, and records when the alert event arrives (wall clock, shared with the main
// thread). Each client then confirms delivery over HTTP, as the web app does.
import { parentPort, workerData } from 'node:worker_threads'
import WebSocket from 'ws'

const { wsUrl, httpUrl, clients, alertType, concurrency } = workerData
const received = new Map()
const receipts = []
let sending = false

async function sendReceipts() {
  sending = true
  await new Promise((r) => setTimeout(r, 50))
  const worker = async () => {
    for (let job = receipts.shift(); job; job = receipts.shift()) {
      await fetch(`${httpUrl}/api/alerts/receipts`, {
        method: 'POST',
        headers: {
          cookie: job.client.cookie,
          'x-csrf-token': job.client.csrf,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ receipts: [{ alertId: job.alertId, state: 'delivered' }] }),
      }).catch(() => {})
    }
  }
  await Promise.all(Array.from({ length: 32 }, worker))
  sending = false
}
const sockets = []

async function open(client) {
  const socket = new WebSocket(wsUrl, { headers: { cookie: client.cookie }, perMessageDeflate: false })
  sockets.push(socket)
  await new Promise((resolve, reject) => {
    socket.on('message', (raw) => {
      const msg = JSON.parse(raw.toString())
      if (msg.type === 'hello')
        socket.send(JSON.stringify({ type: 'subscribe', rooms: [`area:${client.areaId}`] }))
      else if (msg.type === 'subscribed') resolve()
      else if (msg.type === 'event' && msg.event.type === alertType && !received.has(client.userId)) {
        received.set(client.userId, performance.timeOrigin + performance.now())
        // The receipt goes later, from a small pool: the timing above must not wait for 5,000 fetches.
        receipts.push({ client, alertId: msg.event.alertId })
        if (!sending) void sendReceipts()
      }
    })
    socket.once('error', reject)
  })
}

// Connect in waves so the server is not flooded by 5,000 simultaneous handshakes.
for (let i = 0; i < clients.length; i += concurrency) {
  await Promise.all(clients.slice(i, i + concurrency).map(open))
  parentPort.postMessage({ type: 'progress', connected: sockets.length })
}
parentPort.postMessage({ type: 'ready', connected: sockets.length })

parentPort.on('message', (msg) => {
  if (msg.type === 'report') {
    parentPort.postMessage({ type: 'report', times: [...received.values()] })
  } else if (msg.type === 'close') {
    for (const s of sockets) s.terminate()
    parentPort.postMessage({ type: 'closed' })
  }
})
