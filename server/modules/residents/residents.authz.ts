import { defineAuthz } from '../../test/authz-types'

/** Personal data: the home area's officer and the home ward's commander; not neighbours, not admins. */
export const authzEntries = defineAuthz([
  {
    method: 'GET',
    route: '/api/residents',
    allow: ['officer', 'commander'],
    request: ({ world }) => ({ query: { areaId: world.area.id } }),
  },
  {
    method: 'GET',
    route: '/api/residents/:id',
    allow: ['officer', 'commander'],
    request: ({ world }) => ({ url: `/api/residents/${world.users.resident.id}` }),
  },
])
