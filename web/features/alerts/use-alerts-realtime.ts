import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { realtime } from '../../api/realtime'
import { alertKeys, sendReceipt } from './alerts-api'

/**
 * Listens to alert events in the given rooms: new alerts and updates refresh the lists at once
 * (no reload), and a resident's device confirms delivery so no push is sent to it as well.
 */
export function useAlertsRealtime(rooms: string[], opts: { confirmDelivery?: boolean } = {}) {
  const qc = useQueryClient()
  const key = rooms.join(',')
  useEffect(() => {
    if (!key) return
    const rt = realtime()
    const list = key.split(',')
    rt.subscribe(list)
    const off = rt.onEvent((event) => {
      if (!('alertId' in event) || !event.type.startsWith('alert.')) return
      if (event.type === 'alert.published' && opts.confirmDelivery) sendReceipt(event.alertId, 'delivered')
      void qc.invalidateQueries({ queryKey: alertKeys.all })
    })
    // After a reconnect, whatever was published meanwhile is fetched again.
    const offStatus = rt.onStatus((status) => {
      if (status === 'open') void qc.invalidateQueries({ queryKey: alertKeys.all })
    })
    return () => {
      off()
      offStatus()
      rt.unsubscribe(list)
    }
  }, [key, qc, opts.confirmDelivery])
}
