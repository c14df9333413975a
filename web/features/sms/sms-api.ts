import type { TMessageView } from '@common/schemas/messaging'
import {
  type TSmsReplyRequest,
  type TSmsSent,
  type TUpdateSmsSettings,
  ZSmsReplyInfo,
  ZSmsSettings,
} from '@common/schemas/sms'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { apiFetch } from '../../api/client'

export const smsKeys = {
  reply: (conversationId: string) => ['sms', 'reply', conversationId] as const,
  settings: (unitId: string) => ['sms', 'settings', unitId] as const,
}

/** The masked number, the price per segment and the budget left, before answering by SMS. */
export const useSmsReplyInfo = (conversationId: string, enabled: boolean) =>
  useQuery({
    queryKey: smsKeys.reply(conversationId),
    queryFn: () => apiFetch(`/api/conversations/${conversationId}/sms`, { schema: ZSmsReplyInfo }),
    enabled,
  })

export function useSendSms(conversationId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (request: TSmsReplyRequest) =>
      apiFetch<{ message: TMessageView; sms: TSmsSent }>(`/api/conversations/${conversationId}/sms`, {
        method: 'POST',
        body: request,
        // The answer's own key: a second tap or a retry sends one SMS.
        idempotencyKey: request.clientKey,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: smsKeys.reply(conversationId) }),
  })
}

export const useSmsSettings = (unitId: string) =>
  useQuery({
    queryKey: smsKeys.settings(unitId),
    queryFn: () => apiFetch(`/api/units/${unitId}/sms-settings`, { schema: ZSmsSettings }),
  })

export function useUpdateSmsSettings(unitId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: TUpdateSmsSettings) =>
      apiFetch(`/api/units/${unitId}/sms-settings`, { method: 'PUT', body, schema: ZSmsSettings }),
    onSuccess: (settings) => qc.setQueryData(smsKeys.settings(unitId), settings),
  })
}
