import type { Db } from '../../db/client'
import type { FileStorage } from '../../storage/file-storage'
import { retentionRepository } from './retention.repository'
import { type RetentionRule, retentionRules } from './retention.rules'

/** The job queue's name for the daily run (retention.job.ts). */
export const RETENTION_QUEUE = 'retention.run'

export interface RetentionDeps {
  db: Db
  storage: FileStorage
  /** The clock every period is computed from; tests move it. */
  now?: () => Date
}

/** Runs one rule in its own transaction, records the run, then deletes the bytes it released. */
export async function runRule(deps: RetentionDeps, rule: RetentionRule): Promise<number> {
  const clock = deps.now?.() ?? new Date()
  const outcome = await deps.db.transaction(async (tx) => {
    const out = await rule.run(tx, clock)
    await retentionRepository.recordRun(tx, {
      rule: rule.name,
      clock,
      removed: out.removed,
      details: out.details ?? {},
    })
    return out
  })
  for (const key of outcome.storageKeys ?? []) await deps.storage.delete(key).catch(() => undefined)
  return outcome.removed
}

/** Every rule, one after the other (each its own transaction, so the embedded database stays responsive). */
export async function runRetention(deps: RetentionDeps): Promise<Record<string, number>> {
  const removed: Record<string, number> = {}
  for (const rule of retentionRules) removed[rule.name] = await runRule(deps, rule)
  return removed
}

export interface RetentionStatus {
  items: {
    name: string
    period: string
    lastRunAt: Date | null
    removed: number | null
    details: Record<string, number>
  }[]
  /** The queued daily job's time (retention.job.ts queues today's and tomorrow's). */
  nextRunAt: Date | null
}

/** The admin page: each rule, its period, its last run; and when the next run is queued. */
export async function retentionStatus(db: Db): Promise<RetentionStatus> {
  const runs = new Map((await retentionRepository.lastRuns(db)).map((r) => [r.rule, r]))
  const next = await retentionRepository.nextRunAt(db, RETENTION_QUEUE)
  return {
    items: retentionRules.map((rule) => {
      const last = runs.get(rule.name)
      return {
        name: rule.name,
        period: rule.period,
        lastRunAt: last ? new Date(last.ran_at) : null,
        removed: last?.removed ?? null,
        details: last?.details ?? {},
      }
    }),
    nextRunAt: next ? new Date(next) : null,
  }
}
