import type { Db } from '../../db/client'
import type { Actor } from '../../lib/actor'
import type { AuthzWorld } from '../../test/authz-types'
import { buildResident } from '../../test/factories/index'
import type { Expect, Listed, Ward } from '../../test/parity-types'
import { residentsPolicy } from './residents.policy'

/**
 * The residents part of the scope parity test (server/test/scope-parity.test.ts): for each area of
 * both wards, the residents `GET /api/residents?areaId=` returns against those `read` allows.
 */
const seeded: { id: string; areaId: string; areaPath: string }[] = []
const areas: { id: string; path: string }[] = []

export async function seedResidentsParity(db: Db, w: AuthzWorld, wardOf: Map<string, Ward>) {
  const u = w.users
  const neighbourResident = await buildResident(db, { area: w.neighbourArea })
  for (const [user, area, ward] of [
    [u.resident, w.area, 'home'],
    [u.moderator, w.area, 'home'],
    [u.residentOtherArea, w.otherArea, 'home'],
    [neighbourResident, w.neighbourArea, 'neighbour'],
  ] as const) {
    seeded.push({ id: user.id, areaId: area.id, areaPath: area.path })
    wardOf.set(user.id, ward)
  }
  for (const area of [w.area, w.otherArea, w.neighbourArea]) areas.push({ id: area.id, path: area.path })
}

export async function checkResidentsParity(
  role: string,
  actor: Actor | null,
  listed: Listed,
  expectParity: Expect,
) {
  for (const area of areas) {
    expectParity(
      role,
      await listed(role, `/api/residents?areaId=${area.id}`, (b: { items: { id: string }[] }) =>
        b.items.map((r) => r.id),
      ),
      seeded
        .filter((r) => r.areaId === area.id && residentsPolicy.can(actor, 'read', { areaPath: r.areaPath }))
        .map((r) => r.id),
    )
  }
}
