import type { TChannel, TMessageDelivery } from '@common/schemas/channels'
import { AlertCircle, MessageCircle, RotateCcw } from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { apiFetch } from '../../api/client'

const NAMES = { messenger: 'Messenger', zalo: 'Zalo', sms: 'SMS' } as const

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

/**
 * A reply that the platform has not taken: the state, why when known, and "thử lại". The server sends
 * it once however often the button is pressed; the new state arrives with the message's update.
 */
export function DeliveryFailed({
  delivery,
  messageId,
}: {
  delivery: TMessageDelivery | null
  messageId?: string
}) {
  const { t } = useTranslation()
  const [state, setState] = useState<'idle' | 'sending' | 'error'>('idle')
  if (delivery?.status !== 'failed') return null
  // An SMS is not sent again from here (the server refuses): the officer answers by SMS anew.
  const canRetry = !!messageId && delivery.channel !== 'sms'
  const reason = delivery.errorKey?.replace(/^channels\.error\./, '')
  const retry = async () => {
    if (!messageId) return
    setState('sending')
    try {
      await apiFetch(`/api/messages/${messageId}/delivery/retry`, { method: 'POST', body: {} })
      setState('idle')
    } catch {
      setState('error')
    }
  }
  return (
    <p className="msg__delivery-failed" role="status">
      <AlertCircle className="icon" aria-hidden="true" />{' '}
      {t('messaging.channel.failed', { channel: NAMES[delivery.channel] })}
      {isReason(reason) && <> {t(`messaging.channel.reasons.${reason}`)}</>}
      {canRetry && (
        <>
          {' '}
          <button
            type="button"
            className="btn btn--secondary btn--small"
            onClick={retry}
            disabled={state === 'sending'}
          >
            <RotateCcw className="icon" aria-hidden="true" />
            {t('messaging.channel.retry')}
          </button>
          {state === 'error' && <> {t('messaging.channel.retryFailed')}</>}
        </>
      )}
    </p>
  )
}
