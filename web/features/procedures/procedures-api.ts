import type {
  TProcedureDetail,
  TProcedureList,
  TProcedureSearchResults,
  TProcedureVersions,
} from '@common/schemas/procedures'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { apiFetch } from '../../api/client'

export const procedureKeys = {
  list: ['procedures', 'list'] as const,
  detail: (id: string, unit?: string) => ['procedures', 'detail', id, unit ?? ''] as const,
  search: (q: string) => ['procedures', 'search', q] as const,
}

export const useProcedureList = () =>
  useQuery({
    queryKey: procedureKeys.list,
    queryFn: () => apiFetch<TProcedureList>('/api/procedures'),
    staleTime: 5 * 60_000,
  })

export const useProcedure = (id: string, unit?: string) =>
  useQuery({
    queryKey: procedureKeys.detail(id, unit),
    queryFn: () =>
      apiFetch<TProcedureDetail>(
        `/api/procedures/${encodeURIComponent(id)}${unit ? `?unit=${encodeURIComponent(unit)}` : ''}`,
      ),
  })

/** Results as the resident types: the server folds diacritics, chat spelling and typos. */
export const useProcedureSearch = (q: string) =>
  useQuery({
    queryKey: procedureKeys.search(q),
    queryFn: ({ signal }) =>
      apiFetch<TProcedureSearchResults>(`/api/procedures/search?q=${encodeURIComponent(q)}&limit=8`, {
        signal,
      }),
    enabled: q.trim().length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  })

/** The value once it has stopped changing for `ms` (one request per pause, not per key). */
export function useDebounced<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}

export const useProcedureVersions = (id: string) =>
  useQuery({
    queryKey: ['procedures', 'versions', id] as const,
    queryFn: () => apiFetch<TProcedureVersions>(`/api/procedures/${encodeURIComponent(id)}/versions`),
  })

/** What staff may change; the server records a version and an audit entry when something changed. */
export interface ProcedureEdit {
  handlingBody?: string
  requiredDocuments?: string[]
  timeLimit?: string
  fee?: string
  legalBasis?: string[]
  keywords?: string[]
  awaitingLegalReview?: boolean
  reviewBy?: string | null
  note?: string
}

export function useUpdateProcedure(id: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: ProcedureEdit) =>
      apiFetch<TProcedureDetail>(`/api/procedures/${encodeURIComponent(id)}`, { method: 'PUT', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['procedures'] }),
  })
}
