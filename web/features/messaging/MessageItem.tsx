import { EDIT_WINDOW_MINUTES, type TMessageView } from '@common/schemas/messaging'
import { BookOpenText, Check, CheckCheck, EyeOff, FileText, Lock, MapPin, Pin } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { formatDateTime } from '../../lib/format'
import { DeliveryFailed } from './ChannelBadge'
import { alertPostOf, GroupAlertCard } from './GroupAlertCard'
import { GuidanceCard } from './GuidanceCard'
import { RichText } from './RichText'
import { VoicePlayer } from './voice/VoicePlayer'

export interface MessageCapabilities {
  userId: string | null
  canModerate: boolean
  canReport: boolean
  /** The other side's receipts (direct conversations): ✓✓ delivered, then read. */
  peerDeliveredSeq?: number
  peerReadSeq?: number
  showReceipts?: boolean
}

export interface MessageHandlers {
  onReply?: (m: TMessageView) => void
  onEdit?: (m: TMessageView) => void
  onDelete?: (m: TMessageView) => void
  onHide?: (m: TMessageView) => void
  onPin?: (m: TMessageView, on: boolean) => void
  onReport?: (m: TMessageView) => void
  onAskPolice?: (m: TMessageView) => void
}

const withinWindow = (m: TMessageView) =>
  Date.now() - new Date(m.createdAt).getTime() < EDIT_WINDOW_MINUTES * 60_000

function Receipt({ m, caps }: { m: TMessageView; caps: MessageCapabilities }) {
  const { t } = useTranslation()
  if (!caps.showReceipts) return null
  if ((caps.peerReadSeq ?? 0) >= m.seq)
    return (
      <span className="msg__receipt msg__receipt--read">
        <CheckCheck className="icon" aria-hidden="true" /> {t('messaging.read')}
      </span>
    )
  if ((caps.peerDeliveredSeq ?? 0) >= m.seq)
    return (
      <span className="msg__receipt">
        <CheckCheck className="icon" aria-hidden="true" /> {t('messaging.delivered')}
      </span>
    )
  return (
    <span className="msg__receipt">
      <Check className="icon" aria-hidden="true" /> {t('messaging.sent')}
    </span>
  )
}

function Body({ m }: { m: TMessageView }) {
  const { t } = useTranslation()
  const payload = m.payload as Record<string, unknown> | null
  return (
    <>
      {m.replyTo && (
        <blockquote className="msg__quote">
          <strong>{m.replyTo.authorName}</strong> {m.replyTo.excerpt}
        </blockquote>
      )}
      {m.kind === 'guidance' && payload && (
        <strong className="msg__card-title">{String(payload.title ?? '')}</strong>
      )}
      {m.body && (
        <p className="msg__text">
          <RichText text={m.body} />
        </p>
      )}
      {m.attachments.map((a) =>
        a.kind === 'voice' ? (
          <VoicePlayer key={a.fileId} src={a.url} {...(a.durationMs ? { durationMs: a.durationMs } : {})} />
        ) : a.kind === 'photo' ? (
          <a key={a.fileId} href={a.url} target="_blank" rel="noopener" className="msg__photo">
            <img
              src={a.thumbUrl ?? a.url}
              alt={t('messaging.openPhoto', { name: a.name })}
              width={a.width ? Math.min(a.width, 320) : undefined}
              loading="lazy"
            />
          </a>
        ) : (
          <a key={a.fileId} href={a.url} className="msg__file" download={a.name}>
            <FileText className="icon" aria-hidden="true" /> {t('messaging.downloadFile', { name: a.name })}
          </a>
        ),
      )}
      {m.kind === 'procedure_card' && payload && (
        <div className="msg__card">
          <BookOpenText className="icon" aria-hidden="true" />
          <div>
            <span className="msg__card-kind">{t('messaging.procedureCard')}</span>
            <strong className="msg__card-title">{String(payload.title ?? '')}</strong>
            <Link to={`/procedures/${encodeURIComponent(String(payload.procedureId ?? ''))}`}>
              {t('messaging.openProcedure')}
            </Link>
          </div>
        </div>
      )}
      {m.kind === 'location' && payload && (
        <a
          className="msg__file"
          href={`https://www.openstreetmap.org/?mlat=${Number(payload.lat)}&mlon=${Number(payload.lng)}#map=18/${Number(payload.lat)}/${Number(payload.lng)}`}
          target="_blank"
          rel="noopener noreferrer"
        >
          <MapPin className="icon" aria-hidden="true" /> {String(payload.label ?? t('messaging.location'))} —{' '}
          {t('messaging.openMap')}
        </a>
      )}
    </>
  )
}

/** One message: author, time, content, receipts for one's own, and the actions the caller may take. */
export function MessageItem({
  m,
  caps,
  on,
}: {
  m: TMessageView
  caps: MessageCapabilities
  on: MessageHandlers
}) {
  const { t } = useTranslation()
  const mine = !!caps.userId && m.author?.id === caps.userId
  const removed = !!m.deletedAt || (!!m.hidden && !m.body)
  const actions: { key: string; label: string; run: () => void }[] = []
  // A guidance card has its own answer button on the card.
  if (!removed && on.onReply && m.kind !== 'guidance')
    actions.push({ key: 'reply', label: t('messaging.reply'), run: () => on.onReply?.(m) })
  if (mine && !removed && withinWindow(m) && m.kind !== 'system') {
    if (on.onEdit && m.body)
      actions.push({ key: 'edit', label: t('messaging.edit'), run: () => on.onEdit?.(m) })
    if (on.onDelete)
      actions.push({ key: 'delete', label: t('messaging.delete'), run: () => on.onDelete?.(m) })
  }
  if (caps.canModerate && !m.hidden && !m.deletedAt) {
    if (on.onHide) actions.push({ key: 'hide', label: t('messaging.hide'), run: () => on.onHide?.(m) })
    if (on.onPin)
      actions.push({
        key: 'pin',
        label: m.pinnedAt ? t('messaging.unpin') : t('messaging.pin'),
        run: () => on.onPin?.(m, !m.pinnedAt),
      })
    if (on.onAskPolice && !m.author?.isStaff && m.kind !== 'system')
      actions.push({
        key: 'ask-police',
        label: t('messaging.askPolice.pass'),
        run: () => on.onAskPolice?.(m),
      })
  }
  if (caps.canReport && !mine && !removed && on.onReport)
    actions.push({ key: 'report', label: t('messaging.report'), run: () => on.onReport?.(m) })

  const menu = actions.length > 0 && (
    <details className="msg__actions">
      <summary aria-label={t('messaging.messageActions')}>⋯</summary>
      <div className="msg__action-list">
        {actions.map((a) => (
          <button
            key={a.key}
            type="button"
            className="btn btn--small btn--secondary"
            onClick={(e) => {
              const details = e.currentTarget.closest('details')
              if (details) details.open = false
              a.run()
            }}
          >
            {a.label}
          </button>
        ))}
      </div>
    </details>
  )
  if (m.kind === 'guidance' && !removed && !m.hidden)
    return <GuidanceCard m={m} onAnswer={on.onReply ? () => on.onReply?.(m) : undefined} actions={menu} />
  const alertPost = alertPostOf(m)
  if (alertPost && !removed && !m.hidden) return <GroupAlertCard m={m} post={alertPost} />
  if (m.kind === 'system')
    return (
      <li className="msg msg--system" data-seq={m.seq}>
        <Lock className="icon" aria-hidden="true" /> {m.body} · {formatDateTime(m.createdAt)}
      </li>
    )
  return (
    <li
      className={`msg${mine ? ' msg--mine' : ''}${m.isInternal ? ' msg--internal' : ''}${m.author?.isStaff ? ' msg--staff' : ''}`}
      data-seq={m.seq}
      data-testid="message"
    >
      <div className="msg__meta">
        <span className="msg__author">{mine ? t('messaging.you') : (m.author?.displayName ?? '')}</span>
        {m.author?.isStaff && !mine && <span className="msg__badge">{t('messaging.staffBadge')}</span>}
        <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
        {m.pinnedAt && <Pin className="icon" aria-label={t('messaging.pin')} />}
      </div>
      {m.isInternal && <p className="msg__internal">{t('messaging.internalNote')}</p>}
      <div className="msg__bubble">
        {m.deletedAt ? (
          <p className="msg__removed">{t('messaging.deleted')}</p>
        ) : m.hidden && !m.body ? (
          <p className="msg__removed">
            <EyeOff className="icon" aria-hidden="true" />{' '}
            {t('messaging.hiddenNotice', { reason: m.hidden.reason })}
          </p>
        ) : (
          <>
            {m.hidden && (
              <p className="msg__removed">
                <EyeOff className="icon" aria-hidden="true" />{' '}
                {t('messaging.hiddenForModerator', { reason: m.hidden.reason })}
              </p>
            )}
            <Body m={m} />
          </>
        )}
      </div>
      <DeliveryFailed delivery={m.delivery} messageId={m.id} />
      <div className="msg__foot">
        {m.editedAt && !m.deletedAt && <span>{t('messaging.edited')}</span>}
        {mine && <Receipt m={m} caps={caps} />}
        {menu}
      </div>
    </li>
  )
}
