import type { Db } from '../db/client'
import { hashPassword } from '../lib/passwords'
import { buildAdmin, buildArea, buildCommander, buildOfficer, buildProvince, buildResident, buildWard } from '../test/factories/index'

export const DEMO_PASSWORD = 'nhipcau-demo-2026'

export interface DemoSeedResult {
  signIns: string[]
  wardId: string
  areaIds: string[]
}

/** The demo ward: real names after the 2025 reform, fictitious people, built with the test factories. */
export async function seedDemo(db: Db): Promise<DemoSeedResult> {
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  return db.transaction(async (tx) => {
    const hanoi = await buildProvince(tx, { name: 'Thành phố Hà Nội', code: '01', slug: 'ha-noi', kind: 'city' })
    const ward = await buildWard(tx, {
      parent: hanoi,
      name: 'Phường Hai Bà Trưng',
      slug: 'phuong-hai-ba-trung',
      address: 'Số 2 phố Hàn Thuyên, Phường Hai Bà Trưng, Hà Nội',
      phone: '+842439781234',
    })
    const areaNames = ['Tổ dân phố số 1', 'Tổ dân phố số 2', 'Tổ dân phố số 3', 'Tổ dân phố số 4', 'Tổ dân phố số 5', 'Tổ dân phố số 6']
    const areas = []
    for (const [i, name] of areaNames.entries()) {
      areas.push(
        await buildArea(tx, {
          parent: ward,
          name,
          slug: `hai-ba-trung-tdp-${i + 1}`,
          householdCount: 85 + i * 7,
          residentCount: 310 + i * 23,
        }),
      )
    }
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
      { name: 'Lê Đức Chương', rank: 'Thượng úy', phone: '+84912000011', username: 'canbo1', areas: areas.slice(0, 2) },
      { name: 'Trần Thị Mai', rank: 'Đại úy', phone: '+84912000012', username: 'canbo2', areas: areas.slice(2, 4) },
      { name: 'Phạm Minh Tuấn', rank: 'Trung úy', phone: '+84912000013', username: 'canbo3', areas: areas.slice(4, 6) },
    ]
    for (const o of officers) {
      await buildOfficer(tx, {
        unit: ward,
        areas: o.areas,
        displayName: `${o.rank} ${o.name}`,
        fullName: o.name,
        rank: o.rank,
        officialPhone: o.phone,
        username: o.username,
        passwordHash,
      })
    }
    await buildAdmin(tx, { displayName: 'Quản trị hệ thống', username: 'admin', passwordHash })
    const residents = [
      { name: 'Nguyễn Thị Lan', phone: '+84987000001', area: areas[0]! },
      { name: 'Trần Văn Bình', phone: '+84987000002', area: areas[0]! },
      { name: 'Hoàng Thị Tám', phone: '+84987000003', area: areas[1]! },
      { name: 'Vũ Quốc Khánh', phone: '+84987000004', area: areas[2]! },
    ]
    for (const r of residents) {
      await buildResident(tx, { area: r.area, displayName: r.name, fullName: r.name, phone: r.phone })
    }
    return {
      wardId: ward.id,
      areaIds: areas.map((a) => a.id),
      signIns: [
        `Commander  ${commander.user.displayName}: username "chihuy", password "${DEMO_PASSWORD}"`,
        `Officer    ${officers[0]!.rank} ${officers[0]!.name}: username "canbo1", password "${DEMO_PASSWORD}"`,
        `Admin      username "admin", password "${DEMO_PASSWORD}"`,
        'Resident   phone 0987 000 001 (Nguyễn Thị Lan) — the one-time code is printed in this console',
      ],
    }
  })
}
