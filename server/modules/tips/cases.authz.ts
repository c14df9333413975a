import { randomUUID } from 'node:crypto'
import { type AuthzRequestContext, defineAuthz } from '../../test/authz-types'
import { buildCase, buildHelpRequest, buildTip } from '../../test/factories/index'
import { homeEvidence } from './tips.authz'

/** A case in world.area worked by world.officer. */
const homeCase = ({ db, world }: AuthzRequestContext) =>
  buildCase(db, { area: world.area, createdById: world.users.officer.id, assigneeId: world.users.officer.id })

/** A request for help on a home case, addressed to world.area's residents. */
async function homeHelpRequest(ctx: AuthzRequestContext, withPhoto = false) {
  const caseRow = await homeCase(ctx)
  const photo = withPhoto ? await homeEvidence(ctx, { caseId: caseRow.id }) : undefined
  return buildHelpRequest(ctx.db, {
    caseRow,
    area: ctx.world.area,
    createdById: ctx.world.users.officer.id,
    ...(photo ? { photoFileId: photo.id } : {}),
  })
}

const caseStaff = ['officer', 'commander'] as const
const triageStaff = ['officer', 'officerNeighbour', 'commander', 'commanderNeighbour'] as const
const caseUrl = async (ctx: AuthzRequestContext, tail = '') => `/api/cases/${(await homeCase(ctx)).id}${tail}`

export const authzEntries = defineAuthz([
  { method: 'GET', route: '/api/cases', allow: triageStaff, note: 'each sees only their own scope' },
  { method: 'GET', route: '/api/cases/map', allow: triageStaff, note: 'each sees only their own scope' },
  { method: 'GET', route: '/api/cases/map/settings', allow: triageStaff },
  {
    method: 'POST',
    route: '/api/cases',
    allow: caseStaff,
    request: ({ world }) => ({ payload: { title: 'Vụ việc thử', areaId: world.area.id } }),
  },
  {
    method: 'GET',
    route: '/api/cases/:id',
    allow: caseStaff,
    request: async (ctx) => ({ url: await caseUrl(ctx) }),
  },
  {
    method: 'PATCH',
    route: '/api/cases/:id',
    allow: caseStaff,
    request: async (ctx) => ({ url: await caseUrl(ctx), payload: { priority: 'high' } }),
  },
  {
    method: 'POST',
    route: '/api/cases/:id/tips',
    allow: caseStaff,
    request: async (ctx) => {
      const tip = await buildTip(ctx.db, { area: ctx.world.area, assigneeId: ctx.world.users.officer.id })
      return { url: await caseUrl(ctx, '/tips'), payload: { tipIds: [tip.id] } }
    },
  },
  {
    method: 'POST',
    route: '/api/cases/:id/notes',
    allow: caseStaff,
    request: async (ctx) => ({ url: await caseUrl(ctx, '/notes'), payload: { body: 'Đã liên hệ chủ xe.' } }),
  },
  {
    method: 'POST',
    route: '/api/cases/:id/links',
    allow: caseStaff,
    request: async (ctx) => ({
      url: await caseUrl(ctx, '/links'),
      payload: { kind: 'conversation', targetId: randomUUID() },
    }),
  },
  {
    method: 'POST',
    route: '/api/cases/:id/evidence',
    allow: caseStaff,
    note: 'a JSON body without a file is the 400 of an opened door',
    request: async (ctx) => ({ url: await caseUrl(ctx, '/evidence'), payload: { note: 'x' } }),
  },
  {
    method: 'GET',
    route: '/api/cases/:id/export',
    allow: caseStaff,
    request: async (ctx) => ({ url: await caseUrl(ctx, '/export') }),
  },
  {
    method: 'POST',
    route: '/api/cases/:id/help-requests',
    allow: caseStaff,
    request: async (ctx) => ({
      url: await caseUrl(ctx, '/help-requests'),
      payload: { description: 'Nhờ bà con kiểm tra camera', areaIds: [ctx.world.area.id] },
    }),
  },
  { method: 'GET', route: '/api/help-requests', allow: ['resident', 'residentOtherArea', 'moderator'] },
  {
    method: 'GET',
    route: '/api/help-requests/:id',
    allow: ['resident', 'moderator', ...caseStaff],
    note: 'the audience (residents of the area) and the case staff',
    request: async (ctx) => ({ url: `/api/help-requests/${(await homeHelpRequest(ctx)).id}` }),
  },
  {
    method: 'POST',
    route: '/api/help-requests/:id/responses',
    allow: ['resident', 'moderator'],
    request: async (ctx) => ({
      url: `/api/help-requests/${(await homeHelpRequest(ctx)).id}/responses`,
      payload: { clientKey: randomUUID(), body: 'Nhà tôi có camera hướng ra ngõ.' },
    }),
  },
  {
    method: 'GET',
    route: '/api/help-requests/:id/photo',
    allow: ['resident', 'moderator', ...caseStaff],
    request: async (ctx) => ({ url: `/api/help-requests/${(await homeHelpRequest(ctx, true)).id}/photo` }),
  },
])
