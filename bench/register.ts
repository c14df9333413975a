// The area register at the scale: a ward of 7,000 households (~20,000 people) in 20
// residential groups, with a year of residence reports (~26,000) and the register's history.
// p50/p99 of what GET /api/register/households runs (the page of households, then their people),
// for the ward's commander and for an officer of three areas: first page, a page deep in the
// cursor, searches with and without diacritics, by ID number and by address; and the expiring
// stays. Goal (issue 13): p99 ≤ 50 ms. Embedded database unless DATABASE_URL is set (a scratch
// database is created and dropped). Usage: npm run bench:register [-- --runs 200]

import { randomUUID } from 'node:crypto'
import { cpus, loadavg } from 'node:os'
import { sql } from 'drizzle-orm'
import {
  registerEvents,
  registerHouseholds,
  registerPeople,
  residenceReports,
} from '../server/db/schema/index'
import type { Scope } from '../server/lib/scope'
import { addDays, vnToday } from '../server/modules/movements/deadlines'
import {
  addressKeyOf,
  registerRepository,
  searchTextOf,
} from '../server/modules/movements/register.repository'
import { buildArea, buildProvince, buildResident, buildWard } from '../server/test/factories/index'
import type { UnitRow } from '../server/test/factories/organisation.factory'
import { openScratchDatabase } from './lib/scratch-database'

const args = process.argv.slice(2)
const runs = Number(args[args.indexOf('--runs') + 1]) || 200
const scratch = await openScratchDatabase('register')
const db = scratch.db

// A deterministic generator, so both databases hold the same ward.
let seed = 42
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648
}
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!
const families = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
  'Trịnh',
  'Đinh',
  'Lương',
  'Mai',
]
const middles = ['Văn', 'Thị', 'Đức', 'Minh', 'Quang', 'Thu', 'Ngọc', 'Hữu', 'Thanh', 'Xuân', 'Kim', 'Hồng']
const givens = [
  'An',
  'Bình',
  'Chi',
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hoa',
  'Hùng',
  'Hương',
  'Khánh',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Nam',
  'Nga',
  'Phong',
  'Phương',
  'Quân',
  'Sơn',
  'Tâm',
  'Thảo',
  'Thủy',
  'Trang',
  'Tuấn',
  'Việt',
  'Yến',
]
const streets = [
  'phố Huế',
  'phố Lò Đúc',
  'phố Bạch Mai',
  'phố Minh Khai',
  'đường Trần Khát Chân',
  'phố Thanh Nhàn',
  'phố Đại La',
  'phố Kim Ngưu',
]

const seedStarted = Date.now()
const province = await buildProvince(db, { name: 'Thành phố Hà Nội', slug: 'ha-noi-bench' })
const ward = await buildWard(db, { parent: province, name: 'Phường Bạch Mai', slug: 'bach-mai-bench' })
const areas: UnitRow[] = []
for (let i = 1; i <= 20; i++) areas.push(await buildArea(db, { parent: ward, name: `Tổ dân phố số ${i}` }))
const reporters = []
for (let i = 0; i < 20; i++) reporters.push(await buildResident(db, { area: areas[i]! }))
const officer = reporters[0]! // an actor id for history rows; its kind does not matter here

const today = vnToday()
let idSeq = 0
const citizenId = () =>
  `0${String(1 + Math.floor(rnd() * 96)).padStart(2, '0')}${String(100000000 + idSeq++).slice(-9)}`
const households: (typeof registerHouseholds.$inferInsert)[] = []
const people: (typeof registerPeople.$inferInsert)[] = []
for (let n = 0; n < 7000; n++) {
  const area = areas[n % 20]!
  const address = `Số ${1 + Math.floor(n / 20)} ngõ ${1 + (n % 37)} ${pick(streets)}`
  const hid = randomUUID()
  households.push({
    id: hid,
    areaId: area.id,
    areaPath: area.path,
    address,
    addressKey: addressKeyOf(address),
  })
  const size = 1 + Math.floor(rnd() * 5) // 1–5, ~3 on average → ~20,000 people
  for (let k = 0; k < size; k++) {
    const fullName = `${pick(families)} ${pick(middles)} ${pick(givens)}`
    const idNumber = citizenId()
    const kind = rnd()
    const residence = kind < 0.75 ? 'permanent' : kind < 0.95 ? 'temporary' : 'stay'
    const from = addDays(today, -Math.floor(rnd() * 365))
    people.push({
      householdId: hid,
      areaId: area.id,
      areaPath: area.path,
      fullName,
      idKind: 'citizen_id',
      idNumber,
      nationality: 'VN',
      residence,
      fromDate: residence === 'permanent' ? null : from,
      untilDate: residence === 'permanent' ? null : addDays(from, 30 + Math.floor(rnd() * 365)),
      endedOn: rnd() < 0.05 ? addDays(today, -Math.floor(rnd() * 200)) : null,
      searchText: searchTextOf({ fullName, idNumber }, address),
    })
  }
}
const chunk = async <T>(rows: T[], size: number, insert: (part: T[]) => Promise<unknown>) => {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size))
}
await chunk(households, 1000, (part) => db.insert(registerHouseholds).values(part))
const personIds: { id: string; areaPath: string }[] = []
await chunk(people, 1000, async (part) => {
  const rows = await db
    .insert(registerPeople)
    .values(part)
    .returning({ id: registerPeople.id, areaPath: registerPeople.areaPath })
  personIds.push(...rows)
})
// A year of reports: ~70 a day across the ward, nearly all closed, a few still open.
const reports: (typeof residenceReports.$inferInsert)[] = []
for (let d = 0; d < 365; d++) {
  for (let k = 0; k < 72; k++) {
    const area = pick(areas)
    const p = pick(people)
    const at = new Date(Date.now() - d * 86_400_000 - Math.floor(rnd() * 86_400_000))
    const from = addDays(today, -d)
    reports.push({
      kind: pick(['stay', 'tenant_in', 'tenant_out', 'absence', 'guest'] as const),
      status: d < 2 && rnd() < 0.5 ? 'pending' : rnd() < 0.95 ? 'confirmed' : 'rejected',
      reporterId: reporters[areas.indexOf(area)]!.id,
      reporterCapacity: 'household',
      areaId: area.id,
      areaPath: area.path,
      address: `Số ${1 + Math.floor(rnd() * 350)} ${pick(streets)}`,
      fullName: p.fullName,
      idKind: 'citizen_id',
      idNumber: p.idNumber,
      nationality: 'VN',
      fromDate: from,
      toDate: addDays(from, 1 + Math.floor(rnd() * 30)),
      reviewDueAt: new Date(at.getTime() + 86_400_000),
      clientKey: `bench-${d}-${k}`,
      createdAt: at,
    })
  }
}
await chunk(reports, 1000, (part) => db.insert(residenceReports).values(part))
await chunk(personIds, 1000, (part) =>
  db.insert(registerEvents).values(
    part.map((p) => ({
      personId: p.id,
      areaPath: p.areaPath,
      change: 'entered' as const,
      actorId: officer.id,
    })),
  ),
)
await db.execute(sql`analyze`)
const seedSeconds = (Date.now() - seedStarted) / 1000

const scope = (over: Partial<Scope>): Scope => ({
  userId: officer.id,
  isStaff: true,
  isAdmin: false,
  areaId: null,
  coverPaths: [],
  commandPaths: [],
  officerUnitPaths: [ward.path],
  moderatorPaths: [],
  ...over,
})
const commander = scope({ commandPaths: [ward.path] })
const areaOfficer = scope({ coverPaths: areas.slice(0, 3).map((a) => a.path) })

/** What the households route runs: a page (31 = 30 and one to know there is more), then its people. */
async function page(s: Scope, q: { q?: string; after?: [string, string]; areaId?: string }) {
  const rows = await registerRepository.households(db, s, { ...q, limit: 31 })
  await registerRepository.peopleOf(
    db,
    rows.slice(0, 30).map((r) => r.household.id),
    false,
    today,
  )
  return rows
}
// A cursor 50 pages in (1,500 households along the address order).
let deep: [string, string] | undefined
for (let i = 0; i < 50; i++) {
  const rows = await page(commander, deep ? { after: deep } : {})
  const last = rows[29]!
  deep = [last.household.addressKey, last.household.id]
}
const sample = people[1234]!
const scenarios: { name: string; run: () => Promise<unknown> }[] = [
  { name: 'commander (ward): first page', run: () => page(commander, {}) },
  { name: 'commander: page 51 (cursor)', run: () => page(commander, { after: deep! }) },
  { name: 'officer (3 areas): first page', run: () => page(areaOfficer, {}) },
  { name: 'commander: one area', run: () => page(commander, { areaId: areas[7]!.id }) },
  { name: 'search "Nguyễn Thị Hoa"', run: () => page(commander, { q: 'Nguyễn Thị Hoa' }) },
  { name: 'search "nguyen thi hoa"', run: () => page(commander, { q: 'nguyen thi hoa' }) },
  { name: `search full name "${sample.fullName}"`, run: () => page(commander, { q: sample.fullName }) },
  { name: 'search "tran" (common)', run: () => page(commander, { q: 'tran' }) },
  { name: 'search ID number', run: () => page(commander, { q: sample.idNumber }) },
  { name: 'search "ngo 5 pho hue"', run: () => page(commander, { q: 'ngo 5 pho hue' }) },
  { name: 'officer: search "le van"', run: () => page(areaOfficer, { q: 'le van' }) },
  { name: 'search, no match', run: () => page(commander, { q: 'không có ai tên này' }) },
  {
    name: 'expiring stays (ward)',
    run: () => registerRepository.expiring(db, commander, today, addDays(today, 6)),
  },
]
const pct = (v: number[], q: number) => v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)]!
const results = []
for (const s of scenarios) {
  for (let i = 0; i < 5; i++) await s.run() // warm-up: plans and caches
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await s.run()
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  results.push({
    scenario: s.name,
    runs,
    p50: +pct(times, 0.5).toFixed(1),
    p99: +pct(times, 0.99).toFixed(1),
    max: +times.at(-1)!.toFixed(1),
  })
}
await scratch.drop()

const load = loadavg()
  .map((x) => x.toFixed(2))
  .join(' ')
process.stdout.write(
  `\nregister on ${scratch.engine === 'postgresql' ? 'PostgreSQL' : 'PGlite'}: ${households.length} households, ${people.length} people, ${reports.length} reports; ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}, load average ${load}; seed ${seedSeconds.toFixed(0)} s\n`,
)
console.table(results)
if (loadavg()[0]! > cpus().length)
  process.stdout.write('warning: load average above the core count — figures not comparable\n')
