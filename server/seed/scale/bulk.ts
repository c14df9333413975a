import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'

/** Column name → SQL type, in the order rows are read (jsonb_to_recordset needs the types). */
export type ColumnTypes = Record<string, string>

const CHUNK = 4000

/**
 * Inserts many rows in a few statements: each chunk travels as ONE jsonb parameter and is expanded
 * by jsonb_to_recordset, so 20,000 residents are five statements rather than 20,000 factory calls
 * (and no statement comes near the 65,535-parameter limit). Dates go as ISO strings.
 */
export async function bulkInsert(
  db: DbOrTx,
  table: string,
  columns: ColumnTypes,
  rows: Record<string, unknown>[],
): Promise<void> {
  const names = Object.keys(columns)
  const list = names.map((n) => `"${n}"`).join(', ')
  const defs = names.map((n) => `"${n}" ${columns[n]}`).join(', ')
  for (let i = 0; i < rows.length; i += CHUNK) {
    const json = JSON.stringify(rows.slice(i, i + CHUNK))
    await db.execute(
      sql`insert into ${sql.raw(table)} (${sql.raw(list)}) select ${sql.raw(list)} from jsonb_to_recordset(${json}::jsonb) as x(${sql.raw(defs)})`,
    )
  }
}

/** A small seeded generator (mulberry32): the same seed makes the same ward, so runs compare. */
export function makeRandom(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
    chance: (p: number) => next() < p,
    /** Exponentially distributed, with the given mean: answer delays have this long tail. */
    exp: (mean: number) => -Math.log(1 - next()) * mean,
    uuid: () => {
      const h = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16))
      h[12] = '4'
      h[16] = '89ab'[Math.floor(next() * 4)]!
      const s = h.join('')
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`
    },
    hex: (n: number) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join(''),
  }
}
export type Random = ReturnType<typeof makeRandom>

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
/** Vietnam is UTC+7 all year. */
const VN_OFFSET = 7 * HOUR
/** When residents write (hour of the day in Vietnam): mornings and evenings, little at night. */
const HOUR_WEIGHTS = [1, 0, 0, 0, 0, 1, 3, 6, 9, 10, 9, 8, 5, 6, 8, 8, 8, 7, 6, 8, 8, 6, 4, 2]
const HOUR_TOTAL = HOUR_WEIGHTS.reduce((s, w) => s + w, 0)

/** A moment in [from, to) in office-and-evening hours; weekends are quieter. */
export function plausibleTime(rng: Random, from: Date, to: Date): Date {
  for (;;) {
    const day =
      Math.floor((from.getTime() + VN_OFFSET) / DAY) +
      rng.int(Math.ceil((to.getTime() - from.getTime()) / DAY) + 1)
    let x = rng.next() * HOUR_TOTAL
    let hour = 0
    while (x >= HOUR_WEIGHTS[hour]!) x -= HOUR_WEIGHTS[hour++]!
    const t = day * DAY - VN_OFFSET + hour * HOUR + rng.int(60) * MINUTE + rng.int(60) * 1000
    const weekday = new Date(t + VN_OFFSET).getUTCDay()
    if ((weekday === 0 || weekday === 6) && rng.chance(0.4)) continue
    if (t >= from.getTime() && t < to.getTime()) return new Date(t)
  }
}

/** An answer delay: officers answer within their working day; a question at night waits until 07:30. */
export function answerTime(rng: Random, asked: Date, meanMinutes: number): Date {
  const vnHour = new Date(asked.getTime() + VN_OFFSET).getUTCHours()
  let start = asked.getTime()
  if (vnHour >= 22 || vnHour < 7) {
    const vnDay = Math.floor((start + VN_OFFSET) / DAY) + (vnHour >= 22 ? 1 : 0)
    start = vnDay * DAY - VN_OFFSET + 7.5 * HOUR
  }
  return new Date(start + Math.max(1, rng.exp(meanMinutes)) * MINUTE)
}

export const minutes = (n: number) => n * MINUTE
export const days = (n: number) => n * DAY
