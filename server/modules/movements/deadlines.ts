import type { TReportKind } from '@common/schemas/movements'

/** Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving), so local times are fixed offsets. */
const VN_OFFSET_MS = 7 * 3600_000
const HOUR = 3600_000

/** A local date and time in Việt Nam as an instant. */
export function vnInstant(date: string, time = '00:00'): Date {
  return new Date(new Date(`${date}T${time}:00Z`).getTime() - VN_OFFSET_MS)
}

/** Today's date in Việt Nam (YYYY-MM-DD). */
export const vnToday = (now = new Date()) => new Date(now.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10)

/** Monday of the current week in Việt Nam (YYYY-MM-DD): "this week" in the commanders' counts. */
export function vnWeekStart(now = new Date()): string {
  const today = vnToday(now)
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7
  return addDays(today, -weekday)
}

export const addDays = (date: string, days: number) =>
  new Date(new Date(`${date}T00:00:00Z`).getTime() + days * 24 * HOUR).toISOString().slice(0, 10)

/**
 * The law's deadline for sending a report (domain-vn.md §9, §12): a stay before 23:00 of its first
 * day, or by 08:00 the next day when the guest arrives after 23:00; a foreign guest within 12 hours
 * of arrival (arrival taken as 23:00 when no time is given, so the deadline is never earlier than
 * a Vietnamese guest's). Tenants leaving and absences have no sending deadline here (§8 sets who
 * must declare, not by when), so null.
 */
export function reportDueAt(r: {
  kind: TReportKind
  fromDate: string
  arrivalTime?: string | null | undefined
  isForeign: boolean
}): Date | null {
  if (r.kind === 'tenant_out' || r.kind === 'absence') return null
  if (r.isForeign) return new Date(vnInstant(r.fromDate, r.arrivalTime ?? '23:00').getTime() + 12 * HOUR)
  if (r.arrivalTime && r.arrivalTime >= '23:00') return vnInstant(addDays(r.fromDate, 1), '08:00')
  return vnInstant(r.fromDate, '23:00')
}

/** The officer checks a report within a day (§8: one day for an absence; §9: received at once). */
export const REVIEW_WINDOW_MS = 24 * HOUR
