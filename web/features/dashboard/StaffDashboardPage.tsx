import type { TDashboard } from '@common/schemas/dashboard'
import { FileDown, FileSpreadsheet } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router'
import type { Lang } from '../../i18n/languages'
import { formatDate, formatDateTime, formatNumber } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { DashboardSections, type RecordsHref } from './DashboardSections'
import { qs, useDashboard, useDashboardUnits } from './dashboard-api'
import { changePercent, currentMonth, type PeriodKind, periodOf } from './period'
import './dashboard.css'

const CSV_TABLES = [
  'interactions',
  'areas',
  'officers',
  'reach',
  'groups',
  'cases',
  'alerts',
  'movements',
] as const

/** /staff/dashboard: the month in review for a unit the signed-in commander may open (S8). */
export function StaffDashboardPage() {
  const { t, i18n } = useTranslation()
  useDocumentTitle(t('pages.staffDashboard'))
  const lang = (i18n.language === 'en' ? 'en' : 'vi') as Lang
  const [params, setParams] = useSearchParams()
  const units = useDashboardUnits()
  const month = params.get('month') ?? currentMonth()
  const kind: PeriodKind = params.get('period') === 'year' ? 'year' : 'month'
  const unitId = params.get('unit') ?? units.data?.[0]?.id
  const period = periodOf(month, kind)
  const q = unitId ? { unitId, ...period } : null
  const { data, isError, isFetching } = useDashboard(q)
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params)
    next.set(key, value)
    setParams(next, { replace: true })
  }
  // The lists behind the figures, only for a viewer the server gives their query (not administrators).
  const href: RecordsHref = (f) =>
    data?.listsQuery ? `/staff/dashboard/records?${data.listsQuery}&${qs({ ...f })}` : null
  const report = (path: string) => `/api/dashboard/${path}?${qs({ unitId, ...period, lang })}`

  if (units.data?.length === 0)
    return (
      <>
        <h1>{t('pages.staffDashboard')}</h1>
        <p className="message-page__lead">{t('dashboard.noUnits')}</p>
      </>
    )
  return (
    <div className="dash">
      <h1>{data ? t('dashboard.titleFor', { unit: data.unit.name }) : t('pages.staffDashboard')}</h1>
      <form className="dash-controls" onSubmit={(e) => e.preventDefault()}>
        {(units.data?.length ?? 0) > 1 && (
          <label className="dash-field">
            <span className="dash-field__label">{t('dashboard.unit')}</span>
            <select value={unitId} onChange={(e) => set('unit', e.target.value)}>
              {units.data?.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="dash-field">
          <span className="dash-field__label">{t('dashboard.periodKind')}</span>
          <select value={kind} onChange={(e) => set('period', e.target.value)}>
            <option value="month">{t('dashboard.kindMonth')}</option>
            <option value="year">{t('dashboard.kindYear')}</option>
          </select>
        </label>
        <label className="dash-field">
          <span className="dash-field__label">{t('dashboard.month')}</span>
          <input
            type="month"
            value={month}
            required
            onChange={(e) => e.target.value && set('month', e.target.value)}
          />
        </label>
      </form>
      {data && (
        <p className="dash-period" aria-live="polite">
          {t('dashboard.periodLine', {
            from: formatDate(`${data.period.from}T00:00:00+07:00`),
            to: formatDate(`${data.period.to}T00:00:00+07:00`),
            prevFrom: formatDate(`${data.period.previousFrom}T00:00:00+07:00`),
            prevTo: formatDate(`${data.period.previousTo}T00:00:00+07:00`),
          })}
          {isFetching && <span className="dash-period__busy"> · {t('dashboard.loading')}</span>}
        </p>
      )}
      {isError && <p role="alert">{t('dashboard.loadError')}</p>}
      {!data && !isError && <p role="status">{t('dashboard.loading')}</p>}
      {data && (
        <>
          <Headline d={data} lang={lang} href={href} />
          <div className="dash-downloads">
            <a className="btn btn--secondary" href={report('report.pdf')} download>
              <FileDown className="icon" aria-hidden="true" />
              {t('dashboard.downloadPdf')}
            </a>
            <details className="dash-csv">
              <summary className="btn btn--secondary">
                <FileSpreadsheet className="icon" aria-hidden="true" />
                {t('dashboard.downloadCsv')}
              </summary>
              <ul>
                {CSV_TABLES.map((k) => (
                  <li key={k}>
                    <a href={report(`report/${k}.csv`)} download>
                      {t(`dashboard.csv.${k}`)}
                    </a>
                  </li>
                ))}
              </ul>
            </details>
          </div>
          <DashboardSections d={data} href={href} />
        </>
      )}
    </div>
  )
}

/** The headline figures, each against the previous period and linked to the list behind it. */
function Headline({ d, lang, href }: { d: TDashboard; lang: Lang; href: RecordsHref }) {
  const { t } = useTranslation()
  const linked = (text: string, f: Parameters<RecordsHref>[0]) => {
    const to = href(f)
    return to ? <Link to={to}>{text}</Link> : text
  }
  const n = (x: number) => formatNumber(x, lang)
  const change = (current: number, previous: number) => {
    const p = changePercent(current, previous)
    return p === null
      ? t('dashboard.previousWas', { value: n(previous) })
      : t('dashboard.change', { sign: p > 0 ? '+' : '', value: n(p), previous: n(previous) })
  }
  const o = d.responseTimes.overall
  const households = d.reach.reduce((s, r) => s + r.households, 0)
  const reached = d.reach.reduce((s, r) => s + r.reached, 0)
  const open = d.cases.openByStatus.reduce((s, r) => s + r.count, 0)
  const fmtMin = (x: number | null) =>
    x === null ? '—' : t('dashboard.minutes', { value: formatNumber(x, lang, { maximumFractionDigits: 1 }) })
  const cards = [
    {
      key: 'interactions',
      label: t('dashboard.interactions'),
      value: linked(n(d.interactions.total.current), { figure: 'interactions' }),
      sub: change(d.interactions.total.current, d.interactions.total.previous),
    },
    {
      key: 'first',
      label: t('dashboard.firstMedian'),
      value: linked(fmtMin(o.firstResponseMedian), { figure: 'responses' }),
      sub: t('dashboard.p90AndTarget', { p90: fmtMin(o.firstResponseP90), target: n(d.targetMinutes) }),
    },
    {
      key: 'overdue',
      label: t('dashboard.overdue'),
      value: linked(n(o.overdue), { figure: 'responses', overdue: 'true' }),
      sub: t('dashboard.overdueOf', { count: o.count, total: n(o.count) }),
    },
    {
      key: 'reach',
      label: t('dashboard.reachedShare'),
      value: linked(
        `${formatNumber(households ? Math.round((reached / households) * 1000) / 10 : 0, lang)} %`,
        { figure: 'households' },
      ),
      sub: d.reachAsOf
        ? t('dashboard.reachedOfAsOf', {
            reached: n(reached),
            households: n(households),
            at: formatDateTime(d.reachAsOf),
          })
        : t('dashboard.reachedOf', { reached: n(reached), households: n(households) }),
    },
    {
      key: 'cases',
      label: t('dashboard.openCases'),
      value: linked(n(open), { figure: 'open_cases' }),
      sub: t('dashboard.casesOpened', { value: n(d.cases.opened.current) }),
    },
    {
      key: 'alerts',
      label: t('dashboard.alerts'),
      value: linked(n(d.alerts.issued.current), { figure: 'alerts' }),
      sub: change(d.alerts.issued.current, d.alerts.issued.previous),
    },
    {
      key: 'movements',
      label: t('dashboard.movements'),
      value: linked(n(d.movements.total.current), { figure: 'movements' }),
      sub: change(d.movements.total.current, d.movements.total.previous),
    },
  ]
  return (
    <dl className="dash-headline">
      {cards.map((c) => (
        <div key={c.key} className="dash-card" data-figure={c.key}>
          <dt>{c.label}</dt>
          <dd className="dash-card__value">{c.value}</dd>
          <dd className="dash-card__sub">{c.sub}</dd>
        </div>
      ))}
    </dl>
  )
}
