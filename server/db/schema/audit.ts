import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/**
 * Who did what to which record, from where. Append-only: a trigger (migration audit_append_only)
 * raises on UPDATE and DELETE, so no code path — ours or a careless script's — can rewrite history.
 * No foreign keys: the log outlives the rows it mentions. Kept 5 years (roles-and-data.md).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid('actor_id'),
    /** The actor's strongest role at the time (admin, commander, officer, moderator, resident, system). */
    actorRole: text('actor_role').notNull(),
    actorName: text('actor_name'),
    /** A dotted verb, e.g. "resident.read", "unit.update", "account.delete". */
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    /** The unit the record belongs to, and its tree path so commanders see their subtree. */
    unitId: uuid('unit_id'),
    unitPath: text('unit_path'),
    reason: text('reason'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_actor_idx').on(t.actorId, t.at),
    index('audit_log_entity_idx').on(t.entityType, t.entityId),
    index('audit_log_unit_path_idx').on(t.unitPath.op('text_pattern_ops')),
  ],
)
