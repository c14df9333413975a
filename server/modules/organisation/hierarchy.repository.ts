import { asc, eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { hierarchyLevels } from '../../db/schema/index'

export type HierarchyLevelRow = typeof hierarchyLevels.$inferSelect

/** The level of the unit tree that residents live in and officers are assigned to. */
export const AREA_LEVEL = 'residential_group'
/** The level of the police unit that commands areas (xã, phường, đặc khu). */
export const COMMUNE_LEVEL = 'commune'

export const hierarchyRepository = {
  list: (db: DbOrTx): Promise<HierarchyLevelRow[]> =>
    db.select().from(hierarchyLevels).orderBy(asc(hierarchyLevels.position)),

  async update(
    db: DbOrTx,
    key: string,
    patch: Partial<Pick<HierarchyLevelRow, 'labelVi' | 'labelEn' | 'enabled' | 'kinds'>>,
  ): Promise<HierarchyLevelRow | undefined> {
    const [row] = await db
      .update(hierarchyLevels)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(hierarchyLevels.key, key))
      .returning()
    return row
  },
}
