import { Siren } from 'lucide-react'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'

/** What the banner needs to know about one active alert of the resident's area. */
export interface AlertSummary {
  id: string
  title: string
  href: string
}

interface AlertBannerProps {
  alerts?: readonly AlertSummary[]
}

/** Active alerts at the top of a page; renders nothing when there are none. */
export function AlertBanner({ alerts = [] }: AlertBannerProps) {
  const { t } = useTranslation()
  const headingId = useId()
  if (alerts.length === 0) return null
  return (
    <section className="alert-banner" aria-labelledby={headingId}>
      <h2 id={headingId} className="alert-banner__heading">
        <Siren className="icon" aria-hidden="true" />
        {t('alerts.regionLabel')}
      </h2>
      <ul className="alert-banner__list">
        {alerts.map((alert) => (
          <li key={alert.id}>
            <Link to={alert.href}>{alert.title}</Link>
          </li>
        ))}
      </ul>
    </section>
  )
}
