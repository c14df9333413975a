import { type TGroupAlertPost, ZGroupAlertPost } from '@common/schemas/alerts'
import type { TMessageView } from '@common/schemas/messaging'
import { ChevronRight, MapPin, Siren } from 'lucide-react'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { formatDateTime } from '../../lib/format'

/** The alert a system message announces, when it is an alert's post into the group. */
export function alertPostOf(m: TMessageView): TGroupAlertPost | null {
  if (m.kind !== 'system' || !m.payload) return null
  const parsed = ZGroupAlertPost.safeParse(m.payload)
  return parsed.success ? parsed.data : null
}

/**
 * Posts made before the card carry only the alert's id in their payload: their body is the title,
 * the text and the share link on its own line, which the card's button replaces.
 */
function fromBody(body: string): { headline: string; text: string } {
  const [first = '', ...rest] = body.split('\n')
  return { headline: first, text: rest.filter((line) => !/^https?:\/\/\S+$/.test(line.trim())).join('\n') }
}

/**
 * An alert posted into a residential group (issue 19): a card with the kind (scam, missing or found
 * person…), the headline, what it says, where it was sent, when, and a button to the alert's page,
 * where a resident can answer it. A cancellation is grey; the red stays for alerts in force.
 */
export function GroupAlertCard({ m, post }: { m: TMessageView; post: TGroupAlertPost }) {
  const { t } = useTranslation()
  const titleId = useId()
  const words =
    post.headline !== undefined ? { headline: post.headline, text: post.text ?? '' } : fromBody(m.body)
  const cancelled = post.msgType === 'Cancel'
  return (
    <li className="msg msg--alert-post" data-seq={m.seq} data-testid="alert-post">
      <article className={`group-alert${cancelled ? ' group-alert--ended' : ''}`} aria-labelledby={titleId}>
        <p className="group-alert__kind">
          <span className={`alert-status${cancelled ? '' : ' alert-status--live'}`}>
            <Siren className="icon" aria-hidden="true" />
            {t(`alerts.kind.${post.kind}`)}
          </span>
          {post.msgType && post.msgType !== 'Alert' && (
            <span className="group-alert__version">{t(`alerts.msgType.${post.msgType}`)}</span>
          )}
        </p>
        <h2 id={titleId} className="group-alert__title">
          {words.headline}
        </h2>
        {words.text && <p className="group-alert__text">{words.text}</p>}
        <p className="group-alert__meta">
          {post.areas && post.areas.length > 0 && (
            <span>
              <MapPin className="icon" aria-hidden="true" />{' '}
              {t('messaging.alertPost.sentTo', { areas: post.areas.join(', ') })}
            </span>
          )}
          <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
        </p>
        <Link
          className="btn btn--secondary group-alert__open"
          to={`/alerts/${post.alertId}`}
          aria-describedby={titleId}
        >
          {t('messaging.alertPost.open')}
          <ChevronRight className="icon" aria-hidden="true" />
        </Link>
      </article>
    </li>
  )
}
