import { z } from 'zod'

export const ZAuditQuery = z.object({
  actorId: z.uuid().optional(),
  /** Exact action ("unit.update") or a prefix ending in a dot ("unit."). */
  action: z.string().max(80).optional(),
  entityType: z.string().max(40).optional(),
  entityId: z.string().max(80).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** Rows with an id below this (the previous page's `nextBefore`). */
  before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
export type TAuditQuery = z.input<typeof ZAuditQuery>

export const ZAuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorRole: z.string(),
  actorName: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  unitId: z.string().nullable(),
  reason: z.string().nullable(),
  /** Only administrators see where a request came from. */
  ip: z.string().nullable().optional(),
  userAgent: z.string().nullable().optional(),
  details: z.record(z.string(), z.unknown()),
})
export type TAuditEntry = z.infer<typeof ZAuditEntry>

export const ZAuditPage = z.object({ items: z.array(ZAuditEntry), nextBefore: z.number().int().nullable() })
export type TAuditPage = z.infer<typeof ZAuditPage>
