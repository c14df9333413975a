import type {
  TCheckPhoneResult,
  TDirectoryArea,
  TDirectorySearch,
  TDirectoryUnit,
  TPublicUnit,
} from '@common/schemas/directory'
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { apiFetch } from '../../api/client'

export const directoryKeys = {
  roots: ['directory', 'roots'] as const,
  unit: (slug: string) => ['directory', 'unit', slug] as const,
  area: (slug: string) => ['directory', 'area', slug] as const,
  search: (q: string) => ['directory', 'search', q] as const,
}

export const useDirectoryRoots = () =>
  useQuery({
    queryKey: directoryKeys.roots,
    queryFn: async () => (await apiFetch<{ units: TPublicUnit[] }>('/api/directory/units')).units,
  })

export const useDirectoryUnit = (slug: string) =>
  useQuery({
    queryKey: directoryKeys.unit(slug),
    queryFn: () => apiFetch<TDirectoryUnit>(`/api/directory/units/${encodeURIComponent(slug)}`),
  })

export const useDirectoryArea = (slug: string) =>
  useQuery({
    queryKey: directoryKeys.area(slug),
    queryFn: () => apiFetch<TDirectoryArea>(`/api/directory/areas/${encodeURIComponent(slug)}`),
  })

export const useDirectorySearch = (q: string) =>
  useQuery({
    queryKey: directoryKeys.search(q),
    queryFn: () => apiFetch<TDirectorySearch>(`/api/directory/search?q=${encodeURIComponent(q)}`),
    enabled: q.trim().length >= 2,
    placeholderData: keepPreviousData,
  })

/** The caller check; the advice comes back in the language on screen. */
export function useCheckPhone() {
  const { i18n } = useTranslation()
  return useMutation({
    mutationKey: ['directory', 'check-phone', i18n.language],
    mutationFn: (phone: string) =>
      apiFetch<TCheckPhoneResult>('/api/directory/check-phone', { method: 'POST', body: { phone } }),
  })
}
