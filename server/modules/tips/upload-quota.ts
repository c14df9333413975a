import { createHmac } from 'node:crypto'
import type { SQL } from 'drizzle-orm'
import type { Config } from '../../config'
import type { DbOrTx } from '../../db/client'
import { AppError } from '../../lib/errors'
import { uploadQuotaRepository as repo } from './upload-quota.repository'

const MB = 1024 * 1024
const VIETNAM_OFFSET_MS = 7 * 3_600_000

/** The budgets' day: Việt Nam's calendar day (UTC+7), so they start again at midnight there. */
export const budgetDay = (now = Date.now()) => new Date(now + VIETNAM_OFFSET_MS).toISOString().slice(0, 10)

/**
 * The address's counter name for one day: an HMAC under the server secret and the day, so the table
 * never holds an address, and one day's row cannot be matched with the next day's.
 */
export const addressScope = (secret: string, address: string, day: string) =>
  `address:${createHmac('sha256', secret).update(`anonymous-upload:${day}:${address}`).digest('base64url').slice(0, 22)}`

const addressFull = () => new AppError('rate_limited', 'tips.anonymous_daily_budget')
const globalFull = () => new AppError('insufficient_storage', 'tips.anonymous_budget_full')

/**
 * Files a tip, a follow-up, a case's evidence or an answer to a request for help brings, counted
 * against the budgets and the quota of the unit (a tip's unit, or the ward of a case's area).
 */
export type UploadCharge = {
  bytes: number
  /** The client address of an anonymous sender (tips and tip-code follow-ups); unset otherwise. */
  anonymousAddress?: string | undefined
} & ({ unitId: string } | { areaId: string })

export const uploadQuota = {
  /**
   * Before a body is read: refuse an anonymous sender at once when their address, or all anonymous
   * senders together, used up today's budget, so a flood is not even written to a temporary file.
   */
  async assertAnonymousOpen(db: DbOrTx, config: Config, address: string, now = Date.now()): Promise<void> {
    const day = budgetDay(now)
    const scope = addressScope(config.SESSION_SECRET, address, day)
    for (const r of await repo.budgets(db, day, [scope, 'global'])) {
      if (r.scope === 'global' && r.bytes >= config.ANON_UPLOAD_MB_PER_DAY * MB) throw globalFull()
      if (r.scope === scope && r.bytes >= config.ANON_UPLOAD_MB_PER_ADDRESS * MB) throw addressFull()
    }
  },

  /**
   * Inside the transaction that records the files: counts them against the anonymous budgets and
   * the unit's quota, and throws when one would be passed (the rollback undoes the count).
   * The budget rows and an advisory lock per unit serialise concurrent uploads on every instance.
   */
  async charge(tx: DbOrTx, config: Config, charge: UploadCharge, now = Date.now()): Promise<void> {
    if (charge.bytes <= 0) return
    if (charge.anonymousAddress !== undefined) {
      const day = budgetDay(now)
      const scope = addressScope(config.SESSION_SECRET, charge.anonymousAddress, day)
      if ((await repo.addBytes(tx, scope, day, charge.bytes)) > config.ANON_UPLOAD_MB_PER_ADDRESS * MB)
        throw addressFull()
      if ((await repo.addBytes(tx, 'global', day, charge.bytes)) > config.ANON_UPLOAD_MB_PER_DAY * MB)
        throw globalFull()
    }
    const unitId = 'unitId' in charge ? charge.unitId : await repo.unitOfArea(tx, charge.areaId)
    await repo.lockUnit(tx, unitId)
    if ((await repo.unitBytes(tx, unitId)) + charge.bytes > config.UNIT_STORAGE_QUOTA_MB * MB) {
      throw new AppError('insufficient_storage', 'tips.unit_storage_full')
    }
  },
}

export interface UnitStorage {
  unitId: string
  unitName: string
  bytes: number
  quotaBytes: number
  level: 'ok' | 'warning' | 'full'
}

/**
 * Storage used by each unit holding files (every kind: see upload-quota.repository.ts), fullest
 * first; `scope` keeps the units the caller may see (the retention policy's `readUnitStorage` filter).
 */
export async function listUnitStorage(
  db: DbOrTx,
  config: Config,
  scope: (unit: { path: SQL }) => SQL,
): Promise<UnitStorage[]> {
  const quotaBytes = config.UNIT_STORAGE_QUOTA_MB * MB
  const warnAt = (quotaBytes * config.UNIT_STORAGE_WARN_PERCENT) / 100
  return (await repo.unitsBytes(db, scope)).map((r) => ({
    unitId: r.unit_id,
    unitName: r.unit_name,
    bytes: r.bytes,
    quotaBytes,
    level: r.bytes >= quotaBytes ? 'full' : r.bytes >= warnAt ? 'warning' : 'ok',
  }))
}
