import { and, desc, eq, gte, like, lt, lte, or, type SQL } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { auditLog } from '../../db/schema/index'
import { type Actor, isAdmin } from '../../lib/actor'

export type AuditRow = typeof auditLog.$inferSelect

export interface AuditFilters {
  actorId?: string | undefined
  action?: string | undefined
  entityType?: string | undefined
  entityId?: string | undefined
  from?: string | undefined
  to?: string | undefined
  before?: number | undefined
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)

/** What the actor may see: everything (admin), their commanded subtrees, and their own actions. */
export function auditScope(actor: Actor): SQL | undefined {
  if (isAdmin(actor)) return undefined
  const parts: SQL[] = [eq(auditLog.actorId, actor.userId)]
  for (const g of actor.grants) {
    if (g.role === 'commander' && g.unitPath)
      parts.push(like(auditLog.unitPath, `${escapeLike(g.unitPath)}%`))
  }
  return or(...parts)
}

export function listAudit(db: DbOrTx, actor: Actor, f: AuditFilters, limit: number): Promise<AuditRow[]> {
  const action = f.action?.endsWith('.')
    ? like(auditLog.action, `${escapeLike(f.action)}%`)
    : f.action
      ? eq(auditLog.action, f.action)
      : undefined
  return db
    .select()
    .from(auditLog)
    .where(
      and(
        auditScope(actor),
        f.actorId ? eq(auditLog.actorId, f.actorId) : undefined,
        action,
        f.entityType ? eq(auditLog.entityType, f.entityType) : undefined,
        f.entityId ? eq(auditLog.entityId, f.entityId) : undefined,
        f.from ? gte(auditLog.at, new Date(f.from)) : undefined,
        f.to ? lte(auditLog.at, new Date(f.to)) : undefined,
        f.before ? lt(auditLog.id, f.before) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(limit)
}

/** Entries about one record (a resident's export shows who looked at their data). */
export function listAuditAbout(db: DbOrTx, entityType: string, entityId: string) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
    .orderBy(desc(auditLog.id))
    .limit(1000)
}
