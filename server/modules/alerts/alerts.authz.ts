import { randomUUID } from 'node:crypto'
import { signInAs } from '../../test/auth-helpers'
import { type AuthzRequestContext, defineAuthz, roleSets } from '../../test/authz-types'
import { alertSettingsRepository } from './alert-scope.service'
import { alertsRepository } from './alerts.repository'

const alertBody = (
  ctx: AuthzRequestContext,
  scope: Record<string, unknown>,
  over: Record<string, unknown> = {},
) => ({
  kind: 'found_person',
  headline: 'Tìm người thân cho cụ bà khoảng 80 tuổi',
  description: 'Cụ đang ở trụ sở Công an phường.',
  issuingUnitId: ctx.world.ward.id,
  scope,
  ...over,
})

/** A fresh alert of the home ward, written by its officer through the API, in the state asked for. */
async function alertIn(
  ctx: AuthzRequestContext,
  state: 'draft' | 'pending' | 'active',
  over: Record<string, unknown> = {},
) {
  const { headers } = await signInAs(ctx.app, ctx.world.users.officer)
  // Pending: the ward's threshold is "areas only", so a whole-ward alert waits for the commander.
  if (state === 'pending')
    await alertSettingsRepository.put(ctx.db, ctx.world.ward.id, 'areas', ctx.world.users.commander.id)
  const scope =
    state === 'pending'
      ? { kind: 'unit' }
      : { kind: 'areas', unitIds: [ctx.world.area.id, ctx.world.otherArea.id] }
  const draft = await ctx.app.inject({
    method: 'POST',
    url: '/api/alerts',
    headers,
    payload: alertBody(ctx, scope, over),
  })
  const id = draft.json().id as string
  if (state !== 'draft') await ctx.app.inject({ method: 'POST', url: `/api/alerts/${id}/submit`, headers })
  return id
}

const withAlert =
  (state: 'draft' | 'pending' | 'active', suffix = '', body?: unknown, over: Record<string, unknown> = {}) =>
  async (ctx: AuthzRequestContext) => ({
    url: `/api/alerts/${await alertIn(ctx, state, over)}${suffix}`,
    ...(body === undefined ? {} : { payload: body }),
  })

/** A published public alert with one stored photo (the bytes need not be a real photo to test the door). */
async function photoUrl(ctx: AuthzRequestContext) {
  const id = await alertIn(ctx, 'active')
  const photoId = randomUUID()
  const stored = await ctx.app.deps.storage.put(`alerts/${id}/${photoId}.jpg`, Buffer.from('jpeg'))
  await alertsRepository.insertPhoto(ctx.db, {
    id: photoId,
    alertId: id,
    storageKey: stored.key,
    thumbKey: stored.key,
    mime: 'image/jpeg',
    size: stored.size,
    sha256: stored.sha256,
    width: 1,
    height: 1,
  })
  return { url: `/api/alerts/${id}/photos/${photoId}` }
}

const wardStaff = ['officer', 'commander'] as const
const homeResidents = ['resident', 'residentOtherArea', 'moderator'] as const

/**
 * Alerts: the home ward's officer and commander compose and run them (the commander approves wide
 * ones); a neighbouring ward's staff may not write for the home ward; residents in scope receive,
 * answer and confirm; the public reads what is published as Public.
 */
export const authzEntries = defineAuthz([
  {
    method: 'POST',
    route: '/api/alerts/preview',
    allow: wardStaff,
    request: (ctx) => ({ payload: { issuingUnitId: ctx.world.ward.id, scope: { kind: 'unit' } } }),
  },
  {
    method: 'POST',
    route: '/api/alerts',
    allow: wardStaff,
    request: (ctx) => ({ payload: alertBody(ctx, { kind: 'unit' }) }),
  },
  {
    method: 'PATCH',
    route: '/api/alerts/:id',
    allow: wardStaff,
    request: withAlert('draft', '', { headline: 'Tiêu đề đã sửa' }),
  },
  {
    method: 'POST',
    route: '/api/alerts/:id/submit',
    allow: wardStaff,
    request: withAlert('draft', '/submit'),
  },
  {
    method: 'POST',
    route: '/api/alerts/:id/approve',
    allow: ['commander'],
    request: withAlert('pending', '/approve'),
  },
  {
    method: 'POST',
    route: '/api/alerts/:id/reject',
    allow: ['commander'],
    request: withAlert('pending', '/reject', { reason: 'Cần che mặt trong ảnh' }),
  },
  {
    method: 'POST',
    route: '/api/alerts/:id/updates',
    allow: wardStaff,
    request: withAlert('active', '/updates', { close: { outcome: 'Đã đoàn tụ gia đình' } }),
  },
  {
    method: 'POST',
    route: '/api/alerts/:id/cancel',
    allow: wardStaff,
    request: withAlert('active', '/cancel', { note: 'Đăng nhầm' }),
  },
  {
    method: 'POST',
    route: '/api/alerts/:id/photos',
    allow: wardStaff,
    note: 'no file sent: the allowed get 400 naming the field',
    request: withAlert('draft', '/photos'),
  },
  {
    method: 'GET',
    route: '/api/alerts/:id/answers',
    allow: wardStaff,
    request: withAlert('active', '/answers'),
  },
  {
    method: 'GET',
    route: '/api/alerts/compose-options',
    allow: ['officer', 'officerNeighbour', 'commander', 'commanderNeighbour'],
    note: 'each sees their own units',
  },
  {
    method: 'GET',
    route: '/api/staff/alerts',
    allow: ['officer', 'officerNeighbour', 'commander', 'commanderNeighbour'],
    note: 'each sees the alerts of their own units',
  },
  {
    method: 'GET',
    route: '/api/staff/alerts/pending-approval/count',
    allow: roleSets.staff,
    note: "each gets the count of their own approvals (0 for an officer or an administrator): the console's badge",
  },
  {
    method: 'GET',
    route: '/api/alerts/units/:unitId/neighbours',
    allow: ['officer', 'commander', 'admin'],
    request: (ctx) => ({ url: `/api/alerts/units/${ctx.world.ward.id}/neighbours` }),
  },
  {
    method: 'PUT',
    route: '/api/alerts/units/:unitId/neighbours',
    allow: roleSets.homeManagers,
    request: (ctx) => ({
      url: `/api/alerts/units/${ctx.world.ward.id}/neighbours`,
      payload: { neighbourIds: [ctx.world.neighbourWard.id] },
    }),
  },
  {
    method: 'GET',
    route: '/api/alerts/units/:unitId/settings',
    allow: ['officer', 'commander', 'admin'],
    request: (ctx) => ({ url: `/api/alerts/units/${ctx.world.ward.id}/settings` }),
  },
  {
    method: 'PUT',
    route: '/api/alerts/units/:unitId/settings',
    allow: roleSets.homeManagers,
    request: (ctx) => ({
      url: `/api/alerts/units/${ctx.world.ward.id}/settings`,
      payload: { approvalAbove: 'unit' },
    }),
  },
  {
    method: 'GET',
    route: '/api/alerts',
    allow: roleSets.everyone,
    note: 'residents: their own; others: public alerts',
  },
  { method: 'GET', route: '/api/alerts/:id', allow: roleSets.everyone, request: withAlert('active') },
  {
    method: 'POST',
    route: '/api/alerts/:id/receipt',
    allow: homeResidents,
    request: withAlert('active', '/receipt', { state: 'read' }),
  },
  {
    method: 'POST',
    route: '/api/alerts/receipts',
    allow: roleSets.signedIn,
    note: 'records only the receipts of alerts the caller received; the others are left out of `recorded`',
    request: async (ctx) => ({
      url: '/api/alerts/receipts',
      payload: { receipts: [{ alertId: await alertIn(ctx, 'active'), state: 'delivered' }] },
    }),
  },
  {
    method: 'POST',
    route: '/api/alerts/:id/share',
    allow: roleSets.everyone,
    request: withAlert('active', '/share'),
  },
  {
    method: 'POST',
    route: '/api/alerts/:id/answers',
    allow: homeResidents,
    note: 'any signed-in resident may answer a public alert; staff do not answer',
    request: withAlert('active', '/answers', { body: 'Tôi biết cụ, cụ ở phố Lò Đúc.' }),
  },
  {
    method: 'GET',
    route: '/api/alerts/:id/cap.xml',
    allow: roleSets.everyone,
    request: withAlert('active', '/cap.xml'),
  },
  { method: 'GET', route: '/api/alerts/:id/photos/:photoId', allow: roleSets.everyone, request: photoUrl },
  {
    method: 'GET',
    route: '/alerts/:id/share',
    allow: roleSets.everyone,
    request: async (ctx) => ({ url: `/alerts/${await alertIn(ctx, 'active')}/share` }),
  },
  {
    method: 'GET',
    route: '/feeds/units/:slug/alerts.atom',
    allow: roleSets.everyone,
    request: (ctx) => ({ url: `/feeds/units/${ctx.world.ward.slug}/alerts.atom` }),
  },
  {
    method: 'GET',
    route: '/feeds/provinces/:slug/alerts.atom',
    allow: roleSets.everyone,
    request: (ctx) => ({ url: `/feeds/provinces/${ctx.world.province.slug}/alerts.atom` }),
  },
])
