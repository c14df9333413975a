import type { TCreateAssignment, TEndAssignment } from '@common/schemas/organisation'
import type { Db } from '../../db/client'
import { conflict, invalidField, notFound } from '../../lib/errors'
import { accessChanged } from '../../realtime/access-events'
import { type EventBus, publishAfterCommit } from '../../realtime/event-bus'
import { type AuditContext, audit } from '../audit/audit.service'
import { assignmentsRepository } from './assignments.repository'
import type { UnitRow } from './units.repository'
import { unitsRepository } from './units.repository'

export interface OrganisationDeps {
  db: Db
  bus: EventBus
}

/** "2026-03-01" is midnight in Việt Nam (UTC+7, no daylight saving); a full date-time is taken as is. */
export const parseWhen = (value: string): Date =>
  new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+07:00` : value)

async function publishChange(
  deps: OrganisationDeps,
  area: UnitRow,
  officerId: string | null,
  previousOfficerId: string | null,
) {
  const rooms = [`area:${area.id}`, ...(area.parentId ? [`unit:${area.parentId}`] : [])]
  for (const id of new Set([officerId, previousOfficerId])) if (id) rooms.push(`user:${id}`)
  await publishAfterCommit(deps.bus, {
    type: 'area.officer_changed',
    rooms: rooms as `area:${string}`[],
    at: new Date().toISOString(),
    areaId: area.id,
    officerId,
    previousOfficerId,
  })
  // The officer who leaves loses the area's rooms on every instance (those they still may read stay).
  if (previousOfficerId) await publishAfterCommit(deps.bus, accessChanged([previousOfficerId]))
}

/**
 * Makes an officer responsible for an area from `startsAt` (default now). An area has one officer at
 * a time: the assignment running at that moment ends there (reassignment), and `area.officer_changed`
 * is published after commit so other modules can hand over open work.
 */
export async function assignOfficer(
  deps: OrganisationDeps,
  ctx: AuditContext,
  areaId: string,
  input: TCreateAssignment,
) {
  const startsAt = input.startsAt ? parseWhen(input.startsAt) : new Date()
  const endsAt = input.endsAt ? parseWhen(input.endsAt) : null
  if (endsAt && endsAt <= startsAt)
    throw invalidField('endsAt', 'ends_before_start', 'organisation.ends_before_start')

  const result = await deps.db.transaction(async (tx) => {
    const area = await unitsRepository.lock(tx, areaId)
    if (!area) throw notFound('organisation.area_not_found')
    const officer = await assignmentsRepository.findOfficerFor(tx, input.officerId, area.path)
    if (!officer) throw invalidField('officerId', 'not_in_unit', 'organisation.officer_not_in_unit')

    let previousOfficerId: string | null = null
    const open = await assignmentsRepository.openFrom(tx, area.id, startsAt)
    if (open.some((a) => a.startsAt >= startsAt)) throw conflict('organisation.assignment_overlaps')
    if (open.some((a) => a.officerId === officer.id)) throw conflict('organisation.already_assigned')
    for (const running of open) {
      await assignmentsRepository.setEnd(tx, running.id, startsAt)
      previousOfficerId = running.officerId
    }
    const row = await assignmentsRepository.insert(tx, {
      officerId: officer.id,
      areaId: area.id,
      startsAt,
      endsAt,
      createdBy: ctx.actor?.userId ?? null,
    })
    await audit.record(tx, ctx, {
      action: previousOfficerId ? 'assignment.reassign' : 'assignment.create',
      entityType: 'area_assignment',
      entityId: row.id,
      unitId: area.id,
      unitPath: area.path,
      details: {
        officerId: officer.id,
        previousOfficerId,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt?.toISOString() ?? null,
      },
    })
    return { area, assignment: { ...row, officer }, previousOfficerId }
  })
  await publishChange(deps, result.area, result.assignment.officerId, result.previousOfficerId)
  return result
}

/** Ends an assignment at `endsAt` (default now); a planned one that has not started yet is cancelled. */
export async function endAssignment(
  deps: OrganisationDeps,
  ctx: AuditContext,
  areaId: string,
  assignmentId: string,
  input: TEndAssignment,
) {
  const requested = input.endsAt ? parseWhen(input.endsAt) : new Date()
  const result = await deps.db.transaction(async (tx) => {
    const area = await unitsRepository.lock(tx, areaId)
    if (!area) throw notFound('organisation.area_not_found')
    const row = await assignmentsRepository.findInArea(tx, area.id, assignmentId)
    if (!row) throw notFound('organisation.assignment_not_found')
    if (row.endsAt && row.endsAt <= new Date()) throw conflict('organisation.assignment_already_ended')
    const endsAt = new Date(Math.max(requested.getTime(), row.startsAt.getTime()))
    await assignmentsRepository.setEnd(tx, row.id, endsAt)
    await audit.record(tx, ctx, {
      action: 'assignment.end',
      entityType: 'area_assignment',
      entityId: row.id,
      unitId: area.id,
      unitPath: area.path,
      details: { officerId: row.officerId, endsAt: endsAt.toISOString() },
    })
    return { area, officerId: row.officerId }
  })
  await publishChange(deps, result.area, null, result.officerId)
}
