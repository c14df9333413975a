// Message ingest (issue 16, point 4): direct messages sent over HTTP through the real route and
// service (POST /api/conversations/:id/messages → committed → 201 acknowledged), against a raw
// single-row INSERT loop on the same database in the same run, at the same concurrency (1, 4, 16).
// Each worker is one resident writing into their own direct conversation with the area's officer.
// Runs on the embedded PGlite and on PostgreSQL (a scratch database created and dropped on the
// server named by --pg, default postgres://postgres@127.0.0.1:5432/postgres); skips PostgreSQL when
// it cannot be reached. Usage:
//   npm run bench:ingest [-- --seconds 4 --engines pglite,postgresql --label after --save --client http]
// --save merges this run into bench/results/ingest.json under its label (default "latest").
// --client http sends with node:http and a keep-alive agent instead of fetch (the default): the
// client runs in the server's process, and fetch (undici's WHATWG streams) cost about as much CPU
// per send as the server's own work (6/12/2026: 3 of 6 ms of the process's CPU per send).

import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { buildApp } from '../server/app'
import type { Db } from '../server/db/client'
import { queryRows } from '../server/db/query'
import { PgJobQueue } from '../server/jobs/pg-job-queue'
import { InProcessEventBus } from '../server/realtime/event-bus'
import { LocalFileStorage } from '../server/storage/local-file-storage'
import { buildLoadWorld } from '../server/test/messaging-load'
import { testConfig } from '../server/test/test-config'
import { openScratchDatabase } from './lib/scratch-database'

const args = process.argv.slice(2)
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const seconds = Number(opt('seconds')) || 4
const engines = (opt('engines') ?? 'pglite,postgresql').split(',')
const pgUrl = opt('pg') ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const label = opt('label') ?? 'latest'
const save = args.includes('--save')
const client = opt('client') ?? 'fetch'
const CONCURRENCY = [1, 4, 16]
const loadBefore = loadavg()

interface Phase {
  /** Operations completed (acknowledged inserts / 201 answers) per second over the phase. */
  perSecond: number
  done: number
  failed: number
  p50Ms: number
  p99Ms: number
  /**
   * This process's CPU time (server, client and driver: one process) per operation: on 2 cores
   * shared with the database, what bounds the rate once the database keeps up.
   */
  cpuMsPerOp: number
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? Number(s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(2)) : 0
}

/** Runs `op` in `concurrency` loops for `ms`; counts what finished, and the latency of each. */
async function phase(concurrency: number, ms: number, op: (worker: number) => Promise<boolean>) {
  const latencies: number[] = []
  let failed = 0
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const end = t0 + ms
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (performance.now() < end) {
        const s = performance.now()
        if (await op(w)) latencies.push(performance.now() - s)
        else failed++
      }
    }),
  )
  const elapsed = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  return {
    perSecond: Math.round((latencies.length / elapsed) * 1000),
    done: latencies.length,
    failed,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    cpuMsPerOp: Number(((cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length)).toFixed(3)),
  } satisfies Phase
}

async function runEngine(engine: string) {
  if (engine === 'postgresql') process.env.DATABASE_URL = pgUrl
  else delete process.env.DATABASE_URL
  const scratch = await openScratchDatabase('ingest', { poolMax: 20 })
  const db: Db = scratch.db
  const dir = mkdtempSync(join(tmpdir(), 'nc-bench-ingest-'))
  const jobs = new PgJobQueue(db, undefined, { baseBackoffMs: 0 })
  const app = await buildApp({
    config: testConfig({ DATA_DIR: dir }),
    database: scratch.handle,
    bus: new InProcessEventBus(),
    jobs,
    storage: new LocalFileStorage(join(dir, 'files')),
  })
  try {
    const base = await app.listen({ port: 0, host: '127.0.0.1' })
    const world = await buildLoadWorld(app, db, base, Math.max(...CONCURRENCY))
    // The raw ceiling: the same shape of row (ids, text, time), one autocommitted INSERT each.
    await db.execute(sql`create table bench_raw_inserts (
      id uuid primary key default gen_random_uuid(), conversation_id uuid not null,
      body text not null, created_at timestamptz not null default now())`)
    const raw = async (w: number) => {
      await db.execute(
        sql`insert into bench_raw_inserts (conversation_id, body) values (${world.residents[w]!.conversationId}, ${`tin ${w}`})`,
      )
      return true
    }
    const agent = new Agent({ keepAlive: true, maxSockets: Math.max(...CONCURRENCY) })
    const viaHttp = (w: number) =>
      new Promise<boolean>((resolve, reject) => {
        const r = world.residents[w]!
        const body = JSON.stringify({ clientKey: `bench:${randomUUID()}`, body: `Tin nhắn thử ${w}` })
        const url = new URL(`${base}/api/conversations/${r.conversationId}/messages`)
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            agent,
            headers: { ...r.headers, 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume()
            res.on('end', () => resolve(res.statusCode === 201))
          },
        )
        req.on('error', reject)
        req.end(body)
      })
    const ingest = async (w: number) => {
      if (client === 'http') return viaHttp(w)
      const r = world.residents[w]!
      const res = await fetch(`${base}/api/conversations/${r.conversationId}/messages`, {
        method: 'POST',
        headers: r.headers,
        body: JSON.stringify({ clientKey: `bench:${randomUUID()}`, body: `Tin nhắn thử ${w}` }),
      })
      await res.arrayBuffer()
      return res.status === 201
    }
    // Warm both paths (JIT, pool connections, plans) before anything is counted.
    await phase(4, 500, raw)
    await phase(4, 500, ingest)
    const results: Record<string, { raw: Phase; ingest: Phase; ingestVsRaw: number }> = {}
    for (const c of CONCURRENCY) {
      const r = await phase(c, seconds * 1000, raw)
      const i = await phase(c, seconds * 1000, ingest)
      results[`c${c}`] = { raw: r, ingest: i, ingestVsRaw: Number((i.perSecond / r.perSecond).toFixed(3)) }
      console.error(
        `${engine} c=${c}: raw ${r.perSecond}/s, ingest ${i.perSecond}/s (${Math.round((i.perSecond / r.perSecond) * 100)} %); this process's CPU per op: raw ${r.cpuMsPerOp} ms, ingest ${i.cpuMsPerOp} ms`,
      )
    }
    // Every acknowledged send is stored exactly once (a benchmark that lost writes would flatter).
    const acknowledged = Object.values(results).reduce((n, r) => n + r.ingest.done, 0)
    const [stored] = await queryRows<{ n: number; keys: number }>(
      db,
      sql`select count(*)::int as n, count(distinct client_key)::int as keys from messages where client_key like 'bench:%'`,
    )
    agent.destroy()
    return { results, acknowledgedAtLeast: acknowledged, stored: stored!.n, distinctKeys: stored!.keys }
  } finally {
    await app.close()
    await jobs.stop()
    await scratch.drop()
    rmSync(dir, { recursive: true, force: true })
  }
}

const byEngine: Record<string, unknown> = {}
for (const engine of engines) {
  try {
    byEngine[engine] = await runEngine(engine)
  } catch (err) {
    if (engine !== 'postgresql') throw err
    console.error(`postgresql skipped: ${(err as Error).message}`)
  }
}
const run = {
  at: new Date().toISOString(),
  secondsPerPhase: seconds,
  client,
  machine: {
    cores: cpus().length,
    cpu: cpus()[0]?.model,
    node: process.version,
    loadavgBefore: loadBefore.map((l) => Number(l.toFixed(2))),
    loadavgAfter: loadavg().map((l) => Number(l.toFixed(2))),
  },
  engines: byEngine,
}
console.log(JSON.stringify(run, null, 2))
if (Math.max(loadBefore[0]!, loadavg()[0]!) > cpus().length)
  console.warn('warning: load average above the core count (shared machine); compare ratios, not rates')
if (save) {
  const file = new URL('./results/ingest.json', import.meta.url)
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {}
  writeFileSync(file, `${JSON.stringify({ ...saved, [label]: run }, null, 2)}\n`)
}
