import type { FastifySchema } from 'fastify'
import { CSRF_HEADER, SESSION_COOKIE } from './session.cookies'

/**
 * Who may call an operation, declared once and used twice: in `/api/openapi.json` (so a client
 * can tell public operations from protected ones) and by the auth plugin, which answers 401 to a
 * caller without a session on every operation that is not declared public. A route is protected
 * unless its schema says otherwise:
 *
 * - `...publicOperation` (`security: []`): anyone may call it (health, directory, procedures,
 *   feeds, sign-in steps, anonymous tips…); a session, when sent, may still show more.
 * - its own `security` list: the route checks the alternatives itself (Open311's tip code).
 */
export const publicOperation = { security: [] as Record<string, string[]>[] }

export const securitySchemes = {
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'The session cookie set by a sign-in (httpOnly).',
  },
  csrf: {
    type: 'apiKey',
    in: 'header',
    name: CSRF_HEADER,
    description:
      'Writes with a session: the value of the nhipcau_csrf cookie, copied into this header (double submit).',
  },
  metricsToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'GET /metrics only: the METRICS_TOKEN of the server configuration.',
  },
  tipCodeHeader: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Tip-Code',
    description: 'The code given to whoever sent a tip; it opens that one tip. Prefer this to the query.',
  },
  tipCode: {
    type: 'apiKey',
    in: 'query',
    name: 'tip_code',
    description:
      'The same code in the URL (deprecated: proxies and browser history keep URLs). Use X-Tip-Code.',
  },
} as const

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The requirement of a protected operation: the session, and on writes the CSRF header too. */
export const sessionRequirement = (method: string): Record<string, string[]>[] =>
  SAFE_METHODS.has(method.toUpperCase()) ? [{ session: [] }] : [{ session: [], csrf: [] }]

/** True when a caller without a session must get 401 before anything else runs. */
export const requiresSession = (schema: FastifySchema | undefined): boolean =>
  !(schema as { hide?: boolean } | undefined)?.hide && schema?.security === undefined

type TransformInput = { schema: FastifySchema; url: string; route: { method: string | string[] } }
type Transform<I, O> = (input: I) => O

/** Wraps the zod OpenAPI transform: protected operations get their session requirement. */
export function withAccessRequirements<I extends TransformInput, O extends { schema: FastifySchema }>(
  transform: Transform<I, O>,
): Transform<I, O> {
  return (input) => {
    const out = transform(input)
    if (!requiresSession(input.schema)) return out
    const method = [input.route.method].flat()[0] ?? 'GET'
    return { ...out, schema: { ...out.schema, security: sessionRequirement(method) } }
  }
}
