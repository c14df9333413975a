import { translate } from '@common/i18n/messages'
import { tipCategoryValues, ZTipCodeRequest } from '@common/schemas/tips'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError, invalidField, notFound, unauthenticated } from '../../lib/errors'
import { scopeOf } from '../../lib/scope'
import { optionalActor } from '../auth/auth.guard'
import { publicOperation } from '../auth/openapi-access'
import { AnonymousRateLimiter } from '../tips/anonymous-rate-limit'
import { tipsPolicy } from '../tips/tips.policy'
import { tipsRepository } from '../tips/tips.repository'
import { tipsService } from '../tips/tips.service'
import { isServiceCode, presentRequest, presentService } from './open311.presenter'
import { open311Repository } from './open311.repository'

const ZDate = z.iso.datetime({ offset: true })
const ZListQuery = z.object({
  service_request_id: z
    .string()
    .regex(/^[0-9a-f-]{36}(,[0-9a-f-]{36})*$/i)
    .optional(),
  service_code: z.enum(tipCategoryValues).optional(),
  start_date: ZDate.optional(),
  end_date: ZDate.optional(),
  status: z.enum(['open', 'closed']).optional(),
})
const ZPostBody = z.object({
  service_code: z.string().min(1),
  description: z.string().trim().min(5).max(4000),
  lat: z.coerce.number().min(-90).max(90).optional(),
  long: z.coerce.number().min(-180).max(180).optional(),
  address_string: z.string().trim().max(300).optional(),
  /** The area (residential group) id, for a report without coordinates. */
  address_id: z.uuid().optional(),
})

/** A GeoReport error list: [{ code, description }], in the caller's language. */
function geoReportErrors(
  error: unknown,
  request: FastifyRequest,
): { status: number; body: { code: number; description: string }[] } {
  const t = (key: string, vars?: Record<string, string | number>) => translate(request.locale, key, vars)
  if (error instanceof AppError) {
    const status = error.status
    if (error.options.fields?.length) {
      return {
        status,
        body: error.options.fields.map((f) => ({
          code: status,
          description: `${f.field}: ${f.message ?? t(f.messageKey ?? `field.${f.code}`)}`,
        })),
      }
    }
    return {
      status,
      body: [
        { code: status, description: t(error.messageKey ?? `problem.${error.kind}`, error.options.vars) },
      ],
    }
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    return {
      status: 400,
      body: error.validation.map((v) => ({
        code: 400,
        description: `${(v.instancePath || '/').slice(1) || 'request'}: ${v.message}`,
      })),
    }
  }
  const status = (error as FastifyError).statusCode ?? 500
  return {
    status,
    body: [{ code: status, description: status >= 500 ? t('problem.internal') : (error as Error).message }],
  }
}

/**
 * Open311 GeoReport v2 for tips, so civic tools can file and read them. Filing needs no account and
 * files an anonymous tip (no contact fields are read, none are stored); reading needs a staff
 * session (their scope) or, for one request, its tip code.
 */
export const open311Routes: FastifyPluginAsyncZod = async (app) => {
  const deps = { db: app.db, storage: app.deps.storage, bus: app.deps.bus, config: app.deps.config }
  const limiter = new AnonymousRateLimiter(20, 15 * 60_000)
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  )
  app.setErrorHandler((error, request, reply: FastifyReply) => {
    const { status, body } = geoReportErrors(error, request)
    return reply.status(status).type('application/json; charset=utf-8').send(body)
  })
  const requestView = async (
    request: FastifyRequest,
    tip: Awaited<ReturnType<typeof tipsRepository.get>> & object,
  ) => {
    const d = await open311Repository.details(app.db, tip)
    return presentRequest(tip, { locale: request.locale, publicUrl: app.deps.config.PUBLIC_URL, ...d })
  }

  app.get(
    '/open311/v2/services.json',
    { schema: { ...publicOperation, tags: ['open311'] } },
    async (request) => tipCategoryValues.map((code) => presentService(code, request.locale)),
  )

  app.get(
    '/open311/v2/requests.json',
    { schema: { tags: ['open311'], querystring: ZListQuery } },
    async (request) => {
      const actor = optionalActor(request)
      if (!actor) throw new AppError('unauthenticated', 'open311.unauthenticated')
      tipsPolicy.authorize(actor, 'triage')
      const q = request.query
      const tips = await open311Repository.list(app.db, scopeOf(actor), {
        ...(q.service_request_id ? { ids: q.service_request_id.split(',') } : {}),
        ...(q.service_code ? { serviceCode: q.service_code } : {}),
        ...(q.start_date ? { start: q.start_date } : {}),
        ...(q.end_date ? { end: q.end_date } : {}),
        ...(q.status ? { status: q.status } : {}),
      })
      return Promise.all(tips.map((t) => requestView(request, t)))
    },
  )

  /**
   * One request: staff who may read the tip, or whoever holds its code. The code is a bearer
   * credential: send it in the `X-Tip-Code` header. The `tip_code` query parameter still works for
   * GeoReport clients, but a URL ends up in proxy logs and browser history (the app never logs it).
   */
  app.get(
    '/open311/v2/requests/:id.json',
    {
      logLevel: 'silent',
      schema: {
        tags: ['open311'],
        // A session, or the tip's code: the handler checks either (401 when neither is given).
        security: [{ session: [] }, { tipCodeHeader: [] }, { tipCode: [] }],
        params: z.object({ id: z.uuid() }),
        headers: z.object({ 'x-tip-code': z.string().max(40).optional() }),
        querystring: z.object({
          tip_code: z
            .string()
            .max(40)
            .optional()
            .describe(
              'Deprecated: a URL is kept by proxies and browser history. Send the code in the X-Tip-Code header.',
            ),
        }),
      },
    },
    async (request) => {
      const actor = optionalActor(request)
      // Neither credential: 401 before the id is looked up, so the answer says nothing about it.
      const given = request.headers['x-tip-code'] ?? request.query.tip_code
      if (!actor && given === undefined) throw unauthenticated()
      const tip = await tipsRepository.get(app.db, request.params.id)
      const code = given ? ZTipCodeRequest.safeParse({ code: given }) : undefined
      const byCode = code?.success
        ? await tipsService.byCode(app.db, code.data.code).catch(() => undefined)
        : undefined
      if (!tip) throw notFound()
      if (!(byCode?.id === tip.id || (actor && tipsPolicy.can(actor, 'work', tip)))) {
        throw notFound()
      }
      return [await requestView(request, tip)]
    },
  )

  app.post(
    '/open311/v2/requests.json',
    { logLevel: 'silent', schema: { ...publicOperation, tags: ['open311'], body: ZPostBody } },
    async (request, reply) => {
      if (!limiter.hit(request.ip ?? '')) throw new AppError('rate_limited')
      const b = request.body
      if (!isServiceCode(b.service_code))
        throw invalidField('service_code', 'invalid', 'open311.service_code')
      if ((b.lat === undefined) !== (b.long === undefined) || (b.lat === undefined && !b.address_id)) {
        throw invalidField('lat', 'required', 'open311.location_required')
      }
      const given = request.headers['idempotency-key']
      if (given !== undefined && (typeof given !== 'string' || !/^[A-Za-z0-9_-]{16,100}$/.test(given))) {
        throw invalidField('idempotency-key', 'invalid', 'tips.idempotency_key')
      }
      const key = given ?? crypto.randomUUID()
      const result = await tipsService.submit(deps, {
        fields: {
          category: b.service_code,
          description: b.description,
          lat: b.lat,
          lng: b.long,
          addressText: b.address_string,
          areaId: b.address_id,
          locationSource: b.lat !== undefined ? 'pin' : 'address',
        },
        uploads: [],
        idempotencyKey: key,
        sender: { kind: 'anonymous' },
        channel: 'open311',
      })
      return reply.status(result.created ? 201 : 200).send([
        {
          service_request_id: result.tip.id,
          service_notice: translate(request.locale, 'open311.notice'),
          account_id: null,
          tip_code: result.code,
        },
      ])
    },
  )
}
