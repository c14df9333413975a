import { useTranslation } from 'react-i18next'
import { useMySessions, useRevokeSession } from './account-api'
import { formatDateTime } from './format'

/** The browsers signed in to this account; any of them can be signed out from here. */
export function SessionsCard() {
  const { t, i18n } = useTranslation()
  const { data } = useMySessions()
  const revoke = useRevokeSession()
  const others = (data?.items ?? []).filter((s) => !s.isCurrent)
  return (
    <section className="form-card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('account.sessionsTitle')}</h2>
      <ul className="session-list">
        {(data?.items ?? []).map((s) => (
          <li key={s.id} className="session-item">
            <div>
              <p className="session-item__device">
                {s.userAgent ?? t('account.unknownDevice')}
                {s.isCurrent ? <strong> — {t('account.thisDevice')}</strong> : null}
              </p>
              <p className="form-note">
                {t('account.lastSeen', { when: formatDateTime(s.lastSeenAt, i18n.language) })}
                {s.ip ? ` · ${s.ip}` : ''}
              </p>
            </div>
            {!s.isCurrent ? (
              <button
                type="button"
                className="btn btn--secondary"
                onClick={() => revoke.mutate(s.id)}
                disabled={revoke.isPending}
              >
                {t('account.signOutDevice')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {others.length > 1 ? (
        <button
          type="button"
          className="btn btn--secondary"
          onClick={() => revoke.mutate('others')}
          disabled={revoke.isPending}
        >
          {t('account.signOutOthers')}
        </button>
      ) : null}
    </section>
  )
}
