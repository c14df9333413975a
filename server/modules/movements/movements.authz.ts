import { randomUUID } from 'node:crypto'
import type { AuthzRequestContext } from '../../test/authz-types'
import { defineAuthz } from '../../test/authz-types'
import {
  buildGroup,
  buildRegisterPerson,
  buildResidenceReport,
  citizenIdNumber,
} from '../../test/factories/index'
import { multipartBody } from './movements.test-support'

/**
 * Residence reports and the register: the reporter their own; the home area's officer and the
 * home ward's commander the rest; never the neighbouring ward, another area's resident or admins.
 * List endpoints let every staff member with areas in, and return only their scope (parity test).
 */
const areaStaff = ['officer', 'commander'] as const
const staffWithAreas = ['officer', 'officerNeighbour', 'commander', 'commanderNeighbour'] as const
const residents = ['resident', 'residentOtherArea', 'moderator'] as const

/** The home resident runs a guest house: a member of the ward's businesses' group. */
async function asBusiness({ db, world, role }: AuthzRequestContext) {
  if (role === 'resident')
    await buildGroup(db, {
      unit: world.ward,
      owner: world.users.commander,
      members: [world.users.resident],
      kind: 'security_conditional_business',
    })
}
const guestCsv = () =>
  Buffer.from(`Họ và tên,Số CCCD,Ngày đến,Ngày đi\nLê Văn Khách,${citizenIdNumber()},04/12/2026,05/12/2026\n`)

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
  {
    method: 'POST',
    route: '/api/movements/guest-lists',
    allow: ['resident'],
    note: 'members of a security-and-order businesses’ group over the area (the resident, made one here)',
    request: async (ctx) => {
      await asBusiness(ctx)
      return {
        payload: {
          clientKey: `authz-${randomUUID()}`,
          areaId: ctx.world.area.id,
          address: 'Nhà nghỉ Hoa Sen, số 9 phố Huế',
          rows: [
            {
              person: { fullName: 'Lê Văn Khách', idKind: 'citizen_id', idNumber: citizenIdNumber() },
              fromDate: '2026-12-04',
              toDate: '2026-12-05',
            },
          ],
        },
      }
    },
  },
  {
    method: 'POST',
    route: '/api/movements/guest-lists/upload',
    allow: ['resident'],
    note: 'the same, as a CSV or XLSX file',
    request: async (ctx) => {
      await asBusiness(ctx)
      const body = multipartBody(
        { areaId: ctx.world.area.id, address: 'Nhà nghỉ Hoa Sen, số 9 phố Huế' },
        { name: 'khach.csv', type: 'text/csv', data: guestCsv() },
      )
      return { payload: body.payload, headers: body.headers }
    },
  },
  { method: 'GET', route: '/api/register/areas', allow: staffWithAreas },
  { method: 'GET', route: '/api/movements/area-counts', allow: staffWithAreas },
  {
    method: 'GET',
    route: '/api/register/export.csv',
    note: 'one area: its officer and the ward’s commander only',
    allow: areaStaff,
    request: ({ world }) => ({ query: { areaId: world.area.id } }),
  },
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
