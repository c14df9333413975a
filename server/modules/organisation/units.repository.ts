import { and, eq, inArray, or, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { units } from '../../db/schema/index'
import { pathIn, pathUnder } from '../../db/unit-path-sql'

export type UnitRow = typeof units.$inferSelect
export type NewUnit = typeof units.$inferInsert

const collator = new Intl.Collator('vi', { numeric: true })
const depth = (u: UnitRow) => u.path.split('/').length

/** Parents before children; siblings by name with numbers in order ("Tổ 2" before "Tổ 10"). */
export const treeOrder = (a: UnitRow, b: UnitRow) => depth(a) - depth(b) || collator.compare(a.name, b.name)

/** Queries on the unit tree. A subtree is every unit whose path starts with the root's path. */
export const unitsRepository = {
  /** The user and the unit a `<prefix>:<unit>` room subscription names (either may be missing). */
  async findById(db: DbOrTx, id: string): Promise<UnitRow | undefined> {
    const [row] = await db.select().from(units).where(eq(units.id, id))
    return row
  },

  async findBySlug(db: DbOrTx, slug: string): Promise<UnitRow | undefined> {
    const [row] = await db.select().from(units).where(eq(units.slug, slug))
    return row
  },

  /** Units whose code or slug is in the given keys (import matching and parent look-ups). */
  findByKeys(db: DbOrTx, keys: string[]): Promise<UnitRow[]> {
    if (!keys.length) return Promise.resolve([])
    return db
      .select()
      .from(units)
      .where(or(inArray(units.code, keys), inArray(units.slug, keys)))
  },

  findByIds(db: DbOrTx, ids: string[]): Promise<UnitRow[]> {
    if (!ids.length) return Promise.resolve([])
    return db.select().from(units).where(inArray(units.id, ids))
  },

  /** The units at exactly these paths (a grant's own units). */
  findByPaths(db: DbOrTx, paths: readonly string[]): Promise<UnitRow[]> {
    if (!paths.length) return Promise.resolve([])
    return db.select().from(units).where(pathIn(units.path, paths))
  },

  /** A subtree (the root included) in tree order: parents before children, siblings by code then name. */
  async listSubtree(db: DbOrTx, rootPath: string | null, level?: string): Promise<UnitRow[]> {
    const rows = await db
      .select()
      .from(units)
      .where(
        and(
          rootPath ? pathUnder(units.path, rootPath) : undefined,
          level ? eq(units.level, level) : undefined,
        ),
      )
    return rows.sort(treeOrder)
  },

  async listChildren(db: DbOrTx, parentId: string): Promise<UnitRow[]> {
    return (await db.select().from(units).where(eq(units.parentId, parentId))).sort(treeOrder)
  },

  async insert(db: DbOrTx, values: NewUnit & { id: string; path: string }): Promise<UnitRow> {
    const [row] = await db.insert(units).values(values).returning()
    return row!
  },

  /** Many units in few statements (imports); parents may be in the same batch. */
  async insertMany(db: DbOrTx, rows: (NewUnit & { id: string; path: string })[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) await db.insert(units).values(rows.slice(i, i + 500))
  },

  async update(db: DbOrTx, id: string, patch: Partial<NewUnit>): Promise<UnitRow> {
    const [row] = await db
      .update(units)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(units.id, id))
      .returning()
    return row!
  },

  /** Moves a subtree: every path under oldPath is rewritten under newPath (parent_id is set by the caller). */
  async movePaths(db: DbOrTx, oldPath: string, newPath: string): Promise<void> {
    await db
      .update(units)
      .set({ path: sql`${newPath} || substr(${units.path}, ${oldPath.length + 1})` })
      .where(pathUnder(units.path, oldPath))
  },

  /** Locks a unit row for the rest of the transaction (serialises assignment changes to one area). */
  async lock(db: DbOrTx, id: string): Promise<UnitRow | undefined> {
    const [row] = await db.select().from(units).where(eq(units.id, id)).for('update')
    return row
  },
}
