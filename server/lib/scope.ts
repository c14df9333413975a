import type { Actor, RoleKind } from './actor'

/**
 * Which part of the unit tree an actor may see, computed once per request. Policies decide one
 * record with the predicates below; list queries filter with their SQL twins in
 * `server/db/unit-path-sql.ts`, declared beside the rules as the policy's `scopes`. Nothing else
 * reads `actor.grants` to decide what a list returns.
 */
export interface Scope {
  userId: string
  isStaff: boolean
  isAdmin: boolean
  /** A resident's own area (their own records are found by `userId`). */
  areaId: string | null
  /** Areas the officer is assigned to now (started, not ended). */
  coverPaths: readonly string[]
  /** Units the actor commands: their whole subtree. */
  commandPaths: readonly string[]
  /** Units the actor is an officer of: their duty queue, the records handed to them there. */
  officerUnitPaths: readonly string[]
  /** Units whose groups the actor co-moderates (a resident tổ trưởng, or staff). */
  moderatorPaths: readonly string[]
}

// One actor object is built per request (auth plugin), so this memo is the per-request cache.
const memo = new WeakMap<Actor, Scope>()

export function scopeOf(actor: Actor): Scope {
  let scope = memo.get(actor)
  if (scope) return scope
  const paths = (role: RoleKind) =>
    actor.grants.flatMap((g) => (g.role === role && g.unitPath !== null ? [g.unitPath] : []))
  const isStaff = actor.kind === 'staff'
  scope = {
    userId: actor.userId,
    isStaff,
    isAdmin: actor.grants.some((g) => g.role === 'admin'),
    areaId: actor.areaId,
    coverPaths: isStaff ? actor.assignedAreas.map((a) => a.path) : [],
    commandPaths: isStaff ? paths('commander') : [],
    officerUnitPaths: isStaff ? paths('officer') : [],
    moderatorPaths: paths('moderator'),
  }
  memo.set(actor, scope)
  return scope
}

/** True when `path` lies in the subtree of one of `roots` (paths are "/a/b/", so a prefix match). */
export const under = (path: string, roots: readonly string[]) => roots.some((r) => path.startsWith(r))

const scoped = (actor: Actor | null | undefined) => (actor ? scopeOf(actor) : null)

/** Commands a unit whose subtree contains the path. */
export const commandsPath = (actor: Actor | null | undefined, path: string) =>
  under(path, scoped(actor)?.commandPaths ?? [])

/** Is the officer currently assigned to an area on that path (or above it). */
export const coversPath = (actor: Actor | null | undefined, path: string) =>
  under(path, scoped(actor)?.coverPaths ?? [])

/** Holds an officer grant on a unit above the path (the ward's officers). */
export const officerOverPath = (actor: Actor | null | undefined, path: string) =>
  under(path, scoped(actor)?.officerUnitPaths ?? [])

/** Holds a moderator grant on a unit above the path. */
export const moderatesPath = (actor: Actor | null | undefined, path: string) =>
  under(path, scoped(actor)?.moderatorPaths ?? [])

/** Staff over a unit: its area officer, an officer of a unit above, a commander above. */
export const staffOverUnit = (actor: Actor | null | undefined, path: string) =>
  actor?.kind === 'staff' &&
  (coversPath(actor, path) || commandsPath(actor, path) || officerOverPath(actor, path))

/**
 * Works a record of an area: the area's officer, a commander above it, or the record's assignee
 * while they still hold an officer grant over the area. A former officer moved elsewhere loses
 * what stays behind unless a commander hands it to them again (security review F12).
 */
export const worksArea = (
  actor: Actor | null | undefined,
  r: { areaPath: string | null; assigneeId: string | null },
) =>
  actor?.kind === 'staff' &&
  r.areaPath !== null &&
  (coversPath(actor, r.areaPath) ||
    commandsPath(actor, r.areaPath) ||
    (r.assigneeId === actor.userId && officerOverPath(actor, r.areaPath)))
