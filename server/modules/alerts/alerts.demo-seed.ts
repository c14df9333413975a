import type { DbOrTx } from '../../db/client'
import { buildArea, buildResident, makeNeighbours, type UnitRow } from '../../test/factories/index'
import { unitsRepository } from '../organisation/units.repository'

/** Wards that border Phường Hai Bà Trưng after the 2025 reform (configured, as no boundaries are loaded). */
const NEIGHBOUR_SLUGS = ['phuong-bach-mai', 'phuong-vinh-tuy', 'phuong-hoan-kiem']

/**
 * Story S2 needs a neighbouring ward with a resident: Phường Bạch Mai gets one residential group
 * and Đỗ Thị Hoa lives there (phone 0987 000 005). The demo ward's neighbours are configured.
 */
export async function seedAlertsDemo(tx: DbOrTx, ward: UnitRow): Promise<void> {
  const neighbours = (await unitsRepository.findByKeys(tx, NEIGHBOUR_SLUGS)).filter((u) => u.id !== ward.id)
  for (const n of neighbours) await makeNeighbours(tx, ward, n)
  const bachMai = neighbours.find((n) => n.slug === 'phuong-bach-mai')
  if (!bachMai) return
  const area = await buildArea(tx, {
    parent: bachMai,
    name: 'Tổ dân phố số 1 (Bạch Mai)',
    slug: 'bach-mai-tdp-1',
    householdCount: 96,
    residentCount: 341,
  })
  await buildResident(tx, { area, displayName: 'Đỗ Thị Hoa', fullName: 'Đỗ Thị Hoa', phone: '+84987000005' })
}
