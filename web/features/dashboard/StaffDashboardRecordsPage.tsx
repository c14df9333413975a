import { dashboardFigureValues } from '@common/schemas/dashboard'
import { ArrowLeft } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router'
import { formatDate, formatDateTime } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { type RecordsFilter, useDashboardRecords } from './dashboard-api'
import './dashboard.css'

const FILTERS = [
  'kind',
  'source',
  'childId',
  'officerId',
  'status',
  'age',
  'outcome',
  'overdue',
  'reportKind',
] as const

/** /staff/dashboard/records: the records behind one figure of the dashboard, in the viewer's scope. */
export function StaffDashboardRecordsPage() {
  const { t } = useTranslation()
  const [params] = useSearchParams()
  const figureParam = params.get('figure')
  const figure = (dashboardFigureValues as readonly string[]).includes(figureParam ?? '')
    ? (figureParam as RecordsFilter['figure'])
    : 'interactions'
  const filter: RecordsFilter = { figure }
  for (const k of FILTERS) {
    const v = params.get(k)
    if (v) filter[k] = v
  }
  const q = {
    unitId: params.get('unitId') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    ...filter,
  }
  const title = t(`dashboard.records.${figure}`)
  useDocumentTitle(title)
  const { data, isLoading, isError } = useDashboardRecords(q)
  const back = `/staff/dashboard?${new URLSearchParams({ unit: q.unitId, month: q.from.slice(0, 7) })}`
  const kindLabel = (kind: string | null) => {
    if (!kind) return ''
    if (figure === 'movements') return t(`dashboard.movement.${kind}`, { defaultValue: kind })
    if (figure === 'households') return t(`dashboard.reachedBy.${kind}`, { defaultValue: kind })
    return t(`dashboard.kind.${kind}`, {
      defaultValue: t(`dashboard.category.${kind}`, { defaultValue: kind }),
    })
  }
  return (
    <>
      <p>
        <Link to={back}>
          <ArrowLeft className="icon" aria-hidden="true" />
          {t('dashboard.back')}
        </Link>
      </p>
      <h1>{title}</h1>
      <p className="dash-period">
        {t('dashboard.periodShort', {
          from: formatDate(`${q.from}T00:00:00+07:00`),
          to: formatDate(`${q.to}T00:00:00+07:00`),
        })}
        {filter.kind && ` · ${kindLabel(filter.kind)}`}
        {filter.reportKind && ` · ${kindLabel(filter.reportKind)}`}
        {filter.overdue && ` · ${t('dashboard.overdue')}`}
      </p>
      {isLoading && <p role="status">{t('dashboard.loading')}</p>}
      {isError && <p role="alert">{t('dashboard.loadError')}</p>}
      {data && (
        <>
          <p role="status">
            {data.truncated
              ? t('dashboard.recordsTruncated', { count: data.items.length })
              : t('dashboard.recordsCount', { count: data.items.length })}
          </p>
          <ul className="dash-records">
            {data.items.map((r) => (
              <li key={`${r.source}:${r.id}`}>
                <strong>
                  {r.href ? (
                    <Link to={r.href}>
                      {r.title || t(`dashboard.source.${r.source}`, { defaultValue: r.source })}
                    </Link>
                  ) : (
                    r.title || t(`dashboard.source.${r.source}`, { defaultValue: r.source })
                  )}
                </strong>
                <p className="dash-records__meta">
                  {[
                    formatDateTime(r.createdAt),
                    kindLabel(r.kind),
                    r.areaName,
                    r.officerName,
                    r.status && t(`dashboard.status.${r.status}`, { defaultValue: r.status }),
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  )
}
