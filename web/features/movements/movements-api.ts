import type {
  TCapabilities,
  TRegisterHistoryItem,
  TRegisterPerson,
  TReportView,
  TReviewRequest,
} from '@common/schemas/movements'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { apiFetch } from '../../api/client'

export interface RegisterHousehold {
  id: string
  area: { id: string; name: string }
  address: string
  people: TRegisterPerson[]
}
export type ExpiringPerson = TRegisterPerson & { address: string; area: { id: string; name: string } }
export interface PersonDetail extends TRegisterPerson {
  household: { id: string; address: string; area: { id: string; name: string } }
  history: TRegisterHistoryItem[]
}

export const movementKeys = {
  capabilities: ['movements', 'capabilities'] as const,
  mine: ['movements', 'mine'] as const,
  queue: (status: string, areaId: string) => ['movements', 'queue', status, areaId] as const,
  areas: ['register', 'areas'] as const,
  households: (areaId: string, q: string) => ['register', 'households', areaId, q] as const,
  expiring: (areaId: string) => ['register', 'expiring', areaId] as const,
  person: (id: string) => ['register', 'person', id] as const,
}

const qs = (params: Record<string, string>) => {
  const s = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '')).toString()
  return s ? `?${s}` : ''
}

export const useCapabilities = () =>
  useQuery({
    queryKey: movementKeys.capabilities,
    queryFn: () => apiFetch<TCapabilities>('/api/movements/capabilities'),
  })

export const useMyReports = () =>
  useQuery({
    queryKey: movementKeys.mine,
    queryFn: async () => (await apiFetch<{ items: TReportView[] }>('/api/movements/reports/mine')).items,
  })

export const useQueue = (status: string, areaId: string) =>
  useQuery({
    queryKey: movementKeys.queue(status, areaId),
    queryFn: async () =>
      (await apiFetch<{ items: TReportView[] }>(`/api/movements/queue${qs({ status, areaId })}`)).items,
  })

export function useReview() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ id, ...body }: TReviewRequest & { id: string }) =>
      apiFetch<TReportView>(`/api/movements/reports/${id}/review`, { method: 'POST', body }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['movements'] })
      void qc.invalidateQueries({ queryKey: ['register'] })
    },
  })
}

export const useRegisterAreas = () =>
  useQuery({
    queryKey: movementKeys.areas,
    queryFn: async () =>
      (await apiFetch<{ items: { id: string; name: string }[] }>('/api/register/areas')).items,
  })

export const useHouseholds = (areaId: string, q: string) =>
  useQuery({
    queryKey: movementKeys.households(areaId, q),
    queryFn: () =>
      apiFetch<{ items: RegisterHousehold[]; nextCursor: string | null }>(
        `/api/register/households${qs({ areaId, q, limit: '50' })}`,
      ),
    placeholderData: keepPreviousData,
  })

export const useExpiring = (areaId: string) =>
  useQuery({
    queryKey: movementKeys.expiring(areaId),
    queryFn: async () =>
      (await apiFetch<{ items: ExpiringPerson[] }>(`/api/register/expiring${qs({ areaId })}`)).items,
  })

export const usePerson = (id: string | null) =>
  useQuery({
    queryKey: movementKeys.person(id ?? ''),
    queryFn: () => apiFetch<PersonDetail>(`/api/register/people/${id}`),
    enabled: !!id,
  })
