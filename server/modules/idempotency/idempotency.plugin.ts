import { createHash } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AppError, invalidField } from '../../lib/errors'
import { requiresSession } from '../auth/openapi-access'
import { type IdempotencyScope, idempotencyRepository } from './idempotency.repository'

declare module 'fastify' {
  interface FastifyRequest {
    /** The client key this request claimed; its answer is stored when it succeeds. */
    idempotency: IdempotencyScope | null
  }
}

export const IDEMPOTENCY_HEADER = 'idempotency-key'
const KEY = /^[A-Za-z0-9_-]{8,100}$/
/** How long a repeat waits for the first request of its key to finish before it answers 409. */
const IN_FLIGHT_WAIT_MS = 10_000
const IN_FLIGHT_POLL_MS = 50

const hashOf = (body: unknown) =>
  createHash('sha256')
    .update(JSON.stringify(body ?? null))
    .digest('hex')

/**
 * Idempotent creation for every signed-in POST: a request with an `Idempotency-Key` header claims
 * the key (per user and target URL); its first successful answer is stored for a day and a retry
 * gets it back, byte for byte, with `idempotent-replayed: true`, instead of a second record. The
 * same key with another body is a 409. A repeat that arrives while the first is still running (a
 * double tap) waits for it and gets its answer too, so the user sees one result and no error; only
 * a first request still running after IN_FLIGHT_WAIT_MS makes it a 409 with Retry-After. A failed
 * request (4xx, 5xx) releases the key, and a repeat waiting for it then runs itself.
 *
 * Public operations (anonymous tips, Open311, sign-in steps) keep their own keys: they have no
 * user to scope a stored answer to, and an answer there can hold a secret (a tip code).
 * Multipart bodies are read by the handler, after this hook: their key names the upload.
 */
export const idempotencyPlugin = fp(
  async (app) => {
    app.decorateRequest('idempotency', null)

    app.addHook('preHandler', async (request, reply) => {
      const key = request.headers[IDEMPOTENCY_HEADER]
      if (key === undefined || !applies(request)) return
      if (typeof key !== 'string' || !KEY.test(key))
        throw invalidField(IDEMPOTENCY_HEADER, 'invalid', 'idempotency.key_invalid')
      const scope = {
        userId: request.actor?.userId as string,
        target: `POST ${request.url.split('?')[0]}`,
        key,
      }
      const hash = hashOf(request.body)
      const stored = await claimOrWait(scope, hash)
      if (!stored) {
        request.idempotency = scope
        return
      }
      if (stored.requestHash !== hash)
        throw new AppError('conflict', 'idempotency.key_reused', {
          fields: [{ field: IDEMPOTENCY_HEADER, code: 'reused', messageKey: 'idempotency.key_reused' }],
        })
      if (stored.status === null) {
        reply.header('retry-after', '1')
        throw new AppError('conflict', 'idempotency.in_flight')
      }
      reply.header('idempotent-replayed', 'true').status(stored.status)
      if (stored.contentType) reply.type(stored.contentType)
      return reply.send(stored.body ?? '')
    })

    app.addHook('onSend', async (request, reply, payload) => {
      const scope = request.idempotency
      if (!scope) return payload
      request.idempotency = null
      const storable = payload == null || typeof payload === 'string' || Buffer.isBuffer(payload)
      if (reply.statusCode >= 200 && reply.statusCode < 300 && storable) {
        await idempotencyRepository.complete(app.db, scope, {
          status: reply.statusCode,
          contentType: String(reply.getHeader('content-type') ?? ''),
          body: payload == null ? '' : String(payload),
        })
      } else {
        await idempotencyRepository.release(app.db, scope)
      }
      return payload
    })

    /** Claims the key, or waits while the request holding it runs (it completes or releases it). */
    async function claimOrWait(scope: IdempotencyScope, hash: string) {
      const deadline = Date.now() + IN_FLIGHT_WAIT_MS
      for (;;) {
        const stored = await idempotencyRepository.claim(app.db, scope, hash)
        if (!stored || stored.status !== null || stored.requestHash !== hash || Date.now() >= deadline)
          return stored
        await new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_POLL_MS))
      }
    }

    function applies(request: FastifyRequest) {
      return (
        request.method === 'POST' && request.actor !== null && requiresSession(request.routeOptions.schema)
      )
    }
  },
  { name: 'nhipcau-idempotency', dependencies: ['nhipcau-auth'] },
)
