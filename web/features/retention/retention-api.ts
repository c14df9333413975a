import {
  type TRetentionStatus,
  type TUnitStorage,
  ZRetentionStatus,
  ZUnitStorage,
} from '@common/schemas/retention'
import { useQuery } from '@tanstack/react-query'
import { apiFetch } from '../../api/client'

export const retentionKeys = {
  rules: ['admin', 'retention'] as const,
  storage: ['admin', 'storage'] as const,
}

/** Each retention rule, its last run and the next one: administrators only (others get 403). */
export const useRetentionStatus = () =>
  useQuery({
    queryKey: retentionKeys.rules,
    queryFn: () => apiFetch<TRetentionStatus>('/api/admin/retention', { schema: ZRetentionStatus }),
  })

/**
 * Storage used per unit against its quota: administrators (every unit) and commanders (their units).
 * Other staff get 403 (not retried): the console uses that answer to decide whether to list the page.
 */
export const useUnitStorage = () =>
  useQuery({
    queryKey: retentionKeys.storage,
    queryFn: () => apiFetch<TUnitStorage>('/api/admin/storage', { schema: ZUnitStorage }),
    staleTime: 5 * 60_000,
  })
