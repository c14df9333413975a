import { Bell, BellOff } from 'lucide-react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { currentPushState, disablePush, enablePush, type PushState } from './push-subscription'

/** "Notify me on this phone": Web Push for answers from the area officer, group posts and alerts. */
export function PushCard() {
  const { t } = useTranslation()
  const [state, setState] = useState<PushState | 'loading'>('loading')
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    currentPushState().then(setState, () => setState('unsupported'))
  }, [])
  const toggle = async () => {
    setFailed(false)
    try {
      setState(state === 'on' ? await disablePush() : await enablePush())
    } catch {
      setFailed(true)
    }
  }
  return (
    <section className="form-card" aria-labelledby="push-title">
      <h2 id="push-title">{t('push.title')}</h2>
      <p>{t(`push.state.${state}`)}</p>
      {(state === 'on' || state === 'off') && (
        <button type="button" className="btn btn--secondary" onClick={toggle}>
          {state === 'on' ? (
            <BellOff className="icon" aria-hidden="true" />
          ) : (
            <Bell className="icon" aria-hidden="true" />
          )}
          {t(state === 'on' ? 'push.disable' : 'push.enable')}
        </button>
      )}
      {failed && <p role="alert">{t('push.failed')}</p>}
    </section>
  )
}
