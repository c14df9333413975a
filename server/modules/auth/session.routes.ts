import { ZSessionResponse } from '@common/schemas/auth'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { KeyBatcher } from '../../lib/key-batcher'
import { sessionsEnded } from '../../realtime/access-events'
import { publishAfterCommit } from '../../realtime/event-bus'
import { actorFrom, loadActorRows } from './actor.repository'
import { sha256 } from './auth.crypto'
import { presentSessionUser } from './auth.presenter'
import { publicOperation } from './openapi-access'
import { clearSessionCookies, SESSION_COOKIE } from './session.cookies'
import { liveSessionIds, revokeSessionByTokenHash } from './session.repository'

export const sessionRoutes: FastifyPluginAsyncZod = async (app) => {
  // A socket's personal-room events go out only while its session is live. After a change of
  // rights (and every few minutes) a socket's rooms are decided with a fresh actor. The hub asks
  // for thousands at once (its periodic re-check of every socket): those asked together are read
  // in one statement, each from a read that began after it was asked.
  const liveSessions = new KeyBatcher<string, true>(async (ids) => {
    const live = await liveSessionIds(app.db, ids)
    return new Map([...live].map((id) => [id, true as const]))
  })
  const actorRows = new KeyBatcher(async (userIds: string[]) => {
    const rows = await loadActorRows(app.db, userIds)
    return new Map(rows.map((r) => [r.user.id, r]))
  })
  app.hub.setSessionGuard(async (sessionId) => (await liveSessions.load(sessionId)) === true)
  app.hub.setActorLoader(async (userId, sessionId) => {
    const row = await actorRows.load(userId)
    return row ? actorFrom(row.user, sessionId, row) : null
  })

  /** Who is signed in on this browser; `user: null` when nobody is (not an error). */
  app.get(
    '/api/auth/session',
    { schema: { ...publicOperation, tags: ['auth'], response: { 200: ZSessionResponse } } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      return { user: request.actor ? presentSessionUser(request.actor) : null }
    },
  )

  /** Ends this browser's session. Safe to call when already signed out. */
  app.post(
    '/api/auth/sign-out',
    { schema: { ...publicOperation, tags: ['auth'] } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE]
      if (token) {
        const ended = await revokeSessionByTokenHash(app.db, sha256(token))
        // Every instance closes this browser's sockets.
        if (ended.length) await publishAfterCommit(app.deps.bus, sessionsEnded(ended), request.log)
      }
      clearSessionCookies(reply, app.deps.config)
      return reply.status(204).send()
    },
  )
}
