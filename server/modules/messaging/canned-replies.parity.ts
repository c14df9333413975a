import type { Db } from '../../db/client'
import type { Actor } from '../../lib/actor'
import type { AuthzWorld } from '../../test/authz-types'
import { buildCannedReply } from '../../test/factories/index'
import type { Expect, Listed, Ward } from '../../test/parity-types'
import { type CannedReplyResource, messagingPolicy } from './messaging.policy'

/**
 * The canned-replies part of the scope parity test (server/test/scope-parity.test.ts): shared and
 * personal replies of both wards, their areas and the province above them; for each caller,
 * `GET /api/canned-replies` against the replies `readCanned` lets them read.
 */
const seeded: (CannedReplyResource & { id: string })[] = []

export async function seedCannedRepliesParity(db: Db, w: AuthzWorld, wardOf: Map<string, Ward>) {
  const u = w.users
  const units = [
    [w.ward, 'home'],
    [w.area, 'home'],
    [w.neighbourWard, 'neighbour'],
    [w.neighbourArea, 'neighbour'],
  ] as const
  for (const [unit, ward] of units) {
    const [officer, commander] =
      ward === 'home' ? [u.officer, u.commander] : [u.officerNeighbour, u.commanderNeighbour]
    for (const [shared, author] of [
      [true, commander],
      [false, officer],
      [false, commander],
    ] as const) {
      const r = await buildCannedReply(db, { unit, shared, author, title: `Mẫu ${unit.name}` })
      seeded.push({ id: r.id, unitPath: unit.path, shared, authorId: author.id })
      wardOf.set(r.id, ward)
    }
  }
  // The province's shared reply reaches both wards; the parity lists ignore what belongs to neither
  // ward, so it is only there to show it does not open the other ward's replies (route tests check it).
  await buildCannedReply(db, { unit: w.province, title: 'Mẫu của tỉnh' })
}

export async function checkCannedRepliesParity(
  role: string,
  actor: Actor | null,
  listed: Listed,
  expectParity: Expect,
) {
  const got = await listed(role, '/api/canned-replies', (b: { replies: { id: string }[] }) =>
    b.replies.map((x) => x.id),
  )
  const allowed = seeded.filter((r) => messagingPolicy.can(actor, 'readCanned', r)).map((r) => r.id)
  expectParity(role, got, allowed)
}
