// The dashboard's figures on `seed --scale` data: p50/p99 of GET /api/dashboard for a month and a
// year on a ward (7,000 households, ~20,000 residents, a quarter of history), and for a month and
// a year over a province of 20 such wards (with --province). Goals: ward month ≤ 200 ms, year
// ≤ 500 ms; province ≤ 1 s. Embedded database unless DATABASE_URL is set (a scratch database is
// created and dropped). Usage: npm run bench:dashboard [-- --province] [--runs 30]
import { cpus, loadavg } from 'node:os'
import { dashboardService, periodFrom } from '../server/modules/dashboard/dashboard.service'
import { seedScale } from '../server/seed/scale/scale-seed'
import { buildProvince, buildWard } from '../server/test/factories/index'
import { openScratchDatabase } from './lib/scratch-database'

const args = process.argv.slice(2)
const province = args.includes('--province')
const runs = Number(args[args.indexOf('--runs') + 1]) || 30
const scratch = await openScratchDatabase('dashboard')
const db = scratch.db

const now = new Date()
const city = await buildProvince(db, { name: 'Thành phố Hà Nội', slug: 'ha-noi' })
const wards = []
for (let i = 0; i < (province ? 20 : 1); i++)
  wards.push(await buildWard(db, { parent: city, name: `Phường ${i + 1}`, slug: `phuong-bench-${i + 1}` }))
const seedStarted = Date.now()
await seedScale(
  db,
  { scale: province ? 'province' : 'ward', passwordHash: 'x', now, wards, province: city },
  (l) => process.stdout.write(`${l}\n`),
)
const seedSeconds = (Date.now() - seedStarted) / 1000

const day = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10)
const monthAgo = new Date(now.getTime() - 30 * 86_400_000)
const yearAgo = new Date(now.getTime() - 364 * 86_400_000)
const scenarios = [
  { name: 'ward, month', unit: wards[0]!, from: day(monthAgo) },
  { name: 'ward, year', unit: wards[0]!, from: day(yearAgo) },
  ...(province
    ? [
        { name: 'province (20 wards), month', unit: city, from: day(monthAgo) },
        { name: 'province (20 wards), year', unit: city, from: day(yearAgo) },
      ]
    : []),
]
const pct = (v: number[], q: number) => v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)]!
const results = []
for (const s of scenarios) {
  const period = periodFrom({ from: s.from, to: day(now) })
  await dashboardService.figures(db, s.unit, period, { now }) // warm-up: plans and caches
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await dashboardService.figures(db, s.unit, period, { now })
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  results.push({
    scenario: s.name,
    runs,
    p50: Math.round(pct(times, 0.5)),
    p99: Math.round(pct(times, 0.99)),
    max: Math.round(times.at(-1)!),
    load1: Number(loadavg()[0]!.toFixed(2)),
  })
}
await scratch.drop()

const load = loadavg()
  .map((x) => x.toFixed(2))
  .join(' ')
process.stdout.write(
  `\ndashboard on ${scratch.engine === 'postgresql' ? 'PostgreSQL' : 'PGlite'}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}, load average ${load}; seed ${seedSeconds.toFixed(0)} s\n`,
)
console.table(results)
if (loadavg()[0]! > cpus().length)
  process.stdout.write('warning: load average above the core count — figures not comparable\n')
