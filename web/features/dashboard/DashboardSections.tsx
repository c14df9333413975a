import type { TDashboard } from '@common/schemas/dashboard'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import type { Lang } from '../../i18n/languages'
import { formatNumber } from '../../lib/format'
import { ChartSection } from './ChartSection'
import type { RecordsFilter } from './dashboard-api'

/** The page of the list behind a figure; null when the viewer may not open the lists. */
export type RecordsHref = (f: RecordsFilter) => string | null

/** Every section of the dashboard below the headline figures: chart, table view, links to the lists. */
export function DashboardSections({ d, href }: { d: TDashboard; href: RecordsHref }) {
  const { t, i18n } = useTranslation()
  const navigate = useNavigate()
  const lang = (i18n.language === 'en' ? 'en' : 'vi') as Lang
  const n = (x: number) => formatNumber(x, lang)
  const minutes = (x: number | null) =>
    x === null ? '—' : t('dashboard.minutes', { value: formatNumber(x, lang, { maximumFractionDigits: 1 }) })
  const link = (text: string | number, f: RecordsFilter) => {
    const to = href(f)
    return to ? <Link to={to}>{text}</Link> : text
  }
  const listed = href({ figure: 'interactions' }) !== null
  const go = (f: (i: number) => RecordsFilter) =>
    listed ? (i: number) => navigate(href(f(i)) ?? '') : undefined
  const now = t('dashboard.thisPeriod')
  const before = t('dashboard.previousPeriod')
  const childWord = t(d.childLevel === 'residential_group' ? 'dashboard.child.area' : 'dashboard.child.ward')

  const kinds = d.interactions.byKind
  const children = d.interactions.byChild
  const officers = d.interactions.byOfficer
  const counted = (
    rows: { name: string; current: number; previous: number }[],
    f: (i: number) => RecordsFilter,
  ) => ({
    labels: rows.map((r) => r.name),
    series: [
      { label: now, values: rows.map((r) => r.current) },
      { label: before, values: rows.map((r) => r.previous), muted: true },
    ],
    onSelect: go(f),
    table: {
      head: ['', now, before],
      rows: rows.map((r, i) => [r.name, link(n(r.current), f(i)), n(r.previous)]),
    },
  })
  const times = (rows: TDashboard['responseTimes']['byOfficer'], key: 'officerId' | 'childId') => ({
    labels: rows.map((r) => r.name),
    series: [
      { label: t('dashboard.firstMedian'), values: rows.map((r) => r.firstResponseMedian ?? 0) },
      { label: t('dashboard.firstP90'), values: rows.map((r) => r.firstResponseP90 ?? 0), muted: true },
    ],
    onSelect: go((i) => ({ figure: 'responses', [key]: rows[i]?.id ?? undefined })),
    table: {
      head: [
        '',
        t('dashboard.started'),
        t('dashboard.firstMedian'),
        t('dashboard.firstP90'),
        t('dashboard.resolutionMedian'),
        t('dashboard.resolutionP90'),
        t('dashboard.overdue'),
      ],
      rows: rows.map((r) => [
        r.name,
        link(n(r.count), { figure: 'responses', [key]: r.id ?? undefined }),
        minutes(r.firstResponseMedian),
        minutes(r.firstResponseP90),
        minutes(r.resolutionMedian),
        minutes(r.resolutionP90),
        link(n(r.overdue), { figure: 'responses', [key]: r.id ?? undefined, overdue: 'true' }),
      ]),
    },
  })
  const pct = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 10 : 0)
  const funnel = ['targeted', 'delivered', 'read', 'shared', 'answered'] as const
  const hours = Array.from({ length: 24 }, (_, h) =>
    d.busiestHours.filter((x) => x.hour === h).reduce((s, x) => s + x.count, 0),
  )
  const top = [...d.busiestHours].sort((a, b) => b.count - a.count).slice(0, 10)

  return (
    <div className="dash-sections">
      <ChartSection
        title={t('dashboard.section.byKind')}
        {...counted(
          kinds.map((k) => ({ ...k, name: t(`dashboard.kind.${k.kind}`) })),
          (i) => ({ figure: 'interactions', kind: kinds[i]?.kind }),
        )}
      />
      <ChartSection
        title={t('dashboard.section.byChild', { child: childWord })}
        {...counted(children, (i) => ({ figure: 'interactions', childId: children[i]?.id ?? undefined }))}
      />
      <ChartSection
        title={t('dashboard.section.byOfficer')}
        {...counted(officers, (i) => ({ figure: 'interactions', officerId: officers[i]?.id ?? undefined }))}
      />
      <ChartSection
        title={t('dashboard.section.timesByOfficer')}
        note={t('dashboard.targetNote', { minutes: n(d.targetMinutes) })}
        {...times(d.responseTimes.byOfficer, 'officerId')}
      />
      <ChartSection
        title={t('dashboard.section.timesByChild', { child: childWord })}
        {...times(d.responseTimes.byChild, 'childId')}
      />
      <ChartSection
        title={t('dashboard.section.reach', { child: childWord })}
        note={t('dashboard.reachNote')}
        labels={d.reach.map((r) => r.name)}
        series={[
          { label: t('dashboard.reachedShare'), values: d.reach.map((r) => pct(r.reached, r.households)) },
        ]}
        onSelect={go((i) => ({ figure: 'households', childId: d.reach[i]?.id ?? undefined }))}
        table={{
          head: ['', t('dashboard.households'), t('dashboard.reached'), t('dashboard.reachedShare'), before],
          rows: d.reach.map((r) => [
            r.name,
            n(r.households),
            link(n(r.reached), { figure: 'households', childId: r.id ?? undefined }),
            `${formatNumber(pct(r.reached, r.households), lang)} %`,
            n(r.reachedBefore),
          ]),
        }}
      />
      <ChartSection
        title={t('dashboard.section.groups')}
        labels={d.groups.byKind.map((g) => t(`messaging.groups.kinds.${g.kind}`, { defaultValue: g.kind }))}
        series={[
          { label: now, values: d.groups.byKind.map((g) => g.messages.current) },
          { label: before, values: d.groups.byKind.map((g) => g.messages.previous), muted: true },
        ]}
        table={{
          head: [
            '',
            t('dashboard.groupCount'),
            t('dashboard.members'),
            t('dashboard.messages'),
            t('dashboard.moderation'),
          ],
          rows: d.groups.byKind.map((g) => [
            t(`messaging.groups.kinds.${g.kind}`, { defaultValue: g.kind }),
            n(g.groups),
            n(g.members),
            n(g.messages.current),
            n(g.moderation.current),
          ]),
        }}
      />
      <ChartSection
        title={t('dashboard.section.openCases')}
        labels={d.cases.openByAge.map((a) => t(`dashboard.age.${a.age}`))}
        series={[{ label: t('dashboard.openCases'), values: d.cases.openByAge.map((a) => a.count) }]}
        onSelect={go((i) => ({ figure: 'open_cases', age: d.cases.openByAge[i]?.age }))}
        table={{
          head: ['', t('dashboard.openCases')],
          rows: [
            ...d.cases.openByAge.map((a) => [
              t(`dashboard.age.${a.age}`),
              link(n(a.count), { figure: 'open_cases', age: a.age }),
            ]),
            ...d.cases.openByStatus.map((s) => [
              t(`cases.status.${s.status}`, { defaultValue: t('dashboard.closedSince') }),
              link(n(s.count), { figure: 'open_cases', status: s.status }),
            ]),
          ],
        }}
      />
      <ChartSection
        title={t('dashboard.section.closedCases')}
        labels={d.cases.closedByOutcome.map((o) =>
          t(`cases.outcome.${o.outcome}`, { defaultValue: t('dashboard.noOutcome') }),
        )}
        series={[
          { label: now, values: d.cases.closedByOutcome.map((o) => o.current) },
          { label: before, values: d.cases.closedByOutcome.map((o) => o.previous), muted: true },
        ]}
        onSelect={go((i) => ({ figure: 'closed_cases', outcome: d.cases.closedByOutcome[i]?.outcome }))}
        table={{
          head: ['', now, before],
          rows: d.cases.closedByOutcome.map((o) => [
            t(`cases.outcome.${o.outcome}`, { defaultValue: t('dashboard.noOutcome') }),
            link(n(o.current), { figure: 'closed_cases', outcome: o.outcome }),
            n(o.previous),
          ]),
        }}
      />
      <ChartSection
        title={t('dashboard.section.alerts')}
        note={link(t('dashboard.alertsIssued', { count: d.alerts.issued.current }), { figure: 'alerts' })}
        labels={funnel.map((k) => t(`dashboard.funnel.${k}`))}
        series={[{ label: now, values: funnel.map((k) => d.alerts.totals[k]) }]}
        onSelect={go(() => ({ figure: 'alerts' }))}
        table={{
          head: ['', t('dashboard.people')],
          rows: funnel.map((k) => [
            t(`dashboard.funnel.${k}`),
            link(n(d.alerts.totals[k]), { figure: 'alerts' }),
          ]),
        }}
      />
      <MovementSections d={d} link={link} go={go} />
      <ChartSection
        title={t('dashboard.section.hours')}
        horizontal={false}
        labels={d.busiestHours.length ? hours.map((_, h) => `${h}h`) : []}
        series={[{ label: t('dashboard.interactions'), values: hours }]}
        table={{
          head: [t('dashboard.weekdayHour'), t('dashboard.interactions')],
          rows: top.map((x) => [
            `${t(`dashboard.weekday.${x.weekday}` as 'dashboard.weekday.0')} ${String(x.hour).padStart(2, '0')}:00`,
            n(x.count),
          ]),
        }}
      />
    </div>
  )
}

/** Residence reports of the period (S6): by kind (who arrives, who leaves) and by area, each linked. */
function MovementSections({
  d,
  link,
  go,
}: {
  d: TDashboard
  link: (text: string | number, f: RecordsFilter) => ReactNode
  go: (f: (i: number) => RecordsFilter) => ((i: number) => void) | undefined
}) {
  const { t, i18n } = useTranslation()
  const lang = (i18n.language === 'en' ? 'en' : 'vi') as Lang
  const n = (x: number) => formatNumber(x, lang)
  const now = t('dashboard.thisPeriod')
  const before = t('dashboard.previousPeriod')
  const kinds = d.movements.byKind
  const children = d.movements.byChild
  const childWord = t(d.childLevel === 'residential_group' ? 'dashboard.child.area' : 'dashboard.child.ward')
  const series = (rows: { current: number; previous: number }[]) => [
    { label: now, values: rows.map((r) => r.current) },
    { label: before, values: rows.map((r) => r.previous), muted: true },
  ]
  return (
    <>
      <ChartSection
        title={t('dashboard.section.movements')}
        note={t('dashboard.movementsNote')}
        labels={kinds.map((k) => t(`dashboard.movement.${k.kind}`))}
        series={series(kinds)}
        onSelect={go((i) => ({ figure: 'movements', reportKind: kinds[i]?.kind }))}
        table={{
          head: ['', t('dashboard.direction'), now, t('dashboard.confirmed'), before],
          rows: kinds.map((k) => [
            t(`dashboard.movement.${k.kind}`),
            t(`dashboard.directions.${k.direction}`),
            link(n(k.current), { figure: 'movements', reportKind: k.kind }),
            n(k.confirmed),
            n(k.previous),
          ]),
        }}
      />
      <ChartSection
        title={t('dashboard.section.movementsByChild', { child: childWord })}
        labels={children.map((c) => c.name)}
        series={series(children)}
        onSelect={go((i) => ({ figure: 'movements', childId: children[i]?.id ?? undefined }))}
        table={{
          head: ['', now, before],
          rows: children.map((c) => [
            c.name,
            link(n(c.current), { figure: 'movements', childId: c.id ?? undefined }),
            n(c.previous),
          ]),
        }}
      />
    </>
  )
}
