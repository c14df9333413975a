import type { TChannel, TMessageDelivery } from '@common/schemas/channels'
import { AlertCircle, MessageCircle } from 'lucide-react'
import { useTranslation } from 'react-i18next'

const NAMES = { messenger: 'Messenger', zalo: 'Zalo' } as const

/** Where an outside contact writes from (Zalo / Messenger): icon and text, never colour alone; nothing for web. */
export function ChannelBadge({ channel }: { channel: TChannel }) {
  const { t } = useTranslation()
  if (channel === 'web') return null
  return (
    <span className="channel-badge" data-channel={channel} data-testid="channel-badge">
      <MessageCircle className="icon" aria-hidden="true" />
      <span className="visually-hidden">{t('messaging.channel.via')} </span>
      {NAMES[channel]}
    </span>
  )
}

const REASONS = [
  'window_closed',
  'token_invalid',
  'recipient_unavailable',
  'temporary',
  'refused',
  'not_connected',
] as const
type Reason = (typeof REASONS)[number]
const isReason = (r: string | undefined): r is Reason => !!r && (REASONS as readonly string[]).includes(r)

/** A reply that the platform has not taken (yet): the state and, when known, why. */
export function DeliveryFailed({ delivery }: { delivery: TMessageDelivery | null }) {
  const { t } = useTranslation()
  if (delivery?.status !== 'failed') return null
  const reason = delivery.errorKey?.replace(/^channels\.error\./, '')
  return (
    <p className="msg__delivery-failed" role="status">
      <AlertCircle className="icon" aria-hidden="true" />{' '}
      {t('messaging.channel.failed', { channel: NAMES[delivery.channel] })}
      {isReason(reason) && <> {t(`messaging.channel.reasons.${reason}`)}</>}
    </p>
  )
}
