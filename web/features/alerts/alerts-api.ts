import type {
  TAlertAnswerView,
  TAlertList,
  TAlertView,
  TComposeOptions,
  TCreateAlertRequest,
  TPendingApprovalCount,
  TRecipientPreview,
} from '@common/schemas/alerts'
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { apiFetch } from '../../api/client'
import { realtime } from '../../api/realtime'

export const alertKeys = {
  all: ['alerts'] as const,
  mine: ['alerts', 'mine'] as const,
  staff: ['alerts', 'staff'] as const,
  pendingApprovalCount: ['alerts', 'pending-approval-count'] as const,
  one: (id: string) => ['alerts', 'one', id] as const,
  answers: (id: string) => ['alerts', 'answers', id] as const,
  options: ['alerts', 'compose-options'] as const,
  session: ['session'] as const,
}

interface SessionUser {
  id: string
  kind: 'resident' | 'staff'
  areaId: string | null
  roles: string[]
}

/** Who is signed in (null when nobody): decides whose alerts and which room to listen to. */
export function useSessionUser() {
  return useQuery({
    queryKey: alertKeys.session,
    queryFn: async () => (await apiFetch<{ user: SessionUser | null }>('/api/auth/session')).user,
    staleTime: 60_000,
  })
}

export const useMyAlerts = () =>
  useQuery({ queryKey: alertKeys.mine, queryFn: () => apiFetch<TAlertList>('/api/alerts') })

export const useStaffAlerts = () =>
  useQuery({ queryKey: alertKeys.staff, queryFn: () => apiFetch<TAlertList>('/api/staff/alerts') })

/** How many alerts wait for the caller's approval: the console's badge, asked for commanders only. */
export const usePendingApprovalCount = (enabled: boolean) =>
  useQuery({
    queryKey: alertKeys.pendingApprovalCount,
    queryFn: async () =>
      (await apiFetch<TPendingApprovalCount>('/api/staff/alerts/pending-approval/count')).count,
    enabled,
  })

export const useAlert = (id: string) =>
  useQuery({ queryKey: alertKeys.one(id), queryFn: () => apiFetch<TAlertView>(`/api/alerts/${id}`) })

export const useAnswers = (id: string, enabled: boolean) =>
  useQuery({
    queryKey: alertKeys.answers(id),
    queryFn: async () => (await apiFetch<{ items: TAlertAnswerView[] }>(`/api/alerts/${id}/answers`)).items,
    enabled,
  })

export const useComposeOptions = () =>
  useQuery({
    queryKey: alertKeys.options,
    queryFn: () => apiFetch<TComposeOptions>('/api/alerts/compose-options'),
  })

export const previewRecipients = (body: Pick<TCreateAlertRequest, 'issuingUnitId' | 'scope'>) =>
  apiFetch<TRecipientPreview>('/api/alerts/preview', { method: 'POST', body })

export const refreshAlert = (qc: QueryClient, id: string) =>
  Promise.all([
    qc.invalidateQueries({ queryKey: alertKeys.one(id) }),
    qc.invalidateQueries({ queryKey: alertKeys.mine }),
    qc.invalidateQueries({ queryKey: alertKeys.staff }),
  ])

/** One action on an alert (submit, approve, updates, cancel, answers…), refreshing what shows it. */
export function useAlertAction<B = unknown, R = TAlertView>(id: string, path: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body?: B) => apiFetch<R>(`/api/alerts/${id}/${path}`, { method: 'POST', body: body ?? {} }),
    onSuccess: () => refreshAlert(qc, id),
  })
}

/** Receipts waiting for the next request, and the timer that sends them. */
const receiptQueue: {
  items: { alertId: string; state: 'delivered' | 'read' }[]
  timer?: ReturnType<typeof setTimeout> | undefined
} = { items: [] }

/**
 * Tells the server this device has an alert (delivered) or the resident opened it (read). The
 * receipts of the next moment go together: an alert and its update, delivered then read. They go on
 * the open socket (the one the alert came on; thousands of phones then cost the server no request
 * each), else in one request. A lost receipt only means a push the device did not need; it is not
 * retried.
 */
export function sendReceipt(alertId: string, state: 'delivered' | 'read'): void {
  receiptQueue.items.push({ alertId, state })
  receiptQueue.timer ??= setTimeout(() => {
    receiptQueue.timer = undefined
    const receipts = receiptQueue.items.splice(0)
    for (let i = 0; i < receipts.length; i += 20) {
      const chunk = receipts.slice(i, i + 20)
      if (realtime().sendIfOpen({ type: 'alert_receipts', receipts: chunk })) continue
      apiFetch('/api/alerts/receipts', { method: 'POST', body: { receipts: chunk } }).catch(() => undefined)
    }
  }, 200)
}

/** Uploads a photo as multipart (the server strips EXIF). */
export async function uploadAlertPhoto(id: string, file: File): Promise<void> {
  const form = new FormData()
  form.append('file', file)
  await apiFetch(`/api/alerts/${id}/photos`, { method: 'POST', body: form })
}
