import { defineAuthz, roleSets } from '../../test/authz-types'

/** Posters: the ward's commander (and admins) print for the ward; the area's officer prints their area. */
export const authzEntries = defineAuthz([
  {
    method: 'GET',
    route: '/q/:code',
    allow: roleSets.everyone,
    request: () => ({ url: '/q/ABCD2345' }),
    note: 'public QR redirect',
  },
  {
    method: 'GET',
    route: '/api/units/:id/posters',
    allow: roleSets.homeManagers,
    request: ({ world }) => ({ url: `/api/units/${world.ward.id}/posters` }),
  },
  {
    method: 'GET',
    route: '/api/units/:id/posters.pdf',
    allow: roleSets.homeManagers,
    request: ({ world }) => ({ url: `/api/units/${world.ward.id}/posters.pdf` }),
  },
  {
    method: 'GET',
    route: '/api/areas/:id/poster',
    allow: ['officer', 'commander', 'admin'],
    request: ({ world }) => ({ url: `/api/areas/${world.area.id}/poster`, query: { format: 'svg' } }),
  },
])
