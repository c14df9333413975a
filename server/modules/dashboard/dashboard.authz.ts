import { defineAuthz, roleSets } from '../../test/authz-types'

const month = { from: '2026-11-01', to: '2026-11-30' }

/** The month in review: the home ward's commander (and admins); a neighbouring commander sees nothing. */
export const authzEntries = defineAuthz([
  {
    method: 'GET',
    route: '/api/dashboard/units',
    allow: roleSets.signedIn,
    request: () => ({ url: '/api/dashboard/units' }),
    note: 'the units the caller may open: an empty list for those who command nothing',
  },
  {
    method: 'GET',
    route: '/api/dashboard',
    allow: roleSets.homeManagers,
    request: ({ world }) => ({ url: '/api/dashboard', query: { unitId: world.ward.id, ...month } }),
  },
  {
    method: 'GET',
    route: '/api/dashboard/records',
    allow: ['commander'],
    note: 'the records behind the figures: their commander only (administrators see the figures)',
    request: ({ world }) => ({
      url: '/api/dashboard/records',
      query: { unitId: world.ward.id, figure: 'interactions', ...month },
    }),
  },
  {
    method: 'GET',
    route: '/api/dashboard/report.pdf',
    allow: roleSets.homeManagers,
    request: ({ world }) => ({
      url: '/api/dashboard/report.pdf',
      query: { unitId: world.ward.id, ...month },
    }),
  },
  {
    method: 'GET',
    route: '/api/dashboard/report/:table',
    allow: roleSets.homeManagers,
    request: ({ world }) => ({
      url: '/api/dashboard/report/officers.csv',
      query: { unitId: world.ward.id, ...month },
    }),
  },
])
