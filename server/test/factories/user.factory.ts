import type { DbOrTx } from '../../db/client'
import { users } from '../../db/schema/index'
import { assignOfficer, buildArea, buildWard, grantRole, type UnitRow } from './organisation.factory'
import { nextSeq, uniqueSuffix } from './sequence'

export type UserRow = typeof users.$inferSelect
type UserInput = Partial<typeof users.$inferInsert>

/** A unique, valid Vietnamese mobile number (+8491…) for tests and demo residents. */
export function fakePhone(): string {
  // +8491… (a Vinaphone prefix) so the number passes mobile validation whatever the process id.
  const n = (process.pid % 1000) * 10_000 + (nextSeq() % 10_000)
  return `+8491${String(n).padStart(7, '0').slice(-7)}`
}

export async function buildUser(db: DbOrTx, input: UserInput = {}): Promise<UserRow> {
  const [row] = await db
    .insert(users)
    .values({ kind: 'resident', displayName: `Cư dân ${uniqueSuffix()}`, ...input })
    .returning()
  return row!
}

/** A resident of an area; builds the area (and its ward and province) when none is given. */
export async function buildResident(db: DbOrTx, input: UserInput & { area?: UnitRow } = {}) {
  const { area: givenArea, ...rest } = input
  const area = givenArea ?? (await buildArea(db))
  return buildUser(db, { kind: 'resident', phone: fakePhone(), areaId: area.id, ...rest })
}

/** An area officer (CSKV) assigned to the given areas; builds one area when none is given. */
export async function buildOfficer(
  db: DbOrTx,
  input: UserInput & { areas?: UnitRow[]; unit?: UnitRow } = {},
) {
  const { areas: givenAreas, unit, ...rest } = input
  const areas = givenAreas ?? [await buildArea(db, unit ? { parent: unit } : {})]
  const unitId = unit?.id ?? areas[0]?.parentId ?? null
  const user = await buildUser(db, {
    kind: 'staff',
    displayName: `Cán bộ ${uniqueSuffix()}`,
    rank: 'Thượng úy',
    title: 'Cảnh sát khu vực',
    officialPhone: fakePhone(),
    username: `canbo-${uniqueSuffix()}`,
    ...rest,
  })
  await grantRole(db, user.id, 'officer', unitId)
  for (const area of areas) await assignOfficer(db, user.id, area.id)
  return { user, areas }
}

/** A commander of a unit subtree; builds the ward when none is given. */
export async function buildCommander(db: DbOrTx, input: UserInput & { unit?: UnitRow } = {}) {
  const { unit: givenUnit, ...rest } = input
  const unit = givenUnit ?? (await buildWard(db))
  const user = await buildUser(db, {
    kind: 'staff',
    displayName: `Chỉ huy ${uniqueSuffix()}`,
    rank: 'Trung tá',
    title: 'Trưởng Công an phường',
    officialPhone: fakePhone(),
    username: `chihuy-${uniqueSuffix()}`,
    ...rest,
  })
  await grantRole(db, user.id, 'commander', unit.id)
  return { user, unit }
}

export async function buildAdmin(db: DbOrTx, input: UserInput = {}) {
  const user = await buildUser(db, {
    kind: 'staff',
    displayName: `Quản trị ${uniqueSuffix()}`,
    username: `admin-${uniqueSuffix()}`,
    ...input,
  })
  await grantRole(db, user.id, 'admin', null)
  return user
}
