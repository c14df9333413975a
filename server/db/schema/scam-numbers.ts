import { sql } from 'drizzle-orm'
import { bigint, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
// One list of claims and statuses for the API and the database.
import {
  scamClaimValues,
  scamNumberStatusValues,
  scamReportStatusValues,
} from '../../../common/schemas/scam-numbers'
import { alerts } from './alerts'
import { createdAt, id, updatedAt } from './columns'
import { units, users } from './organisation'

/**
 * A phone number residents reported as a scam caller (+84… form, one row per number). It becomes
 * `verified` when staff verify a report of it; only then does it appear publicly. No personal data:
 * the number is the fraudster's.
 */
export const scamNumbers = pgTable('scam_numbers', {
  id: id(),
  phone: text('phone').notNull().unique(),
  status: text('status', { enum: scamNumberStatusValues }).notNull().default('reported'),
  verifiedAt: timestamp('verified_at', { withTimezone: true }),
  verifiedBy: uuid('verified_by').references(() => users.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
})

/**
 * One resident's report of a scam call. The reporter, their area and the note are personal data:
 * read by the reporter, the area's officer and commanders above (audited); never public — the
 * public sees counts per week and province (`province_id`, the top of the area's path).
 */
export const scamReports = pgTable(
  'scam_reports',
  {
    id: id(),
    numberId: uuid('number_id')
      .notNull()
      .references(() => scamNumbers.id),
    reporterId: uuid('reporter_id')
      .notNull()
      .references(() => users.id),
    areaId: uuid('area_id')
      .notNull()
      .references(() => units.id),
    areaPath: text('area_path').notNull(),
    provinceId: uuid('province_id')
      .notNull()
      .references(() => units.id),
    claimedAs: text('claimed_as', { enum: scamClaimValues }).notNull(),
    calledAt: timestamp('called_at', { withTimezone: true }).notNull(),
    amountVnd: bigint('amount_vnd', { mode: 'number' }),
    note: text('note'),
    status: text('status', { enum: scamReportStatusValues }).notNull().default('pending'),
    clientKey: text('client_key').notNull(),
    reviewedBy: uuid('reviewed_by').references(() => users.id),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewNote: text('review_note'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('scam_reports_client_key').on(t.reporterId, t.clientKey),
    index('scam_reports_number_idx').on(t.numberId, t.createdAt),
    index('scam_reports_area_path_idx').on(t.areaPath.op('text_pattern_ops')),
    index('scam_reports_pending_idx').on(t.createdAt).where(sql`${t.status} = 'pending'`),
  ],
)

/** A scam-warning alert raised from a number, with the reports it was raised on. */
export const scamNumberAlerts = pgTable(
  'scam_number_alerts',
  {
    alertId: uuid('alert_id')
      .primaryKey()
      .references(() => alerts.id),
    numberId: uuid('number_id')
      .notNull()
      .references(() => scamNumbers.id),
    reportIds: uuid('report_ids').array().notNull(),
    raisedBy: uuid('raised_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('scam_number_alerts_number_idx').on(t.numberId, t.createdAt)],
)
