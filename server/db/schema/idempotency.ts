import { integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { createdAt } from './columns'
import { users } from './organisation'

/**
 * Client keys of signed-in callers' POSTs (`Idempotency-Key`): the first answer is kept for a day,
 * so a retry after a lost response gets the same record instead of a second one. A row without
 * `status` is a request still in flight.
 */
export const idempotentRequests = pgTable(
  'idempotent_requests',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** "POST /api/alerts/<id>/answers": a key is only ever replayed on the same target. */
    target: text('target').notNull(),
    key: text('key').notNull(),
    /** SHA-256 of the JSON body: the same key with another body is refused, never replayed. */
    requestHash: text('request_hash').notNull(),
    status: integer('status'),
    contentType: text('content_type'),
    body: text('body'),
    createdAt: createdAt(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.target, t.key] })],
)
