import type {
  TAreaDetail,
  TCreateArea,
  TCreateAssignment,
  TUnitDetail,
  TUnitListItem,
  TUnitOfficer,
  TUpdateArea,
} from '@common/schemas/organisation'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { apiFetch } from '../../api/client'

export const orgKeys = {
  all: ['org'] as const,
  roots: ['org', 'roots'] as const,
  unit: (id: string) => ['org', 'unit', id] as const,
  officers: (id: string) => ['org', 'officers', id] as const,
  area: (id: string) => ['org', 'area', id] as const,
}

export const useUnitRoots = () =>
  useQuery({
    queryKey: orgKeys.roots,
    queryFn: async () => (await apiFetch<{ units: TUnitListItem[] }>('/api/units')).units,
  })

export const useUnit = (id: string) =>
  useQuery({ queryKey: orgKeys.unit(id), queryFn: () => apiFetch<TUnitDetail>(`/api/units/${id}`) })

export const useUnitOfficers = (id: string | undefined) =>
  useQuery({
    queryKey: orgKeys.officers(id ?? ''),
    queryFn: async () => (await apiFetch<{ officers: TUnitOfficer[] }>(`/api/units/${id}/officers`)).officers,
    enabled: !!id,
  })

export const useArea = (id: string) =>
  useQuery({ queryKey: orgKeys.area(id), queryFn: () => apiFetch<TAreaDetail>(`/api/areas/${id}`) })

/** Every organisation query (and the public directory) may change after a write: refetch them. */
function useInvalidateAll() {
  const qc = useQueryClient()
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: orgKeys.all }),
      qc.invalidateQueries({ queryKey: ['directory'] }),
    ])
}

export function useAssignOfficer(areaId: string) {
  const invalidate = useInvalidateAll()
  return useMutation({
    mutationFn: (body: TCreateAssignment) =>
      apiFetch(`/api/areas/${areaId}/assignments`, { method: 'POST', body }),
    onSuccess: invalidate,
  })
}

export function useEndAssignment(areaId: string) {
  const invalidate = useInvalidateAll()
  return useMutation({
    mutationFn: (assignmentId: string) =>
      apiFetch<void>(`/api/areas/${areaId}/assignments/${assignmentId}/end`, { method: 'POST', body: {} }),
    onSuccess: invalidate,
  })
}

export function useUpdateArea(areaId: string) {
  const invalidate = useInvalidateAll()
  return useMutation({
    mutationFn: (body: TUpdateArea) =>
      apiFetch<TUnitListItem>(`/api/areas/${areaId}`, { method: 'PATCH', body }),
    onSuccess: invalidate,
  })
}

export function useCreateArea(unitId: string) {
  const invalidate = useInvalidateAll()
  return useMutation({
    mutationFn: (body: TCreateArea) =>
      apiFetch<TUnitListItem>(`/api/units/${unitId}/areas`, { method: 'POST', body }),
    onSuccess: invalidate,
  })
}
