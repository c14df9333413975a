/** Periods of the dashboard in Vietnam's calendar: a month ("2026-11") or a year ("2026"). */
export type PeriodKind = 'month' | 'year'

const pad = (n: number) => String(n).padStart(2, '0')

/** Today's month in Vietnam (UTC+7 all year), as "YYYY-MM". */
export const currentMonth = (now = new Date()) =>
  new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 7)

/** First and last day (both included) of the month or of its year. */
export function periodOf(month: string, kind: PeriodKind): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number]
  if (kind === 'year') return { from: `${y}-01-01`, to: `${y}-12-31` }
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return { from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(last)}` }
}

/** Change from the previous period in percent, or null when there was nothing before. */
export const changePercent = (current: number, previous: number) =>
  previous === 0 ? null : Math.round(((current - previous) / previous) * 100)
