import type { TRetentionStatus, TUnitStorage } from '@common/schemas/retention'
import type { UnitStorage } from '../tips/upload-quota'
import type { RetentionStatus } from './retention.service'

/** The retention page's answer: times as ISO strings. */
export const presentRetentionStatus = (s: RetentionStatus): TRetentionStatus => ({
  items: s.items.map((i) => ({
    name: i.name,
    period: i.period,
    lastRunAt: i.lastRunAt ? i.lastRunAt.toISOString() : null,
    removed: i.removed,
    details: i.details,
  })),
  nextRunAt: s.nextRunAt ? s.nextRunAt.toISOString() : null,
})

export const presentUnitStorage = (items: UnitStorage[], warnPercent: number): TUnitStorage => ({
  items: items.map((i) => ({
    unitId: i.unitId,
    unitName: i.unitName,
    bytes: i.bytes,
    quotaBytes: i.quotaBytes,
    level: i.level,
  })),
  warnPercent,
})
