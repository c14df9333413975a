// The ceiling for bench:realtime: a bare `ws` server with no database, no auth and no rooms.
// POST /broadcast/<group> with a JSON body sends it to every socket of that group;
// POST /direct/<conversation> to the sockets of that conversation. Nothing is stored.
import { createServer } from 'node:http'
import { WebSocketServer } from 'ws'

const port = Number(process.env.PORT ?? 0)
const rooms = new Map()
const join = (room, ws) => {
  const set = rooms.get(room) ?? new Set()
  rooms.set(room, set)
  set.add(ws)
}

const server = createServer((req, res) => {
  if (req.method === 'GET') return void res.writeHead(200).end('ok')
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    const [, kind, id] = (req.url ?? '').split('/')
    const room = kind === 'broadcast' ? `group:${id}` : `conversation:${id}`
    const body = Buffer.concat(chunks).toString()
    const frame = JSON.stringify({
      type: 'event',
      event: { type: 'message.created', rooms: [room], message: JSON.parse(body) },
    })
    for (const ws of rooms.get(room) ?? []) ws.send(frame)
    res.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}')
  })
})
const wss = new WebSocketServer({ server, path: '/ws' })
wss.on('connection', (ws) => {
  ws.on('message', (raw) => {
    const msg = JSON.parse(raw.toString())
    if (msg.type === 'subscribe') {
      for (const room of msg.rooms) join(room, ws)
      ws.send(JSON.stringify({ type: 'subscribed', rooms: msg.rooms, denied: [] }))
    }
  })
  ws.on('close', () => {
    for (const set of rooms.values()) set.delete(ws)
  })
  ws.send(JSON.stringify({ type: 'hello' }))
})
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`)
})
