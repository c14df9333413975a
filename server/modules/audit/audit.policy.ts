import { hasRole, isAdmin } from '../../lib/actor'
import { definePolicy } from '../../lib/policy'

/** The audit log: administrators read all of it, commanders their subtree, officers their own actions. */
export const auditPolicy = definePolicy({
  list: (actor) => isAdmin(actor) || hasRole(actor, 'commander') || hasRole(actor, 'officer'),
  /** IP addresses are for administrators only (roles-and-data.md). */
  readOrigin: (actor) => isAdmin(actor),
})
