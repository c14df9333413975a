import type { Db } from '../../db/client'
import { vacuumAnalyze } from '../../db/maintenance'
import { enrolTotpSecret } from '../../modules/auth/staff-sign-in.service'
import { refreshDashboardRollups } from '../../modules/dashboard/dashboard-rollups.job'
import { unitsRepository } from '../../modules/organisation/units.repository'
import { grantRole, type UnitRow } from '../../test/factories/index'
import { DEMO_TOTP_SECRET } from '../demo-seed'
import { bulkInsert, makeRandom } from './bulk'
import { seedAlerts } from './scale-alerts'
import { seedTipsAndCases } from './scale-cases'
import { seedConversations, seedGroups } from './scale-messaging'
import { seedMovements } from './scale-movements'
import { type ScaleSize, seedWardPeople, WARD_SIZE, wardHandle } from './scale-people'

export type SeedScale = 'ward' | 'province'

/** The article's ward first; the province view adds 19 more wards of Hà Nội (from the shipped catalogue). */
export const SCALE_WARD_SLUGS = [
  'phuong-dinh-cong',
  'phuong-hoang-mai',
  'phuong-linh-nam',
  'phuong-vinh-hung',
  'phuong-tuong-mai',
  'phuong-hoang-liet',
  'phuong-yen-so',
  'phuong-thanh-xuan',
  'phuong-dong-da',
  'phuong-kim-lien',
  'phuong-van-mieu-quoc-tu-giam',
  'phuong-lang',
  'phuong-o-cho-dua',
  'phuong-hong-ha',
  'phuong-ba-dinh',
  'phuong-ngoc-ha',
  'phuong-giang-vo',
  'phuong-cua-nam',
  'phuong-vinh-tuy',
  'phuong-bach-mai',
]

export interface ScaleSeedOptions {
  scale: SeedScale
  passwordHash: string
  /** Enrols the generated staff with the demo authenticator secret, as the demo seed does. */
  sessionSecret?: string
  now?: Date
  size?: ScaleSize
  /** The wards to fill instead of the catalogue's (tests and the benchmark build their own). */
  wards?: UnitRow[]
  /** With `wards`: the unit above them whose commander the province view signs in as. */
  province?: UnitRow
  seed?: number
}

export interface ScaleSeedResult {
  wards: { id: string; name: string; commanderUsername: string }[]
  provinceCommanderUsername?: string
  signIns: string[]
}

/**
 * A ward at the article's scale (or 20 of them) on top of the demo seed, written in bulk: each ward
 * in its own transaction so a province seed shows progress and keeps PGlite's memory flat.
 */
export async function seedScale(db: Db, opts: ScaleSeedOptions, progress: (line: string) => void = () => {}) {
  const now = opts.now ?? new Date()
  const size = opts.size ?? WARD_SIZE
  const slugs = opts.scale === 'province' ? SCALE_WARD_SLUGS : SCALE_WARD_SLUGS.slice(0, 1)
  const wards =
    opts.wards ??
    (await unitsRepository.findByKeys(db, slugs)).sort(
      (a, b) => slugs.indexOf(a.slug) - slugs.indexOf(b.slug),
    )
  if (!opts.wards && wards.length !== slugs.length)
    throw new Error(
      'seed --scale: the wards of catalogue/units/hanoi-communes.csv are missing; import it first',
    )
  const result: ScaleSeedResult = { wards: [], signIns: [] }
  for (const [i, ward] of wards.entries()) {
    const started = Date.now()
    await db.transaction(async (tx) => {
      const rng = makeRandom((opts.seed ?? 2019) + i * 7919)
      const people = await seedWardPeople(tx, rng, {
        ward,
        wardIndex: i + 1,
        size,
        now,
        passwordHash: opts.passwordHash,
        sessionSecret: opts.sessionSecret,
      })
      const groups = await seedGroups(tx, rng, people, size, now)
      await seedConversations(tx, rng, people, size, now)
      await seedTipsAndCases(tx, rng, people, groups, size, now)
      await seedAlerts(tx, rng, people, size, now)
      await seedMovements(tx, rng, people, size, now)
      result.wards.push({ id: ward.id, name: ward.name, commanderUsername: people.commanderUsername })
    })
    progress(
      `seed --scale: ${ward.name} (${i + 1}/${wards.length}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    )
  }
  // Backdated rows in bulk: the dashboard's roll-ups and the planner's statistics are rebuilt now
  // rather than at the next scheduled refresh (PGlite never vacuums or analyses on its own).
  await refreshDashboardRollups(db)
  await vacuumAnalyze(db)
  const first = result.wards[0]!
  result.signIns.push(
    `Commander of ${first.name} (${size.households} households, ${size.areas} groups): username "${first.commanderUsername}"; officers "${wardHandle(wards[0]!.slug)}.canbo01"…`,
  )
  if (opts.scale === 'province') {
    const city = opts.province ?? (await unitsRepository.findBySlug(db, 'ha-noi'))
    if (city) {
      await db.transaction(async (tx) => {
        const id = crypto.randomUUID()
        await bulkInsert(
          tx,
          'users',
          {
            id: 'uuid',
            kind: 'text',
            display_name: 'text',
            rank: 'text',
            title: 'text',
            username: 'text',
            password_hash: 'text',
          },
          [
            {
              id,
              kind: 'staff',
              display_name: 'Đại tá Trần Quốc Hưng',
              rank: 'Đại tá',
              title: 'Phó Giám đốc Công an Thành phố',
              username: `chihuy.${wardHandle(city.slug)}`,
              password_hash: opts.passwordHash,
            },
          ],
        )
        await grantRole(tx, id, 'commander', city.id)
        if (opts.sessionSecret)
          await enrolTotpSecret(tx, { SESSION_SECRET: opts.sessionSecret }, id, DEMO_TOTP_SECRET)
      })
      result.provinceCommanderUsername = `chihuy.${wardHandle(city.slug)}`
      result.signIns.push(
        `Commander of ${city.name} (${wards.length} wards): username "${result.provinceCommanderUsername}"`,
      )
    }
  }
  return result
}
