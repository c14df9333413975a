import { AlertBanner } from '../../components/AlertBanner'
import { useMyAlerts } from './alerts-api'
import { useResidentAlertRooms } from './ResidentAlertsPage'
import { useAlertsRealtime } from './use-alerts-realtime'

/** The home page's red banner: live alerts of the resident's area, updated in real time. */
export function HomeAlertBanner() {
  const rooms = useResidentAlertRooms()
  useAlertsRealtime(rooms, { confirmDelivery: true })
  const { data } = useMyAlerts()
  // Only a signed-in resident has an area; a visitor's home page stays calm.
  const live = rooms.length > 0 ? (data?.items ?? []).filter((a) => a.isLive) : []
  return <AlertBanner alerts={live.map((a) => ({ id: a.id, title: a.headline, href: `/alerts/${a.id}` }))} />
}
