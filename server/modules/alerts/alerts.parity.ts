import { expect } from 'vitest'
import type { App } from '../../app'
import type { Db } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { signInAs } from '../../test/auth-helpers'
import type { AuthzWorld } from '../../test/authz-types'
import type { Expect, Listed, Ward } from '../../test/parity-types'
import { alertSettingsRepository } from './alert-scope.service'
import { alertsPolicy } from './alerts.policy'
import { alertsRepository } from './alerts.repository'
import { resourceOf } from './alerts.service'

/**
 * The alerts part of the scope parity test (server/test/scope-parity.test.ts): a draft, a
 * published alert and two waiting for approval (one at the ward, one at the province) of each
 * ward, written through the API by the ward's officer. For each caller: the ids
 * `GET /api/staff/alerts` returns against the alerts `readStaff` lets that caller read, and the
 * console's approval badge against the alerts `approve` lets them decide.
 */
const seeded: string[] = []

/** Creates an alert through the API as `headers`' officer and submits it when asked; returns its id. */
async function writeAlert(
  app: App,
  headers: Record<string, string>,
  unitId: string,
  scope: { kind: 'areas'; unitIds: readonly string[] } | { kind: 'unit' | 'province' },
  submit: boolean,
) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/alerts',
    headers,
    payload: {
      kind: 'found_person',
      headline: 'Tìm người thân cho cụ bà khoảng 80 tuổi',
      description: 'Cụ đang ở trụ sở Công an phường.',
      issuingUnitId: unitId,
      scope,
    },
  })
  if (res.statusCode !== 201) throw new Error(`alert not created: ${res.statusCode} ${res.body}`)
  const id = res.json().id as string
  if (submit) {
    const sent = await app.inject({ method: 'POST', url: `/api/alerts/${id}/submit`, headers })
    if (sent.statusCode !== 200) throw new Error(`alert not submitted: ${sent.statusCode} ${sent.body}`)
  }
  return id
}

export async function seedAlertsParity(app: App, w: AuthzWorld, wardOf: Map<string, Ward>) {
  for (const [officer, commander, unit, area, ward] of [
    [w.users.officer, w.users.commander, w.ward, w.area, 'home'],
    [w.users.officerNeighbour, w.users.commanderNeighbour, w.neighbourWard, w.neighbourArea, 'neighbour'],
  ] as const) {
    const { headers } = await signInAs(app, officer)
    const own = { kind: 'areas', unitIds: [area.id] } as const
    // A draft, and one straight out (its areas are within the ward's default threshold).
    const ids = [
      await writeAlert(app, headers, unit.id, own, false),
      await writeAlert(app, headers, unit.id, own, true),
    ]
    // The ward asks approval for anything beyond single areas: the whole ward waits for its commanders.
    await alertSettingsRepository.put(app.db, unit.id, 'areas', commander.id)
    ids.push(await writeAlert(app, headers, unit.id, { kind: 'unit' }, true))
    // Province-wide always waits for a commander of the province.
    ids.push(await writeAlert(app, headers, unit.id, { kind: 'province' }, true))
    for (const id of ids) {
      seeded.push(id)
      wardOf.set(id, ward)
    }
  }
}

export async function checkAlertsParity(
  db: Db,
  role: string,
  actor: Actor | null,
  listed: Listed,
  expectParity: Expect,
  read: (role: string, url: string) => Promise<{ status: number; body: string }>,
) {
  const readable: string[] = []
  const decidable: string[] = []
  for (const id of seeded) {
    const loaded = await alertsRepository.load(db, id, actor?.userId ?? null)
    if (!loaded) continue
    const resource = resourceOf(loaded, loaded.mine !== null)
    if (alertsPolicy.can(actor, 'readStaff', resource)) readable.push(id)
    if (alertsPolicy.can(actor, 'approve', resource)) decidable.push(id)
  }
  expectParity(
    role,
    await listed(role, '/api/staff/alerts', (b: { items: { id: string }[] }) => b.items.map((a) => a.id)),
    readable,
  )
  // The badge counts every alert in the database; the seeded ones are the only ones there.
  const badge = await read(role, '/api/staff/alerts/pending-approval/count')
  if (!alertsPolicy.can(actor, 'countAwaitingApproval')) {
    expect([401, 403], `${role} approval badge`).toContain(badge.status)
    return
  }
  expect(badge.status, badge.body).toBe(200)
  expect((JSON.parse(badge.body) as { count: number }).count, `${role} approval badge`).toBe(decidable.length)
}
