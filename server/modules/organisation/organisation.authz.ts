import { type AuthzEntry, defineAuthz, roleSets } from '../../test/authz-types'
import { assignOfficer, buildArea } from '../../test/factories/index'

/** Staff who may read the home ward: its officer, its commander, administrators. */
const homeReaders = ['officer', 'commander', 'admin'] as const
const ward =
  (path: string): AuthzEntry['request'] =>
  ({ world }) => ({ url: path.replace(':id', world.ward.id) })

/** The organisation module's routes in the authorisation matrix (server/test/authz-types.ts). */
export const authzEntries = defineAuthz([
  {
    method: 'GET',
    route: '/api/hierarchy-levels',
    allow: roleSets.everyone,
    note: 'level names are public configuration',
  },
  {
    method: 'PATCH',
    route: '/api/hierarchy-levels/:key',
    allow: ['admin'],
    request: () => ({
      url: '/api/hierarchy-levels/residential_group',
      payload: { labelEn: 'Residential group' },
    }),
  },
  {
    method: 'GET',
    route: '/api/units',
    allow: roleSets.staff,
    note: 'each sees the units of their own grants',
  },
  { method: 'GET', route: '/api/units/:id', allow: homeReaders, request: ward('/api/units/:id') },
  { method: 'GET', route: '/api/units/:id/areas', allow: homeReaders, request: ward('/api/units/:id/areas') },
  {
    method: 'GET',
    route: '/api/units/:id/officers',
    allow: homeReaders,
    request: ward('/api/units/:id/officers'),
  },
  {
    method: 'POST',
    route: '/api/units/:id/areas',
    allow: roleSets.homeManagers,
    request: ({ world, role }) => ({
      url: `/api/units/${world.ward.id}/areas`,
      payload: { name: `Tổ dân phố thử ${role}` },
    }),
  },
  {
    method: 'GET',
    route: '/api/areas/:id',
    allow: homeReaders,
    request: ({ world }) => ({ url: `/api/areas/${world.area.id}` }),
    note: 'a resident of the area sees the public directory page instead',
  },
  {
    method: 'PATCH',
    route: '/api/areas/:id',
    allow: roleSets.homeManagers,
    request: ({ world }) => ({ url: `/api/areas/${world.area.id}`, payload: { householdCount: 101 } }),
  },
  {
    method: 'POST',
    route: '/api/areas/:id/assignments',
    allow: roleSets.homeManagers,
    request: async ({ db, world }) => {
      const area = await buildArea(db, { parent: world.ward })
      return { url: `/api/areas/${area.id}/assignments`, payload: { officerId: world.users.officer.id } }
    },
  },
  {
    method: 'POST',
    route: '/api/areas/:id/assignments/:assignmentId/end',
    allow: roleSets.homeManagers,
    request: async ({ db, world }) => {
      const area = await buildArea(db, { parent: world.ward })
      const assignment = await assignOfficer(db, world.users.officer.id, area.id)
      return { url: `/api/areas/${area.id}/assignments/${assignment.id}/end`, payload: {} }
    },
  },
  {
    method: 'POST',
    route: '/api/unit-tree/import',
    allow: ['admin'],
    request: ({ world }) => ({
      payload: {
        format: 'csv',
        dryRun: true,
        text: `slug,parent,level,kind,name\nto-thu-quyen,${world.ward.slug},residential_group,residential_group,Tổ thử quyền\n`,
      },
    }),
    note: 'the whole tree: administrators only, as the CLI',
  },
  {
    method: 'GET',
    route: '/api/unit-tree/export',
    allow: ['admin'],
    request: () => ({ url: '/api/unit-tree/export?format=json' }),
  },
  { method: 'GET', route: '/api/directory/units', allow: roleSets.everyone },
  {
    method: 'GET',
    route: '/api/directory/units/:slug',
    allow: roleSets.everyone,
    request: ({ world }) => ({ url: `/api/directory/units/${world.ward.slug}` }),
  },
  {
    method: 'GET',
    route: '/api/directory/areas/:slug',
    allow: roleSets.everyone,
    request: ({ world }) => ({ url: `/api/directory/areas/${world.area.slug}` }),
  },
  {
    method: 'GET',
    route: '/api/directory/search',
    allow: roleSets.everyone,
    request: () => ({ url: '/api/directory/search?q=phuong' }),
  },
  {
    method: 'POST',
    route: '/api/directory/check-phone',
    allow: roleSets.everyone,
    request: () => ({ payload: { phone: '0987 654 321' } }),
    note: 'public and rate-limited per IP',
  },
])
