import type { TInteractionKind } from '@common/schemas/dashboard'
import { type SQL, sql } from 'drizzle-orm'

/**
 * The definitions of docs/dashboard-definitions.md in code, used by the dashboard and the monthly
 * report alike. A tip's category and an alert's kind fold into the interaction kinds of S8.
 */
export const TIP_CATEGORY_KIND: Record<string, TInteractionKind> = {
  suspicious_person: 'security_order',
  suspicious_vehicle: 'security_order',
  theft: 'security_order',
  disorder_fight: 'security_order',
  drugs: 'security_order',
  gambling: 'security_order',
  fire_hazard: 'fire_safety',
  traffic: 'traffic',
  scam: 'scam',
  lost_property: 'lost_person_property',
  other: 'other',
}

export const ALERT_KIND_KIND: Record<string, TInteractionKind> = {
  missing_person: 'lost_person_property',
  found_person: 'lost_person_property',
  wanted_stolen_vehicle: 'security_order',
  scam_warning: 'scam',
  fire_safety: 'fire_safety',
  traffic: 'traffic',
  general_notice: 'other',
}

/** `case <column> when … then <kind> … else 'other' end`, from one of the maps above. */
export const kindCase = (column: SQL, map: Record<string, TInteractionKind>): SQL =>
  sql`(case ${column} ${sql.join(
    Object.entries(map).map(([from, to]) => sql`when ${from} then ${to}`),
    sql` `,
  )} else 'other' end)`

/** Cases not resolved or closed are open; their age at the end of the period puts them in a bucket. */
export const OPEN_CASE_STATUSES = ['new', 'verifying', 'in_progress'] as const
export const DEFAULT_TARGET_MINUTES = 30

const DAY = 86_400_000
/** Vietnam is UTC+7 all year: a period's days start at 00:00 there. */
export const vnMidnight = (date: string) => new Date(`${date}T00:00:00+07:00`)
export const vnDate = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10)

export interface Period {
  /** Inclusive start and exclusive end of the period, and the same length just before it. */
  from: Date
  to: Date
  previousFrom: Date
}

/** From the first and last day (both included) to instants; the previous period has the same length. */
export function periodOf(fromDay: string, toDay: string): Period {
  const from = vnMidnight(fromDay)
  const to = new Date(vnMidnight(toDay).getTime() + DAY)
  return { from, to, previousFrom: new Date(from.getTime() - (to.getTime() - from.getTime())) }
}
export const MAX_PERIOD_DAYS = 366
export const periodDays = (p: Period) => Math.round((p.to.getTime() - p.from.getTime()) / DAY)

/** A case's age at `end` (days since it was opened), in the buckets of the dashboard (alias k). */
export const ageBucket = (end: SQL) => sql`(case when ${end} - k.created_at <= interval '7 days' then '0_7'
  when ${end} - k.created_at <= interval '30 days' then '8_30'
  when ${end} - k.created_at <= interval '90 days' then '31_90' else 'over_90' end)`
