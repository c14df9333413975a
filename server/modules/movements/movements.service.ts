import type { TCreateReportRequest, TReviewRequest } from '@common/schemas/movements'
import type { Db, DbOrTx } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { AppError, forbidden, invalidField, notFound } from '../../lib/errors'
import type { EventBus } from '../../realtime/event-bus'
import { type AuditContext, audit } from '../audit/audit.service'
import { isUniqueViolation } from '../tips/db-errors'
import { REVIEW_WINDOW_MS, reportDueAt } from './deadlines'
import { publishReportChanged } from './movements.events'
import { movementsPolicy, type ReporterResource } from './movements.policy'
import {
  type Capacities,
  movementsRepository,
  type ReportInsert,
  type ReportRow,
} from './movements.repository'
import { registerService } from './register.service'

export interface MovementsDeps {
  db: Db
  bus: EventBus
}

const capacityOf = (kind: TCreateReportRequest['kind']) =>
  kind === 'guest' ? 'business' : kind === 'tenant_in' || kind === 'tenant_out' ? 'landlord' : 'household'

/** Where the report is: the chosen area (a residential group) or the household's own. */
async function placeOf(db: DbOrTx, input: TCreateReportRequest, caps: Capacities) {
  const areaId = input.areaId ?? (capacityOf(input.kind) === 'household' ? caps.home?.areaId : undefined)
  if (!areaId) throw invalidField('areaId', 'required', 'movements.area_required')
  const area = await movementsRepository.area(db, areaId)
  if (!area) throw invalidField('areaId', 'invalid', 'movements.area_invalid')
  const address = input.address ?? (caps.home?.areaId === area.id ? caps.home.address : null)
  if (!address) throw invalidField('address', 'required', 'movements.address_required')
  return { area, address }
}

/** A household at home, a landlord where their group is, a business where its group is. */
function assertMayReport(
  actor: Actor,
  kind: TCreateReportRequest['kind'],
  place: { area: { id: string; path: string } },
  caps: Capacities,
) {
  const resource: ReporterResource = {
    kind,
    area: place.area,
    homeAreaId: caps.home?.areaId ?? null,
    landlordPaths: caps.landlordPaths,
    businessPaths: caps.businessPaths,
  }
  if (!movementsPolicy.can(actor, 'submit', resource))
    throw forbidden(`movements.capacity_${capacityOf(kind)}`)
}

/** The report's row from the form: the law's deadline, and whether it came late. */
export function reportValues(
  input: TCreateReportRequest,
  reporter: { id: string; capacity: ReportInsert['reporterCapacity'] },
  place: { area: { id: string; path: string }; address: string },
  now = new Date(),
  guestListId: string | null = null,
): ReportInsert {
  const isForeign = input.person.idKind === 'passport' && input.person.nationality !== 'VN'
  const arrivalTime = 'arrivalTime' in input ? (input.arrivalTime ?? null) : null
  const dueAt = reportDueAt({ kind: input.kind, fromDate: input.fromDate, arrivalTime, isForeign })
  return {
    kind: input.kind,
    reporterId: reporter.id,
    reporterCapacity: reporter.capacity,
    areaId: place.area.id,
    areaPath: place.area.path,
    address: place.address,
    fullName: input.person.fullName,
    idKind: input.person.idKind,
    idNumber: input.person.idNumber,
    nationality: input.person.nationality ?? (input.person.idKind === 'citizen_id' ? 'VN' : null),
    isForeign,
    relation: input.kind === 'stay' ? input.relation : null,
    fromDate: input.fromDate,
    toDate: 'toDate' in input ? input.toDate : null,
    arrivalTime,
    destination: input.kind === 'absence' ? input.destination : null,
    reason: input.kind === 'absence' ? input.reason : null,
    note: input.note ?? null,
    guestListId,
    dueAt,
    isLate: !!dueAt && now.getTime() > dueAt.getTime(),
    reviewDueAt: new Date(now.getTime() + REVIEW_WINDOW_MS),
    clientKey: input.clientKey,
  }
}

export const movementsService = {
  /** A resident's report. The client key makes a retry (or the offline outbox) return the first one. */
  async submit(
    deps: MovementsDeps,
    actor: Actor,
    input: TCreateReportRequest,
  ): Promise<{ report: ReportRow; created: boolean }> {
    const existing = await movementsRepository.findByClientKey(deps.db, actor.userId, input.clientKey)
    if (existing) return { report: existing, created: false }
    const caps = await movementsRepository.capacities(deps.db, actor.userId)
    const place = await placeOf(deps.db, input, caps)
    assertMayReport(actor, input.kind, place, caps)
    try {
      const [report] = await movementsRepository.insert(deps.db, [
        reportValues(input, { id: actor.userId, capacity: capacityOf(input.kind) }, place),
      ])
      await publishReportChanged(deps.bus, report!)
      return { report: report!, created: true }
    } catch (err) {
      if (!isUniqueViolation(err)) throw err
      // A double tap that raced the first: the first one won.
      const first = await movementsRepository.findByClientKey(deps.db, actor.userId, input.clientKey)
      if (!first) throw err
      return { report: first, created: false }
    }
  },

  /** A report the caller may read; others get 404 so they cannot learn it exists. */
  async getReadable(db: DbOrTx, actor: Actor, id: string) {
    const row = await movementsRepository.get(db, id)
    if (!row) throw notFound('movements.not_found')
    movementsPolicy.authorize(actor, 'read', row.report, { hide: true })
    return row
  },

  /** Confirm (the register changes), ask for a correction, or reject with a reason. */
  async review(deps: MovementsDeps, actor: Actor, ctx: AuditContext, id: string, input: TReviewRequest) {
    const { report } = await movementsService.getReadable(deps.db, actor, id)
    if (report.status === 'confirmed' || report.status === 'rejected')
      throw new AppError('conflict', 'movements.already_reviewed')
    movementsPolicy.authorize(actor, 'review', report)
    const status = (
      { confirm: 'confirmed', request_correction: 'needs_correction', reject: 'rejected' } as const
    )[input.decision]
    const updated = await deps.db.transaction(async (tx) => {
      const row = await movementsRepository.update(tx, report.id, {
        status,
        reviewerId: actor.userId,
        reviewedAt: new Date(),
        reviewNote: input.note ?? null,
        closedAt: status === 'needs_correction' ? null : new Date(),
      })
      const person = status === 'confirmed' ? await registerService.applyReport(tx, row, actor.userId) : null
      await audit.record(tx, ctx, {
        action: `residence_report.${input.decision}`,
        entityType: 'residence_report',
        entityId: report.id,
        unitId: report.areaId,
        unitPath: report.areaPath,
        details: { kind: report.kind, ...(person ? { registerPersonId: person.id } : {}) },
      })
      return row
    })
    await publishReportChanged(deps.bus, updated)
    return updated
  },

  /** The reporter fixes what the officer asked for; the report goes back to the queue. */
  async correct(deps: MovementsDeps, actor: Actor, id: string, input: TCreateReportRequest) {
    const { report } = await movementsService.getReadable(deps.db, actor, id)
    movementsPolicy.authorize(actor, 'correct', report)
    if (input.kind !== report.kind) throw invalidField('kind', 'invalid', 'movements.kind_changed')
    const caps = await movementsRepository.capacities(deps.db, actor.userId)
    const place = await placeOf(deps.db, { ...input, areaId: input.areaId ?? report.areaId }, caps)
    assertMayReport(actor, input.kind, place, caps)
    const values = reportValues(
      { ...input, clientKey: report.clientKey },
      { id: actor.userId, capacity: report.reporterCapacity },
      place,
      report.createdAt,
    )
    const updated = await movementsRepository.update(deps.db, report.id, {
      ...values,
      status: 'pending',
      reviewDueAt: new Date(Date.now() + REVIEW_WINDOW_MS),
    })
    await publishReportChanged(deps.bus, updated)
    return updated
  },
}
