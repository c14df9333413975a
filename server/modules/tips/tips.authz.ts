import { randomUUID } from 'node:crypto'
import { type AuthzRequestContext, defineAuthz, roleSets } from '../../test/authz-types'
import { buildEvidence, buildTip } from '../../test/factories/index'

const key = () => ({ 'idempotency-key': randomUUID() })

/** A tip sent by world.resident in world.area, routed to world.officer. */
const homeTip = ({ db, world }: AuthzRequestContext) =>
  buildTip(db, { area: world.area, submitterId: world.users.resident.id, assigneeId: world.users.officer.id })

/** A stored photo on a home tip. */
export async function homeEvidence(ctx: AuthzRequestContext, link: { tipId?: string; caseId?: string }) {
  const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9])
  const stored = await ctx.app.deps.storage.put(`evidence/authz/${randomUUID()}.jpg`, bytes)
  return buildEvidence(ctx.db, {
    ...link,
    storageKey: stored.key,
    thumbKey: stored.key,
    sha256: stored.sha256,
    size: stored.size,
  })
}

const tipOwnerAndStaff = ['resident', 'officer', 'commander'] as const

export const authzEntries = defineAuthz([
  {
    method: 'POST',
    route: '/api/tips',
    allow: ['anonymous', ...roleSets.residents],
    note: 'public with a phone + one-time code (400 without one); staff do not send tips',
    request: ({ world }) => ({
      payload: { category: 'theft', description: 'Mất trộm xe đạp trước cổng', areaId: world.area.id },
      headers: key(),
    }),
  },
  {
    method: 'POST',
    route: '/api/tips/anonymous',
    allow: roleSets.everyone,
    note: 'anonymous by design: any session is ignored',
    request: ({ world }) => ({
      payload: { category: 'drugs', description: 'Tụ tập ban đêm ở bãi đất trống', areaId: world.area.id },
      headers: key(),
    }),
  },
  {
    method: 'POST',
    route: '/api/tips/code/lookup',
    allow: roleSets.everyone,
    note: 'whoever holds a tip code; a wrong code is a 400 on the code field',
    request: () => ({ payload: { code: 'AAAA-BBBB-CCCC-DDDD-EEEE' } }),
  },
  {
    method: 'POST',
    route: '/api/tips/code/messages',
    allow: roleSets.everyone,
    request: () => ({
      payload: { code: 'AAAA-BBBB-CCCC-DDDD-EEEE', clientKey: randomUUID(), body: 'Thêm thông tin' },
    }),
  },
  { method: 'GET', route: '/api/tips/mine', allow: roleSets.residents },
  {
    method: 'GET',
    route: '/api/tips/:id',
    allow: tipOwnerAndStaff,
    request: async (ctx) => ({ url: `/api/tips/${(await homeTip(ctx)).id}` }),
  },
  {
    method: 'POST',
    route: '/api/tips/:id/messages',
    allow: tipOwnerAndStaff,
    request: async (ctx) => ({
      url: `/api/tips/${(await homeTip(ctx)).id}/messages`,
      payload: { clientKey: randomUUID(), body: 'Cảm ơn, chúng tôi đang kiểm tra.' },
    }),
  },
  {
    method: 'GET',
    route: '/api/tips',
    allow: ['officer', 'officerNeighbour', 'commander', 'commanderNeighbour'],
    note: 'the triage list; each sees only their own scope',
  },
  {
    method: 'PATCH',
    route: '/api/tips/:id',
    allow: ['officer', 'commander'],
    request: async (ctx) => ({
      url: `/api/tips/${(await homeTip(ctx)).id}`,
      payload: { status: 'in_review' },
    }),
  },
  {
    method: 'POST',
    route: '/api/tips/:id/quarantine',
    allow: ['commander', 'admin'],
    note: 'spam: administrators and commanders of the unit above the area',
    request: async (ctx) => {
      const tip = await homeTip(ctx)
      await homeEvidence(ctx, { tipId: tip.id })
      return { url: `/api/tips/${tip.id}/quarantine`, payload: { reason: 'Tin rác lặp lại' } }
    },
  },
  {
    method: 'GET',
    route: '/api/evidence/:id',
    allow: tipOwnerAndStaff,
    request: async (ctx) => ({
      url: `/api/evidence/${(await homeEvidence(ctx, { tipId: (await homeTip(ctx)).id })).id}`,
    }),
  },
  {
    method: 'GET',
    route: '/api/evidence/:id/thumb',
    allow: tipOwnerAndStaff,
    request: async (ctx) => ({
      url: `/api/evidence/${(await homeEvidence(ctx, { tipId: (await homeTip(ctx)).id })).id}/thumb`,
    }),
  },
])
