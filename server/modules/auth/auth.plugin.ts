import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AppError, unauthenticated } from '../../lib/errors'
import { safeEqual } from './auth.crypto'
import './auth.guard'
import { requiresSession } from './openapi-access'
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './session.cookies'
import { csrfTokenFor, resolveSessionCached, sessionLookups } from './session.service'
import { SessionCache } from './session-cache'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

const csrfError = () => new AppError('csrf', 'problem.csrf.detail')

/**
 * Resolves `request.actor` from the session cookie for every module route, and guards
 * cookie-authenticated writes with the double-submit CSRF token. Registered (unencapsulated)
 * before the modules, so every route below sees the hook.
 */
export const authPlugin = fp(
  async (app) => {
    app.decorateRequest('actor', null)
    app.decorateRequest('userId', null)
    app.decorateRequest('sessionCheckedAt', 0)
    // A reconnect storm (every socket upgrades, then catches up over HTTP) must not become a storm
    // of session queries: upgrades and requests resolve through the cache, which drops a session as
    // soon as an access event ends it (see SessionCache).
    const sessionCache = new SessionCache(app.deps.bus)
    const lookups = sessionLookups(app.db)
    app.addHook('onClose', async () => sessionCache.close())

    app.addHook('onRequest', async (request) => {
      // Anonymous routes never look at the cookie: nothing links the request to a session (F13).
      if (request.routeOptions.config.anonymous) return
      await resolveActor(request)
      // What /api/openapi.json promises: an operation not declared public answers 401 to a caller
      // without a session, before its parameters are even read (never 400 or 404).
      if (!request.actor && requiresSession(request.routeOptions.schema)) throw unauthenticated()
    })

    async function resolveActor(request: FastifyRequest) {
      const token = request.cookies[SESSION_COOKIE]
      if (!token) return
      const checkedAt = Date.now()
      const resolved = await resolveSessionCached(sessionCache, lookups, token)
      if (!SAFE_METHODS.has(request.method)) checkCsrf(request, resolved ? resolved.tokenHash : null)
      if (!resolved) return
      if (request.url.startsWith('/ws') && !isSameOriginUpgrade(request)) return
      request.actor = resolved.actor
      request.sessionCheckedAt = checkedAt
      request.userId = resolved.actor.userId
    }

    function checkCsrf(request: FastifyRequest, tokenHash: string | null) {
      const header = request.headers[CSRF_HEADER]
      const cookie = request.cookies[CSRF_COOKIE]
      if (typeof header !== 'string' || !header || !cookie || !safeEqual(header, cookie)) throw csrfError()
      // For a live session the token must also be the one bound to it, so a cookie planted by a
      // sibling subdomain cannot pass.
      if (tokenHash && !safeEqual(header, csrfTokenFor(app.deps.config, tokenHash))) throw csrfError()
    }

    /** In production a WebSocket upgrade from another origin stays anonymous (cross-site WebSocket hijacking). */
    function isSameOriginUpgrade(request: FastifyRequest): boolean {
      if (!app.deps.config.isProduction) return true
      const origin = request.headers.origin
      return !origin || origin === new URL(app.deps.config.PUBLIC_URL).origin
    }
  },
  { name: 'nhipcau-auth' },
)
