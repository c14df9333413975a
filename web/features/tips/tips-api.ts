import type {
  TCaseListItem,
  TCaseView,
  TCreateHelpRequest,
  THelpRequestView,
  TMapCollection,
  TUpdateCaseRequest,
} from '@common/schemas/cases'
import type { TTipListItem, TTipSubmitted, TTipView } from '@common/schemas/tips'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { ApiError, apiFetch } from '../../api/client'

export const tipKeys = {
  mine: ['tips', 'mine'] as const,
  one: (id: string) => ['tips', 'one', id] as const,
  staff: (filter: string) => ['tips', 'staff', filter] as const,
  cases: (open: string) => ['cases', 'list', open] as const,
  case: (id: string) => ['cases', 'one', id] as const,
  help: (id: string) => ['help', 'one', id] as const,
  myHelp: ['help', 'mine'] as const,
  map: (q: string) => ['cases', 'map', q] as const,
  mapSettings: ['cases', 'map-settings'] as const,
  groups: ['groups', 'mine'] as const,
}

/** One per form; kept across retries of the same submission so a double tap never makes two tips. */
export const newIdempotencyKey = () => crypto.randomUUID()

/**
 * An anonymous tip, and every follow-up by its code, goes without cookies (credentials: 'omit'): no
 * session, so the server could not link it to an account even by accident (the server does not read
 * the cookie on these routes either).
 */
async function fetchAnonymous<T>(
  url: string,
  body: FormData | Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<T> {
  let res: Response
  try {
    res = await fetch(url, {
      method: 'POST',
      body: body instanceof FormData ? body : JSON.stringify(body),
      credentials: 'omit',
      headers: {
        ...headers,
        ...(body instanceof FormData ? {} : { 'content-type': 'application/json' }),
        accept: 'application/json',
        'accept-language': document.documentElement.lang || 'vi',
      },
    })
  } catch (err) {
    throw new ApiError({ status: 0, title: 'Network error', detail: String(err) })
  }
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>
  if (!res.ok) {
    throw new ApiError({
      status: res.status,
      type: json.type as string | undefined,
      title: (json.title as string | undefined) ?? res.statusText,
      detail: json.detail as string | undefined,
      errors: Array.isArray(json.errors) ? (json.errors as { field: string; message: string }[]) : undefined,
    })
  }
  return json as unknown as T
}

const postAnonymous = (form: FormData, key: string) =>
  fetchAnonymous<TTipSubmitted>('/api/tips/anonymous', form, { 'idempotency-key': key })

export function useSubmitTip() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ form, key, anonymous }: { form: FormData; key: string; anonymous: boolean }) =>
      anonymous
        ? postAnonymous(form, key)
        : apiFetch<TTipSubmitted>('/api/tips', {
            method: 'POST',
            body: form,
            headers: { 'idempotency-key': key },
          }),
    onSuccess: (_d, v) => {
      if (!v.anonymous) void queryClient.invalidateQueries({ queryKey: ['auth'] })
      void queryClient.invalidateQueries({ queryKey: tipKeys.mine })
    },
  })
}

export const useMyTips = (enabled = true) =>
  useQuery({ queryKey: tipKeys.mine, queryFn: () => apiFetch<TTipListItem[]>('/api/tips/mine'), enabled })
export const useTip = (id: string) =>
  useQuery({ queryKey: tipKeys.one(id), queryFn: () => apiFetch<TTipView>(`/api/tips/${id}`) })
export const useStaffTips = (filter: string) =>
  useQuery({
    queryKey: tipKeys.staff(filter),
    queryFn: () => apiFetch<TTipListItem[]>(`/api/tips?filter=${filter}`),
  })

export const lookupTipByCode = (code: string) => fetchAnonymous<TTipView>('/api/tips/code/lookup', { code })

export const addInfoByCode = (form: FormData) => fetchAnonymous<TTipView>('/api/tips/code/messages', form)

export function useTipMessage(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (form: FormData) =>
      apiFetch<TTipView>(`/api/tips/${id}/messages`, { method: 'POST', body: form }),
    onSuccess: (tip) => queryClient.setQueryData(tipKeys.one(id), tip),
  })
}

export function useUpdateTip(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: { status?: 'in_review' | 'closed' }) =>
      apiFetch<TTipView>(`/api/tips/${id}`, { method: 'PATCH', body }),
    onSuccess: (tip) => queryClient.setQueryData(tipKeys.one(id), tip),
  })
}

/** Quarantine a spam tip: its files' bytes are deleted, their hashes kept (administrators, commanders). */
export function useQuarantineTip(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: { reason: string }) =>
      apiFetch<TTipView>(`/api/tips/${id}/quarantine`, { method: 'POST', body }),
    onSuccess: (tip) => {
      queryClient.setQueryData(tipKeys.one(id), tip)
      void queryClient.invalidateQueries({ queryKey: ['tips', 'staff'] })
    },
  })
}

export const useCreateCase = () =>
  useMutation({
    mutationFn: (body: { title: string; tipIds: string[] }) =>
      apiFetch<TCaseView>('/api/cases', { method: 'POST', body }),
  })

export const useCases = (open: string) =>
  useQuery({
    queryKey: tipKeys.cases(open),
    queryFn: () => apiFetch<TCaseListItem[]>(`/api/cases${open ? `?open=${open}` : ''}`),
  })
export const useCase = (id: string) =>
  useQuery({ queryKey: tipKeys.case(id), queryFn: () => apiFetch<TCaseView>(`/api/cases/${id}`) })

export function useCaseMutation<T>(id: string, path: string, method: 'POST' | 'PATCH' = 'POST') {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: T) => apiFetch<unknown>(`/api/cases/${id}${path}`, { method, body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tipKeys.case(id) }),
  })
}
export const useUpdateCase = (id: string) => useCaseMutation<TUpdateCaseRequest>(id, '', 'PATCH')
export const usePublishHelp = (id: string) => useCaseMutation<TCreateHelpRequest>(id, '/help-requests')

export const useHelpRequest = (id: string) =>
  useQuery({
    queryKey: tipKeys.help(id),
    queryFn: () => apiFetch<THelpRequestView>(`/api/help-requests/${id}`),
  })
export const useMyHelpRequests = () =>
  useQuery({ queryKey: tipKeys.myHelp, queryFn: () => apiFetch<THelpRequestView[]>('/api/help-requests') })

export function useAnswerHelp(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (form: FormData) =>
      apiFetch<THelpRequestView>(`/api/help-requests/${id}/responses`, { method: 'POST', body: form }),
    onSuccess: (h) => queryClient.setQueryData(tipKeys.help(id), h),
  })
}

export const useMapData = (query: string) =>
  useQuery({
    queryKey: tipKeys.map(query),
    queryFn: () => apiFetch<TMapCollection>(`/api/cases/map?${query}`),
  })
export const useMapSettings = () =>
  useQuery({
    queryKey: tipKeys.mapSettings,
    queryFn: () => apiFetch<{ tileUrl: string; attribution: string }>('/api/cases/map/settings'),
    staleTime: Number.POSITIVE_INFINITY,
  })
export const useMyGroups = () =>
  useQuery({
    queryKey: tipKeys.groups,
    queryFn: async () =>
      (
        await apiFetch<{ groups: { id: string; name: string; unitName: string; can: string[] }[] }>(
          '/api/groups',
        )
      ).groups,
  })
