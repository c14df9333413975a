import type { FastifyRequest } from 'fastify'
import type { DbOrTx } from '../../db/client'
import { auditLog } from '../../db/schema/audit'
import type { Actor } from '../../lib/actor'
import { recordedWithinHour } from './audit.repository'

/** What a module tells the audit log. Call it inside the write's transaction so both commit or neither. */
export interface AuditInput {
  /** A dotted verb: "<entity>.<verb>", e.g. "unit.update", "assignment.create", "resident.read". */
  action: string
  entityType: string
  entityId?: string | null
  /** The unit (or area) the record belongs to; its path lets commanders read their subtree's log. */
  unitId?: string | null
  unitPath?: string | null
  /** Why a staff member looked (support access, a case number…). */
  reason?: string | null
  /** Small facts: changed field names, counts. Never the personal data itself. */
  details?: Record<string, unknown>
}

/** Who and from where: take it from the request with `auditContext(request)`. */
export interface AuditContext {
  actor: Actor | null
  ip: string | null
  userAgent: string | null
}

const rolePriority = ['admin', 'commander', 'officer', 'moderator'] as const

/** The strongest role an actor holds, as written in the log. */
export function actorRoleOf(actor: Actor | null): string {
  if (!actor) return 'anonymous'
  for (const role of rolePriority) if (actor.grants.some((g) => g.role === role)) return role
  return actor.kind === 'resident' ? 'resident' : 'staff'
}

export function auditContext(request: FastifyRequest): AuditContext {
  return {
    actor: request.actor ?? null,
    ip: request.ip ?? null,
    userAgent: (request.headers['user-agent'] ?? '').slice(0, 400) || null,
  }
}

/** A context for work no person started (jobs, CLI imports). */
export const systemAuditContext = (): AuditContext => ({ actor: null, ip: null, userAgent: null })

export const audit = {
  /**
   * Appends one row. Every staff write and every staff read of a resident's personal data calls it:
   * `await audit.record(tx, auditContext(request), { action: 'unit.update', entityType: 'unit', entityId, unitId, unitPath })`.
   */
  async record(db: DbOrTx, ctx: AuditContext, input: AuditInput): Promise<void> {
    await db.insert(auditLog).values({
      actorId: ctx.actor?.userId ?? null,
      actorRole: ctx.actor ? actorRoleOf(ctx.actor) : 'system',
      // Staff names are public (the directory); a resident's name never goes into an append-only log.
      actorName: ctx.actor?.kind === 'staff' ? ctx.actor.displayName : null,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId ?? null,
      unitId: input.unitId ?? null,
      unitPath: input.unitPath ?? null,
      reason: input.reason ?? null,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      details: input.details ?? {},
    })
  },

  /**
   * A read recorded at most once per session per hour for one record (and variant): evidence
   * downloads and conversation reads repeat often, and the log must stay readable.
   */
  async recordRead(db: DbOrTx, ctx: AuditContext, input: AuditInput & { entityId: string }): Promise<void> {
    const actor = ctx.actor
    if (!actor) return audit.record(db, ctx, input)
    const variant = typeof input.details?.variant === 'string' ? input.details.variant : undefined
    const seen = await recordedWithinHour(db, {
      action: input.action,
      entityId: input.entityId,
      actorId: actor.userId,
      sessionId: actor.sessionId,
      ...(variant ? { variant } : {}),
    })
    if (seen) return
    await audit.record(db, ctx, { ...input, details: { ...input.details, sessionId: actor.sessionId } })
  },
}
