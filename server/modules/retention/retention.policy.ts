import { type Actor, hasRole, isAdmin } from '../../lib/actor'
import { definePolicy } from '../../lib/policy'

/** Retention is configured and watched by administrators only (roles-and-data.md). */
export const retentionPolicy = definePolicy({
  read: (actor) => isAdmin(actor),
  /** Storage used per unit against its quota: administrators (every unit), commanders (their units). */
  readStorage: (actor: Actor | null) => isAdmin(actor) || hasRole(actor, 'commander'),
})
