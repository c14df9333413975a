import type { TAlertView } from '@common/schemas/alerts'
import { CheckCircle2, CircleSlash, PhoneCall, Siren } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { formatDateTime } from '../../lib/format'

/** Live alerts carry the one urgent colour (red); ended ones a calm grey, with an icon and words. */
export function AlertStatus({ alert }: { alert: TAlertView }) {
  const { t } = useTranslation()
  if (alert.isLive)
    return (
      <span className="alert-status alert-status--live">
        <Siren className="icon" aria-hidden="true" />
        {t(`alerts.kind.${alert.kind}`)}
      </span>
    )
  const ended =
    alert.state === 'cancelled'
      ? 'cancelled'
      : alert.state === 'closed'
        ? 'closed'
        : alert.state === 'active'
          ? 'expired'
          : alert.state
  const Icon = alert.state === 'cancelled' ? CircleSlash : CheckCircle2
  return (
    <span className="alert-status">
      <Icon className="icon" aria-hidden="true" />
      {t(`alerts.state.${ended as 'closed'}`)}
    </span>
  )
}

/** A row in a list of alerts. */
export function AlertCard({ alert, href }: { alert: TAlertView; href: string }) {
  const photo = alert.photos[0]
  return (
    <article className={`alert-card${alert.isLive ? ' alert-card--live' : ''}`}>
      {photo && (
        <img
          className="alert-card__photo"
          src={photo.thumbUrl}
          alt=""
          width={96}
          height={96}
          loading="lazy"
        />
      )}
      <div className="alert-card__body">
        <AlertStatus alert={alert} />
        <h2 className="alert-card__title">
          <Link to={href}>{alert.headline}</Link>
        </h2>
        {alert.outcome && <p className="alert-card__outcome">{alert.outcome}</p>}
        <p className="alert-card__meta">
          {alert.issuingUnit.name}
          {alert.publishedAt ? ` · ${formatDateTime(alert.publishedAt)}` : ''}
        </p>
      </div>
    </article>
  )
}

/** Every scam warning leads to the caller check (ui.md: reachable from every scam warning). */
export function CheckCallerLink() {
  const { t } = useTranslation()
  return (
    <Link to="/check-caller" className="btn btn--secondary">
      <PhoneCall className="icon" aria-hidden="true" />
      {t('alerts.checkCaller')}
    </Link>
  )
}

/**
 * What happened since the alert went out, oldest first, under the description it never replaces:
 * "Cập nhật · 28/11/2026 14:05 — Cụ bà được thấy ở chợ Mơ lúc 9 giờ".
 */
export function AlertHistory({ alert }: { alert: TAlertView }) {
  const { t } = useTranslation()
  if (!alert.history?.length) return null
  return (
    <section className="alert-page__box" aria-labelledby="alert-history-heading">
      <h2 id="alert-history-heading">{t('alerts.history')}</h2>
      <ol className="alert-history">
        {alert.history.map((h) => (
          <li key={h.version}>
            <p className="alert-card__meta">
              {t(`alerts.msgType.${h.msgType}`)} · <time dateTime={h.sent}>{formatDateTime(h.sent)}</time>
            </p>
            <p className="alert-page__text">{h.note}</p>
          </li>
        ))}
      </ol>
    </section>
  )
}
