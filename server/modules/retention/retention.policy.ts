import { type AnyColumn, type SQL, sql } from 'drizzle-orm'
import { underAnyPath } from '../../db/unit-path-sql'
import { type Actor, commandsPath, hasRole, isAdmin } from '../../lib/actor'
import { definePolicy } from '../../lib/policy'
import type { Scope } from '../../lib/scope'

/** Retention is configured and watched by administrators only (roles-and-data.md). */
export const retentionPolicy = definePolicy(
  {
    read: (actor) => isAdmin(actor),
    /** Storage used per unit against its quota: administrators (every unit), commanders (their units). */
    readStorage: (actor: Actor | null) => isAdmin(actor) || hasRole(actor, 'commander'),
    /** One unit's line on that page. */
    readUnitStorage: (actor: Actor | null, unit: { path: string }) =>
      isAdmin(actor) || commandsPath(actor, unit.path),
  },
  {
    /** SQL twin of `readUnitStorage`, for the storage list. */
    readUnitStorage: (s: Scope, c: { path: SQL | AnyColumn }): SQL =>
      s.isAdmin ? sql`true` : s.isStaff ? underAnyPath(c.path, s.commandPaths) : sql`false`,
  },
)
