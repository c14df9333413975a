import type { TDashboardRecords } from '@common/schemas/dashboard'
import { RECORDS_LIMIT, type RecordRow } from './dashboard-records.repository'

/** Where a record opens in the staff console (an answer to an alert or a request for help has no page of its own). */
const HREF: Record<string, (id: string) => string> = {
  conversation: (id) => `/staff/inbox/${id}`,
  tip: (id) => `/staff/tips/${id}`,
  case: (id) => `/staff/cases/${id}`,
  alert: (id) => `/staff/alerts/${id}`,
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString())

export function presentRecords(rows: RecordRow[]): TDashboardRecords {
  return {
    truncated: rows.length > RECORDS_LIMIT,
    items: rows.slice(0, RECORDS_LIMIT).map((r) => ({
      source: r.source,
      id: r.id,
      title: r.title ?? '',
      kind: r.kind,
      areaName: r.area_name,
      officerName: r.officer_name,
      status: r.status,
      createdAt: iso(r.created_at)!,
      firstResponseAt: iso(r.first_response_at),
      href: HREF[r.source]?.(r.id) ?? null,
    })),
  }
}
