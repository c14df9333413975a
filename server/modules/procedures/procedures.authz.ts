import { type AuthzEntry, defineAuthz, roleSets } from '../../test/authz-types'
import { buildProcedure } from '../../test/factories/index'

const withProcedure =
  (path: string, payload?: unknown): AuthzEntry['request'] =>
  async ({ db }) => ({ url: path.replace(':id', await buildProcedure(db)), ...(payload ? { payload } : {}) })

/** The procedures module's routes in the authorisation matrix (server/test/authz-types.ts). */
export const authzEntries = defineAuthz([
  {
    method: 'GET',
    route: '/api/procedures/search',
    allow: roleSets.everyone,
    request: () => ({ url: '/api/procedures/search', query: { q: 'đăng ký tạm trú' } }),
    note: 'public; rate-limited per IP',
  },
  {
    method: 'GET',
    route: '/api/procedures',
    allow: roleSets.everyone,
    note: 'staff also get the review flag',
  },
  {
    method: 'GET',
    route: '/api/procedures/:id',
    allow: roleSets.everyone,
    request: withProcedure('/api/procedures/:id'),
    note: 'public page; staff also get review state and history flags',
  },
  {
    method: 'PUT',
    route: '/api/procedures/:id',
    allow: ['commander', 'commanderNeighbour', 'admin'],
    request: withProcedure('/api/procedures/:id', { fee: 'Không thu lệ phí' }),
    note: 'the catalogue is shared by all units: any commander or an administrator edits it',
  },
  {
    method: 'GET',
    route: '/api/procedures/:id/versions',
    allow: roleSets.staff,
    request: withProcedure('/api/procedures/:id/versions'),
  },
  {
    method: 'PUT',
    route: '/api/units/:unitId/procedures/:id/notes',
    allow: roleSets.homeManagers,
    request: async ({ db, world }) => ({
      url: `/api/units/${world.ward.id}/procedures/${await buildProcedure(db)}/notes`,
      payload: { room: 'Phòng tiếp dân số 1' },
    }),
    note: 'only the commanders of the unit (or above) and administrators',
  },
])
