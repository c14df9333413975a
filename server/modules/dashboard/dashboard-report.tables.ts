import { type Locale, translate } from '@common/i18n/messages'
import type { TDashboard } from '@common/schemas/dashboard'

/** One table of the report: the PDF draws it, the CSV download writes it. */
export interface ReportTable {
  key: string
  title: string
  head: string[]
  rows: (string | number)[][]
}

export const reportTableKeys = [
  'interactions',
  'areas',
  'officers',
  'reach',
  'groups',
  'cases',
  'alerts',
  'movements',
] as const
export type ReportTableKey = (typeof reportTableKeys)[number]

const fmt = (locale: Locale, x: number | null) =>
  x === null ? '—' : x.toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 })

/** The dashboard's figures as the report's tables, in the viewer's language. */
export function reportTables(d: TDashboard, locale: Locale): ReportTable[] {
  const t = (key: string, vars?: Record<string, string | number>) => translate(locale, `report.${key}`, vars)
  const cur = t('current')
  const prev = t('previous')
  return [
    {
      key: 'interactions',
      title: t('interactions'),
      head: ['', cur, prev],
      rows: [
        ...d.interactions.byKind.map((k) => [t(`kind.${k.kind}`), k.current, k.previous]),
        [t('total'), d.interactions.total.current, d.interactions.total.previous],
      ],
    },
    {
      key: 'areas',
      title: t('by_child'),
      head: [t('area'), cur, prev],
      rows: d.interactions.byChild.map((c) => [c.name, c.current, c.previous]),
    },
    {
      key: 'officers',
      title: t('by_officer'),
      head: [
        t('officer'),
        t('count'),
        t('first_median'),
        t('first_p90'),
        t('resolution_median'),
        t('overdue'),
      ],
      rows: d.responseTimes.byOfficer.map((o) => [
        o.name,
        o.count,
        fmt(locale, o.firstResponseMedian),
        fmt(locale, o.firstResponseP90),
        fmt(locale, o.resolutionMedian),
        o.overdue,
      ]),
    },
    {
      key: 'reach',
      title: t('reach'),
      head: [t('area'), t('households'), t('reached'), t('rate')],
      rows: d.reach.map((r) => [
        r.name,
        r.households,
        r.reached,
        fmt(locale, r.households ? r.reached / r.households : null),
      ]),
    },
    {
      key: 'groups',
      title: t('groups'),
      head: [t('group_kind'), t('group_count'), t('members'), t('messages'), t('moderation')],
      rows: d.groups.byKind.map((g) => [
        g.kind,
        g.groups,
        g.members,
        g.messages.current,
        g.moderation.current,
      ]),
    },
    {
      key: 'cases',
      title: t('cases'),
      head: ['', cur],
      rows: [
        ...d.cases.openByAge.map((a) => [`${t('open_by_age')}: ${t(`age.${a.age}`)}`, a.count]),
        ...d.cases.openByStatus.map((s) => [`${t('open_by_status')}: ${s.status}`, s.count]),
        ...d.cases.closedByOutcome.map((o) => [`${t('closed_by_outcome')}: ${o.outcome}`, o.current]),
      ],
    },
    {
      key: 'alerts',
      title: t('alerts'),
      head: [t('alert'), t('targeted'), t('delivered'), t('read'), t('shared'), t('answered')],
      rows: d.alerts.list.map((a) => [a.headline, a.targeted, a.delivered, a.read, a.shared, a.answered]),
    },
    {
      key: 'movements',
      title: t('movements'),
      head: ['', cur, t('confirmed'), prev],
      rows: [
        ...d.movements.byKind.map((m) => [t(`movement.${m.kind}`), m.current, m.confirmed, m.previous]),
        [t('total'), d.movements.total.current, '', d.movements.total.previous],
        ...d.movements.byChild.map((c) => [`${t('area')}: ${c.name}`, c.current, '', c.previous]),
      ],
    },
  ]
}

/** RFC 4180 CSV with a BOM, so Excel opens the Vietnamese text as UTF-8. */
export function toCsv(table: ReportTable): string {
  const cell = (v: string | number) => {
    const s = String(v)
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  return `\uFEFF${[table.head, ...table.rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`
}
