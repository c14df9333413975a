import { sql } from 'drizzle-orm'
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { createdAt, id, updatedAt } from './columns'
import { units, users } from './organisation'

export const alertKinds = [
  'missing_person',
  'found_person',
  'wanted_stolen_vehicle',
  'scam_warning',
  'fire_safety',
  'traffic',
  'general_notice',
] as const
/** Where an alert is in its life: only `active` ones reach residents. */
export const alertStates = ['draft', 'pending_approval', 'active', 'closed', 'cancelled', 'rejected'] as const
export const capStatuses = ['Actual', 'Exercise', 'Test', 'Draft'] as const
export const capMsgTypes = ['Alert', 'Update', 'Cancel'] as const
export const capScopes = ['Public', 'Restricted', 'Private'] as const
export const capUrgencies = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const
export const capSeverities = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const
export const capCertainties = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const
/** How wide an alert goes, narrowest first; the order decides when a commander must approve. */
export const alertScopeKinds = ['areas', 'unit', 'unit_neighbours', 'province'] as const

/** An optional drawn shape, stored as given; CAP renders it as <polygon> or <circle>. */
export type AlertGeometry =
  | { type: 'polygon'; points: [number, number][] }
  | { type: 'circle'; center: [number, number]; radiusKm: number }

/**
 * An alert thread: its current content (CAP <info>), scope, life-cycle state and reach counters.
 * Each CAP message sent for it (Alert, Update, Cancel) is a row of alert_messages.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: id(),
    kind: text('kind', { enum: alertKinds }).notNull(),
    state: text('state', { enum: alertStates }).notNull().default('draft'),
    capStatus: text('cap_status', { enum: capStatuses }).notNull().default('Actual'),
    capScope: text('cap_scope', { enum: capScopes }).notNull().default('Public'),
    categories: text('categories').array().notNull(),
    event: text('event').notNull(),
    urgency: text('urgency', { enum: capUrgencies }).notNull(),
    severity: text('severity', { enum: capSeverities }).notNull(),
    certainty: text('certainty', { enum: capCertainties }).notNull(),
    effective: timestamp('effective', { withTimezone: true }),
    expires: timestamp('expires', { withTimezone: true }),
    headline: text('headline').notNull(),
    description: text('description').notNull().default(''),
    instruction: text('instruction').notNull().default(''),
    contact: text('contact').notNull().default(''),
    scopeKind: text('scope_kind', { enum: alertScopeKinds }).notNull(),
    geometry: jsonb('geometry').$type<AlertGeometry | null>(),
    issuingUnitId: uuid('issuing_unit_id')
      .notNull()
      .references(() => units.id),
    issuingUnitPath: text('issuing_unit_path').notNull(),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    needsApproval: boolean('needs_approval').notNull().default(false),
    approvedBy: uuid('approved_by').references(() => users.id),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    rejectedReason: text('rejected_reason'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** The closing update's words: "Đã đoàn tụ gia đình", "Đã tìm thấy xe". */
    outcome: text('outcome'),
    lastMsgType: text('last_msg_type', { enum: capMsgTypes }),
    version: integer('version').notNull().default(0),
    targetedCount: integer('targeted_count').notNull().default(0),
    /**
     * When one recipient row per person was written. Publishing counts the audience and tells the
     * connected at once; the rows follow in a job, so until then membership is checked per person.
     */
    recipientsReadyAt: timestamp('recipients_ready_at', { withTimezone: true }),
    deliveredCount: integer('delivered_count').notNull().default(0),
    readCount: integer('read_count').notNull().default(0),
    sharedCount: integer('shared_count').notNull().default(0),
    answersCount: integer('answers_count').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('alerts_issuing_unit_path_idx').on(t.issuingUnitPath.op('text_pattern_ops')),
    index('alerts_state_idx').on(t.state, t.publishedAt),
    // The few alerts (usually none) whose recipient rows are still being written.
    index('alerts_awaiting_recipients_idx')
      .on(t.publishedAt)
      .where(sql`${t.recipientsReadyAt} is null and ${t.publishedAt} is not null`),
  ],
)

/** The units an alert is addressed to (areas, a ward, its neighbours, a province), resolved when composed. */
export const alertTargets = pgTable(
  'alert_targets',
  {
    alertId: uuid('alert_id')
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    unitPath: text('unit_path').notNull(),
  },
  (t) => [primaryKey({ columns: [t.alertId, t.unitId] }), index('alert_targets_unit_idx').on(t.unitId)],
)

/** One CAP 1.2 message as sent: its identifier, type, references and the <info> it carried then. */
export const alertMessages = pgTable(
  'alert_messages',
  {
    id: id(),
    alertId: uuid('alert_id')
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    identifier: text('identifier').notNull(),
    msgType: text('msg_type', { enum: capMsgTypes }).notNull(),
    /** CAP references: "sender,identifier,sent" of earlier messages, space-separated. */
    references: text('references'),
    sent: timestamp('sent', { withTimezone: true }).notNull(),
    note: text('note'),
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull(),
    authorId: uuid('author_id').references(() => users.id),
  },
  (t) => [
    uniqueIndex('alert_messages_identifier_key').on(t.identifier),
    uniqueIndex('alert_messages_version_key').on(t.alertId, t.version),
  ],
)

/**
 * One row per person an alert reached, whichever and however many of its areas they belong to:
 * the primary key is what makes "never twice to one person" hold.
 */
export const alertRecipients = pgTable(
  'alert_recipients',
  {
    alertId: uuid('alert_id')
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The resident's own area when it is in scope; null when reached only through a group. */
    areaId: uuid('area_id').references(() => units.id),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    readAt: timestamp('read_at', { withTimezone: true }),
    sharedAt: timestamp('shared_at', { withTimezone: true }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    /** The last CAP version pushed to this person (an update is pushed again). */
    pushedVersion: integer('pushed_version'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.alertId, t.userId] }), index('alert_recipients_user_idx').on(t.userId)],
)

/** Photos of an alert, re-encoded without EXIF; `thumbKey` is the small one for lists and phones. */
export const alertResources = pgTable(
  'alert_resources',
  {
    id: id(),
    alertId: uuid('alert_id')
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    storageKey: text('storage_key').notNull(),
    thumbKey: text('thumb_key').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    description: text('description').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('alert_resources_alert_idx').on(t.alertId)],
)

/** A resident's answer ("I have seen this person"); it becomes a tip for the issuing officer. */
export const alertAnswers = pgTable(
  'alert_answers',
  {
    id: id(),
    alertId: uuid('alert_id')
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    body: text('body').notNull(),
    /** The tip the answer became, when the tips module took it. */
    tipId: uuid('tip_id'),
    createdAt: createdAt(),
  },
  (t) => [index('alert_answers_alert_idx').on(t.alertId, t.createdAt)],
)

/** Configured neighbours of a unit (both directions stored), for "a unit and its neighbours". */
export const unitNeighbours = pgTable(
  'unit_neighbours',
  {
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    neighbourId: uuid('neighbour_id')
      .notNull()
      .references(() => units.id),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.unitId, t.neighbourId] }),
    index('unit_neighbours_neighbour_idx').on(t.neighbourId),
  ],
)

/** Per-unit alert rules: the widest scope that goes out without a commander's approval. */
export const alertUnitSettings = pgTable('alert_unit_settings', {
  unitId: uuid('unit_id')
    .primaryKey()
    .references(() => units.id),
  approvalAbove: text('approval_above', { enum: alertScopeKinds }).notNull().default('unit'),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: updatedAt(),
})
