import {
  ZChangePassword,
  ZDeletionPreview,
  ZMyArea,
  ZPasswordChanged,
  ZProfile,
  ZSessionList,
  ZUpdateProfile,
} from '@common/schemas/account'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { notFound } from '../../lib/errors'
import { accessChanged, sessionsEnded } from '../../realtime/access-events'
import { publishAfterCommit } from '../../realtime/event-bus'
import { auditContext } from '../audit/audit.service'
import { requireActor } from '../auth/auth.guard'
import { changeStaffPassword } from '../auth/password-change.service'
import { limitedIp, perIpRouteLimit } from '../auth/rate-limits'
import { clearSessionCookies } from '../auth/session.cookies'
import { listLiveUserSessions, revokeUserSession, revokeUserSessionIds } from '../auth/session.repository'
import { accountPolicy } from './account.policy'
import { presentDeletionPreview, presentMyArea, presentProfile, presentSession } from './account.presenter'
import {
  deleteAccount,
  deletionPreview,
  exportAccount,
  getMyArea,
  getProfile,
  updateProfile,
} from './account.service'
import { buildAccountExport } from './account-export.zip'

/** The signed-in user's own account: profile, area and officer, export, deletion, sessions. */
export const accountRoutes: FastifyPluginAsyncZod = async (app) => {
  const noStore = { 'cache-control': 'no-store' }

  app.get(
    '/api/me',
    { schema: { tags: ['account'], response: { 200: ZProfile } } },
    async (request, reply) => {
      const actor = requireActor(request)
      accountPolicy.authorize(actor, 'read')
      const { user, area } = await getProfile(app.db, actor)
      return reply.headers(noStore).send(presentProfile(user, area))
    },
  )

  app.patch(
    '/api/me',
    { schema: { tags: ['account'], body: ZUpdateProfile, response: { 200: ZProfile } } },
    async (request) => {
      const actor = requireActor(request)
      accountPolicy.authorize(actor, 'update')
      const { user, area } = await updateProfile(app.db, actor, request.body)
      // Name, language and area are part of the actor: every instance drops its cached session (the
      // next request sees the change) and, after a move, leaves the old area's rooms.
      await publishAfterCommit(app.deps.bus, accessChanged([actor.userId]), request.log)
      return presentProfile(user, area)
    },
  )

  app.get(
    '/api/me/deletion-preview',
    { schema: { tags: ['account'], response: { 200: ZDeletionPreview } } },
    async (request, reply) => {
      const actor = requireActor(request)
      const retained = await deletionPreview(app.db, actor)
      return reply.headers(noStore).send(presentDeletionPreview(retained, request.locale))
    },
  )

  app.delete('/api/me', { schema: { tags: ['account'] } }, async (request, reply) => {
    const actor = requireActor(request)
    await deleteAccount(app.db, app.deps.storage, actor, auditContext(request))
    await publishAfterCommit(app.deps.bus, sessionsEnded([], [actor.userId]), request.log)
    clearSessionCookies(reply, app.deps.config)
    return reply.status(204).send()
  })

  /** One ZIP: a JSON file per module, the person's own files, and a README explaining each file. */
  app.get('/api/me/export', { schema: { tags: ['account'] } }, async (request, reply) => {
    const actor = requireActor(request)
    const data = await exportAccount(app.db, actor)
    return reply
      .headers(noStore)
      .header('content-type', 'application/zip')
      .header(
        'content-disposition',
        `attachment; filename="nhipcau-my-data-${data.exportedAt.toISOString().slice(0, 10)}.zip"`,
      )
      .send(buildAccountExport(app.deps.storage, data))
  })

  app.get('/api/me/area', { schema: { tags: ['account'], response: { 200: ZMyArea } } }, async (request) => {
    const actor = requireActor(request)
    accountPolicy.authorize(actor, 'read')
    const { area, unit, officers } = await getMyArea(app.db, actor)
    return presentMyArea(area, unit, officers)
  })

  app.get(
    '/api/me/sessions',
    { schema: { tags: ['account'], response: { 200: ZSessionList } } },
    async (request) => {
      const actor = requireActor(request)
      accountPolicy.authorize(actor, 'manageSessions')
      const rows = await listLiveUserSessions(app.db, actor.userId)
      return { items: rows.map((s) => presentSession(s, actor.sessionId)) }
    },
  )

  /** Signs out every other browser; this one stays signed in. */
  app.delete(
    '/api/me/sessions',
    { schema: { tags: ['account'], response: { 200: z.object({ ended: z.number().int() }) } } },
    async (request) => {
      const actor = requireActor(request)
      accountPolicy.authorize(actor, 'manageSessions')
      const ended = await revokeUserSessionIds(app.db, actor.userId, actor.sessionId)
      if (ended.length) await publishAfterCommit(app.deps.bus, sessionsEnded(ended), request.log)
      return { ended: ended.length }
    },
  )

  app.delete(
    '/api/me/sessions/:id',
    { schema: { tags: ['account'], params: z.object({ id: z.uuid() }) } },
    async (request, reply) => {
      const actor = requireActor(request)
      accountPolicy.authorize(actor, 'manageSessions')
      // Another user's session id answers exactly like an unknown one.
      if (!(await revokeUserSession(app.db, actor.userId, request.params.id))) throw notFound()
      await publishAfterCommit(app.deps.bus, sessionsEnded([request.params.id]), request.log)
      if (request.params.id === actor.sessionId) clearSessionCookies(reply, app.deps.config)
      return reply.status(204).send()
    },
  )

  /** Staff change their own password; their other browsers are signed out. */
  app.put(
    '/api/me/password',
    {
      config: perIpRouteLimit(app.deps.config, 20),
      schema: {
        tags: ['account'],
        body: ZChangePassword,
        response: { 200: ZPasswordChanged },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      accountPolicy.authorize(actor, 'changePassword')
      const ip = limitedIp(app.deps.config, request)
      const ended = await changeStaffPassword(app.db, auditContext(request), actor, request.body, ip)
      if (ended.length) await publishAfterCommit(app.deps.bus, sessionsEnded(ended), request.log)
      return { ended: ended.length }
    },
  )
}
