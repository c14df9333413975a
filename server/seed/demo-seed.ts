import { readFileSync } from 'node:fs'
import type { Db } from '../db/client'
import { hashPassword } from '../lib/passwords'
import { projectPath } from '../lib/project-paths'
import { seedAlertsDemo } from '../modules/alerts/alerts.demo-seed'
import { enrolTotpSecret } from '../modules/auth/staff-sign-in.service'
import { unitsRepository } from '../modules/organisation/units.repository'
import { importUnits } from '../modules/organisation/units-import.service'
import { importCatalogueFiles } from '../modules/procedures/procedure-import.service'
import { buildAdmin, buildCommander, buildOfficer, buildResident } from '../test/factories/index'

export const DEMO_PASSWORD = 'nhipcau-demo-2026'
/**
 * The demo staff's authenticator secret: fixed and printed so the demo and the browser tests can
 * compute codes. Only this demo seed uses it (never run in production: main.ts and the CLI refuse).
 */
export const DEMO_TOTP_SECRET = 'NHIPCAUDEMOTOTPKHONGDUNGTHATZZZZ'

export interface SeedDemoOptions {
  /** With the server's SESSION_SECRET the demo staff are enrolled with DEMO_TOTP_SECRET; without, they enrol at first sign-in. */
  sessionSecret?: string
}

export interface DemoSeedResult {
  signIns: string[]
  wardId: string
  areaIds: string[]
}

/** The demo ward: real names after the 2025 reform, fictitious people, built with the test factories. */
export async function seedDemo(db: Db, options: SeedDemoOptions = {}): Promise<DemoSeedResult> {
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  const result = await db.transaction(async (tx) => {
    // Hà Nội's 126 communes and the demo ward's residential groups come from the shipped files (catalogue/units).
    for (const file of ['hanoi-communes.csv', 'hai-ba-trung-groups.csv']) {
      const text = readFileSync(projectPath('catalogue', 'units', file), 'utf8')
      const report = await importUnits(tx, text, { format: 'csv' })
      if (report.problems.length) throw new Error(`demo seed: ${file}: ${JSON.stringify(report.problems)}`)
    }
    const wardId = (await unitsRepository.findBySlug(tx, 'phuong-hai-ba-trung'))!.id
    const ward = await unitsRepository.update(tx, wardId, {
      address: 'Số 2 phố Hàn Thuyên, Phường Hai Bà Trưng, Hà Nội',
      phone: '+842439781234',
    })
    const areas = await unitsRepository.listChildren(tx, ward.id)
    const commander = await buildCommander(tx, {
      unit: ward,
      displayName: 'Trung tá Nguyễn Văn Hùng',
      fullName: 'Nguyễn Văn Hùng',
      rank: 'Trung tá',
      title: 'Trưởng Công an phường',
      officialPhone: '+84912000001',
      username: 'chihuy',
      passwordHash,
    })
    const officers = [
      {
        name: 'Lê Đức Chương',
        rank: 'Thượng úy',
        phone: '+84912000011',
        username: 'canbo1',
        areas: areas.slice(0, 2),
      },
      {
        name: 'Trần Thị Mai',
        rank: 'Đại úy',
        phone: '+84912000012',
        username: 'canbo2',
        areas: areas.slice(2, 4),
      },
      {
        name: 'Phạm Minh Tuấn',
        rank: 'Trung úy',
        phone: '+84912000013',
        username: 'canbo3',
        areas: areas.slice(4, 6),
      },
    ]
    const staffIds = [commander.user.id]
    for (const o of officers) {
      const built = await buildOfficer(tx, {
        unit: ward,
        areas: o.areas,
        displayName: `${o.rank} ${o.name}`,
        fullName: o.name,
        rank: o.rank,
        officialPhone: o.phone,
        username: o.username,
        passwordHash,
      })
      staffIds.push(built.user.id)
    }
    const admin = await buildAdmin(tx, { displayName: 'Quản trị hệ thống', username: 'admin', passwordHash })
    staffIds.push(admin.id)
    if (options.sessionSecret) {
      for (const id of staffIds)
        await enrolTotpSecret(tx, { SESSION_SECRET: options.sessionSecret }, id, DEMO_TOTP_SECRET)
    }
    const residents = [
      { name: 'Nguyễn Thị Lan', phone: '+84987000001', area: areas[0]! },
      { name: 'Trần Văn Bình', phone: '+84987000002', area: areas[0]! },
      { name: 'Hoàng Thị Tám', phone: '+84987000003', area: areas[1]! },
      { name: 'Vũ Quốc Khánh', phone: '+84987000004', area: areas[2]! },
    ]
    for (const r of residents) {
      await buildResident(tx, { area: r.area, displayName: r.name, fullName: r.name, phone: r.phone })
    }
    // Alerts (story S2): the neighbouring wards and a resident of Phường Bạch Mai.
    await seedAlertsDemo(tx, ward)
    return {
      wardId: ward.id,
      areaIds: areas.map((a) => a.id),
      signIns: [
        `Commander  ${commander.user.displayName}: username "chihuy", password "${DEMO_PASSWORD}"`,
        `Officer    ${officers[0]!.rank} ${officers[0]!.name}: username "canbo1", password "${DEMO_PASSWORD}"`,
        `Admin      username "admin", password "${DEMO_PASSWORD}"`,
        'Resident   phone 0987 000 001 (Nguyễn Thị Lan) — the one-time code is printed in this console',
        options.sessionSecret
          ? `Staff authenticator (demo only): add the secret ${DEMO_TOTP_SECRET} to any TOTP app`
          : 'Staff authenticator: enrol with the QR code shown at the first staff sign-in',
      ],
    }
  })
  // The procedure catalogue shipped in catalogue/procedures (a copy of ../shared/data/procedures-vn.json).
  await importCatalogueFiles(db)
  return result
}
