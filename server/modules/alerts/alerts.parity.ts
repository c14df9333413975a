import type { App } from '../../app'
import type { Db } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { signInAs } from '../../test/auth-helpers'
import type { AuthzWorld } from '../../test/authz-types'
import { alertsPolicy } from './alerts.policy'
import { alertsRepository } from './alerts.repository'
import { resourceOf } from './alerts.service'

/**
 * The alerts part of the scope parity test (server/test/scope-parity.test.ts): a draft and a
 * published alert of each ward, written through the API by the ward's officer, and for each caller
 * the ids `GET /api/staff/alerts` returns against the alerts `readStaff` lets that caller read.
 */
type Ward = 'home' | 'neighbour'
const seeded: string[] = []

export async function seedAlertsParity(app: App, w: AuthzWorld, wardOf: Map<string, Ward>) {
  for (const [officer, unit, area, ward] of [
    [w.users.officer, w.ward, w.area, 'home'],
    [w.users.officerNeighbour, w.neighbourWard, w.neighbourArea, 'neighbour'],
  ] as const) {
    const { headers } = await signInAs(app, officer)
    for (const publish of [false, true]) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/alerts',
        headers,
        payload: {
          kind: 'found_person',
          headline: 'Tìm người thân cho cụ bà khoảng 80 tuổi',
          description: 'Cụ đang ở trụ sở Công an phường.',
          issuingUnitId: unit.id,
          scope: { kind: 'areas', unitIds: [area.id] },
        },
      })
      if (res.statusCode !== 201) throw new Error(`alert not created: ${res.statusCode} ${res.body}`)
      const id = res.json().id as string
      if (publish) await app.inject({ method: 'POST', url: `/api/alerts/${id}/submit`, headers })
      seeded.push(id)
      wardOf.set(id, ward)
    }
  }
}

type Listed = (role: string, url: string, ids: (body: never) => string[]) => Promise<string[] | null>
type Expect = (role: string, got: string[] | null, allowed: string[]) => void

export async function checkAlertsParity(
  db: Db,
  role: string,
  actor: Actor | null,
  listed: Listed,
  expectParity: Expect,
) {
  const readable: string[] = []
  for (const id of seeded) {
    const loaded = await alertsRepository.load(db, id, actor?.userId ?? null)
    if (loaded && alertsPolicy.can(actor, 'readStaff', resourceOf(loaded, loaded.mine !== null)))
      readable.push(id)
  }
  expectParity(
    role,
    await listed(role, '/api/staff/alerts', (b: { items: { id: string }[] }) => b.items.map((a) => a.id)),
    readable,
  )
}
