import { sql } from 'drizzle-orm'
import { bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { channelPlatformValues } from '../../../common/schemas/channels'
import { createdAt, id, updatedAt } from './columns'
import { units, users } from './organisation'

export const channelPlatforms = channelPlatformValues

/**
 * A unit's connected Facebook Page or Zalo OA. `secrets` is an AES-256-GCM box (server/lib/secret-box.ts)
 * holding the app secret, tokens and verify token; it never leaves the server.
 */
export const channelAccounts = pgTable(
  'channel_accounts',
  {
    id: id(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    platform: text('platform', { enum: channelPlatforms }).notNull(),
    /** Page id (Messenger) or OA id (Zalo). */
    externalId: text('external_id').notNull(),
    /** The Meta or Zalo app id (Zalo signs webhooks with it). */
    appId: text('app_id').notNull().default(''),
    name: text('name').notNull().default(''),
    secrets: text('secrets').notNull(),
    status: text('status', { enum: ['active', 'disabled'] })
      .notNull()
      .default('active'),
    /** When the access token expires (Zalo OA: refreshed by a job before then). */
    tokenExpiresAt: timestamp('token_expires_at', { withTimezone: true }),
    lastEventAt: timestamp('last_event_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('channel_accounts_platform_external_key').on(t.platform, t.externalId),
    index('channel_accounts_unit_idx').on(t.unitId),
  ],
)

/**
 * Someone writing from Zalo or Messenger. `userId` is their stand-in user (kind resident, no phone,
 * no password, no area: they can never sign in and count as no area's resident), so the inbox treats
 * their conversation like any other; `residentId` links a NhipCau resident account later.
 */
export const externalContacts = pgTable(
  'external_contacts',
  {
    id: id(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => channelAccounts.id),
    platform: text('platform', { enum: channelPlatforms }).notNull(),
    platformUserId: text('platform_user_id').notNull(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    areaId: uuid('area_id').references(() => units.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    residentId: uuid('resident_id').references(() => users.id),
    displayName: text('display_name').notNull().default(''),
    /** The contact's last message: the platforms' reply windows count from it. */
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }),
    /** When we last asked which area they live in (asked once, not on every message). */
    areaAskedAt: timestamp('area_asked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('external_contacts_account_user_key').on(t.accountId, t.platformUserId),
    uniqueIndex('external_contacts_user_key').on(t.userId),
  ],
)

export const inboundEventStatuses = ['pending', 'held', 'processed', 'ignored'] as const

/**
 * Every webhook event as received, stored before the answer: the platform's message id is unique, so
 * a redelivery is dropped here. The job queue turns them into messages in id order.
 */
export const inboundEvents = pgTable(
  'inbound_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => channelAccounts.id),
    platform: text('platform', { enum: channelPlatforms }).notNull(),
    platformMessageId: text('platform_message_id').notNull(),
    platformUserId: text('platform_user_id').notNull(),
    /** The event as the adapter normalised it (common/… InboundEvent). */
    event: jsonb('event').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: inboundEventStatuses }).notNull().default('pending'),
    error: text('error'),
    receivedAt: createdAt(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('inbound_events_platform_message_key').on(t.platform, t.platformMessageId),
    index('inbound_events_pending_idx').on(t.accountId, t.id).where(sql`${t.status} in ('pending', 'held')`),
  ],
)
