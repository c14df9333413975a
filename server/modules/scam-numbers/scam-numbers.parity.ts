import type { Db } from '../../db/client'
import type { Actor } from '../../lib/actor'
import type { AuthzWorld } from '../../test/authz-types'
import { buildScamReport } from '../../test/factories/index'
import type { Expect, Listed, Ward } from '../../test/parity-types'
import { scamNumbersPolicy } from './scam-numbers.policy'

/**
 * The scam-numbers part of the scope parity test (server/test/scope-parity.test.ts): reports from
 * both wards in every status; for each caller, the staff queue and "my reports" against the
 * records the policy lets that caller read.
 */
const seeded: { id: string; reporterId: string; areaPath: string; status: string }[] = []

export async function seedScamNumbersParity(db: Db, w: AuthzWorld, wardOf: Map<string, Ward>) {
  const u = w.users
  const wardOfPath = (path: string): Ward => (path.startsWith(w.neighbourWard.path) ? 'neighbour' : 'home')
  for (const [area, reporter] of [
    [w.area, u.resident],
    [w.otherArea, u.residentOtherArea],
    [w.neighbourArea, u.moderator],
  ] as const) {
    for (const status of ['pending', 'verified', 'rejected'] as const) {
      // The moderator lives in the home area: their report is placed where they live, whatever `area` says.
      const r = await buildScamReport(db, { area, reporter, status, verifiedBy: u.officer })
      seeded.push({ id: r.id, reporterId: r.reporterId, areaPath: r.areaPath, status: r.status })
      wardOf.set(r.id, wardOfPath(r.areaPath))
    }
    // And one from a resident who lives in the area (the neighbour's has no seeded resident).
    const r = await buildScamReport(db, { area })
    seeded.push({ id: r.id, reporterId: r.reporterId, areaPath: r.areaPath, status: r.status })
    wardOf.set(r.id, wardOfPath(r.areaPath))
  }
}

const byId = (b: { items: { id: string }[] }) => b.items.map((x) => x.id)

export async function checkScamNumbersParity(
  role: string,
  actor: Actor | null,
  listed: Listed,
  expectParity: Expect,
) {
  expectParity(
    role,
    await listed(role, '/api/scam-numbers/queue?status=all', byId),
    seeded.filter((r) => actor?.kind === 'staff' && scamNumbersPolicy.can(actor, 'read', r)).map((r) => r.id),
  )
  expectParity(
    role,
    await listed(role, '/api/scam-numbers/reports/mine', byId),
    seeded.filter((r) => r.reporterId === actor?.userId).map((r) => r.id),
  )
}
