import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core'

/** Each run of a retention rule: when, for which clock, and what it removed (the admin page lists them). */
export const retentionRuns = pgTable(
  'retention_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    rule: text('rule').notNull(),
    ranAt: timestamp('ran_at', { withTimezone: true }).notNull().defaultNow(),
    /** The time the rule computed its periods from (the clock; the wall clock outside tests). */
    clock: timestamp('clock', { withTimezone: true }).notNull(),
    removed: integer('removed').notNull(),
    details: jsonb('details').$type<Record<string, number>>().notNull().default({}),
  },
  (t) => [index('retention_runs_rule_idx').on(t.rule, t.ranAt)],
)
