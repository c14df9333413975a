import { date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { units } from './organisation'

/**
 * Households reached (S8), rolled up by a job: how many residents of an area were first reached
 * (first signed in, or joined a group they are still active in) on each day, Vietnam time. Counting
 * "reached by the end of a period" is then a sum over a few thousand rows instead of two look-ups
 * per resident (7 s on a 20,000-resident ward under PGlite). Rebuilt whole by
 * `dashboard.refresh-rollups`; `dashboard_rollups` says when.
 */
export const dashboardReachDaily = pgTable(
  'dashboard_reach_daily',
  {
    areaId: uuid('area_id')
      .notNull()
      .references(() => units.id, { onDelete: 'cascade' }),
    areaPath: text('area_path').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    reached: integer('reached').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.areaId, t.day] }),
    index('dashboard_reach_daily_path_idx').on(t.areaPath.op('text_pattern_ops'), t.day),
  ],
)

/** When each rolled-up figure was last rebuilt, so the dashboard can say "as of". */
export const dashboardRollups = pgTable('dashboard_rollups', {
  name: text('name').primaryKey(),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
})
