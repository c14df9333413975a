import type { TAlertView } from '@common/schemas/alerts'
import { Plus } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useDocumentTitle } from '../../lib/use-document-title'
import { AlertStatus } from './AlertParts'
import { useStaffAlerts } from './alerts-api'

/** Reach in one line: targeted · delivered · read · shared · answers. */
export function AlertStats({ alert }: { alert: TAlertView }) {
  const { t } = useTranslation()
  const s = alert.stats
  if (!s) return null
  const items = [
    ['targeted', s.targeted],
    ['delivered', s.delivered],
    ['read', s.read],
    ['shared', s.shared],
    ['answers', s.answers],
  ] as const
  return (
    <dl className="alert-stats">
      {items.map(([key, n]) => (
        <div key={key} className="alert-stats__item" data-stat={key}>
          <dt>{t(`alerts.stats.${key}`)}</dt>
          <dd>{n.toLocaleString('vi-VN')}</dd>
        </div>
      ))}
    </dl>
  )
}

/** /staff/alerts: the unit's alerts, those waiting for approval first. */
export function StaffAlertsPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('pages.staffAlerts'))
  const { data, isLoading, isError } = useStaffAlerts()
  return (
    <>
      <div className="page-head">
        <h1>{t('pages.staffAlerts')}</h1>
        <Link to="/staff/alerts/new" className="btn">
          <Plus className="icon" aria-hidden="true" />
          {t('alerts.compose.new')}
        </Link>
      </div>
      {isLoading && <p role="status">{t('alerts.loading')}</p>}
      {isError && <p role="alert">{t('alerts.loadError')}</p>}
      {data?.items.length === 0 && <p className="message-page__lead">{t('alerts.staffEmpty')}</p>}
      <ul className="alert-list">
        {data?.items.map((a) => (
          <li key={a.id} className="alert-card">
            <div className="alert-card__body">
              <p>
                <AlertStatus alert={a} /> <span className="status-badge">{t(`alerts.state.${a.state}`)}</span>
              </p>
              <h2 className="alert-card__title">
                <Link to={`/staff/alerts/${a.id}`}>{a.headline}</Link>
              </h2>
              <AlertStats alert={a} />
            </div>
          </li>
        ))}
      </ul>
    </>
  )
}
