import type { TLinkCodeView, TLinkedContactView } from '@common/schemas/channel-links'
import { useMutation, useQuery } from '@tanstack/react-query'
import { KeyRound, MessageCircle } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { ApiError, apiFetch } from '../../api/client'
import { formatDateTime } from '../../lib/format'

const PLATFORM = { zalo: 'Zalo', messenger: 'Messenger' } as const

/**
 * "Link Zalo / Messenger": the resident takes a one-time code (15 minutes) and sends it in the chat
 * with the ward's OA or Page (or reads it to the officer); from then on those chats and the app are one
 * conversation. Lists the chats already linked.
 */
export function ChannelLinkCard() {
  const { t } = useTranslation()
  const linked = useQuery({
    queryKey: ['channel-links'],
    queryFn: () => apiFetch<{ contacts: TLinkedContactView[] }>('/api/me/channel-links'),
  })
  const issue = useMutation({
    mutationFn: () => apiFetch<TLinkCodeView>('/api/me/channel-link-code', { method: 'POST', body: {} }),
  })
  const error = issue.error instanceof ApiError ? issue.error : null
  return (
    <section className="form-card" aria-labelledby="channel-link-title">
      <h2 id="channel-link-title">{t('channels.link.title')}</h2>
      <p>{t('channels.link.intro')}</p>
      {linked.data && linked.data.contacts.length > 0 && (
        <ul className="channel-links">
          {linked.data.contacts.map((c) => (
            <li key={c.id}>
              <MessageCircle className="icon" aria-hidden="true" />{' '}
              {t('channels.link.linkedItem', {
                platform: PLATFORM[c.platform],
                name: c.displayName,
                account: c.accountName,
              })}
            </li>
          ))}
        </ul>
      )}
      {issue.data && (
        <div className="channel-link-code" role="status">
          <p>{t('channels.link.yourCode')}</p>
          <p className="channel-link-code__value" data-testid="channel-link-code">
            {issue.data.code}
          </p>
          <p>{t('channels.link.howTo', { at: formatDateTime(issue.data.expiresAt) })}</p>
        </div>
      )}
      {error && <p className="form-error">{error.detail ?? error.title}</p>}
      <button
        type="button"
        className="btn btn--secondary"
        onClick={() => issue.mutate()}
        disabled={issue.isPending}
      >
        <KeyRound className="icon" aria-hidden="true" />
        {issue.data ? t('channels.link.newCode') : t('channels.link.getCode')}
      </button>
    </section>
  )
}
