import { sql } from 'drizzle-orm'
import {
  type AnyPgColumn,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { createdAt, id, updatedAt } from './columns'

/**
 * The unit tree: province → commune/ward/special zone → residential group (an "area").
 * `path` is the materialised chain of ancestor ids ("/a/b/c/") so a subtree is one prefix match.
 */
export const units = pgTable(
  'units',
  {
    id: id(),
    parentId: uuid('parent_id').references((): AnyPgColumn => units.id),
    path: text('path').notNull(),
    /** Position in the configured hierarchy, e.g. province, commune, residential_group. */
    level: text('level').notNull(),
    /** What the unit is, e.g. city, province, ward, commune, special_zone, residential_group, village. */
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    /** Official administrative code where one exists. */
    code: text('code'),
    slug: text('slug').notNull(),
    address: text('address'),
    phone: text('phone'),
    validFrom: date('valid_from'),
    validTo: date('valid_to'),
    /** GeoJSON Point or Polygon. */
    geometry: jsonb('geometry'),
    householdCount: integer('household_count'),
    residentCount: integer('resident_count'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('units_slug_key').on(t.slug),
    uniqueIndex('units_code_key').on(t.code).where(sql`${t.code} is not null`),
    index('units_parent_idx').on(t.parentId),
    index('units_path_idx').on(t.path.op('text_pattern_ops')),
  ],
)

export const users = pgTable(
  'users',
  {
    id: id(),
    kind: text('kind', { enum: ['resident', 'staff'] }).notNull(),
    /** Sign-in number for residents, normalised to +84…; personal data. */
    phone: text('phone'),
    displayName: text('display_name').notNull(),
    fullName: text('full_name'),
    /** Staff: police rank shown in the directory, e.g. "Thượng úy". */
    rank: text('rank'),
    /** Staff: position, e.g. "Cảnh sát khu vực", "Trưởng Công an phường". */
    title: text('title'),
    /** Staff: official phone published in the directory and checked by the caller check. */
    officialPhone: text('official_phone'),
    photoUrl: text('photo_url'),
    email: text('email'),
    username: text('username'),
    passwordHash: text('password_hash'),
    /** Resident: the residential group they live in. */
    areaId: uuid('area_id').references(() => units.id),
    address: text('address'),
    locale: text('locale', { enum: ['vi', 'en'] })
      .notNull()
      .default('vi'),
    largeText: boolean('large_text').notNull().default(false),
    /** Resident: also receive by SMS the alerts of the kinds their unit sends by SMS (opt-in). */
    smsAlerts: boolean('sms_alerts').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('users_phone_key').on(t.phone).where(sql`${t.phone} is not null`),
    uniqueIndex('users_username_key').on(t.username).where(sql`${t.username} is not null`),
    index('users_official_phone_idx').on(t.officialPhone),
    index('users_area_idx').on(t.areaId),
  ],
)

export const roleKinds = ['moderator', 'officer', 'commander', 'admin'] as const

/** A role held over a unit subtree (commander), areas (officer) or everything (admin, unitId null). */
export const roleGrants = pgTable(
  'role_grants',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role', { enum: roleKinds }).notNull(),
    unitId: uuid('unit_id').references(() => units.id),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('role_grants_user_idx').on(t.userId), index('role_grants_unit_idx').on(t.unitId)],
)

/** Which officer answers for an area, and when: the responsible officer at any moment is known. */
export const areaAssignments = pgTable(
  'area_assignments',
  {
    id: id(),
    officerId: uuid('officer_id')
      .notNull()
      .references(() => users.id),
    areaId: uuid('area_id')
      .notNull()
      .references(() => units.id),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull().defaultNow(),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('area_assignments_area_idx').on(t.areaId),
    index('area_assignments_officer_idx').on(t.officerId),
  ],
)
