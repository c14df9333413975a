import type { Socket } from 'node:net'
import { type Locale, pickLocale, translate } from '@common/i18n/messages'
import { type ZodIssueLike, zodIssueMessage } from '@common/i18n/zod-message'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod'
import { DATABASE_RETRY_AFTER_S, isDatabaseUnavailable } from '../db/unavailable'
import { isStorageFull } from '../storage/file-storage'
import { AppError, type FieldError, type ProblemKind, problemTypes, problemTypeUri } from './errors'

interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  instance?: string
  errors?: FieldError[]
  [extra: string]: unknown
}

function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).type('application/problem+json; charset=utf-8').send(problem)
}

function baseProblem(
  kind: ProblemKind,
  locale: Locale,
  request: FastifyRequest,
  detailKey?: string,
): Problem {
  const detail = translate(locale, detailKey ?? `problem.${kind}.detail`)
  return {
    type: problemTypeUri(kind),
    title: translate(locale, `problem.${kind}`),
    status: problemTypes[kind],
    ...(detail.startsWith('problem.') ? {} : { detail }),
    instance: request.url.split('?')[0],
  }
}

/** Field paths like ["items", 0, "name"] become "items.0.name"; a body-level error names "body". */
const fieldName = (path: readonly PropertyKey[], fallback: string) =>
  path.length ? path.map(String).join('.') : fallback

/** Every failure leaves as RFC 9457 problem details, in the caller's language. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, baseProblem('not_found', request.locale, request)),
  )

  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    const locale = request.locale
    if (error instanceof AppError) {
      const problem = baseProblem(error.kind, locale, request, error.messageKey)
      if (error.messageKey) problem.detail = translate(locale, error.messageKey, error.options.vars)
      if (error.options.fields) {
        problem.errors = error.options.fields.map((f) => ({
          field: f.field,
          code: f.code,
          message: f.message ?? translate(locale, f.messageKey ?? `field.${f.code}`),
        }))
      }
      Object.assign(problem, error.options.extra)
      if (error.status >= 500) request.log.error({ err: error }, 'service failure')
      return sendProblem(reply, problem)
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const problem = baseProblem('validation', locale, request)
      const where = (error as { validationContext?: string }).validationContext ?? 'body'
      problem.errors = error.validation.map((v) => {
        // fastify-type-provider-zod 6 spreads the zod issue into params, minus code, message and path.
        const issue = {
          ...(v.params as Record<string, unknown>),
          code: v.keyword,
          message: v.message,
          path: (v.instancePath ?? '').split('/').filter(Boolean),
        } as unknown as ZodIssueLike & { path: PropertyKey[] }
        const message = zodIssueMessage(issue, locale)
        return { field: fieldName(issue.path ?? [], where), code: String(issue.code ?? 'invalid'), message }
      })
      return sendProblem(reply, problem)
    }
    if (isStorageFull(error)) {
      // The files disk is full: nothing was kept (storage removes its temp file); an operator must act.
      request.log.error({ code: (error as { code?: string }).code }, 'files storage full: answered 507')
      return sendProblem(
        reply,
        baseProblem('insufficient_storage', locale, request, 'problem.disk_full.detail'),
      )
    }
    if (isDatabaseUnavailable(error)) {
      // The outage itself is logged once when it starts and once when it ends (app.ts); each refused
      // request only at debug level, or an outage under load would write thousands of lines.
      request.log.debug({ code: (error as { code?: string }).code }, 'database unreachable: answered 503')
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_S))
      return sendProblem(
        reply,
        baseProblem('unavailable', locale, request, 'problem.database_unavailable.detail'),
      )
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema')
      return sendProblem(reply, baseProblem('internal', locale, request))
    }
    const status = (error as FastifyError).statusCode ?? 500
    const kind = kindForStatus(status, (error as FastifyError).code)
    if (status >= 500) request.log.error({ err: error }, 'unexpected error')
    const problem = baseProblem(kind, locale, request)
    if (kind === 'bad_request' && error.message) problem.detail = error.message
    if (kind === 'rate_limited') reply.header('retry-after', reply.getHeader('retry-after') ?? '60')
    return sendProblem(reply, problem)
  })
}

/**
 * Errors Fastify's router raises before any hook runs (a bad percent-encoding, a path segment
 * longer than maxParamLength): the `frameworkErrors` server option, so they are problem+json too.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const locale = pickLocale(request.headers['accept-language'])
  const kind = kindForStatus(error.statusCode ?? 400, error.code)
  return sendProblem(reply, baseProblem(kind, locale, request))
}

const clientErrorStatus: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_URI_TOO_LONG: 414,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
}

/**
 * Requests Node's HTTP parser refuses (headers over 16 kB, a NUL in a header, a broken request
 * line) never reach Fastify: answer them as problem+json on the raw socket, then close it.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  if (!socket.writable) return void socket.destroy(error)
  const status = clientErrorStatus[error.code ?? ''] ?? 400
  const kind: ProblemKind =
    status === 431 ? 'headers_too_large' : status === 414 ? 'uri_too_long' : 'bad_request'
  const body = JSON.stringify({
    type: problemTypeUri(kind),
    title: translate('vi', `problem.${kind}`),
    status,
  })
  const reason =
    status === 431 ? 'Request Header Fields Too Large' : status === 414 ? 'URI Too Long' : 'Bad Request'
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n` +
      `Content-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  )
}

function kindForStatus(status: number, code?: string): ProblemKind {
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'unsupported_media_type'
  if (code === 'FST_ERR_MAX_PARAM_LENGTH' || status === 414) return 'uri_too_long'
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) return 'payload_too_large'
  if (status === 429) return 'rate_limited'
  if (status === 404) return 'not_found'
  if (status === 401) return 'unauthenticated'
  if (status === 403) return 'forbidden'
  if (status === 415) return 'unsupported_media_type'
  if (status >= 400 && status < 500) return 'bad_request'
  if (status === 503) return 'unavailable'
  if (status === 507) return 'insufficient_storage'
  return 'internal'
}
