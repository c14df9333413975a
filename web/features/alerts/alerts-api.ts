import type {
  TAlertAnswerView,
  TAlertList,
  TAlertView,
  TComposeOptions,
  TCreateAlertRequest,
  TRecipientPreview,
} from '@common/schemas/alerts'
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { apiFetch } from '../../api/client'

export const alertKeys = {
  all: ['alerts'] as const,
  mine: ['alerts', 'mine'] as const,
  staff: ['alerts', 'staff'] as const,
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

export const sendReceipt = (id: string, state: 'delivered' | 'read') =>
  apiFetch(`/api/alerts/${id}/receipt`, { method: 'POST', body: { state } }).catch(() => undefined)

/** Uploads a photo as multipart (the server strips EXIF). */
export async function uploadAlertPhoto(id: string, file: File): Promise<void> {
  const form = new FormData()
  form.append('file', file)
  await apiFetch(`/api/alerts/${id}/photos`, { method: 'POST', body: form })
}
