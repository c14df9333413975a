// `npm run eval:kb -- FILE [--split=train|test] [--half=1|2] [--misses] [--off=classifier,…]`
// Runs each {question, expected, style?} through the same search the API uses, on a fresh
// embedded database (PGlite in memory) seeded with the catalogue. `expected: null` means no
// procedure fits: the search should answer "none". Prints, overall and per style:
// - top-1 / top-3 over in-scope questions, counting an abstention as a miss;
// - raw top-1 (the ranking alone, as if the search never abstained);
// - abstention precision (answered "none" → really none) and recall (none → answered "none").
// The last line is machine-readable: `top1=… top3=… raw_top1=… abst_p=… abst_r=… p50_ms=… p99_ms=…`.
// --split keeps the file's train or test questions (the stories file marks each; see
// docs/procedure-search.md). --half=1 keeps questions 0, 2, 4…; --half=2 keeps 1, 3, 5….
// --off switches signals off for the ablation: repair, terms, situations, classifier, outOfScope,
// agencies, oldPapers, ask, abstain.
// --postgres=URL runs the same on a scratch database on that server; --print lists each top 3.
import { parseArgs } from 'node:util'
import { bundledCatalogue } from '../server/modules/procedures/procedure-import.service'
import { searchProcedures } from '../server/modules/procedures/procedure-search.service'
import { allSignals, type Signals } from '../server/modules/procedures/search/ranker'
import { expectedIds, type KbQuestion, readQuestions, scratchCatalogue } from './lib/kb-questions'

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    half: { type: 'string' },
    split: { type: 'string' },
    misses: { type: 'boolean', default: false },
    catalogue: { type: 'string', default: bundledCatalogue },
    warmup: { type: 'string', default: '5' },
    postgres: { type: 'string' },
    print: { type: 'boolean', default: false },
    off: { type: 'string', default: '' },
  },
})

const file = positionals[0]
if (!file) {
  process.stderr.write('usage: npm run eval:kb -- FILE [--split=train|test] [--misses] [--off=signal,…]\n')
  process.exit(2)
}

const all = readQuestions(file)
const questions = all.filter((q, i) =>
  args.split
    ? q.split === args.split
    : args.half === '1'
      ? i % 2 === 0
      : args.half === '2'
        ? i % 2 === 1
        : true,
)
const signals: Signals = { ...allSignals }
for (const s of args.off.split(',').filter(Boolean)) {
  if (!(s in signals)) throw new Error(`unknown signal ${s}; one of ${Object.keys(signals).join(', ')}`)
  signals[s as keyof Signals] = false
}

interface Tally {
  n: number
  top1: number
  top3: number
  raw1: number
  nulls: number
  saidNone: number
  rightNone: number
}
const tally = (): Tally => ({ n: 0, top1: 0, top3: 0, raw1: 0, nulls: 0, saidNone: 0, rightNone: 0 })
const byStyle = new Map<string, Tally>()
const total = tally()

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0

function count(q: KbQuestion, ids: string[], none: boolean) {
  const t = byStyle.get(q.style ?? '-') ?? tally()
  byStyle.set(q.style ?? '-', t)
  const expected = expectedIds(q)
  for (const x of [t, total]) {
    if (none) x.saidNone++
    if (!expected) {
      x.nulls++
      if (none) x.rightNone++
      continue
    }
    x.n++
    if (expected.includes(ids[0] ?? '')) {
      x.raw1++
      if (!none) x.top1++
    }
    if (!none && ids.some((id) => expected.includes(id))) x.top3++
  }
}

const started = performance.now()
const database = await scratchCatalogue(args.catalogue, args.postgres)
try {
  process.stdout.write(
    `catalogue: ${args.catalogue} (${database.kind}, ready in ${Math.round(performance.now() - started)} ms)\n`,
  )
  // Warm the caches (index, synonyms) the way a running server is warm.
  for (const q of questions.slice(0, Number(args.warmup)))
    await searchProcedures(database.db, q.question, { limit: 3, signals })

  const latencies: number[] = []
  for (const q of questions) {
    const t0 = performance.now()
    const { none, hits } = await searchProcedures(database.db, q.question, { limit: 3, signals })
    latencies.push(performance.now() - t0)
    const ids = hits.map((h) => h.id)
    if (args.print) process.stdout.write(`${none ? 'NONE ' : ''}${ids.join(',')}\t${q.question}\n`)
    count(q, ids, none)
    const expected = expectedIds(q)
    const right = expected ? !none && expected.includes(ids[0] ?? '') : none
    if (args.misses && !right) {
      const why = hits[0]?.why.map((w) => `${w.said} → ${w.means}`).join('; ') ?? ''
      process.stdout.write(
        `${q.style ?? '-'} ${expected?.join('|') ?? 'NONE'} ← "${q.question}"\n     got ${none ? 'NONE ' : ''}${ids.join(', ')}  (${why})\n`,
      )
    }
  }
  const sorted = [...latencies].sort((a, b) => a - b)
  const pct = (x: number, n: number) => (n ? (100 * x) / n : 0).toFixed(1)
  const row = (name: string, t: Tally) =>
    `| ${name.padEnd(8)} | ${String(t.n).padStart(3)} | ${pct(t.top1, t.n).padStart(5)} | ${pct(t.top3, t.n).padStart(5)} | ${pct(t.raw1, t.n).padStart(5)} | ${String(t.nulls).padStart(3)} | ${t.saidNone ? pct(t.rightNone, t.saidNone).padStart(5) : '    -'} | ${t.nulls ? pct(t.rightNone, t.nulls).padStart(5) : '    -'} |\n`
  const scope = args.split
    ? ` (${args.split} split of ${all.length})`
    : args.half
      ? ` (half ${args.half} of ${all.length})`
      : ''
  process.stdout.write(
    `questions: ${questions.length}${scope} from ${file}; signals off: ${args.off || 'none'}\n`,
  )
  process.stdout.write('| style    |   n | top-1 | top-3 | raw-1 | none | abst P | abst R |\n')
  process.stdout.write('|----------|----:|------:|------:|------:|-----:|------:|------:|\n')
  for (const [style, t] of [...byStyle].sort()) process.stdout.write(row(style, t))
  process.stdout.write(row('all', total))
  const p50 = percentile(sorted, 50).toFixed(1)
  const p99 = percentile(sorted, 99).toFixed(1)
  process.stdout.write(`latency: p50 ${p50} ms, p99 ${p99} ms, max ${(sorted.at(-1) ?? 0).toFixed(1)} ms\n`)
  process.stdout.write(
    `top1=${pct(total.top1, total.n)} top3=${pct(total.top3, total.n)} raw_top1=${pct(total.raw1, total.n)} abst_p=${total.saidNone ? pct(total.rightNone, total.saidNone) : '-'} abst_r=${total.nulls ? pct(total.rightNone, total.nulls) : '-'} p50_ms=${p50} p99_ms=${p99}\n`,
  )
} finally {
  await database.close()
}
