import type { TSessionUser } from '@common/schemas/auth'
import type { TGroupView } from '@common/schemas/messaging'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { realtime } from '../../api/realtime'
import { alertKeys, useMyAlerts } from '../alerts/alerts-api'
import { messagingApi, messagingKeys, useAskPage } from '../messaging/messaging-api'
import { tipKeys, useMyTips } from '../tips/tips-api'

export interface ResidentBadges {
  /** Messages from the police not yet read in the resident's own conversation. */
  ask: number
  /** Messages not yet read in the groups the resident belongs to. */
  groups: number
  /** Live alerts of the resident's area not yet opened. */
  alerts: number
  /** The resident's tips the police answered or moved on since the resident last opened them. */
  tips: number
}

/** Groups the resident takes part in (a pending request or a removal is not "my group"). */
export const isMyGroup = (g: TGroupView) => g.myStatus === 'active' || g.myStatus === 'muted'

export const useMyGroups = (enabled: boolean) =>
  useQuery({ queryKey: messagingKeys.groups, queryFn: messagingApi.groups, enabled, staleTime: 30_000 })

/**
 * The unread counts on a signed-in resident's bottom bar. They come from the lists the pages use
 * (one cache), and move in real time: a message, a read receipt or an alert in one of the
 * resident's rooms refreshes them.
 */
export function useResidentBadges(user: TSessionUser | null): ResidentBadges {
  const enabled = user?.kind === 'resident'
  const qc = useQueryClient()
  const ask = useAskPage(enabled && !!user?.areaId)
  const groups = useMyGroups(enabled)
  const alerts = useMyAlerts()
  const tips = useMyTips(enabled)
  const mine = (groups.data?.groups ?? []).filter(isMyGroup)
  // The server puts every socket in its user's room (direct messages arrive there); areas and groups are joined.
  const rooms = enabled
    ? [...(user.areaId ? [`area:${user.areaId}`] : []), ...mine.map((g) => `group:${g.id}`)]
    : []
  const roomKey = rooms.join(',')

  useEffect(() => {
    if (!enabled) return
    const rt = realtime()
    const list = roomKey ? roomKey.split(',') : []
    rt.subscribe(list)
    // A list's first load still under way is dropped and asked again: invalidating it alone would
    // wait for that load, whose answer may have been read before the change the event tells of
    // (a tip answered while the page was opening kept its count at 0 until a reload).
    const reload = (queryKey: readonly unknown[]) =>
      void qc.cancelQueries({ queryKey }).then(() => qc.invalidateQueries({ queryKey }))
    const refresh = () => {
      reload(messagingKeys.ask)
      reload(messagingKeys.groups)
    }
    const off = rt.onEvent((event) => {
      if (event.type === 'message.created' || event.type === 'conversation.read') refresh()
      else if (event.type.startsWith('alert.')) reload(alertKeys.mine)
      else if (event.type === 'tip.changed') {
        // Comes to the sender's own room: an answer or a new status on one of their tips.
        reload(tipKeys.mine)
        reload(tipKeys.one(event.tipId))
      }
    })
    // Whatever arrived while the connection was down is counted again on reconnect.
    const offStatus = rt.onStatus((status) => {
      if (status === 'open') {
        refresh()
        reload(tipKeys.mine)
      }
    })
    return () => {
      off()
      offStatus()
      rt.unsubscribe(list)
    }
  }, [enabled, roomKey, qc])

  if (!enabled) return { ask: 0, groups: 0, alerts: 0, tips: 0 }
  return {
    ask: ask.data?.conversation?.read.unread ?? 0,
    groups: mine.reduce((sum, g) => sum + (g.read?.unread ?? 0), 0),
    alerts: (alerts.data?.items ?? []).filter((a) => a.isLive && !a.mine?.readAt).length,
    tips: (tips.data ?? []).filter((t) => t.hasUpdate).length,
  }
}
