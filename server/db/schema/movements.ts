import { sql } from 'drizzle-orm'
import {
  boolean,
  date,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
// One list of kinds and statuses for the API and the database.
import { guestListSourceValues } from '../../../common/schemas/guest-lists'
import {
  idKindValues,
  registerChangeValues,
  relationValues,
  reporterCapacityValues,
  reportKindValues,
  reportStatusValues,
  residenceValues,
} from '../../../common/schemas/movements'
import { createdAt, id, updatedAt } from './columns'
import { units, users } from './organisation'

/**
 * A business's guest list (form or file): the guests are residence reports of kind `guest` that
 * point here. The client key (the form's, or a digest of the file, area and address) makes the
 * same file sent twice one import. No personal data of its own; kept as long as its reports.
 */
export const guestLists = pgTable(
  'guest_lists',
  {
    id: id(),
    reporterId: uuid('reporter_id')
      .notNull()
      .references(() => users.id),
    areaId: uuid('area_id')
      .notNull()
      .references(() => units.id),
    areaPath: text('area_path').notNull(),
    address: text('address').notNull(),
    source: text('source', { enum: guestListSourceValues }).notNull(),
    clientKey: text('client_key').notNull(),
    guestCount: integer('guest_count').notNull(),
    foreignCount: integer('foreign_count').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('guest_lists_client_key').on(t.reporterId, t.clientKey)],
)

/**
 * A resident's report of a movement: a stay notification (lưu trú), a tenant in or out, an
 * absence (tạm vắng), or a hotel guest. Personal data (ID numbers): the area's officer and the
 * commanders above read it, every staff read audited; kept 24 months after it is closed.
 */
export const residenceReports = pgTable(
  'residence_reports',
  {
    id: id(),
    kind: text('kind', { enum: reportKindValues }).notNull(),
    status: text('status', { enum: reportStatusValues }).notNull().default('pending'),
    reporterId: uuid('reporter_id')
      .notNull()
      .references(() => users.id),
    reporterCapacity: text('reporter_capacity', { enum: reporterCapacityValues }).notNull(),
    areaId: uuid('area_id')
      .notNull()
      .references(() => units.id),
    areaPath: text('area_path').notNull(),
    address: text('address').notNull(),
    fullName: text('full_name').notNull(),
    idKind: text('id_kind', { enum: idKindValues }).notNull(),
    idNumber: text('id_number').notNull(),
    nationality: text('nationality'),
    isForeign: boolean('is_foreign').notNull().default(false),
    relation: text('relation', { enum: relationValues }),
    fromDate: date('from_date').notNull(),
    toDate: date('to_date'),
    arrivalTime: text('arrival_time'),
    destination: text('destination'),
    reason: text('reason'),
    note: text('note'),
    /** Rows of one hotel guest list (form or file) share it. */
    guestListId: uuid('guest_list_id').references(() => guestLists.id),
    /** The law's deadline for sending it; null where the law sets none (tenant out). */
    dueAt: timestamp('due_at', { withTimezone: true }),
    isLate: boolean('is_late').notNull().default(false),
    reviewDueAt: timestamp('review_due_at', { withTimezone: true }).notNull(),
    clientKey: text('client_key').notNull(),
    reviewerId: uuid('reviewer_id').references(() => users.id),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewNote: text('review_note'),
    /** Set when a confirmed report closed: the retention clock starts here. */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('residence_reports_client_key').on(t.reporterId, t.clientKey),
    index('residence_reports_area_status_idx').on(t.areaPath.op('text_pattern_ops'), t.status),
    index('residence_reports_id_number_idx').on(t.idNumber),
    index('residence_reports_reporter_idx').on(t.reporterId, t.createdAt),
  ],
)

/** An address in an area's working register (not the national population database). */
export const registerHouseholds = pgTable(
  'register_households',
  {
    id: id(),
    areaId: uuid('area_id')
      .notNull()
      .references(() => units.id),
    areaPath: text('area_path').notNull(),
    address: text('address').notNull(),
    /** The address folded (lower case, no diacritics, single spaces): one household per address. */
    addressKey: text('address_key').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('register_households_address_key').on(t.areaId, t.addressKey),
    index('register_households_area_path_idx').on(t.areaPath.op('text_pattern_ops'), t.addressKey),
    // Pages in address order: a ward commander's page reads 31 rows along it instead of sorting 7,000.
    index('register_households_order_idx').on(t.addressKey, t.id),
  ],
)

/** A person at an address: permanent, temporary (tenant) or staying (guest); away; left. */
export const registerPeople = pgTable(
  'register_people',
  {
    id: id(),
    householdId: uuid('household_id')
      .notNull()
      .references(() => registerHouseholds.id),
    areaId: uuid('area_id')
      .notNull()
      .references(() => units.id),
    areaPath: text('area_path').notNull(),
    fullName: text('full_name').notNull(),
    idKind: text('id_kind', { enum: idKindValues }).notNull(),
    idNumber: text('id_number').notNull(),
    nationality: text('nationality'),
    isForeign: boolean('is_foreign').notNull().default(false),
    residence: text('residence', { enum: residenceValues }).notNull(),
    fromDate: date('from_date'),
    untilDate: date('until_date'),
    awayFrom: date('away_from'),
    awayUntil: date('away_until'),
    awayDestination: text('away_destination'),
    endedOn: date('ended_on'),
    /** Folded name, ID number and address, for search with or without diacritics (trigram index). */
    searchText: text('search_text').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('register_people_household_idx').on(t.householdId),
    index('register_people_id_number_idx').on(t.idNumber),
    index('register_people_area_until_idx').on(t.areaPath.op('text_pattern_ops'), t.untilDate),
    index('register_people_search_trgm_idx').using('gin', t.searchText.op('gin_trgm_ops')),
  ],
)

/** The history of each change in the register: which report or officer, when, what. */
export const registerEvents = pgTable(
  'register_events',
  {
    id: id(),
    personId: uuid('person_id')
      .notNull()
      .references(() => registerPeople.id),
    areaPath: text('area_path').notNull(),
    change: text('change', { enum: registerChangeValues }).notNull(),
    fromDate: date('from_date'),
    untilDate: date('until_date'),
    reportId: uuid('report_id').references(() => residenceReports.id),
    actorId: uuid('actor_id').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [index('register_events_person_idx').on(t.personId, t.at)],
)
