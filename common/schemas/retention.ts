import { z } from 'zod'

/** The retention page (roles-and-data.md): each rule, its period, its last run, and the next run. */
export const ZRetentionStatus = z.object({
  items: z.array(
    z.object({
      name: z.string(),
      period: z.string(),
      lastRunAt: z.string().nullable(),
      removed: z.number().int().nullable(),
      details: z.record(z.string(), z.number()),
    }),
  ),
  /** When the queued `retention.run` job is due; null when none is queued. */
  nextRunAt: z.string().nullable(),
})
export type TRetentionStatus = z.infer<typeof ZRetentionStatus>

/** Tip files per unit against its quota (F9): `warning` from `warnPercent`, `full` at the quota. */
export const ZUnitStorage = z.object({
  items: z.array(
    z.object({
      unitId: z.uuid(),
      unitName: z.string(),
      bytes: z.number(),
      quotaBytes: z.number(),
      level: z.enum(['ok', 'warning', 'full']),
    }),
  ),
  warnPercent: z.number().int(),
})
export type TUnitStorage = z.infer<typeof ZUnitStorage>
