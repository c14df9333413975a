import type { HTTPMethods } from 'fastify'
import type { App } from '../app'
import type { Db } from '../db/client'
import type { UnitRow } from './factories/organisation.factory'
import type { UserRow } from './factories/user.factory'

/**
 * The callers the authorisation matrix tries on every route. "Home" is one ward with two areas;
 * the neighbouring ward is the same shape, so a neighbour's officer or commander must see nothing
 * of the home ward beyond what is public.
 */
export const authzRoles = [
  'anonymous',
  /** Resident of world.area. */
  'resident',
  /** Resident of world.otherArea (same ward, an area world.officer does not cover). */
  'residentOtherArea',
  /** A resident holding a moderator grant on the home ward. */
  'moderator',
  /** Officer assigned to world.area (unit: the home ward). */
  'officer',
  /** Officer of the neighbouring ward, assigned to world.neighbourArea. */
  'officerNeighbour',
  /** Commander of the home ward. */
  'commander',
  /** Commander of the neighbouring ward. */
  'commanderNeighbour',
  'admin',
] as const
export type AuthzRole = (typeof authzRoles)[number]
export type SignedInRole = Exclude<AuthzRole, 'anonymous'>

export interface AuthzWorld {
  province: UnitRow
  /** The home ward; world.commander commands it. */
  ward: UnitRow
  /** The home area: world.resident lives here and world.officer covers it. */
  area: UnitRow
  /** Another area of the home ward (world.residentOtherArea lives here). */
  otherArea: UnitRow
  neighbourWard: UnitRow
  neighbourArea: UnitRow
  users: Record<SignedInRole, UserRow>
}

export interface AuthzRequestContext {
  app: App
  db: Db
  world: AuthzWorld
  /** Who is about to call, so a builder can target "their own" record when the route is about self. */
  role: AuthzRole
}

/** The concrete call; every part is optional (default: the route path as-is, no body). */
export interface AuthzRequest {
  url?: string
  query?: Record<string, string>
  payload?: unknown
  headers?: Record<string, string>
  /** The caller's socket address; by default a new non-loopback one per call (rate limits). */
  remoteAddress?: string
}

export interface AuthzEntry {
  method: HTTPMethods
  /** The path exactly as registered in Fastify, params included: "/api/units/:id". */
  route: string
  /**
   * Roles that must be let through: 2xx, or a 400 validation problem (the door opened, the form
   * was wrong). Every other role must get 401, 403 or 404 (hidden).
   */
  allow: readonly AuthzRole[]
  /** Builds the call (URL with real ids, body); runs once per role, so it may create fresh records. */
  request?: (ctx: AuthzRequestContext) => AuthzRequest | Promise<AuthzRequest>
  /** Build a fresh world for each role's call (routes that delete or change the caller's account). */
  freshWorld?: boolean
  /** Give each role's call a session of its own (routes that sign out or rotate the caller's session). */
  freshSession?: boolean
  /** Why the rule is what it is, when not obvious. */
  note?: string
}

/** Role lists for readability in `<module>.authz.ts` files. */
export const roleSets = {
  everyone: authzRoles,
  signedIn: authzRoles.filter((r) => r !== 'anonymous'),
  residents: ['resident', 'residentOtherArea', 'moderator'],
  staff: ['officer', 'officerNeighbour', 'commander', 'commanderNeighbour', 'admin'],
  /** Staff who act on the home ward: its commander and admins. */
  homeManagers: ['commander', 'admin'],
} as const satisfies Record<string, readonly AuthzRole[]>

/** Helper so a module's file is typed: `export const authzEntries = defineAuthz([...])`. */
export const defineAuthz = (entries: AuthzEntry[]): AuthzEntry[] => entries
