import {
  caseAgeValues,
  interactionKindValues,
  interactionSourceValues,
  movementDirectionOf,
  type TDashboard,
} from '@common/schemas/dashboard'
import { reportKindValues } from '@common/schemas/movements'
import { type Period, vnDate } from './dashboard.definitions'
import type { alertFigures, caseFigures, groupActivity, reach } from './dashboard-activity.repository'
import type { CountRow, TimesRow } from './dashboard-interactions.repository'
import type { MovementRow } from './dashboard-movements.repository'

export interface DashboardParts {
  unit: { id: string; name: string; level: string }
  period: Period
  now: Date
  targetMinutes: number
  childLevel: string
  counts: CountRow[]
  times: TimesRow[]
  reach: Awaited<ReturnType<typeof reach>>
  reachAsOf: Date | null
  groups: Awaited<ReturnType<typeof groupActivity>>
  cases: Awaited<ReturnType<typeof caseFigures>>
  alerts: Awaited<ReturnType<typeof alertFigures>>
  movements: MovementRow[]
  names: Map<string, string>
  /** The viewer may open the lists behind the figures. */
  lists: boolean
}

const round1 = (x: number | string | null) => (x === null ? null : Math.round(Number(x) * 10) / 10)
const zero = { current: 0, previous: 0 }

/** The figures as the API, the page and the report show them; every list sorted largest first. */
export function presentDashboard(d: DashboardParts): TDashboard {
  const dayBefore = (x: Date) => vnDate(new Date(x.getTime() - 1))
  const nameOf = (id: string | null, fallback: string) => (id ? (d.names.get(id) ?? fallback) : fallback)
  const counts = (dim: CountRow['dim']) => d.counts.filter((r) => r.dim === dim)
  const countOf = (dim: CountRow['dim'], key: string) => {
    const r = counts(dim).find((x) => x.key === key)
    return r ? { current: r.current, previous: r.previous } : zero
  }
  const byCount = <T extends { current: number }>(a: T, b: T) => b.current - a.current
  const named = (dim: 'child' | 'officer', fallback: string) =>
    counts(dim)
      .map((r) => ({ id: r.key, name: nameOf(r.key, fallback), current: r.current, previous: r.previous }))
      .sort(byCount)
  const times = (r: TimesRow | undefined) => ({
    count: r?.count ?? 0,
    answered: r?.answered ?? 0,
    firstResponseMedian: round1(r?.first_median ?? null),
    firstResponseP90: round1(r?.first_p90 ?? null),
    resolutionMedian: round1(r?.resolution_median ?? null),
    resolutionP90: round1(r?.resolution_p90 ?? null),
    overdue: r?.overdue ?? 0,
  })
  const current = d.times.filter((r) => !r.previous)
  const timesBy = (dim: 'child' | 'officer', fallback: string) =>
    current
      .filter((r) => r.dim === dim)
      .map((r) => ({ id: r.key, name: nameOf(r.key, fallback), ...times(r) }))
      .sort((a, b) => b.count - a.count)
  const total = counts('total')[0]
  const alertTotals = { targeted: 0, delivered: 0, read: 0, shared: 0, answered: 0 }
  for (const a of d.alerts.list)
    for (const k of Object.keys(alertTotals) as (keyof typeof alertTotals)[]) alertTotals[k] += a[k]
  const openCount = (pick: (r: { status: string; age: string }) => string, key: string) =>
    d.cases.openRows.filter((r) => pick(r) === key).reduce((s, r) => s + r.count, 0)
  const statuses = [...new Set(d.cases.openRows.map((r) => r.status))]
  const moves = (dim: MovementRow['dim']) => d.movements.filter((r) => r.dim === dim)
  const movesTotal = moves('total')[0]
  const period = {
    from: vnDate(d.period.from),
    to: dayBefore(d.period.to),
    previousFrom: vnDate(d.period.previousFrom),
    previousTo: dayBefore(d.period.from),
  }
  return {
    unit: d.unit,
    period,
    generatedAt: d.now.toISOString(),
    listsQuery: d.lists
      ? new URLSearchParams({ unitId: d.unit.id, from: period.from, to: period.to }).toString()
      : null,
    targetMinutes: d.targetMinutes,
    childLevel: d.childLevel,
    interactions: {
      total: total ? { current: total.current, previous: total.previous } : zero,
      byKind: interactionKindValues.map((kind) => ({ kind, ...countOf('kind', kind) })),
      bySource: interactionSourceValues.map((source) => ({ source, ...countOf('source', source) })),
      byChild: named('child', d.unit.name),
      byOfficer: named('officer', '—'),
    },
    responseTimes: {
      overall: times(d.times.find((r) => r.dim === 'total' && !r.previous)),
      previous: times(d.times.find((r) => r.dim === 'total' && r.previous)),
      byChild: timesBy('child', d.unit.name),
      byOfficer: timesBy('officer', '—'),
    },
    reachAsOf: d.reachAsOf?.toISOString() ?? null,
    reach: d.reach
      .filter((r) => r.key !== null)
      .map((r) => ({
        id: r.key,
        name: nameOf(r.key, '—'),
        households: r.households,
        reached: r.reached,
        reachedBefore: r.reached_before,
      }))
      .sort((a, b) => a.name.localeCompare(b.name, 'vi', { numeric: true })),
    groups: {
      byKind: d.groups.map((g) => ({
        kind: g.kind,
        groups: g.groups,
        members: g.members,
        messages: { current: g.messages, previous: g.messages_before },
        moderation: { current: g.moderation, previous: g.moderation_before },
      })),
    },
    cases: {
      opened: d.cases.opened,
      openByStatus: statuses.map((status) => ({ status, count: openCount((r) => r.status, status) })),
      openByAge: caseAgeValues.map((age) => ({ age, count: openCount((r) => r.age, age) })),
      closedByOutcome: d.cases.closed,
    },
    alerts: {
      issued: { current: d.alerts.list.length, previous: d.alerts.previous },
      totals: alertTotals,
      list: d.alerts.list.map((a) => ({
        id: a.id,
        headline: a.headline,
        kind: a.kind,
        publishedAt: new Date(a.published_at).toISOString(),
        targeted: a.targeted,
        delivered: a.delivered,
        read: a.read,
        shared: a.shared,
        answered: a.answered,
      })),
    },
    movements: {
      total: movesTotal ? { current: movesTotal.current, previous: movesTotal.previous } : zero,
      byKind: reportKindValues.map((kind) => {
        const r = moves('kind').find((x) => x.key === kind)
        return {
          kind,
          direction: movementDirectionOf[kind],
          current: r?.current ?? 0,
          previous: r?.previous ?? 0,
          confirmed: r?.confirmed ?? 0,
        }
      }),
      byChild: moves('child')
        .filter((r) => r.key !== null)
        .map((r) => ({ id: r.key, name: nameOf(r.key, '—'), current: r.current, previous: r.previous }))
        .sort(byCount),
    },
    busiestHours: counts('hour')
      .filter((r) => r.current > 0)
      .map((r) => ({ weekday: Number(r.key), hour: r.hour ?? 0, count: r.current })),
  }
}
