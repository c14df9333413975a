import type { ZGuestListView } from '@common/schemas/guest-lists'
import type { TRegisterPerson, TReportView } from '@common/schemas/movements'
import type { z } from 'zod'
import type { Actor } from '../../lib/actor'
import { scopeOf, under } from '../../lib/scope'
import { vnToday } from './deadlines'
import type { GuestListRow } from './guest-lists.repository'
import { movementsPolicy, reportActions } from './movements.policy'
import type { Conflict, ReportWithNames } from './movements.repository'
import type { PersonRow } from './register.repository'

const iso = (d: Date | null) => (d ? d.toISOString() : null)

/** Conflicts outside the caller's areas say so, without the other ward's address. */
function conflictDetail(c: Conflict, actor: Actor): { code: Conflict['code']; detail: string } {
  const s = scopeOf(actor)
  const visible = under(c.otherAreaPath, [...s.coverPaths, ...s.commandPaths])
  return { code: c.code, detail: visible ? c.otherAddress : '' }
}

/**
 * A report for its reporter (`audience: 'owner'`) or for the staff who check it: staff also see
 * who sent it and what conflicts with it. `now` decides "overdue" so a list is consistent.
 */
export function presentReport(
  row: ReportWithNames,
  actor: Actor,
  opts: { conflicts?: Conflict[]; now?: Date } = {},
): TReportView {
  const r = row.report
  const now = opts.now ?? new Date()
  const isStaff = actor.kind === 'staff'
  const resource = { reporterId: r.reporterId, areaPath: r.areaPath, status: r.status }
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    area: { id: r.areaId, name: row.areaName },
    address: r.address,
    person: {
      fullName: r.fullName,
      idKind: r.idKind,
      idNumber: r.idNumber,
      nationality: r.nationality,
      isForeign: r.isForeign,
    },
    relation: r.relation,
    fromDate: r.fromDate,
    toDate: r.toDate,
    arrivalTime: r.arrivalTime,
    destination: r.destination,
    reason: r.reason,
    note: r.note,
    guestListId: r.guestListId,
    submittedAt: r.createdAt.toISOString(),
    dueAt: iso(r.dueAt),
    isLate: r.isLate,
    isOverdue: r.status === 'pending' && r.reviewDueAt.getTime() < now.getTime(),
    reviewNote: r.reviewNote,
    reviewedAt: iso(r.reviewedAt),
    reviewerName: row.reviewerName,
    ...(isStaff
      ? {
          reporter: { name: row.reporterName, capacity: r.reporterCapacity },
          conflicts: (opts.conflicts ?? [])
            .filter((c) => c.reportId === r.id)
            .map((c) => conflictDetail(c, actor)),
        }
      : {}),
    can: [
      ...movementsPolicy.allowed(actor, reportActions, resource),
      ...(movementsPolicy.can(actor, 'correct', resource) ? ['correct'] : []),
    ],
  }
}

/** Where a person stands today: left, away, a stay that has ended, or their kind of residence. */
export function registerStatusOf(p: PersonRow, today = vnToday()): TRegisterPerson['status'] {
  if (p.endedOn && p.endedOn <= today) return 'left'
  if (p.awayFrom && p.awayFrom <= today && (!p.awayUntil || p.awayUntil >= today)) return 'away'
  if (p.residence !== 'permanent' && p.untilDate && p.untilDate < today) return 'expired'
  return p.residence
}

export function presentPerson(p: PersonRow, today?: string): TRegisterPerson {
  return {
    id: p.id,
    fullName: p.fullName,
    idKind: p.idKind,
    idNumber: p.idNumber,
    nationality: p.nationality,
    isForeign: p.isForeign,
    residence: p.residence,
    status: registerStatusOf(p, today),
    fromDate: p.fromDate,
    untilDate: p.untilDate,
    awayFrom: p.awayFrom,
    awayUntil: p.awayUntil,
    endedOn: p.endedOn,
  }
}

export function presentGuestList(l: GuestListRow, areaName: string): z.infer<typeof ZGuestListView> {
  return {
    id: l.id,
    source: l.source,
    area: { id: l.areaId, name: areaName },
    address: l.address,
    guestCount: l.guestCount,
    foreignCount: l.foreignCount,
    submittedAt: l.createdAt.toISOString(),
  }
}
