import type { TCreateAssignment, TEndAssignment } from '@common/schemas/organisation'
import type { Db, DbOrTx } from '../../db/client'
import type { JobQueue } from '../../jobs/job-queue'
import { conflict, invalidField, notFound } from '../../lib/errors'
import { accessChanged } from '../../realtime/access-events'
import { type EventBus, publishAfterCommit } from '../../realtime/event-bus'
import { type AuditContext, audit } from '../audit/audit.service'
import { assignmentsRepository } from './assignments.repository'
import { scheduleOfficerChange } from './officer-change.job'
import type { UnitRow } from './units.repository'
import { unitsRepository } from './units.repository'

export interface OrganisationDeps {
  db: Db
  bus: EventBus
  jobs: JobQueue
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
  // The officer who leaves loses the area's rooms on every instance (those they still may read stay);
  // both officers' cached sessions are dropped, so the next request sees the new areas.
  const changed = [officerId, previousOfficerId].filter((id): id is string => id !== null)
  if (changed.length) await publishAfterCommit(deps.bus, accessChanged(changed))
}

/**
 * Makes an officer responsible for an area from `startsAt` (default now). An area has one officer at
 * a time: the assignment running at that moment ends there (reassignment). The former officer's
 * records follow when the change takes effect (a job at `startsAt`, officer-change.job.ts); a change
 * that takes effect now is announced (`area.officer_changed`) after commit, a planned one by the job.
 *
 * A duplicate submit (a double tap, a retry whose answer was lost) returns the assignment it made
 * instead of a 409 (same person, officer, area and end; the same named start, or "now" within
 * `DUPLICATE_WINDOW_MS` of the first). The Idempotency-Key header covers a retry with its key; this
 * covers a second submit made with a new one.
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
    const duplicate = await findDuplicate(tx, ctx.actor?.userId ?? null, area.id, officer.id, input, {
      startsAt,
      endsAt,
    })
    if (duplicate)
      return {
        area,
        assignment: { ...duplicate.row, officer },
        previousOfficerId: duplicate.previousOfficerId,
        duplicate: true,
      }
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
    await scheduleOfficerChange(
      deps.jobs,
      tx,
      { areaId: area.id, previousOfficerId, at: startsAt.toISOString(), planned: startsAt > new Date() },
      `assign:${row.id}`,
    )
    return { area, assignment: { ...row, officer }, previousOfficerId, duplicate: false }
  })
  if (!result.duplicate && result.assignment.startsAt <= new Date())
    await publishChange(deps, result.area, result.assignment.officerId, result.previousOfficerId)
  return result
}

/** How far apart two submits of "assign this officer from now" may arrive and still be one. */
const DUPLICATE_WINDOW_MS = 2 * 60_000

/**
 * The assignment a previous submit of the same request made, if any: by the same person, for the
 * same officer and area, with the same end, and the same start (a named start) or made moments ago
 * (a start left to "now"). Someone else's assignment of that officer is still "already assigned".
 */
async function findDuplicate(
  tx: DbOrTx,
  actorId: string | null,
  areaId: string,
  officerId: string,
  input: TCreateAssignment,
  { startsAt, endsAt }: { startsAt: Date; endsAt: Date | null },
) {
  if (!actorId) return null
  const rows = await assignmentsRepository.listForArea(tx, areaId)
  const same = rows.find(
    (r) =>
      r.createdBy === actorId &&
      r.officerId === officerId &&
      (r.endsAt?.getTime() ?? null) === (endsAt?.getTime() ?? null) &&
      (input.startsAt
        ? r.startsAt.getTime() === startsAt.getTime()
        : // Both started "now": the first when it was made, this one moments later.
          Math.abs(r.createdAt.getTime() - r.startsAt.getTime()) < DUPLICATE_WINDOW_MS &&
          startsAt.getTime() - r.startsAt.getTime() < DUPLICATE_WINDOW_MS),
  )
  if (!same) return null
  // The assignment it ended, if it replaced one: the answer the first submit gave.
  const previous = rows.find((r) => r.id !== same.id && r.endsAt?.getTime() === same.startsAt.getTime())
  return { row: same, previousOfficerId: previous?.officerId ?? null }
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
    await scheduleOfficerChange(
      deps.jobs,
      tx,
      {
        areaId: area.id,
        previousOfficerId: row.officerId,
        at: endsAt.toISOString(),
        planned: endsAt > new Date(),
      },
      `end:${row.id}:${endsAt.toISOString()}`,
    )
    await audit.record(tx, ctx, {
      action: 'assignment.end',
      entityType: 'area_assignment',
      entityId: row.id,
      unitId: area.id,
      unitPath: area.path,
      details: { officerId: row.officerId, endsAt: endsAt.toISOString() },
    })
    return { area, officerId: row.officerId, endsAt }
  })
  if (result.endsAt <= new Date()) await publishChange(deps, result.area, null, result.officerId)
}
