import { type AnyColumn, type SQL, sql } from 'drizzle-orm'
import { underAnyPath } from '../../db/unit-path-sql'
import { commandsPath, hasRole, isAdmin } from '../../lib/actor'
import { definePolicy } from '../../lib/policy'
import type { Scope } from '../../lib/scope'

/** The audit log: administrators read all of it, commanders their subtree, officers their own actions. */
export const auditPolicy = definePolicy(
  {
    list: (actor) => isAdmin(actor) || hasRole(actor, 'commander') || hasRole(actor, 'officer'),
    /** One entry: an administrator, a commander above its unit, or whoever acted. */
    readEntry: (actor, e: { actorId: string | null; unitPath: string | null }) =>
      isAdmin(actor) ||
      (!!actor && e.actorId === actor.userId) ||
      (e.unitPath !== null && commandsPath(actor, e.unitPath)),
    /** IP addresses are for administrators only (roles-and-data.md). */
    readOrigin: (actor) => isAdmin(actor),
  },
  {
    /** The SQL twin of `readEntry`. */
    readEntry: (s: Scope, c: { actorId: SQL | AnyColumn; unitPath: SQL | AnyColumn }) =>
      s.isAdmin
        ? sql`true`
        : sql`(${c.actorId} = ${s.userId} or ${underAnyPath(c.unitPath, s.commandPaths)})`,
  },
)
