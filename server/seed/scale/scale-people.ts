import type { DbOrTx } from '../../db/client'
import { enrolTotpSecret } from '../../modules/auth/staff-sign-in.service'
import type { UnitRow } from '../../test/factories/index'
import { DEMO_TOTP_SECRET } from '../demo-seed'
import { bulkInsert, days, type Random } from './bulk'
import { FAMILY_NAMES, GIVEN_NAMES, MIDDLE_NAMES, RANKS } from './scale-texts'

/** How big one generated ward is; the article's ward is WARD_SIZE. Tests use a small one. */
export interface ScaleSize {
  areas: number
  households: number
  residents: number
  officers: number
  /** Direct conversations over the history. */
  conversations: number
  tips: number
  cases: number
  alerts: number
  /** Days of history before `now`. */
  days: number
}

/** Phường Định Công as the article describes it: 7,000 households, about 80 groups, 18 officers, a quarter. */
export const WARD_SIZE: ScaleSize = {
  areas: 80,
  households: 7000,
  residents: 20000,
  officers: 18,
  conversations: 520,
  tips: 40,
  cases: 24,
  alerts: 6,
  days: 92,
}

export interface SeededArea {
  id: string
  path: string
  name: string
  households: number
  officerId: string
}
export interface SeededResident {
  id: string
  areaId: string
  signedInAt: Date | null
}
export interface WardPeople {
  ward: UnitRow
  commanderId: string
  commanderUsername: string
  officerIds: string[]
  areas: SeededArea[]
  residents: SeededResident[]
}

const personName = (rng: Random) =>
  `${rng.pick(FAMILY_NAMES)} ${rng.pick(MIDDLE_NAMES)} ${rng.pick(GIVEN_NAMES)}`

/** "phuong-dinh-cong" → "dinhcong": the short name in the ward's staff usernames. */
export const wardHandle = (slug: string) => slug.replace(/^(phuong|xa|dac-khu)-/, '').replace(/-/g, '')

/** Splits `total` into `n` parts near `total / n`, varying ±40 %, summing exactly to `total`. */
function spread(rng: Random, total: number, n: number): number[] {
  const raw = Array.from({ length: n }, () => 0.6 + 0.8 * rng.next())
  const sum = raw.reduce((s, x) => s + x, 0)
  const parts = raw.map((x) => Math.max(1, Math.round((x / sum) * total)))
  parts[n - 1] = Math.max(1, total - parts.slice(0, -1).reduce((s, x) => s + x, 0))
  return parts
}

/** The ward's residential groups, its commander and officers, and its residents with their sign-ins. */
export async function seedWardPeople(
  tx: DbOrTx,
  rng: Random,
  opts: {
    ward: UnitRow
    wardIndex: number
    size: ScaleSize
    now: Date
    passwordHash: string
    sessionSecret?: string
  },
): Promise<WardPeople> {
  const { ward, size, now } = opts
  const handle = wardHandle(ward.slug)
  const staffRow = (username: string, name: string, rank: string, title: string, i: number) => ({
    id: rng.uuid(),
    kind: 'staff',
    display_name: `${rank} ${name}`,
    full_name: name,
    rank,
    title,
    official_phone: `+84912${String(opts.wardIndex).padStart(2, '0')}${String(i).padStart(4, '0')}`,
    username,
    password_hash: opts.passwordHash,
  })
  const commander = staffRow(
    `chihuy.${handle}`,
    personName(rng),
    'Trung tá',
    `Trưởng Công an ${ward.name}`,
    0,
  )
  const officers = Array.from({ length: size.officers }, (_, i) =>
    staffRow(
      `${handle}.canbo${String(i + 1).padStart(2, '0')}`,
      personName(rng),
      rng.pick(RANKS),
      'Cảnh sát khu vực',
      i + 1,
    ),
  )
  const staffCols = {
    id: 'uuid',
    kind: 'text',
    display_name: 'text',
    full_name: 'text',
    rank: 'text',
    title: 'text',
    official_phone: 'text',
    username: 'text',
    password_hash: 'text',
  }
  await bulkInsert(tx, 'users', staffCols, [commander, ...officers])
  await bulkInsert(tx, 'role_grants', { user_id: 'uuid', role: 'text', unit_id: 'uuid' }, [
    { user_id: commander.id, role: 'commander', unit_id: ward.id },
    ...officers.map((o) => ({ user_id: o.id, role: 'officer', unit_id: ward.id })),
  ])
  if (opts.sessionSecret) {
    for (const s of [commander, ...officers])
      await enrolTotpSecret(tx, { SESSION_SECRET: opts.sessionSecret }, s.id, DEMO_TOTP_SECRET)
  }

  const households = spread(rng, size.households, size.areas)
  const people = spread(rng, size.residents, size.areas)
  const areas: SeededArea[] = households.map((h, i) => {
    const id = rng.uuid()
    return {
      id,
      path: `${ward.path}${id}/`,
      name: `Tổ dân phố số ${i + 1}`,
      households: h,
      officerId: officers[i % officers.length]!.id,
    }
  })
  await bulkInsert(
    tx,
    'units',
    {
      id: 'uuid',
      parent_id: 'uuid',
      path: 'text',
      level: 'text',
      kind: 'text',
      name: 'text',
      slug: 'text',
      household_count: 'int',
      resident_count: 'int',
    },
    areas.map((a, i) => ({
      id: a.id,
      parent_id: ward.id,
      path: a.path,
      level: 'residential_group',
      kind: 'residential_group',
      name: a.name,
      slug: `${ward.slug}-tdp-${i + 1}`,
      household_count: a.households,
      resident_count: people[i],
    })),
  )
  const startsAt = new Date(now.getTime() - days(400)).toISOString()
  await bulkInsert(
    tx,
    'area_assignments',
    { officer_id: 'uuid', area_id: 'uuid', starts_at: 'timestamptz' },
    areas.map((a) => ({ officer_id: a.officerId, area_id: a.id, starts_at: startsAt })),
  )

  // Residents: every one has an account; how many have signed in varies from area to area.
  const residents: SeededResident[] = []
  const userRows: Record<string, unknown>[] = []
  const sessionRows: Record<string, unknown>[] = []
  let n = 0
  areas.forEach((area, ai) => {
    const signInRate = 0.2 + 0.45 * rng.next()
    for (let k = 0; k < people[ai]!; k++) {
      n++
      const id = rng.uuid()
      const name = personName(rng)
      const signedInAt = rng.chance(signInRate) ? new Date(now.getTime() - rng.next() * days(300)) : null
      residents.push({ id, areaId: area.id, signedInAt })
      userRows.push({
        id,
        kind: 'resident',
        phone: `+843${String(opts.wardIndex).padStart(3, '0')}${String(n).padStart(5, '0')}`,
        display_name: name,
        full_name: name,
        area_id: area.id,
        address: `Số ${1 + rng.int(120)}, ngõ ${1 + rng.int(300)}, ${area.name}`,
        created_at: new Date(now.getTime() - days(300) - rng.next() * days(300)).toISOString(),
      })
      if (signedInAt)
        sessionRows.push({
          user_id: id,
          token_hash: rng.hex(64),
          created_at: signedInAt.toISOString(),
          last_seen_at: signedInAt.toISOString(),
          expires_at: new Date(signedInAt.getTime() + days(30)).toISOString(),
        })
    }
  })
  await bulkInsert(
    tx,
    'users',
    {
      id: 'uuid',
      kind: 'text',
      phone: 'text',
      display_name: 'text',
      full_name: 'text',
      area_id: 'uuid',
      address: 'text',
      created_at: 'timestamptz',
    },
    userRows,
  )
  await bulkInsert(
    tx,
    'sessions',
    {
      user_id: 'uuid',
      token_hash: 'text',
      created_at: 'timestamptz',
      last_seen_at: 'timestamptz',
      expires_at: 'timestamptz',
    },
    sessionRows,
  )
  return {
    ward,
    commanderId: commander.id,
    commanderUsername: commander.username,
    officerIds: officers.map((o) => o.id),
    areas,
    residents,
  }
}
