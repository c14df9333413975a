import type { TMessageView } from '@common/schemas/messaging'
import { ExternalLink, Megaphone, MessageSquareReply, Pin } from 'lucide-react'
import { type ReactNode, useId } from 'react'
import { useTranslation } from 'react-i18next'
import { formatDateTime } from '../../lib/format'
import { RichText } from './RichText'

/** The host of a card's link, shown so a resident knows where it leads before tapping it. */
const hostOf = (link: string) => {
  try {
    return new URL(link).host
  } catch {
    return link
  }
}

/**
 * A guidance post in a group (issue 19): a card with its title as a heading, the text with its
 * line breaks, the photo, the link as a button, and an answer button that replies in the group.
 */
export function GuidanceCard({
  m,
  onAnswer,
  actions,
}: {
  m: TMessageView
  onAnswer?: (() => void) | undefined
  /** The message's other actions (hide, pin, report, edit), rendered by MessageItem. */
  actions: ReactNode
}) {
  const { t } = useTranslation()
  const titleId = useId()
  const payload = (m.payload ?? {}) as { title?: unknown; link?: unknown }
  const title = String(payload.title ?? '')
  const link = typeof payload.link === 'string' ? payload.link : null
  const photo = m.attachments.find((a) => a.kind === 'photo')
  return (
    <li className="msg msg--guidance" data-seq={m.seq} data-testid="message">
      <article className="guidance-card" aria-labelledby={titleId}>
        <p className="guidance-card__from">
          <Megaphone className="icon" aria-hidden="true" />
          <span>
            {t('messaging.guidance.from', { name: m.author?.displayName ?? '' })}
            {m.author?.isStaff && <span className="msg__badge">{t('messaging.staffBadge')}</span>}
          </span>
          <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
          {m.pinnedAt && <Pin className="icon" aria-label={t('messaging.pin')} />}
        </p>
        <h2 id={titleId} className="guidance-card__title">
          {title}
        </h2>
        {photo && (
          <a href={photo.url} target="_blank" rel="noopener" className="guidance-card__photo">
            <img
              src={photo.thumbUrl ?? photo.url}
              alt={t('messaging.guidance.photoAlt', { title })}
              loading="lazy"
            />
          </a>
        )}
        <p className="guidance-card__text">
          <RichText text={m.body} />
        </p>
        {link && (
          <a className="guidance-card__link" href={link} target="_blank" rel="noopener noreferrer nofollow">
            <ExternalLink className="icon" aria-hidden="true" />
            <span>
              {t('messaging.guidance.openLink')} <span className="guidance-card__host">({hostOf(link)})</span>
            </span>
          </a>
        )}
        <div className="guidance-card__foot">
          {m.editedAt && <span>{t('messaging.edited')}</span>}
          {onAnswer && (
            <button type="button" className="btn btn--secondary btn--small" onClick={onAnswer}>
              <MessageSquareReply className="icon" aria-hidden="true" /> {t('messaging.guidance.answer')}
            </button>
          )}
          {actions}
        </div>
      </article>
    </li>
  )
}
