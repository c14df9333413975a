import type { DbOrTx } from '../../db/client'
import { bulkInsert, days, plausibleTime, type Random } from './bulk'
import type { ScaleSize, WardPeople } from './scale-people'
import { FAMILY_NAMES, GIVEN_NAMES, MIDDLE_NAMES, weighted } from './scale-texts'

// A ward's residence reports over a quarter: relatives coming to stay, tenants in and out of
// rented rooms, residents going away for a while, and the guests of the ward's guest houses.
const KIND_MIX: [string, number][] = [
  ['stay', 35],
  ['tenant_in', 20],
  ['tenant_out', 10],
  ['absence', 15],
  ['guest', 20],
]
const CAPACITY: Record<string, string> = {
  stay: 'household',
  absence: 'household',
  tenant_in: 'landlord',
  tenant_out: 'landlord',
  guest: 'business',
}
/** About one report a quarter for every ten households (7,000 households: 700). */
export const movementsOf = (size: ScaleSize) => Math.round(size.households / 10)

/** Residence reports of the ward, sent by its residents and reviewed by the area's officer. */
export async function seedMovements(tx: DbOrTx, rng: Random, p: WardPeople, size: ScaleSize, now: Date) {
  const from = new Date(now.getTime() - days(size.days))
  const residentsOf = new Map<string, string[]>()
  for (const r of p.residents) residentsOf.set(r.areaId, [...(residentsOf.get(r.areaId) ?? []), r.id])
  const areas = p.areas.filter((a) => residentsOf.has(a.id))
  const rows: Record<string, unknown>[] = []
  for (let i = 0; i < movementsOf(size) && areas.length; i++) {
    const area = rng.pick(areas)
    const kind = weighted(KIND_MIX, rng.next())
    const createdAt = plausibleTime(rng, from, now)
    const reviewed = now.getTime() - createdAt.getTime() > days(2) && !rng.chance(0.05)
    const status = reviewed
      ? rng.chance(0.9)
        ? 'confirmed'
        : rng.pick(['needs_correction', 'rejected'])
      : 'pending'
    const reviewedAt = new Date(createdAt.getTime() + days(rng.next()))
    const day = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10)
    const leaving = kind === 'tenant_out' || kind === 'absence'
    rows.push({
      id: rng.uuid(),
      kind,
      status,
      reporter_id: rng.pick(residentsOf.get(area.id)!),
      reporter_capacity: CAPACITY[kind],
      area_id: area.id,
      area_path: area.path,
      address: `Số ${1 + rng.int(120)}, ngõ ${1 + rng.int(300)}, ${area.name}`,
      full_name: `${rng.pick(FAMILY_NAMES)} ${rng.pick(MIDDLE_NAMES)} ${rng.pick(GIVEN_NAMES)}`,
      id_kind: 'citizen_id',
      id_number: `0${String(1 + rng.int(96)).padStart(2, '0')}${String(rng.int(1e9)).padStart(9, '0')}`,
      nationality: 'VN',
      from_date: day(createdAt),
      to_date: leaving ? null : day(new Date(createdAt.getTime() + days(2 + rng.int(60)))),
      destination: kind === 'absence' ? 'Thành phố Hồ Chí Minh' : null,
      review_due_at: new Date(createdAt.getTime() + days(1)).toISOString(),
      client_key: `scale-${rng.hex(16)}`,
      reviewer_id: reviewed ? area.officerId : null,
      reviewed_at: reviewed ? reviewedAt.toISOString() : null,
      created_at: createdAt.toISOString(),
      updated_at: (reviewed ? reviewedAt : createdAt).toISOString(),
    })
  }
  await bulkInsert(
    tx,
    'residence_reports',
    {
      id: 'uuid',
      kind: 'text',
      status: 'text',
      reporter_id: 'uuid',
      reporter_capacity: 'text',
      area_id: 'uuid',
      area_path: 'text',
      address: 'text',
      full_name: 'text',
      id_kind: 'text',
      id_number: 'text',
      nationality: 'text',
      from_date: 'date',
      to_date: 'date',
      destination: 'text',
      review_due_at: 'timestamptz',
      client_key: 'text',
      reviewer_id: 'uuid',
      reviewed_at: 'timestamptz',
      created_at: 'timestamptz',
      updated_at: 'timestamptz',
    },
    rows,
  )
}
