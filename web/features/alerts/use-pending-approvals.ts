import { useSession } from '../auth/use-session'
import { useDashboardUnits } from '../dashboard/dashboard-api'
import { usePendingApprovalCount } from './alerts-api'
import { useAlertsRealtime } from './use-alerts-realtime'

/**
 * How many alerts wait for the caller's approval, kept live: the rooms of the units they command
 * carry `alert.approval` (submitted, approved, rejected, also from the units below them), and any
 * alert event refetches the count. Only commanders approve, so nobody else asks (an officer or an
 * administrator would always be told 0).
 */
export function usePendingApprovals(): number {
  const approves = useSession().data?.roles.includes('commander') ?? false
  const commanded = useDashboardUnits().data ?? []
  useAlertsRealtime(approves ? commanded.map((u) => `unit:${u.id}`) : [])
  return usePendingApprovalCount(approves).data ?? 0
}
