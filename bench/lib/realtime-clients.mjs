// Load generator for bench:realtime. Opens one WebSocket per resident, joins the group room, then
// sends messages over HTTP at a steady rate (latency) and as fast as it can (throughput), and
// measures send→deliver latency at every receiving socket. Target "nhipcau" or "bare" (the ceiling).

import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import WebSocket from 'ws'

const [target, baseUrl, worldFile] = process.argv.slice(2)
const world = JSON.parse(readFileSync(worldFile, 'utf8'))
const opts = {
  groupRate: Number(process.env.GROUP_RATE ?? 1),
  directRate: Number(process.env.DIRECT_RATE ?? 10),
  steadySeconds: Number(process.env.STEADY_SECONDS ?? 20),
  saturationSeconds: Number(process.env.SATURATION_SECONDS ?? 10),
  saturationSenders: Number(process.env.SATURATION_SENDERS ?? 4),
}
const wsUrl = `${baseUrl.replace(/^http/, 'ws')}/ws`
const now = () => performance.timeOrigin + performance.now()
const say = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`)

const latencies = { group: [], direct: [] }
let delivered = 0
let recording = true

function onFrame(raw) {
  const msg = JSON.parse(raw.toString())
  if (msg.type !== 'event' || msg.event.type !== 'message.created') return
  const [tag, sentAt, kind] = String(msg.event.message.body ?? '').split('|')
  if (tag !== 'bench') return
  delivered++
  if (recording) latencies[kind]?.push(now() - Number(sentAt))
}

function connect(i) {
  const resident = world.residents[i]
  const headers = target === 'nhipcau' ? { cookie: `nhipcau_session=${resident.token}` } : {}
  const rooms = [`group:${world.groupId}`]
  if (target === 'bare' && world.direct[i]) rooms.push(`conversation:${world.direct[i].conversationId}`)
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { headers, perMessageDeflate: false })
    const timer = setTimeout(() => reject(new Error(`socket ${i} not subscribed in 60 s`)), 60_000)
    ws.on('error', reject)
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString())
      if (msg.type === 'hello') ws.send(JSON.stringify({ type: 'subscribe', rooms }))
      else if (msg.type === 'subscribed') {
        clearTimeout(timer)
        if (msg.denied.length) return reject(new Error(`denied ${msg.denied}`))
        ws.removeAllListeners('message')
        ws.on('message', onFrame)
        resolve(ws)
      }
    })
  })
}

async function send(kind, conversationId) {
  const body = `bench|${now()}|${kind}`
  const url =
    target === 'nhipcau'
      ? `${baseUrl}/api/conversations/${conversationId}/messages`
      : `${baseUrl}/${kind === 'group' ? `broadcast/${world.groupId}` : `direct/${conversationId}`}`
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: `nhipcau_session=${world.officer.token}; nhipcau_csrf=${world.officer.csrf}`,
      'x-csrf-token': world.officer.csrf,
    },
    body: JSON.stringify({ clientKey: randomUUID(), body }),
  })
  if (res.status >= 300) throw new Error(`send answered ${res.status}: ${await res.text()}`)
  await res.arrayBuffer()
}

const percentile = (xs, p) => {
  if (!xs.length) return null
  const sorted = [...xs].sort((a, b) => a - b)
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10
}
const summary = (xs) => ({
  count: xs.length,
  p50_ms: percentile(xs, 50),
  p99_ms: percentile(xs, 99),
  max_ms: percentile(xs, 100),
})

const sockets = []
const t0 = now()
for (let i = 0; i < world.residents.length; i += 200) {
  sockets.push(
    ...(await Promise.all(
      Array.from({ length: Math.min(200, world.residents.length - i) }, (_, j) => connect(i + j)),
    )),
  )
}
say({ phase: 'connected', sockets: sockets.length, seconds: Math.round((now() - t0) / 100) / 10 })
// The bench reads the server's memory after a full collection now: the load waits for it.
await new Promise((r) => setTimeout(r, Number(process.env.PAUSE_AFTER_CONNECT_MS ?? 3000)))

// Steady load: a fixed schedule, so latency is measured below saturation.
const sends = []
const steadyStart = now()
let errors = 0
let groupSent = 0
let directSent = 0
await new Promise((resolve) => {
  const tick = 20
  const timer = setInterval(() => {
    const elapsed = (now() - steadyStart) / 1000
    if (elapsed >= opts.steadySeconds) {
      clearInterval(timer)
      return resolve()
    }
    while (groupSent < elapsed * opts.groupRate) {
      groupSent++
      sends.push(send('group', world.groupConversationId).catch(() => errors++))
    }
    while (directSent < elapsed * opts.directRate) {
      const c = world.direct[directSent % world.direct.length]
      directSent++
      sends.push(send('direct', c.conversationId).catch(() => errors++))
    }
  }, tick)
})
await Promise.all(sends)
await new Promise((r) => setTimeout(r, 3000))
const steady = {
  seconds: opts.steadySeconds,
  group_messages: groupSent,
  direct_messages: directSent,
  send_errors: errors,
  expected_deliveries: groupSent * sockets.length + directSent,
  deliveries: delivered,
  group_latency: summary(latencies.group),
  direct_latency: summary(latencies.direct),
}
say({ phase: 'steady-done', steady })

// Saturation: group messages back to back from a few senders; deliveries per second is the throughput.
recording = false
const before = delivered
let saturationSent = 0
const saturationStart = now()
const stopAt = saturationStart + opts.saturationSeconds * 1000
await Promise.all(
  Array.from({ length: opts.saturationSenders }, async () => {
    while (now() < stopAt) {
      await send('group', world.groupConversationId).catch(() => errors++)
      saturationSent++
    }
  }),
)
const sendSeconds = (now() - saturationStart) / 1000
// Let the fan-out catch up: count what arrives until nothing more comes for a second.
let last = -1
while (last !== delivered) {
  last = delivered
  await new Promise((r) => setTimeout(r, 1000))
}
const drainSeconds = (now() - saturationStart) / 1000 - 1
const saturation = {
  senders: opts.saturationSenders,
  messages: saturationSent,
  messages_per_second: Math.round(saturationSent / sendSeconds),
  deliveries: delivered - before,
  expected_deliveries: saturationSent * sockets.length,
  delivered_per_second: Math.round((delivered - before) / drainSeconds),
}
say({ phase: 'done', steady, saturation })
for (const ws of sockets) ws.terminate()
process.exit(0)
