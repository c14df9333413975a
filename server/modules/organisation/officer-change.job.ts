import type { Db, DbOrTx } from '../../db/client'
import type { JobQueue } from '../../jobs/job-queue'
import { accessChanged } from '../../realtime/access-events'
import { type EventBus, publishAfterCommit } from '../../realtime/event-bus'
import { assignmentsRepository } from './assignments.repository'
import { unitsRepository } from './units.repository'

export const OFFICER_CHANGE_QUEUE = 'organisation.officer-change'

/** An area's officer changes at `at`: the former officer's records there must follow whoever answers then. */
export interface OfficerChange {
  areaId: string
  previousOfficerId: string | null
  /** When it takes effect (ISO): the new assignment's start, or the end of the one that stops. */
  at: string
  /** Planned for later: nobody heard of it at commit time, so the job announces it when it runs. */
  planned: boolean
}

/**
 * Another module's reaction to an officer change (tips, cases and conversations follow the new
 * officer). It reads who answers for the area when it runs and must be idempotent: the job retries
 * it when any follower fails.
 */
export type OfficerChangeFollower = (change: OfficerChange) => Promise<unknown>

// One job queue per app (and per test app), so the followers of one app are keyed by its queue.
const followersOf = new WeakMap<JobQueue, OfficerChangeFollower[]>()

/** Registers a module's follower; modules call it when they are registered, like room authorisers. */
export function followOfficerChanges(jobs: JobQueue, follower: OfficerChangeFollower): void {
  followersOf.set(jobs, [...(followersOf.get(jobs) ?? []), follower])
}

/**
 * Queues the change in the transaction that made it, to run when it takes effect. A reassignment
 * planned for next Monday moves the former officer's records on Monday, not today (when the former
 * officer still answers for the area) and not never (the bug this replaced: the reaction ran at
 * commit time only, found the former officer still responsible, and moved nothing). The job is in
 * the database, so a restart in between loses nothing; `key` makes a repeated request one job.
 */
export function scheduleOfficerChange(jobs: JobQueue, tx: DbOrTx, change: OfficerChange, key: string) {
  return jobs.enqueue(OFFICER_CHANGE_QUEUE, change, {
    tx,
    runAt: new Date(change.at),
    uniqueKey: `${OFFICER_CHANGE_QUEUE}:${key}`,
  })
}

/**
 * When the change takes effect: every follower runs (a failure retries the job). A planned change is
 * then announced: the area's rooms hear who answers for it now, and the former officer's sockets are
 * re-authorised on every instance (they lose the area's rooms; what they may still read stays).
 */
export function registerOfficerChangeJob(jobs: JobQueue, deps: { db: Db; bus: EventBus }): void {
  jobs.register<OfficerChange>(OFFICER_CHANGE_QUEUE, async (change) => {
    for (const follow of followersOf.get(jobs) ?? []) await follow(change)
    // A change that took effect at once was announced after its commit (assignments.service.ts).
    if (!change.planned) return
    const area = await unitsRepository.findById(deps.db, change.areaId)
    if (!area) return
    const officerId =
      (await assignmentsRepository.currentOfficers(deps.db, [area.id])).get(area.id)?.id ?? null
    const rooms = [`area:${area.id}`, ...(area.parentId ? [`unit:${area.parentId}`] : [])]
    for (const id of new Set([officerId, change.previousOfficerId])) if (id) rooms.push(`user:${id}`)
    await publishAfterCommit(deps.bus, {
      type: 'area.officer_changed',
      rooms: rooms as `area:${string}`[],
      at: new Date().toISOString(),
      areaId: area.id,
      officerId,
      previousOfficerId: change.previousOfficerId,
    })
    // Both officers' cached sessions are dropped (the new one gains the area now); the one who left
    // loses its rooms.
    const changed = [...new Set([officerId, change.previousOfficerId])].filter((id): id is string => !!id)
    if (changed.length) await publishAfterCommit(deps.bus, accessChanged(changed))
  })
}
