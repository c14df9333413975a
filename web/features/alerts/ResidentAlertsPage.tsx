import { BellOff } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { useDocumentTitle } from '../../lib/use-document-title'
import { AlertCard } from './AlertParts'
import { useMyAlerts, useSessionUser } from './alerts-api'
import { useAlertsRealtime } from './use-alerts-realtime'

/** The rooms a signed-in resident listens to: their own area's. */
export function useResidentAlertRooms(): string[] {
  const { data: user } = useSessionUser()
  return user?.kind === 'resident' && user.areaId ? [`area:${user.areaId}`] : []
}

/** /alerts: the resident's alerts, live first; without sign-in, the public alerts. */
export function ResidentAlertsPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('alerts.listTitle'))
  useAlertsRealtime(useResidentAlertRooms(), { confirmDelivery: true })
  const { data, isLoading, isError } = useMyAlerts()
  return (
    <>
      <h1>{t('alerts.listTitle')}</h1>
      {isLoading && <p role="status">{t('alerts.loading')}</p>}
      {isError && <p role="alert">{t('alerts.loadError')}</p>}
      {data && data.items.length === 0 && (
        <section className="message-page">
          <BellOff className="message-page__icon" aria-hidden="true" />
          <p className="message-page__lead">{t('alerts.empty')}</p>
        </section>
      )}
      <ul className="alert-list">
        {data?.items.map((a) => (
          <li key={a.id}>
            <AlertCard alert={a} href={`/alerts/${a.id}`} />
          </li>
        ))}
      </ul>
    </>
  )
}
