import type { App } from '../../app'
import type { Db } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { signInAs } from '../../test/auth-helpers'
import type { AuthzWorld } from '../../test/authz-types'
import type { Expect, Listed, Ward } from '../../test/parity-types'
import { jpegWithExif, multipart } from '../tips/tips.test-support'
import { officerPhotosPolicy } from './officer-photos.policy'
import { officerPhotosRepository } from './officer-photos.repository'

/**
 * The officer-photos part of the scope parity test (server/test/scope-parity.test.ts): a photo
 * waiting for a decision from an officer and a commander of each ward, sent through the API; for
 * each caller, `GET /api/staff/officer-photos/pending` against the photos `approve` lets them decide.
 */
const seeded: string[] = []

export async function seedOfficerPhotosParity(app: App, w: AuthzWorld, wardOf: Map<string, Ward>) {
  const u = w.users
  for (const [sender, ward] of [
    [u.officer, 'home'],
    [u.commander, 'home'],
    [u.officerNeighbour, 'neighbour'],
    [u.commanderNeighbour, 'neighbour'],
  ] as const) {
    const { headers } = await signInAs(app, sender)
    const body = multipart({}, [
      { data: await jpegWithExif(), filename: 'me.jpg', contentType: 'image/jpeg' },
    ])
    const res = await app.inject({
      method: 'POST',
      url: '/api/me/photo',
      payload: body.payload,
      headers: { ...headers, ...body.headers },
    })
    if (res.statusCode !== 201) throw new Error(`photo not sent: ${res.statusCode} ${res.body}`)
    const id = res.json().id as string
    seeded.push(id)
    wardOf.set(id, ward)
  }
}

export async function checkOfficerPhotosParity(
  db: Db,
  role: string,
  actor: Actor | null,
  listed: Listed,
  expectParity: Expect,
) {
  const decidable: string[] = []
  for (const id of seeded) {
    const photo = await officerPhotosRepository.byId(db, id)
    if (photo && officerPhotosPolicy.can(actor, 'approve', photo)) decidable.push(id)
  }
  expectParity(
    role,
    await listed(role, '/api/staff/officer-photos/pending', (b: { items: { id: string }[] }) =>
      b.items.map((p) => p.id),
    ),
    decidable,
  )
}
