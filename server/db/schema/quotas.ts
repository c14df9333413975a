import { bigint, date, pgTable, primaryKey, text } from 'drizzle-orm/pg-core'

/**
 * Bytes uploaded per day through the anonymous routes (tips and tip-code follow-ups), in the
 * database so the budgets hold across restarts and instances. `scope` is `global`, or `address:`
 * followed by an HMAC of the client address under the server secret and the day (never the
 * address). Rows older than yesterday are deleted by the retention job.
 */
export const uploadBudgets = pgTable(
  'upload_budgets',
  {
    scope: text('scope').notNull(),
    /** The day in Việt Nam time (UTC+7), when the budgets start again. */
    day: date('day', { mode: 'string' }).notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.scope, t.day] })],
)
