import { sql } from 'drizzle-orm'
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
// One list of categories for the API and the database.
import { tipCategoryValues } from '../../../common/schemas/tips'
import { createdAt, id, updatedAt } from './columns'
import { groups, messages } from './messaging'
import { units, users } from './organisation'

export const tipCategories = tipCategoryValues
export const tipStatuses = ['new', 'in_review', 'linked', 'closed'] as const
export const contactPreferences = ['none', 'in_app', 'phone_call', 'sms'] as const
export const locationSources = ['pin', 'gps', 'address', 'area'] as const
export const caseStatuses = ['new', 'verifying', 'in_progress', 'resolved', 'closed'] as const
export const caseOutcomes = [
  'solved_property_returned',
  'referred_to_investigators',
  'unfounded',
  'other',
] as const
export const casePriorities = ['low', 'normal', 'high', 'urgent'] as const

/**
 * A case (vụ việc): opened by an officer, or from one or more tips. `areaPath` scopes who may work it.
 * Every change is also written to case_events (append-only), which is the timeline.
 */
export const cases = pgTable(
  'cases',
  {
    id: id(),
    /** Human reference "VV-<n>", handed out in order. */
    number: bigserial('number', { mode: 'number' }).notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    category: text('category', { enum: tipCategories }).notNull(),
    status: text('status', { enum: caseStatuses }).notNull().default('new'),
    outcome: text('outcome', { enum: caseOutcomes }),
    outcomeNote: text('outcome_note'),
    priority: text('priority', { enum: casePriorities }).notNull().default('normal'),
    assigneeId: uuid('assignee_id').references(() => users.id),
    areaId: uuid('area_id')
      .notNull()
      .references(() => units.id),
    areaPath: text('area_path').notNull(),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    addressText: text('address_text'),
    createdById: uuid('created_by_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('cases_number_key').on(t.number),
    index('cases_area_path_idx').on(t.areaPath.op('text_pattern_ops')),
    index('cases_assignee_idx').on(t.assigneeId, t.status),
  ],
)

/**
 * A tip (tin báo). An anonymous tip stores no link to its sender: no user, no phone, no IP or device;
 * only the SHA-256 of its tip code. `idempotencyKeyHash` makes a double tap one tip.
 */
export const tips = pgTable(
  'tips',
  {
    id: id(),
    category: text('category', { enum: tipCategories }).notNull(),
    description: text('description').notNull(),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    addressText: text('address_text'),
    locationSource: text('location_source', { enum: locationSources }).notNull(),
    /** The residential group the place belongs to, and the unit whose duty queue takes it. */
    areaId: uuid('area_id')
      .notNull()
      .references(() => units.id),
    areaPath: text('area_path').notNull(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    seenAt: timestamp('seen_at', { withTimezone: true }),
    contactPreference: text('contact_preference', { enum: contactPreferences }).notNull().default('none'),
    /** The resident who sent it (signed in, or proven by a one-time code); null for an anonymous tip. */
    submitterId: uuid('submitter_id').references(() => users.id),
    isAnonymous: boolean('is_anonymous').notNull().default(false),
    codeHash: text('code_hash'),
    idempotencyKeyHash: text('idempotency_key_hash').notNull(),
    channel: text('channel', { enum: ['web', 'open311'] })
      .notNull()
      .default('web'),
    status: text('status', { enum: tipStatuses }).notNull().default('new'),
    /** The officer responsible for the area when it arrived; null = the unit's duty queue. */
    assigneeId: uuid('assignee_id').references(() => users.id),
    caseId: uuid('case_id').references(() => cases.id),
    firstResponseDueAt: timestamp('first_response_due_at', { withTimezone: true }).notNull(),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** An administrator or commander quarantined it as spam: files' bytes deleted (hashes kept), thread closed. */
    quarantinedAt: timestamp('quarantined_at', { withTimezone: true }),
    /** When the police last changed what the sender sees (a reply, the status): "new" on the sender's bar. */
    staffUpdatedAt: timestamp('staff_updated_at', { withTimezone: true }),
    /** When the sender last opened the tip; an update after it is unseen. */
    submitterSeenAt: timestamp('submitter_seen_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('tips_idempotency_key').on(t.idempotencyKeyHash),
    uniqueIndex('tips_code_hash_key').on(t.codeHash).where(sql`${t.codeHash} is not null`),
    index('tips_area_path_idx').on(t.areaPath.op('text_pattern_ops')),
    index('tips_assignee_idx').on(t.assigneeId, t.status),
    index('tips_unit_idx').on(t.unitId, t.status),
    index('tips_case_idx').on(t.caseId),
    index('tips_submitter_idx').on(t.submitterId),
  ],
)

/** The thread between the tipster and the police: replies, and information added later. */
export const tipMessages = pgTable(
  'tip_messages',
  {
    id: id(),
    tipId: uuid('tip_id')
      .notNull()
      .references(() => tips.id),
    authorKind: text('author_kind', { enum: ['tipster', 'staff'] }).notNull(),
    /** Staff author only: a tipster's messages carry no user id. */
    staffAuthorId: uuid('staff_author_id').references(() => users.id),
    body: text('body').notNull().default(''),
    clientKey: text('client_key'),
    createdAt: createdAt(),
  },
  (t) => [
    index('tip_messages_tip_idx').on(t.tipId, t.createdAt),
    uniqueIndex('tip_messages_client_key').on(t.tipId, t.clientKey).where(sql`${t.clientKey} is not null`),
  ],
)

/** Every change to a case: the timeline. Append-only (trigger in migration tips_append_only). */
export const caseEvents = pgTable(
  'case_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid('actor_id').references(() => users.id),
    type: text('type').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('case_events_case_idx').on(t.caseId, t.id)],
)

export const caseLinks = pgTable(
  'case_links',
  {
    id: id(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    kind: text('kind', { enum: ['alert', 'conversation'] }).notNull(),
    targetId: uuid('target_id').notNull(),
    createdById: uuid('created_by_id').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('case_links_target_key').on(t.caseId, t.kind, t.targetId)],
)

/** A request for help published from a case to groups or areas ("check your cameras 21:00–23:00"). */
export const helpRequests = pgTable(
  'help_requests',
  {
    id: id(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    description: text('description').notNull(),
    lookFor: text('look_for').notNull().default(''),
    placeText: text('place_text').notNull().default(''),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    windowStart: timestamp('window_start', { withTimezone: true }),
    windowEnd: timestamp('window_end', { withTimezone: true }),
    photoFileId: uuid('photo_file_id'),
    status: text('status', { enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    closingMessage: text('closing_message'),
    createdById: uuid('created_by_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [index('help_requests_case_idx').on(t.caseId)],
)

export const helpRequestTargets = pgTable(
  'help_request_targets',
  {
    id: id(),
    helpRequestId: uuid('help_request_id')
      .notNull()
      .references(() => helpRequests.id),
    groupId: uuid('group_id').references(() => groups.id),
    areaId: uuid('area_id').references(() => units.id),
    areaPath: text('area_path'),
    messageId: uuid('message_id').references(() => messages.id),
    closingMessageId: uuid('closing_message_id').references(() => messages.id),
  },
  (t) => [
    index('help_request_targets_request_idx').on(t.helpRequestId),
    index('help_request_targets_group_idx').on(t.groupId),
    index('help_request_targets_area_idx').on(t.areaId),
  ],
)

/** A resident's answer; who answered is shown only to the case's officers and commanders. */
export const helpResponses = pgTable(
  'help_responses',
  {
    id: id(),
    helpRequestId: uuid('help_request_id')
      .notNull()
      .references(() => helpRequests.id),
    /** Emptied when the responder deletes their account: an answer kept for a case keeps no link to them. */
    responderId: uuid('responder_id').references(() => users.id),
    body: text('body').notNull().default(''),
    clientKey: text('client_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('help_responses_client_key').on(t.responderId, t.clientKey),
    index('help_responses_request_idx').on(t.helpRequestId),
  ],
)

/**
 * Evidence: every photo and clip of a tip, a case or an answer to a request for help, with the
 * SHA-256 of the stored bytes, who added it and when. Never altered or deleted in place (trigger);
 * a redaction is a new row whose `redactsId` points to the original.
 */
export const evidenceFiles = pgTable(
  'evidence_files',
  {
    id: id(),
    tipId: uuid('tip_id').references(() => tips.id),
    tipMessageId: uuid('tip_message_id').references(() => tipMessages.id),
    caseId: uuid('case_id').references(() => cases.id),
    helpResponseId: uuid('help_response_id').references(() => helpResponses.id),
    redactsId: uuid('redacts_id').references((): AnyPgColumn => evidenceFiles.id),
    kind: text('kind', { enum: ['photo', 'video'] }).notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    thumbKey: text('thumb_key'),
    width: integer('width'),
    height: integer('height'),
    /** Staff or a helping resident; null for a tipster (a tip's files never name its sender). */
    addedById: uuid('added_by_id').references(() => users.id),
    addedByRole: text('added_by_role', { enum: ['tipster', 'staff', 'helper'] }).notNull(),
    note: text('note').notNull().default(''),
    createdAt: createdAt(),
    /**
     * The bytes were deleted (account erasure, retention, quarantine) while the record and its hash
     * stay. Set only through the database function `evidence_remove_bytes` (migration 0024).
     */
    bytesRemovedAt: timestamp('bytes_removed_at', { withTimezone: true }),
    bytesRemovedReason: text('bytes_removed_reason'),
  },
  (t) => [
    index('evidence_files_tip_idx').on(t.tipId),
    index('evidence_files_tip_message_idx').on(t.tipMessageId),
    index('evidence_files_case_idx').on(t.caseId),
    index('evidence_files_response_idx').on(t.helpResponseId),
  ],
)
