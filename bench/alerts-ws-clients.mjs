// Worker thread for bench/alerts.ts: opens one WebSocket per resident session on loopback, joins the
// resident's area room, and records when the alert event arrives (wall clock, shared with the main
// thread). Each client then confirms delivery on its socket, as the web app does.
import { parentPort, workerData } from 'node:worker_threads'
import WebSocket from 'ws'

const { wsUrl, clients, alertType, concurrency } = workerData
const received = new Map()
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
        // As the web app (alerts-api.ts sendReceipt): the receipts of the next 200 ms go together,
        // on the socket the alert came on.
        const receipts = [{ alertId: msg.event.alertId, state: 'delivered' }]
        setTimeout(() => socket.send(JSON.stringify({ type: 'alert_receipts', receipts })), 200)
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
