// npm run bench:search — latency of the procedure search (the service the API calls: index cache
// check, normalising, classifier, situations, ranking, snippets) over every question of the
// stories dev set and the shared dev set, several rounds, on PGlite in memory (or DATABASE_URL).
// Prints p50/p95/p99/max with cores, Node version and load average. BENCH_ROUNDS (default 5).
import { existsSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { readQuestions, scratchCatalogue, storiesFile } from '../scripts/lib/kb-questions'
import { bundledCatalogue } from '../server/modules/procedures/procedure-import.service'
import { searchProcedures } from '../server/modules/procedures/procedure-search.service'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const shared = new URL('../../../shared/data/kb-questions-dev.json', import.meta.url).pathname
const questions = [...readQuestions(storiesFile), ...(existsSync(shared) ? readQuestions(shared) : [])].map(
  (q) => q.question,
)

const database = await scratchCatalogue(bundledCatalogue, process.env.DATABASE_URL)
try {
  for (const q of questions.slice(0, 20)) await searchProcedures(database.db, q, { limit: 3 })
  const times: number[] = []
  const cpu0 = process.cpuUsage()
  for (let r = 0; r < ROUNDS; r++) {
    for (const q of questions) {
      const t0 = performance.now()
      await searchProcedures(database.db, q, { limit: 3 })
      times.push(performance.now() - t0)
    }
  }
  const cpu = process.cpuUsage(cpu0)
  // CPU time per search does not depend on how busy the shared machine is; wall time does.
  const cpuMs = (cpu.user + cpu.system) / 1000 / times.length
  times.sort((a, b) => a - b)
  const pct = (p: number) =>
    times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!.toFixed(2)
  const load = loadavg().map((x) => x.toFixed(2))
  process.stdout.write(
    `procedure search on ${database.kind}: ${questions.length} questions × ${ROUNDS} rounds = ${times.length} searches\n` +
      `p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms, max ${times.at(-1)!.toFixed(2)} ms; CPU ${cpuMs.toFixed(2)} ms per search\n` +
      `machine: ${cpus().length} cores, Node ${process.version}, load average ${load.join(' ')}\n`,
  )
  if (loadavg()[0]! > cpus().length)
    process.stdout.write('warning: load average above the core count; figures are not comparable\n')
} finally {
  await database.close()
}
