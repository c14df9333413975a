import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { alerts } from './alerts'
import { channelAccounts, externalContacts } from './channels'
import { createdAt, id } from './columns'
import { users } from './organisation'

/**
 * A one-time code a signed-in resident shows to link a Zalo or Messenger contact to their account.
 * Only an HMAC of the code is kept. A code expires after minutes and is used once: `contactId` and
 * `consumedAt` record which contact it linked (the link's own record; the audit log has the who).
 */
export const channelLinkCodes = pgTable(
  'channel_link_codes',
  {
    id: id(),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => users.id),
    codeHash: text('code_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
    contactId: uuid('contact_id').references(() => externalContacts.id),
  },
  (t) => [
    uniqueIndex('channel_link_codes_hash_key').on(t.codeHash),
    index('channel_link_codes_resident_idx').on(t.residentId, t.createdAt),
  ],
)

export const channelAlertPostStatuses = ['pending', 'posted', 'failed'] as const

export const channelAlertPostKinds = ['Alert', 'Update', 'Cancel'] as const

/**
 * A public alert posted to a connected Page or OA: one row per (alert, account, version), so a
 * retried job or a second publish never posts twice, and an update or a cancellation is posted once
 * as its own post. `externalPostId` is the platform's id of the post; `reach` is read back from the
 * platform's insights some time after posting (`reachReadAt`), or why it could not be
 * (`reachErrorKey`).
 */
export const channelAlertPosts = pgTable(
  'channel_alert_posts',
  {
    id: id(),
    alertId: uuid('alert_id')
      .notNull()
      .references(() => alerts.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => channelAccounts.id),
    /** The alert's version this post speaks for (1: the alert itself). */
    version: integer('version').notNull().default(1),
    msgType: text('msg_type', { enum: channelAlertPostKinds }).notNull().default('Alert'),
    status: text('status', { enum: channelAlertPostStatuses }).notNull().default('pending'),
    externalPostId: text('external_post_id'),
    /** People reached, as the platform counts them (Page post insights, OA broadcast count). */
    reach: integer('reach'),
    reachReadAt: timestamp('reach_read_at', { withTimezone: true }),
    reachErrorKey: text('reach_error_key'),
    errorKey: text('error_key'),
    createdAt: createdAt(),
    postedAt: timestamp('posted_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('channel_alert_posts_once_key').on(t.alertId, t.accountId, t.version)],
)
