import { isAdmin } from '../../lib/actor'
import { definePolicy } from '../../lib/policy'

/** The system health page shows paths, sizes and versions: administrators only (roles-and-data.md). */
export const healthPolicy = definePolicy({
  readSystem: (actor) => isAdmin(actor),
})
