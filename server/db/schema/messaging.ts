import { sql } from 'drizzle-orm'
import {
  bigint,
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
import { channelValues, type TMessageDelivery } from '../../../common/schemas/channels'
// One list of allowed values for the API and the database.
import {
  attachmentKindValues,
  conversationLabelValues,
  conversationStatusValues,
  groupKindValues,
  messageKindValues,
} from '../../../common/schemas/messaging'
import { createdAt, id } from './columns'
import { units, users } from './organisation'

export const conversationKinds = ['direct', 'group'] as const
export const conversationStatuses = conversationStatusValues
export const conversationLabels = conversationLabelValues
export const groupKinds = groupKindValues
export const postingPolicies = ['everyone', 'staff_and_moderators'] as const
export const joinPolicies = ['open', 'approval'] as const
export const memberRoles = ['owner', 'moderator', 'member'] as const
export const memberStatuses = ['active', 'pending', 'muted', 'removed'] as const
export const messageKinds = messageKindValues

/** A community group: tied to a unit or an area; its messages live in one conversation of kind group. */
export const groups = pgTable(
  'groups',
  {
    id: id(),
    kind: text('kind', { enum: groupKinds }).notNull(),
    /** The unit or area (residential group) the group belongs to; its path scopes staff rights. */
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    unitPath: text('unit_path').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    postingPolicy: text('posting_policy', { enum: postingPolicies }).notNull().default('everyone'),
    joinPolicy: text('join_policy', { enum: joinPolicies }).notNull().default('approval'),
    /** The secret in the invite link and QR code; rotating it invalidates old links. */
    inviteCode: text('invite_code').notNull(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('groups_invite_code_key').on(t.inviteCode),
    index('groups_unit_path_idx').on(t.unitPath.op('text_pattern_ops')),
  ],
)

export const groupMembers = pgTable(
  'group_members',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => groups.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role', { enum: memberRoles }).notNull().default('member'),
    status: text('status', { enum: memberStatuses }).notNull().default('active'),
    mutedUntil: timestamp('muted_until', { withTimezone: true }),
    /** Stored in the column created_at. */
    joinedAt: createdAt(),
    /** Who approved, muted or removed the member last (audit). */
    changedBy: uuid('changed_by').references(() => users.id),
    /** The member turned notifications off for this group. */
    notificationsMuted: boolean('notifications_muted').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index('group_members_user_idx').on(t.userId)],
)

/**
 * One model for both kinds. A direct conversation joins a resident with "the police of their area":
 * `areaPath` scopes who may read it (the area's officer, commanders above); `assigneeId` is who answers.
 */
export const conversations = pgTable(
  'conversations',
  {
    id: id(),
    kind: text('kind', { enum: conversationKinds }).notNull(),
    residentId: uuid('resident_id').references(() => users.id),
    areaId: uuid('area_id').references(() => units.id),
    areaPath: text('area_path'),
    assigneeId: uuid('assignee_id').references(() => users.id),
    status: text('status', { enum: conversationStatuses }).notNull().default('open'),
    labels: text('labels').array().notNull().default(sql`'{}'::text[]`),
    groupId: uuid('group_id').references(() => groups.id),
    /** Where the resident writes from: the web app, or Messenger / Zalo through a connected account. */
    channel: text('channel', { enum: channelValues }).notNull().default('web'),
    /** The last per-conversation sequence number handed out. */
    lastSeq: integer('last_seq').notNull().default(0),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    /** Since when the resident has been waiting for an answer; null when the police spoke last. */
    awaitingSince: timestamp('awaiting_since', { withTimezone: true }),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('conversations_direct_key').on(t.residentId, t.areaId).where(sql`${t.kind} = 'direct'`),
    uniqueIndex('conversations_group_key').on(t.groupId).where(sql`${t.groupId} is not null`),
    index('conversations_assignee_idx').on(t.assigneeId, t.status),
    index('conversations_area_path_idx').on(t.areaPath.op('text_pattern_ops')),
  ],
)

export const attachmentKinds = attachmentKindValues

export interface MessageAttachment {
  fileId: string
  kind: (typeof attachmentKinds)[number]
  mime: string
  name: string
  size: number
  width?: number
  height?: number
  /** Voice messages: how long they play. */
  durationMs?: number
}

/**
 * `seq` orders a conversation (taken under the conversation's row lock); `position` is the global
 * stream position the clients use as their resume cursor. A message is written without one (null:
 * not yet in the stream) and gets it after its commit from `messageRepository.sequence`, which
 * numbers every committed waiting row under one short advisory lock: positions become visible in
 * increasing order, so a cursor never skips a late commit, and writers no longer queue behind each
 * other's whole transaction. An edit, delete, hide or pin sends the message back to wait for a new
 * position, so a resuming client sees the change. (Rare writers that hold the stream lock for
 * their whole transaction may still take a position inline: the column's default.)
 */
export const messages = pgTable(
  'messages',
  {
    id: id(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    seq: integer('seq').notNull(),
    position: bigint('position', { mode: 'number' }).default(sql`nextval('messages_position_seq'::regclass)`),
    authorId: uuid('author_id').references(() => users.id),
    kind: text('kind', { enum: messageKinds }).notNull().default('text'),
    body: text('body').notNull().default(''),
    attachments: jsonb('attachments').$type<MessageAttachment[]>().notNull().default([]),
    /** Location ({lat,lng,label}) or procedure card ({procedureId,title}) payloads. */
    payload: jsonb('payload').$type<Record<string, unknown>>(),
    replyToId: uuid('reply_to_id'),
    mentions: uuid('mentions').array().notNull().default(sql`'{}'::uuid[]`),
    clientKey: text('client_key'),
    /** An officer's note on a direct conversation: residents never see it. */
    isInternal: boolean('is_internal').notNull().default(false),
    createdAt: createdAt(),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    hiddenAt: timestamp('hidden_at', { withTimezone: true }),
    hiddenBy: uuid('hidden_by').references(() => users.id),
    hiddenReason: text('hidden_reason'),
    pinnedAt: timestamp('pinned_at', { withTimezone: true }),
    pinnedBy: uuid('pinned_by').references(() => users.id),
    /** A reply to a Messenger or Zalo contact: how its delivery through the platform went. */
    delivery: jsonb('delivery').$type<TMessageDelivery>(),
  },
  (t) => [
    uniqueIndex('messages_position_key').on(t.position),
    // What `messageRepository.sequence` looks for: committed messages still waiting for a position.
    index('messages_unsequenced_idx').on(t.conversationId, t.seq).where(sql`${t.position} is null`),
    uniqueIndex('messages_conversation_seq_key').on(t.conversationId, t.seq),
    uniqueIndex('messages_author_client_key')
      .on(t.authorId, t.clientKey)
      .where(sql`${t.clientKey} is not null`),
    // The dashboard counts a group's messages and moderation in a period (S8).
    index('messages_conversation_created_idx').on(t.conversationId, t.createdAt),
    index('messages_conversation_hidden_idx')
      .on(t.conversationId, t.hiddenAt)
      .where(sql`${t.hiddenAt} is not null`),
  ],
)

/** Every earlier version of an edited or deleted message, kept for audit. */
export const messageEdits = pgTable(
  'message_edits',
  {
    id: id(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id),
    editedBy: uuid('edited_by')
      .notNull()
      .references(() => users.id),
    action: text('action', { enum: ['edit', 'delete'] }).notNull(),
    previousBody: text('previous_body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('message_edits_message_idx').on(t.messageId)],
)

/** Per reader: how far they have received (✓✓) and read. */
export const messageReads = pgTable(
  'message_reads',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    lastDeliveredSeq: integer('last_delivered_seq').notNull().default(0),
    lastReadSeq: integer('last_read_seq').notNull().default(0),
    /** This person muted Web Push for this direct conversation (groups keep it on the membership). */
    notificationsMuted: boolean('notifications_muted').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.userId] }),
    index('message_reads_user_idx').on(t.userId),
  ],
)

export const messageReports = pgTable(
  'message_reports',
  {
    id: id(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id),
    reporterId: uuid('reporter_id')
      .notNull()
      .references(() => users.id),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: uuid('resolved_by').references(() => users.id),
  },
  (t) => [uniqueIndex('message_reports_once_key').on(t.messageId, t.reporterId)],
)

/**
 * Stock answers; {resident_name} and {officer_name} are filled in when used. A personal reply is
 * its author's (`created_by`) alone; a shared one speaks for its unit to every officer under it
 * (rows from before sharing existed were all the unit's, hence the default). `version` guards an
 * edit against overwriting a colleague's newer one.
 */
export const cannedReplies = pgTable(
  'canned_replies',
  {
    id: id(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    title: text('title').notNull(),
    body: text('body').notNull(),
    shared: boolean('shared').notNull().default(true),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [index('canned_replies_unit_idx').on(t.unitId), index('canned_replies_author_idx').on(t.createdBy)],
)

export const conversationTransfers = pgTable(
  'conversation_transfers',
  {
    id: id(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    fromId: uuid('from_id').references(() => users.id),
    toId: uuid('to_id')
      .notNull()
      .references(() => users.id),
    note: text('note').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('conversation_transfers_conversation_idx').on(t.conversationId)],
)

/** Per unit: the first-response target that marks a waiting conversation overdue. */
export const messagingSettings = pgTable('messaging_settings', {
  unitId: uuid('unit_id')
    .primaryKey()
    .references(() => units.id),
  firstResponseTargetMinutes: integer('first_response_target_minutes').notNull().default(30),
})

/** An uploaded photo, PDF or voice message; served only to those who may read its conversation. */
export const messageFiles = pgTable(
  'message_files',
  {
    id: id(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    uploaderId: uuid('uploader_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind', { enum: attachmentKinds }).notNull(),
    mime: text('mime').notNull(),
    name: text('name').notNull(),
    size: integer('size').notNull(),
    width: integer('width'),
    height: integer('height'),
    /** Voice messages: measured from the recording by the server, never taken from the client. */
    durationMs: integer('duration_ms'),
    storageKey: text('storage_key').notNull(),
    thumbKey: text('thumb_key'),
    createdAt: createdAt(),
  },
  (t) => [
    index('message_files_conversation_idx').on(t.conversationId),
    // Each upload sums the sender's files (MESSAGE_FILES_MB_PER_RESIDENT).
    index('message_files_uploader_idx').on(t.uploaderId),
  ],
)
