import { isAdmin } from '../../lib/actor'
import { definePolicy } from '../../lib/policy'

/** Retention is configured and watched by administrators only (roles-and-data.md). */
export const retentionPolicy = definePolicy({
  read: (actor) => isAdmin(actor),
})
