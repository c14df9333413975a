import type {
  TChannelAccountList,
  TStartZaloOAuthRequest,
  TStartZaloOAuthResponse,
} from '@common/schemas/channel-console'
import type { TChannelAccountView, TConnectMessengerRequest } from '@common/schemas/channels'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { apiFetch } from '../../api/client'

const listKey = (unitId: string) => ['channels', unitId] as const

/** The unit's connected Zalo OA and Facebook Page (never a secret), and the Zalo callback to register. */
export const useUnitChannels = (unitId: string) =>
  useQuery({
    queryKey: listKey(unitId),
    queryFn: () => apiFetch<TChannelAccountList>(`/api/units/${unitId}/channels`),
  })

/** Connect (or reconnect) the Facebook Page: the secrets go once and are never shown again. */
export function useConnectMessenger(unitId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: TConnectMessengerRequest) =>
      apiFetch<TChannelAccountView>(`/api/units/${unitId}/channels/messenger`, { method: 'PUT', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: listKey(unitId) }),
  })
}

/** "Connect with Zalo": the server seals the flow in a cookie and answers Zalo's consent page. */
export const useStartZaloOAuth = (unitId: string) =>
  useMutation({
    mutationFn: (body: TStartZaloOAuthRequest) =>
      apiFetch<TStartZaloOAuthResponse>(`/api/units/${unitId}/channels/zalo/oauth`, { method: 'POST', body }),
  })

export function useDisconnectChannel(unitId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (accountId: string) =>
      apiFetch<TChannelAccountView>(`/api/units/${unitId}/channels/${accountId}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: listKey(unitId) }),
  })
}
