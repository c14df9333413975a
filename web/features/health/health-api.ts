import { type TSystemHealth, ZSystemHealth } from '@common/schemas/health'
import { useQuery } from '@tanstack/react-query'
import { apiFetch } from '../../api/client'

export const healthKeys = { system: ['admin', 'health'] as const }

/**
 * The administrators' health figures. Other staff get 403 (not retried): the console uses that
 * answer to decide whether to list the page. `live` refreshes every 30 s while the page is open.
 */
export const useSystemHealth = (live = false) =>
  useQuery({
    queryKey: healthKeys.system,
    queryFn: () => apiFetch<TSystemHealth>('/api/admin/health', { schema: ZSystemHealth }),
    staleTime: live ? 0 : 5 * 60_000,
    refetchInterval: live ? 30_000 : false,
  })
