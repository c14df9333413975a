import { boolean, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { updatedAt } from './columns'

/** A kind of unit allowed at a level, with its names: e.g. ward = "Phường" / "Ward". */
export interface HierarchyKind {
  key: string
  labelVi: string
  labelEn: string
}

/**
 * The configurable levels of the unit tree, top to bottom. Defaults after the 2025 reform:
 * province → commune (xã/phường/đặc khu) → residential group (tổ dân phố/thôn); a district level
 * exists but is disabled, for data from before 1/7/2025.
 */
export const hierarchyLevels = pgTable(
  'hierarchy_levels',
  {
    key: text('key').primaryKey(),
    position: integer('position').notNull(),
    labelVi: text('label_vi').notNull(),
    labelEn: text('label_en').notNull(),
    kinds: jsonb('kinds').$type<HierarchyKind[]>().notNull().default([]),
    enabled: boolean('enabled').notNull().default(true),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('hierarchy_levels_position_key').on(t.position)],
)
