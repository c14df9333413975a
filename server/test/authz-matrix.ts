import type { App } from '../app'
import type { Db } from '../db/client'
import { signInAs, type TestSession } from './auth-helpers'
import {
  type AuthzEntry,
  type AuthzRole,
  type AuthzWorld,
  authzRoles,
  type SignedInRole,
} from './authz-types'
import {
  buildArea,
  buildCommander,
  buildOfficer,
  buildProvince,
  buildResident,
  buildWard,
  grantRole,
} from './factories/index'
import { buildAdmin } from './factories/user.factory'

export * from './authz-types'

/**
 * Every module's `<module>.authz.ts` is collected here (each exported array of entries, whatever
 * its name; `authzEntries` by convention): adding a module means adding that one file, nothing here.
 */
const files = import.meta.glob<Record<string, unknown>>('../modules/*/*.authz.ts', { eager: true })

export const authzEntries: AuthzEntry[] = Object.values(files).flatMap((m) =>
  Object.values(m)
    .filter((v): v is AuthzEntry[] => Array.isArray(v))
    .flat(),
)

/** Routes that are not part of the API surface the matrix judges. */
export const authzExempt = (method: string, url: string) =>
  method === 'HEAD' ||
  method === 'OPTIONS' ||
  ['/healthz', '/readyz', '/api/openapi.json', '/ws', '/', '/*', '/assets/*'].includes(url) ||
  url.startsWith('/api/docs')

/** Builds the home ward (two areas) and a neighbouring ward, with one user per role. */
export async function buildAuthzWorld(db: Db): Promise<AuthzWorld> {
  const province = await buildProvince(db)
  const ward = await buildWard(db, { parent: province })
  const area = await buildArea(db, { parent: ward })
  const otherArea = await buildArea(db, { parent: ward })
  const neighbourWard = await buildWard(db, { parent: province })
  const neighbourArea = await buildArea(db, { parent: neighbourWard })
  const moderator = await buildResident(db, { area })
  await grantRole(db, moderator.id, 'moderator', ward.id)
  const users: Record<SignedInRole, AuthzWorld['users'][SignedInRole]> = {
    resident: await buildResident(db, { area }),
    residentOtherArea: await buildResident(db, { area: otherArea }),
    moderator,
    officer: (await buildOfficer(db, { unit: ward, areas: [area] })).user,
    officerNeighbour: (await buildOfficer(db, { unit: neighbourWard, areas: [neighbourArea] })).user,
    commander: (await buildCommander(db, { unit: ward })).user,
    commanderNeighbour: (await buildCommander(db, { unit: neighbourWard })).user,
    admin: await buildAdmin(db),
  }
  return { province, ward, area, otherArea, neighbourWard, neighbourArea, users }
}

export async function signInWorld(
  app: App,
  world: AuthzWorld,
): Promise<Record<AuthzRole, TestSession | null>> {
  const sessions = { anonymous: null } as Record<AuthzRole, TestSession | null>
  for (const role of authzRoles) {
    if (role !== 'anonymous') sessions[role] = await signInAs(app, world.users[role])
  }
  return sessions
}

export type Verdict = 'allowed' | 'denied' | 'unexpected'

/** 2xx, 3xx and "the form was wrong" (400, 409, 422) mean the door opened; 401, 403, 404 mean it did not. */
export function verdictOf(status: number): Verdict {
  if (status < 400 || status === 400 || status === 409 || status === 422) return 'allowed'
  if (status === 401 || status === 403 || status === 404) return 'denied'
  return 'unexpected'
}
