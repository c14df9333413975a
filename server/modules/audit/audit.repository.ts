import { and, desc, eq, gte, like, lt, lte, or, type SQL, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { auditLog } from '../../db/schema/index'
import type { Actor } from '../../lib/actor'
import { scopeOf } from '../../lib/scope'
import { auditPolicy } from './audit.policy'

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

/** What the actor may see: the SQL twin of `auditPolicy.readEntry` (everything for admins). */
export const auditScope = (actor: Actor): SQL =>
  auditPolicy.scopes.readEntry(scopeOf(actor), { actorId: auditLog.actorId, unitPath: auditLog.unitPath })

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

/**
 * Who read or changed a person's data: rows about their account, and rows whose details name them in
 * `subjectUserIds` (tips, resident lists, alert answers, group members, conversations, evidence).
 */
export function listAuditAboutUser(db: DbOrTx, userId: string) {
  return db
    .select()
    .from(auditLog)
    .where(
      or(
        and(eq(auditLog.entityType, 'user'), eq(auditLog.entityId, userId)),
        sql`${auditLog.details}->'subjectUserIds' @> ${JSON.stringify([userId])}::jsonb`,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(5000)
}

/** Whether this session already left this entry in the last hour (reads are logged once an hour). */
export async function recordedWithinHour(
  db: DbOrTx,
  q: { action: string; entityId: string; actorId: string; sessionId: string; variant?: string },
): Promise<boolean> {
  const rows = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.action, q.action),
        eq(auditLog.entityId, q.entityId),
        eq(auditLog.actorId, q.actorId),
        gte(auditLog.at, sql`now() - interval '1 hour'`),
        sql`${auditLog.details}->>'sessionId' = ${q.sessionId}`,
        q.variant ? sql`${auditLog.details}->>'variant' = ${q.variant}` : undefined,
      ),
    )
    .limit(1)
  return rows.length > 0
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

/** What the person did themselves (their export). */
export function listAuditByActor(db: DbOrTx, actorId: string) {
  return db
    .select()
    .from(auditLog)
    .where(eq(auditLog.actorId, actorId))
    .orderBy(desc(auditLog.id))
    .limit(5000)
}
