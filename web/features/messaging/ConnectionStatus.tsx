import { Wifi, WifiOff } from 'lucide-react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type RealtimeStatus, realtime } from '../../api/realtime'

/** A quiet line that says whether new messages arrive live; shown only when they do not. */
export function ConnectionStatus() {
  const { t } = useTranslation()
  const [status, setStatus] = useState<RealtimeStatus>(() => realtime().status)
  useEffect(() => {
    const rt = realtime()
    setStatus(rt.status)
    return rt.onStatus(setStatus)
  }, [])
  if (status === 'open' || status === 'connecting') return null
  return (
    <p className="connection-status" role="status">
      {status === 'reconnecting' ? (
        <WifiOff className="icon" aria-hidden="true" />
      ) : (
        <Wifi className="icon" aria-hidden="true" />
      )}
      {t(`messaging.connection.${status}`)}
    </p>
  )
}
