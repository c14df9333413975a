import { randomUUID } from 'node:crypto'
import { defineAuthz } from '../../test/authz-types'
import { buildRegisterPerson, buildResidenceReport, citizenIdNumber } from '../../test/factories/index'

/**
 * Residence reports and the register: the reporter their own; the home area's officer and the
 * home ward's commander the rest; never the neighbouring ward, another area's resident or admins.
 * List endpoints let every staff member with areas in, and return only their scope (parity test).
 */
const areaStaff = ['officer', 'commander'] as const
const staffWithAreas = ['officer', 'officerNeighbour', 'commander', 'commanderNeighbour'] as const
const residents = ['resident', 'residentOtherArea', 'moderator'] as const

export const authzEntries = defineAuthz([
  { method: 'GET', route: '/api/movements/capabilities', allow: residents },
  {
    method: 'POST',
    route: '/api/movements/reports',
    allow: residents,
    note: 'a stay at the caller’s own home; staff record in the register instead',
    request: () => ({
      payload: {
        kind: 'stay',
        clientKey: `authz-${randomUUID()}`,
        address: 'Số 3 ngõ 12 phố Huế',
        person: { fullName: 'Lê Thị Hoa', idKind: 'citizen_id', idNumber: citizenIdNumber() },
        relation: 'sibling',
        fromDate: '2026-12-04',
        toDate: '2026-12-06',
      },
    }),
  },
  { method: 'GET', route: '/api/movements/reports/mine', allow: residents },
  { method: 'GET', route: '/api/movements/queue', allow: staffWithAreas },
  {
    method: 'GET',
    route: '/api/movements/reports/:id',
    allow: ['resident', ...areaStaff],
    request: async ({ db, world }) => {
      const r = await buildResidenceReport(db, { area: world.area, reporter: world.users.resident })
      return { url: `/api/movements/reports/${r.id}` }
    },
  },
  {
    method: 'PUT',
    route: '/api/movements/reports/:id',
    allow: ['resident'],
    note: 'only the reporter, only while the officer asks for a correction',
    request: async ({ db, world }) => {
      const r = await buildResidenceReport(db, {
        area: world.area,
        reporter: world.users.resident,
        status: 'needs_correction',
      })
      return {
        url: `/api/movements/reports/${r.id}`,
        payload: {
          kind: 'stay',
          clientKey: r.clientKey,
          address: r.address,
          person: { fullName: 'Trần Văn Khách', idKind: 'citizen_id', idNumber: citizenIdNumber() },
          relation: 'sibling',
          fromDate: '2026-12-01',
          toDate: '2026-12-09',
        },
      }
    },
  },
  {
    method: 'POST',
    route: '/api/movements/reports/:id/review',
    allow: areaStaff,
    request: async ({ db, world }) => {
      const r = await buildResidenceReport(db, { area: world.area, reporter: world.users.resident })
      return { url: `/api/movements/reports/${r.id}/review`, payload: { decision: 'confirm' } }
    },
  },
  { method: 'GET', route: '/api/register/areas', allow: staffWithAreas },
  {
    method: 'GET',
    route: '/api/register/households',
    allow: areaStaff,
    request: ({ world }) => ({ query: { areaId: world.area.id } }),
  },
  {
    method: 'GET',
    route: '/api/register/expiring',
    allow: areaStaff,
    request: ({ world }) => ({ query: { areaId: world.area.id } }),
  },
  {
    method: 'GET',
    route: '/api/register/people/:id',
    allow: areaStaff,
    request: async ({ db, world }) => {
      const p = await buildRegisterPerson(db, { area: world.area, actor: world.users.officer })
      return { url: `/api/register/people/${p.id}` }
    },
  },
  {
    method: 'POST',
    route: '/api/register/people',
    allow: areaStaff,
    request: ({ world }) => ({
      payload: {
        areaId: world.area.id,
        address: 'Số 8 phố Huế',
        person: { fullName: 'Phạm Văn Thường', idKind: 'citizen_id', idNumber: citizenIdNumber() },
        residence: 'permanent',
      },
    }),
  },
])
