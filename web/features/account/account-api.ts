import {
  type TChangePassword,
  type TUpdateProfile,
  ZMyArea,
  ZPasswordChanged,
  ZProfile,
  ZSessionList,
} from '@common/schemas/account'
import { ZDirectorySearch } from '@common/schemas/directory'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { apiFetch } from '../../api/client'

export const accountKeys = {
  profile: ['me', 'profile'] as const,
  area: ['me', 'area'] as const,
  sessions: ['me', 'sessions'] as const,
}

export const useProfile = () =>
  useQuery({ queryKey: accountKeys.profile, queryFn: () => apiFetch('/api/me', { schema: ZProfile }) })
export const useMyArea = () =>
  useQuery({ queryKey: accountKeys.area, queryFn: () => apiFetch('/api/me/area', { schema: ZMyArea }) })
export const useMySessions = () =>
  useQuery({
    queryKey: accountKeys.sessions,
    queryFn: () => apiFetch('/api/me/sessions', { schema: ZSessionList }),
  })

export function useUpdateProfile() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (patch: TUpdateProfile) =>
      apiFetch('/api/me', { method: 'PATCH', body: patch, schema: ZProfile }),
    onSuccess: (profile) => {
      queryClient.setQueryData(accountKeys.profile, profile)
      void queryClient.invalidateQueries({ queryKey: accountKeys.area })
      void queryClient.invalidateQueries({ queryKey: ['auth', 'session'] })
    },
  })
}

export function useRevokeSession() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string | 'others') =>
      apiFetch<unknown>(id === 'others' ? '/api/me/sessions' : `/api/me/sessions/${id}`, {
        method: 'DELETE',
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.sessions }),
  })
}

/** Areas matching a name or street, from the public directory. */
export const useAreaSearch = (q: string) =>
  useQuery({
    queryKey: ['directory', 'search', q],
    queryFn: () => apiFetch(`/api/directory/search?q=${encodeURIComponent(q)}`, { schema: ZDirectorySearch }),
    enabled: q.trim().length >= 2,
    staleTime: 60_000,
  })

/** Staff: a new password; the server signs every other browser out. */
export function useChangePassword() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: TChangePassword) =>
      apiFetch('/api/me/password', { method: 'PUT', body, schema: ZPasswordChanged }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.sessions }),
  })
}
