import { z } from 'zod'

/** The administrators' health page: what an operator checks first when something looks wrong. */
export const ZSystemHealth = z.object({
  checkedAt: z.string(),
  database: z.object({
    kind: z.enum(['pglite', 'postgres']),
    reachable: z.boolean(),
    /** Round trip of `select 1`, in milliseconds; null when unreachable. */
    latencyMs: z.number().nullable(),
    sizeBytes: z.number().int().nullable(),
  }),
  redis: z.object({
    configured: z.boolean(),
    /** Null when not configured (one instance, events stay in the process). */
    reachable: z.boolean().nullable(),
  }),
  jobs: z.object({
    /** Jobs due now and not finished (pending or running). */
    due: z.number().int(),
    /** How long the oldest due job has waited, in seconds; null when none waits. */
    oldestWaitSeconds: z.number().int().nullable(),
    /** Jobs that failed every attempt (kept for inspection). */
    dead: z.number().int(),
  }),
  disk: z.object({ path: z.string(), freeBytes: z.number().int(), totalBytes: z.number().int() }).nullable(),
  lastBackup: z.object({ at: z.string(), file: z.string(), bytes: z.number().int() }).nullable(),
  version: z.object({ app: z.string(), commit: z.string().nullable() }),
  uptimeSeconds: z.number().int(),
})
export type TSystemHealth = z.infer<typeof ZSystemHealth>
