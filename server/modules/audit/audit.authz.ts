import { defineAuthz, roleSets } from '../../test/authz-types'

/** Staff may open the log; what each sees (own actions, subtree, all) is tested in audit.routes.test.ts. */
export const authzEntries = defineAuthz([
  { method: 'GET', route: '/api/audit', allow: roleSets.staff },
  { method: 'GET', route: '/api/audit.csv', allow: roleSets.staff },
])
