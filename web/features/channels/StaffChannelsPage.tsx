import type { TChannelAccountView } from '@common/schemas/channels'
import { AlertCircle, CheckCircle2, Unplug } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { useParams, useSearchParams } from 'react-router'
import { ApiError } from '../../api/client'
import { formatDateTime } from '../../lib/format'
import { UnitSubpageHeader } from '../organisation/UnitSubpageHeader'
import { MessengerConnectForm, ZaloConnectForm } from './ConnectForms'
import { useDisconnectChannel, useUnitChannels } from './channels-api'
import '../directory/directory.css'
import '../organisation/organisation.css'
import './channels.css'

const PLATFORM = { zalo: 'Zalo OA', messenger: 'Facebook Page' } as const

/** A stored error key (channels.error.*) as the officer reads it; unknown keys fall back to a general line. */
export function useChannelErrorText() {
  const { t } = useTranslation()
  return (key: string) =>
    t(`messaging.channel.reasons.${key.replace(/^channels\.error\./, '')}`, {
      defaultValue: t('channels.lastErrorUnknown'),
    })
}

function AccountCard({ account, unitId }: { account: TChannelAccountView; unitId: string }) {
  const { t } = useTranslation()
  const errorText = useChannelErrorText()
  const disconnect = useDisconnectChannel(unitId)
  const active = account.status === 'active'
  const confirmAndDisconnect = () => {
    if (window.confirm(t('channels.disconnectConfirm', { name: account.name || PLATFORM[account.platform] })))
      disconnect.mutate(account.id)
  }
  return (
    <li className="channels-card" data-testid={`channel-${account.platform}`}>
      <h3>
        {PLATFORM[account.platform]}
        {account.name && ` — ${account.name}`}
      </h3>
      <p className={active ? 'channels-status channels-status--on' : 'channels-status'}>
        {active ? (
          <CheckCircle2 className="icon" aria-hidden="true" />
        ) : (
          <Unplug className="icon" aria-hidden="true" />
        )}
        {t(`channels.status.${account.status}`)}
      </p>
      <dl className="channels-facts">
        <dt>{t(`channels.externalId.${account.platform}`)}</dt>
        <dd>{account.externalId}</dd>
        <dt>{t('channels.webhookUrl')}</dt>
        <dd>
          <code>{account.webhookUrl}</code>
        </dd>
        <dt>{t('channels.lastEvent')}</dt>
        <dd>{account.lastEventAt ? formatDateTime(account.lastEventAt) : t('channels.never')}</dd>
        {account.tokenExpiresAt && (
          <>
            <dt>{t('channels.tokenExpires')}</dt>
            <dd>{formatDateTime(account.tokenExpiresAt)}</dd>
          </>
        )}
      </dl>
      {account.lastError && (
        <p className="channels-error" role="status">
          <AlertCircle className="icon" aria-hidden="true" /> {t('channels.lastError')}{' '}
          {errorText(account.lastError)}
        </p>
      )}
      {active && (
        <button
          type="button"
          className="btn btn--secondary"
          onClick={confirmAndDisconnect}
          disabled={disconnect.isPending}
        >
          <Unplug className="icon" aria-hidden="true" />
          {t('channels.disconnect')}
        </button>
      )}
      {disconnect.error instanceof ApiError && (
        <p className="dir-error" role="alert">
          {disconnect.error.detail ?? disconnect.error.title}
        </p>
      )}
    </li>
  )
}

/** What Zalo's redirect back says (?connected=zalo or ?error=<message key>). */
function OAuthOutcome() {
  const { t } = useTranslation()
  const [params] = useSearchParams()
  if (params.get('connected') === 'zalo')
    return (
      <p role="status" className="org-done">
        {t('channels.zalo.connected')}
      </p>
    )
  const error = params.get('error')
  if (!error) return null
  return (
    <p role="alert" className="dir-error">
      {t(`channels.oauthError.${error.replace(/^channels\.oauth\./, '')}`, {
        defaultValue: t('channels.oauthError.other'),
      })}
    </p>
  )
}

/**
 * /staff/units/:id/channels — the unit's Zalo OA and Facebook Page: connect, status, last error,
 * disconnect. Only the unit's commanders and admins get the list (the server says so; others see why).
 */
export function StaffChannelsPage() {
  const { id = '' } = useParams()
  const { t } = useTranslation()
  const list = useUnitChannels(id)
  const refused = list.error instanceof ApiError && (list.error.status === 403 || list.error.status === 404)
  return (
    <>
      <UnitSubpageHeader unitId={id} title={t('channels.title')} intro={t('channels.intro')} />
      <OAuthOutcome />
      {list.isLoading && <p role="status">{t('org.loading')}</p>}
      {refused && <p role="alert">{t('channels.notAllowed')}</p>}
      {list.isError && !refused && <p role="alert">{t('org.loadError')}</p>}
      {list.data && (
        <>
          <section aria-labelledby="channels-connected">
            <h2 id="channels-connected">{t('channels.connectedTitle')}</h2>
            {list.data.accounts.length === 0 && <p>{t('channels.none')}</p>}
            <ul className="channels-list">
              {list.data.accounts.map((a) => (
                <AccountCard key={a.id} account={a} unitId={id} />
              ))}
            </ul>
          </section>
          <ZaloConnectForm unitId={id} redirectUri={list.data.zaloRedirectUri} />
          <MessengerConnectForm unitId={id} />
        </>
      )}
    </>
  )
}
