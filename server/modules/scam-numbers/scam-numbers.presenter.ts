import {
  SCAM_PUBLIC_MIN_COUNT,
  type TMyScamReport,
  type TScamNumberPage,
  type TStaffScamReport,
} from '@common/schemas/scam-numbers'
import { formatVietnamesePhone } from '@common/text/phone'
import type { Actor } from '../../lib/actor'
import { scamNumbersPolicy } from './scam-numbers.policy'
import type { NumberCounts, QueueRow, ScamNumberRow, ScamReportRow } from './scam-numbers.repository'

const iso = (d: Date | string) => new Date(d).toISOString()

/** The reporter's own view of a report. */
export const presentMyReport = (r: ScamReportRow, phone: string): TMyScamReport => ({
  id: r.id,
  phone,
  claimedAs: r.claimedAs,
  calledAt: iso(r.calledAt),
  amountVnd: r.amountVnd,
  note: r.note,
  status: r.status,
  createdAt: iso(r.createdAt),
})

/** A report in the staff queue: reporter's name and phone included — the caller audits the read. */
export function presentStaffReport(row: QueueRow, actor: Actor): TStaffScamReport {
  const resource = {
    reporterId: row.report.reporterId,
    areaPath: row.report.areaPath,
    status: row.report.status,
  }
  return {
    ...presentMyReport(row.report, row.phone),
    area: { id: row.report.areaId, name: row.areaName },
    reporter: { name: row.reporterName, phone: row.reporterPhone },
    reviewNote: row.report.reviewNote,
    number: { status: row.numberStatus, reporters: row.reporters, alertId: row.alertId },
    can: [
      ...(scamNumbersPolicy.can(actor, 'review', resource) ? (['review'] as const) : []),
      ...(scamNumbersPolicy.can(actor, 'raiseAlert', {
        ...resource,
        numberVerified: row.numberStatus === 'verified',
      })
        ? (['raiseAlert'] as const)
        : []),
    ],
  }
}

/** A public count, or null ("fewer than 3") when so few people reported that they could be told apart. */
const kAnonymous = (n: number) => (n < SCAM_PUBLIC_MIN_COUNT ? null : n)

/** The public page of a verified number: counts per week and province, never who reported. */
export const presentNumberPage = (
  n: ScamNumberRow,
  c: NumberCounts,
  alert: { id: string; headline: string } | null,
): TScamNumberPage => ({
  phone: n.phone,
  display: formatVietnamesePhone(n.phone),
  verifiedAt: iso(n.verifiedAt ?? n.updatedAt),
  firstReportedAt: iso(c.firstReportedAt),
  lastReportedAt: iso(c.lastReportedAt),
  reporters: kAnonymous(c.reporters),
  claims: c.claims.map((x) => ({ claimedAs: x.claimed_as, count: kAnonymous(x.count) })),
  counts: {
    last7Days: {
      total: kAnonymous(c.last7.reduce((n, p) => n + p.count, 0)),
      provinces: c.last7.map((p) => ({ name: p.province, count: kAnonymous(p.count) })),
    },
    weeks: c.weeks.map((w) => ({
      weekStart: w.week_start,
      province: w.province,
      count: kAnonymous(w.count),
    })),
  },
  alert,
})
