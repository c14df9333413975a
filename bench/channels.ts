// Zalo / Messenger inbound burst (S10, issue 15): 1,000 Messenger events, one signed POST each
// (the platform's worst case), 20 in flight, against the real HTTP server on the embedded database.
// Measures events/s accepted (all answered 200: stored, job queued) and then events/s turned into
// inbox messages by the job queue; checks none is lost and each contact's order holds.
// Usage: npm run bench:channels [-- --events 1000 --concurrency 20]

import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { buildApp } from '../server/app'
import { openDatabase } from '../server/db/client'
import { migrateDatabase } from '../server/db/migrate'
import { queryRows } from '../server/db/query'
import { PgJobQueue } from '../server/jobs/pg-job-queue'
import { messengerSignature } from '../server/modules/messaging/channels/messenger.adapter'
import { InProcessEventBus } from '../server/realtime/event-bus'
import { LocalFileStorage } from '../server/storage/local-file-storage'
import { buildArea, buildMessengerAccount, buildOfficer, buildWard } from '../server/test/factories/index'
import { FakeGraphApi } from '../server/test/fakes/fake-graph-api'
import { testConfig } from '../server/test/test-config'

const args = process.argv.slice(2)
const arg = (name: string, d: number) => Number(args[args.indexOf(`--${name}`) + 1]) || d
const total = arg('events', 1000)
const concurrency = arg('concurrency', 20)
const contacts = 20

const graph = new FakeGraphApi()
const dir = mkdtempSync(join(tmpdir(), 'nc-bench-channels-'))
const config = testConfig({ DATA_DIR: dir, MESSENGER_GRAPH_URL: await graph.start() })
const database = await openDatabase({ dataDir: join(dir, 'pg'), poolMax: 4 })
await migrateDatabase(database, undefined)
const jobs = new PgJobQueue(database.db, undefined, { baseBackoffMs: 0 })
const app = await buildApp({
  config,
  database,
  bus: new InProcessEventBus(),
  jobs,
  storage: new LocalFileStorage(join(dir, 'files')),
})
const t = { app, db: database.db, jobs, config }
const url = await t.app.listen({ port: 0, host: '127.0.0.1' })
const ward = await buildWard(t.db)
const area = await buildArea(t.db, { parent: ward })
await buildOfficer(t.db, { areas: [area], unit: ward })
const { account, secrets } = await buildMessengerAccount(t.db, t.config.CHANNEL_SECRET_KEY, { unit: ward })
const start = Date.now()
const senders = Array.from({ length: contacts }, (_, i) => `${9_200_000_000 + i}`)

async function post(item: unknown) {
  const body = JSON.stringify({
    object: 'page',
    entry: [{ id: account.externalId, time: start, messaging: [item] }],
  })
  const res = await fetch(`${url}/api/channels/messenger/${account.id}/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': messengerSignature(secrets.appSecret, Buffer.from(body)),
    },
    body,
  })
  await res.arrayBuffer()
  return res.status
}

for (const id of senders)
  await post({ sender: { id }, timestamp: start - 1, referral: { ref: area.slug, source: 'SHORTLINK' } })
await t.jobs.drain()
const items = Array.from({ length: total }, (_, n) => ({
  sender: { id: senders[n % contacts] },
  timestamp: start + n,
  message: { mid: `m_bench_${n}`, text: `tin ${Math.floor(n / contacts)}` },
}))
const t0 = performance.now()
let next = 0
let failed = 0
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < items.length) if ((await post(items[next++])) !== 200) failed++
  }),
)
const acceptMs = performance.now() - t0
const t1 = performance.now()
while ((await t.jobs.drain()) > 0) {}
const processMs = performance.now() - t1
const rows = await queryRows<{ sender: string; body: string }>(
  t.db,
  sql`select x.platform_user_id as sender, m.body from messages m join external_contacts x on x.user_id = m.author_id
      where x.account_id = ${account.id} order by x.platform_user_id, m.seq`,
)
const inOrder = senders.every((s) =>
  rows.filter((r) => r.sender === s).every((r, i) => r.body === `tin ${i}`),
)
console.log(
  JSON.stringify(
    {
      events: total,
      concurrency,
      refused: failed,
      acceptedPerSecond: Math.round((total / acceptMs) * 1000),
      processedPerSecond: Math.round((total / processMs) * 1000),
      messages: rows.length,
      inOrderPerContact: inOrder,
      machine: { cores: cpus().length, node: process.version, loadavg: loadavg().map((l) => l.toFixed(1)) },
    },
    null,
    2,
  ),
)
if (loadavg()[0]! > cpus().length)
  console.warn('warning: load average above the core count; figures not comparable')
await app.close()
await database.close()
await graph.stop()
rmSync(dir, { recursive: true, force: true })
