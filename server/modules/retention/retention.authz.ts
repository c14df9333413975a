import { defineAuthz } from '../../test/authz-types'

export const authzEntries = defineAuthz([
  { method: 'GET', route: '/api/admin/retention', allow: ['admin'] },
  { method: 'GET', route: '/api/admin/storage', allow: ['commander', 'commanderNeighbour', 'admin'] },
])
