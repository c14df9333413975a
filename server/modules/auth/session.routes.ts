import { ZSessionResponse } from '@common/schemas/auth'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { sha256 } from './auth.crypto'
import { presentSessionUser } from './auth.presenter'
import { clearSessionCookies, SESSION_COOKIE } from './session.cookies'
import { revokeSessionByTokenHash } from './session.repository'

export const sessionRoutes: FastifyPluginAsyncZod = async (app) => {
  /** Who is signed in on this browser; `user: null` when nobody is (not an error). */
  app.get(
    '/api/auth/session',
    { schema: { tags: ['auth'], response: { 200: ZSessionResponse } } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      return { user: request.actor ? presentSessionUser(request.actor) : null }
    },
  )

  /** Ends this browser's session. Safe to call when already signed out. */
  app.post('/api/auth/sign-out', { schema: { tags: ['auth'] } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE]
    if (token) await revokeSessionByTokenHash(app.db, sha256(token))
    clearSessionCookies(reply, app.deps.config)
    return reply.status(204).send()
  })
}
