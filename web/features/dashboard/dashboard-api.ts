import type { dashboardFigureValues, TDashboard, TDashboardRecords } from '@common/schemas/dashboard'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { apiFetch } from '../../api/client'

export interface DashboardUnit {
  id: string
  name: string
  level: string
}
export interface PeriodQuery {
  unitId: string
  from: string
  to: string
}
export type TDashboardFigure = (typeof dashboardFigureValues)[number]
/** Filters of the list behind one figure (GET /api/dashboard/records). */
export type RecordsFilter = Partial<
  Record<
    'kind' | 'source' | 'childId' | 'officerId' | 'status' | 'age' | 'outcome' | 'overdue' | 'reportKind',
    string
  >
> & { figure: TDashboardFigure }

export const qs = (params: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString()

/** The units the signed-in staff member may open (empty for those who command nothing). */
export const useDashboardUnits = (enabled = true) =>
  useQuery({
    queryKey: ['dashboard', 'units'],
    queryFn: () => apiFetch<DashboardUnit[]>('/api/dashboard/units'),
    staleTime: 5 * 60_000,
    enabled,
  })

export const useDashboard = (q: PeriodQuery | null) =>
  useQuery({
    queryKey: ['dashboard', 'figures', q],
    queryFn: () => apiFetch<TDashboard>(`/api/dashboard?${qs({ ...q! })}`),
    enabled: !!q,
    placeholderData: keepPreviousData,
  })

export const useDashboardRecords = (q: PeriodQuery & RecordsFilter) =>
  useQuery({
    queryKey: ['dashboard', 'records', q],
    queryFn: () => apiFetch<TDashboardRecords>(`/api/dashboard/records?${qs({ ...q })}`),
  })
