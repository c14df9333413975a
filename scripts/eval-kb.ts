// `npm run eval:kb -- FILE [--half=1|2] [--misses] [--catalogue=FILE]`
// Runs each {question, expected} through the same search the API uses, on a fresh embedded
// database (PGlite in memory) seeded with the catalogue; prints top-1/top-3 accuracy and latency.
// The last line is machine-readable: `top1=… top3=… p50_ms=… p99_ms=…`.
// --half=1 keeps questions 0, 2, 4…; --half=2 keeps 1, 3, 5… (a hold-out split that covers
// every procedure, since the file lists questions procedure by procedure).
// --postgres=URL runs the same on a scratch database created on that PostgreSQL server (and
// dropped afterwards), to check both engines rank alike; --print lists each question's top 3.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { z } from 'zod'
import { type DatabaseHandle, openDatabase } from '../server/db/client'
import { migrateDatabase } from '../server/db/migrate'
import { bundledCatalogue, importCatalogueFiles } from '../server/modules/procedures/procedure-import.service'
import { searchProcedures } from '../server/modules/procedures/procedure-search.service'
import {
  defaultWeights,
  type ScoringWeights,
} from '../server/modules/procedures/search/procedure-search.repository'

const ZQuestions = z.array(
  z.object({ question: z.string().min(1), expected: z.union([z.string(), z.array(z.string())]) }),
)

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    half: { type: 'string' },
    misses: { type: 'boolean', default: false },
    catalogue: { type: 'string', default: bundledCatalogue },
    warmup: { type: 'string', default: '5' },
    postgres: { type: 'string' },
    print: { type: 'boolean', default: false },
    /** Ranking weights to try, as JSON merged over the defaults (ablation; the API uses the defaults). */
    weights: { type: 'string' },
  },
})

const file = positionals[0]
if (!file) {
  process.stderr.write('usage: npm run eval:kb -- FILE [--half=1|2] [--misses]\n')
  process.exit(2)
}

const parsed = ZQuestions.safeParse(JSON.parse(readFileSync(file, 'utf8')))
if (!parsed.success) {
  process.stderr.write(
    `${file}: expected an array of {question, expected}: ${parsed.error.issues[0]?.message}\n`,
  )
  process.exit(2)
}
const all = parsed.data
const questions =
  args.half === '1'
    ? all.filter((_, i) => i % 2 === 0)
    : args.half === '2'
      ? all.filter((_, i) => i % 2 === 1)
      : all

const weights: ScoringWeights = { ...defaultWeights, ...(args.weights ? JSON.parse(args.weights) : {}) }

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

async function openScratch(): Promise<DatabaseHandle> {
  if (!args.postgres) return openDatabase({ dataDir: 'memory://' })
  const name = `nhipcau_eval_${process.pid}`
  await adminQuery(args.postgres, `create database "${name}"`)
  const u = new URL(args.postgres)
  u.pathname = `/${name}`
  const handle = await openDatabase({ databaseUrl: u.toString(), dataDir: 'memory://', poolMax: 2 })
  return {
    ...handle,
    close: async () => {
      await handle.close()
      await adminQuery(args.postgres!, `drop database if exists "${name}"`)
    },
  }
}

const started = performance.now()
const database = await openScratch()
try {
  await migrateDatabase(database, args.postgres)
  const imported = await importCatalogueFiles(database.db, args.catalogue)
  process.stdout.write(
    `catalogue: ${imported.created.length} procedures from ${args.catalogue} (${database.kind}, ready in ${Math.round(performance.now() - started)} ms)\n`,
  )
  // Warm the caches (synonyms, query plans) the way a running server is warm.
  for (const q of questions.slice(0, Number(args.warmup)))
    await searchProcedures(database.db, q.question, { limit: 3, weights })

  let top1 = 0
  let top3 = 0
  const latencies: number[] = []
  for (const q of questions) {
    const expected = Array.isArray(q.expected) ? q.expected : [q.expected]
    const t0 = performance.now()
    const hits = await searchProcedures(database.db, q.question, { limit: 3, weights })
    latencies.push(performance.now() - t0)
    const ids = hits.map((h) => h.id)
    if (args.print) process.stdout.write(`${ids.join(',')}\t${q.question}\n`)
    const first = expected.includes(ids[0] ?? '')
    const inTop3 = ids.some((id) => expected.includes(id))
    if (first) top1++
    if (inTop3) top3++
    if (args.misses && !first) {
      process.stdout.write(
        `${inTop3 ? 'TOP3' : 'MISS'} ${expected.join('|')} ← "${q.question}"\n     got ${ids.join(', ')}\n`,
      )
    }
  }
  const sorted = [...latencies].sort((a, b) => a - b)
  const n = questions.length
  const pct = (x: number) => (n ? (100 * x) / n : 0).toFixed(1)
  const p50 = percentile(sorted, 50).toFixed(1)
  const p99 = percentile(sorted, 99).toFixed(1)
  process.stdout.write(
    `questions: ${n}${args.half ? ` (half ${args.half} of ${all.length})` : ''} from ${file}\n`,
  )
  process.stdout.write(`top-1: ${top1}/${n} = ${pct(top1)} %\n`)
  process.stdout.write(`top-3: ${top3}/${n} = ${pct(top3)} %\n`)
  process.stdout.write(`latency: p50 ${p50} ms, p99 ${p99} ms, max ${(sorted[n - 1] ?? 0).toFixed(1)} ms\n`)
  process.stdout.write(`top1=${pct(top1)} top3=${pct(top3)} p50_ms=${p50} p99_ms=${p99}\n`)
} finally {
  await database.close()
}
