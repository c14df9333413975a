import { randomUUID } from 'node:crypto'
import { defineAuthz, roleSets } from '../../test/authz-types'
import { buildTip } from '../../test/factories/index'

export const authzEntries = defineAuthz([
  {
    method: 'GET',
    route: '/open311/v2/services.json',
    allow: roleSets.everyone,
    note: 'public GeoReport service list',
  },
  {
    method: 'POST',
    route: '/open311/v2/requests.json',
    allow: roleSets.everyone,
    note: 'public: files an anonymous tip',
    request: ({ world }) => ({
      payload: { service_code: 'traffic', description: 'Xe đỗ chắn lối đi', address_id: world.area.id },
      headers: { 'idempotency-key': randomUUID() },
    }),
  },
  {
    method: 'GET',
    route: '/open311/v2/requests.json',
    allow: ['officer', 'officerNeighbour', 'commander', 'commanderNeighbour'],
    note: 'staff only, each in their own scope',
  },
  {
    method: 'GET',
    route: '/open311/v2/requests/:id.json',
    allow: ['officer', 'commander'],
    note: 'staff who work the tip, or (not tried here) the holder of its tip code',
    request: async ({ db, world }) => ({
      url: `/open311/v2/requests/${(await buildTip(db, { area: world.area, assigneeId: world.users.officer.id })).id}.json`,
    }),
  },
])
