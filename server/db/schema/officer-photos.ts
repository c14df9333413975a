import { sql } from 'drizzle-orm'
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { createdAt, id } from './columns'
import { units, users } from './organisation'

export const officerPhotoStates = ['pending', 'approved', 'refused', 'replaced', 'withdrawn'] as const

/**
 * A photo an officer gave of themselves. It is public only once a commander of their unit (or
 * above) approved it; `users.photo_url` then points at it, and the one approved before stays
 * public until then. The unit is the one the officer served in when they sent it.
 */
export const officerPhotos = pgTable(
  'officer_photos',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    unitPath: text('unit_path').notNull(),
    state: text('state', { enum: officerPhotoStates }).notNull().default('pending'),
    storageKey: text('storage_key').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    createdAt: createdAt(),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    refusalReason: text('refusal_reason'),
  },
  (t) => [
    index('officer_photos_user_idx').on(t.userId),
    index('officer_photos_unit_path_idx').on(t.unitPath.op('text_pattern_ops')),
    // One photo waits per officer: sending another withdraws the one before.
    uniqueIndex('officer_photos_one_pending_key').on(t.userId).where(sql`${t.state} = 'pending'`),
    // The published photo: approving another marks this one replaced in the same transaction.
    uniqueIndex('officer_photos_one_approved_key').on(t.userId).where(sql`${t.state} = 'approved'`),
  ],
)
