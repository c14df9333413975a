import type { roleKinds } from '../db/schema/organisation'

export type RoleKind = (typeof roleKinds)[number]

export interface RoleGrant {
  role: RoleKind
  /** The unit (commander, moderator) the grant covers; null for an administrator. */
  unitId: string | null
  /** Materialised path of that unit ("/a/b/"), so subtree checks need no query. */
  unitPath: string | null
}

/**
 * Who is calling. Routes get it from the session (identity module); policies decide with it.
 * `areaIds` are the areas an officer answers for right now; `areaPaths` their tree paths.
 */
export interface Actor {
  userId: string
  sessionId: string
  kind: 'resident' | 'staff'
  displayName: string
  locale: 'vi' | 'en'
  /** Resident: their area. */
  areaId: string | null
  grants: RoleGrant[]
  /** Officer: currently assigned areas with their paths. */
  assignedAreas: { id: string; path: string }[]
}

export const hasRole = (actor: Actor | null | undefined, role: RoleKind) =>
  !!actor?.grants.some((g) => g.role === role)

export const isAdmin = (actor: Actor | null | undefined) => hasRole(actor, 'admin')

// The unit-tree predicates live with the actor's scope, in one file.
export { commandsPath, coversPath } from './scope'
