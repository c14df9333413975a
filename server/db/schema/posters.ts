import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { createdAt, id } from './columns'
import { units, users } from './organisation'

/** One printed QR poster per area; its short code in the QR makes scans countable per poster. */
export const posters = pgTable(
  'posters',
  {
    id: id(),
    code: text('code').notNull(),
    areaId: uuid('area_id')
      .notNull()
      .references(() => units.id),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('posters_code_key').on(t.code), index('posters_area_idx').on(t.areaId)],
)

/** A scan is counted with its time only: no IP, no device. */
export const posterScans = pgTable(
  'poster_scans',
  {
    id: id(),
    posterId: uuid('poster_id')
      .notNull()
      .references(() => posters.id),
    scannedAt: timestamp('scanned_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('poster_scans_poster_idx').on(t.posterId)],
)
