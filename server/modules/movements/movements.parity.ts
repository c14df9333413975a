import { expect } from 'vitest'
import type { Db } from '../../db/client'
import type { Actor } from '../../lib/actor'
import type { AuthzWorld } from '../../test/authz-types'
import { buildRegisterPerson, buildResidenceReport } from '../../test/factories/index'
import type { Expect, Listed, Ward } from '../../test/parity-types'
import { addDays, vnToday } from './deadlines'
import { movementsPolicy } from './movements.policy'

/**
 * The movements part of the scope parity test (server/test/scope-parity.test.ts): reports, register
 * people and households in both wards, and for each caller the ids each list returns against the
 * records the policy lets that caller read.
 */
const seeded = {
  reports: [] as { id: string; reporterId: string; areaPath: string; status: string }[],
  households: [] as { id: string; areaPath: string }[],
  people: [] as { id: string; areaPath: string; idNumber: string }[],
  areas: [] as { id: string; path: string }[],
}

export async function seedMovementsParity(db: Db, w: AuthzWorld, wardOf: Map<string, Ward>) {
  const u = w.users
  const today = vnToday()
  for (const [area, ward, reporter, officer] of [
    [w.area, 'home', u.resident, u.officer],
    [w.otherArea, 'home', u.residentOtherArea, u.officer],
    [w.neighbourArea, 'neighbour', undefined, u.officerNeighbour],
  ] as const) {
    seeded.areas.push({ id: area.id, path: area.path })
    wardOf.set(area.id, ward)
    for (const status of ['pending', 'needs_correction', 'confirmed'] as const) {
      const r = await buildResidenceReport(db, { area, ...(reporter ? { reporter } : {}), status })
      seeded.reports.push({ id: r.id, reporterId: r.reporterId, areaPath: r.areaPath, status: r.status })
      wardOf.set(r.id, ward)
    }
    for (const residence of ['permanent', 'temporary'] as const) {
      const p = await buildRegisterPerson(db, {
        area,
        actor: officer,
        residence,
        ...(residence === 'temporary' ? { fromDate: today, untilDate: addDays(today, 2) } : {}),
      })
      seeded.people.push({ id: p.id, areaPath: p.areaPath, idNumber: p.idNumber })
      seeded.households.push({ id: p.householdId, areaPath: p.areaPath })
      wardOf.set(p.id, ward)
      wardOf.set(p.householdId, ward)
    }
  }
}

/** The seeded residence reports, for the dashboard's movements list in the same parity test. */
export const seededReports = () => seeded.reports

const byId = (list: { id: string }[]) => list.map((x) => x.id)

export async function checkMovementsParity(
  role: string,
  actor: Actor | null,
  listed: Listed,
  getText: (role: string, url: string) => Promise<{ status: number; body: string }>,
  expectParity: Expect,
) {
  const readable = seeded.reports.filter((r) => movementsPolicy.can(actor, 'read', r))
  const readRegister = (path: string) => movementsPolicy.can(actor, 'readRegister', { path })
  const registerPeople = seeded.people.filter((p) => readRegister(p.areaPath))
  // Staff lists: what the caller works on (a reporter's own reports are in their own list).
  expectParity(
    role,
    await listed(role, '/api/movements/queue?status=open', (b: { items: { id: string }[] }) => byId(b.items)),
    readable.filter((r) => r.reporterId !== actor?.userId && r.status !== 'confirmed').map((r) => r.id),
  )
  expectParity(
    role,
    await listed(role, '/api/movements/reports/mine', (b: { items: { id: string }[] }) => byId(b.items)),
    seeded.reports.filter((r) => r.reporterId === actor?.userId).map((r) => r.id),
  )
  expectParity(
    role,
    await listed(role, '/api/register/households?limit=100', (b: { items: { id: string }[] }) =>
      byId(b.items),
    ),
    [...new Set(seeded.households.filter((h) => readRegister(h.areaPath)).map((h) => h.id))],
  )
  expectParity(
    role,
    await listed(role, '/api/register/expiring', (b: { items: { id: string }[] }) => byId(b.items)),
    registerPeople.filter((p) => seeded.people.indexOf(p) % 2 === 1).map((p) => p.id),
  )
  expectParity(
    role,
    await listed(role, '/api/movements/area-counts', (b: { items: { area: { id: string } }[] }) =>
      b.items.map((i) => i.area.id),
    ),
    seeded.areas.filter((a) => movementsPolicy.can(actor, 'readCounts', a)).map((a) => a.id),
  )
  // The CSV export: ID numbers stand for the people.
  const csv = await getText(role, '/api/register/export.csv')
  if (csv.status === 401 || csv.status === 403) return
  expect(csv.status, `${role} export`).toBe(200)
  const exported = new Set([...csv.body.matchAll(/="([A-Z0-9]+)"/g)].map((m) => m[1]))
  expectParity(
    role,
    seeded.people.filter((p) => exported.has(p.idNumber)).map((p) => p.id),
    registerPeople.map((p) => p.id),
  )
}
