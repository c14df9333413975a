import type { DbOrTx } from '../../db/client'
import { groupMembers, unitNeighbours } from '../../db/schema/index'
import { groupRepository } from '../../modules/messaging/group.repository'
import { buildArea, buildProvince, buildWard, type UnitRow } from './organisation.factory'
import { uniqueSuffix } from './sequence'
import { buildCommander, buildOfficer, buildResident, type UserRow } from './user.factory'

/** Declares two units neighbours (both directions), as a commander would. */
export async function makeNeighbours(db: DbOrTx, a: UnitRow, b: UnitRow): Promise<void> {
  await db
    .insert(unitNeighbours)
    .values([
      { unitId: a.id, neighbourId: b.id },
      { unitId: b.id, neighbourId: a.id },
    ])
    .onConflictDoNothing()
}

/** A residential-area group of an area, with members; returns the group and its conversation. */
export async function buildAreaGroup(db: DbOrTx, area: UnitRow, owner: UserRow, members: UserRow[] = []) {
  const made = await groupRepository.insert(db, {
    kind: 'residential_area',
    unitId: area.id,
    unitPath: area.path,
    name: `Nhóm ${area.name}`,
    inviteCode: `inv-${uniqueSuffix()}-${Math.random().toString(36).slice(2, 8)}`,
    createdBy: owner.id,
    postingPolicy: 'staff_and_moderators',
  })
  await db
    .insert(groupMembers)
    .values([
      { groupId: made.group.id, userId: owner.id, role: 'owner' },
      ...members.map((m) => ({ groupId: made.group.id, userId: m.id })),
    ])
  return made
}

/**
 * Story S2's setting: a ward with two areas and a neighbouring ward with one, configured as
 * neighbours; an officer and a commander of the ward, an officer of the neighbour; residents.
 */
export async function buildAlertsWorld(db: DbOrTx, opts: { province?: UnitRow } = {}) {
  const province = opts.province ?? (await buildProvince(db))
  const ward = await buildWard(db, { parent: province })
  const area = await buildArea(db, { parent: ward })
  const otherArea = await buildArea(db, { parent: ward })
  const neighbourWard = await buildWard(db, { parent: province })
  const neighbourArea = await buildArea(db, { parent: neighbourWard })
  const farWard = await buildWard(db, { parent: province })
  const farArea = await buildArea(db, { parent: farWard })
  await makeNeighbours(db, ward, neighbourWard)
  const officer = await buildOfficer(db, { unit: ward, areas: [area, otherArea] })
  const commander = await buildCommander(db, { unit: ward })
  const neighbourOfficer = await buildOfficer(db, { unit: neighbourWard, areas: [neighbourArea] })
  const resident = await buildResident(db, { area })
  const residentOther = await buildResident(db, { area: otherArea })
  const neighbourResident = await buildResident(db, { area: neighbourArea })
  const farResident = await buildResident(db, { area: farArea })
  return {
    province,
    ward,
    area,
    otherArea,
    neighbourWard,
    neighbourArea,
    farWard,
    farArea,
    officer: officer.user,
    commander: commander.user,
    neighbourOfficer: neighbourOfficer.user,
    resident,
    residentOther,
    neighbourResident,
    farResident,
  }
}
