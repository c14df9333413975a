import { slugify } from '@common/text/fold'
import { eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { areaAssignments, roleGrants, units } from '../../db/schema/index'
import { uniqueSuffix } from './sequence'

export type UnitRow = typeof units.$inferSelect
type UnitInput = Partial<typeof units.$inferInsert> & { parent?: UnitRow }

/** Builds a unit; its path is computed from the parent, so subtree queries work on factory data. */
export async function buildUnit(db: DbOrTx, input: UnitInput = {}): Promise<UnitRow> {
  const { parent, ...rest } = input
  const name = rest.name ?? `Đơn vị ${uniqueSuffix()}`
  const id = rest.id ?? crypto.randomUUID()
  const [row] = await db
    .insert(units)
    .values({
      level: 'commune',
      kind: 'ward',
      slug: `${slugify(name)}-${uniqueSuffix()}`,
      ...rest,
      id,
      name,
      parentId: parent?.id ?? rest.parentId ?? null,
      path: `${parent?.path ?? '/'}${id}/`,
    })
    .returning()
  return row!
}

export const buildProvince = (db: DbOrTx, input: UnitInput = {}) =>
  buildUnit(db, { level: 'province', kind: 'city', name: `Thành phố ${uniqueSuffix()}`, ...input })

/** A ward; builds its province when none is given. */
export async function buildWard(db: DbOrTx, input: UnitInput = {}): Promise<UnitRow> {
  const parent = input.parent ?? (await buildProvince(db))
  return buildUnit(db, { level: 'commune', kind: 'ward', name: `Phường ${uniqueSuffix()}`, ...input, parent })
}

/** A residential group (an "area"); builds its ward when none is given. */
export async function buildArea(db: DbOrTx, input: UnitInput = {}): Promise<UnitRow> {
  const parent = input.parent ?? (await buildWard(db))
  return buildUnit(db, {
    level: 'residential_group',
    kind: 'residential_group',
    name: `Tổ dân phố ${uniqueSuffix()}`,
    householdCount: 90,
    residentCount: 320,
    ...input,
    parent,
  })
}

export async function grantRole(
  db: DbOrTx,
  userId: string,
  role: (typeof roleGrants.$inferInsert)['role'],
  unitId: string | null,
) {
  const [row] = await db.insert(roleGrants).values({ userId, role, unitId }).returning()
  return row!
}

export async function assignOfficer(db: DbOrTx, officerId: string, areaId: string, startsAt = new Date()) {
  const [row] = await db.insert(areaAssignments).values({ officerId, areaId, startsAt }).returning()
  return row!
}

export async function getUnit(db: DbOrTx, id: string): Promise<UnitRow | undefined> {
  const [row] = await db.select().from(units).where(eq(units.id, id))
  return row
}
