import type { FastifyRequest } from 'fastify'
import type { Actor } from '../../lib/actor'
import { unauthenticated } from '../../lib/errors'

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, resolved from the session cookie by the auth plugin; null when signed out. */
    actor: Actor | null
    /** The signed-in user's id (the WebSocket route joins `user:<id>` with it); null when signed out. */
    userId: string | null
    /** Date.now() when the session was found live (the WebSocket route closes a socket ended since). */
    sessionCheckedAt: number
  }
  interface FastifyContextConfig {
    /**
     * A route for people without an account (an anonymous tip and its code): the session cookie is
     * never read, so a signed-in browser leaves no trace of its session there (no last-seen touch).
     */
    anonymous?: boolean
  }
}

/** The signed-in actor, or a 401 problem. Call first in every route that needs a user. */
export function requireActor(request: FastifyRequest): Actor {
  const actor = request.actor
  if (!actor) throw unauthenticated()
  return actor
}

/** The actor when there is one (public routes that show more to signed-in users). */
export const optionalActor = (request: FastifyRequest): Actor | null => request.actor ?? null

/** Where a request came from, for the audit log and session lists. */
export const requestOrigin = (request: FastifyRequest) => ({
  ip: request.ip ?? null,
  userAgent: (request.headers['user-agent'] ?? '').slice(0, 400) || null,
})
