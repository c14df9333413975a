import { ZMobilePhone } from '@common/schemas/auth'
import {
  ANONYMOUS_MAX_VIDEOS,
  ZAnonymousTipFields,
  ZTipCodeRequest,
  ZTipFields,
  ZTipListItem,
  ZTipReplyRequest,
  ZTipSubmitted,
  ZTipView,
} from '@common/schemas/tips'
import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError, invalidField } from '../../lib/errors'
import { auditContext } from '../audit/audit.service'
import { optionalActor, requestOrigin, requireActor } from '../auth/auth.guard'
import { publicOperation } from '../auth/openapi-access'
import { verifyCode } from '../auth/otp.service'
import { signInBrowser } from '../auth/session.service'
import { AnonymousRateLimiter } from './anonymous-rate-limit'
import { discardUploads } from './evidence-upload'
import { readTipForm, type TipForm } from './tip-form'
import { audienceOf, tipViewFor } from './tip-view'
import { tipsPolicy } from './tips.policy'
import { presentTipListItem } from './tips.presenter'
import { tipsRepository } from './tips.repository'
import { type TipSender, type TipsDeps, tipsService } from './tips.service'
import { uploadQuota } from './upload-quota'

/** Anonymous senders (tips and tip-code follow-ups): clips stripped of metadata, at most two of them. */
const anonymousUpload = { anonymous: true, maxVideos: ANONYMOUS_MAX_VIDEOS }

const ZIdempotencyHeader = z.object({
  'idempotency-key': z.string().regex(/^[A-Za-z0-9_-]{16,100}$/, 'i18n:tips.idempotency_key'),
})
const ZParams = z.object({ id: z.uuid() })

/** Parses the form's text fields with a schema; on failure the stored files go before the 400. */
async function parseFields<T extends z.ZodType>(
  deps: TipsDeps,
  form: TipForm,
  schema: T,
): Promise<z.infer<T>> {
  const parsed = schema.safeParse(form.fields)
  if (parsed.success) return parsed.data
  await discardUploads(deps.storage, form.uploads)
  throw new AppError('validation', undefined, {
    fields: parsed.error.issues.map((i) => ({
      field: i.path.map(String).join('.') || 'body',
      code: i.code,
      ...(i.message.startsWith('i18n:') ? { messageKey: i.message.slice(5) } : { message: i.message }),
    })),
  })
}

/**
 * Residents' tip routes. The anonymous ones log nothing (logLevel silent), ignore any session,
 * and rate-limit on a salted in-memory key: no IP or device detail is kept anywhere.
 */
export const tipsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps: TipsDeps = { db: app.db, storage: app.deps.storage, bus: app.deps.bus, config: app.deps.config }
  const anonymousLimiter = new AnonymousRateLimiter(20, 15 * 60_000)
  const codeLimiter = new AnonymousRateLimiter(60, 15 * 60_000)
  const limit = (limiter: AnonymousRateLimiter, request: FastifyRequest) => {
    if (!limiter.hit(request.ip ?? '')) throw new AppError('rate_limited')
  }
  /** Not logged, and the session cookie is never read (see FastifyContextConfig.anonymous). */
  const anonymousRoute = { logLevel: 'silent' as const, config: { anonymous: true } }

  /** Signed-in residents, or anyone proving a phone with a one-time code (which signs them in). */
  app.post(
    '/api/tips',
    {
      schema: {
        ...publicOperation,
        tags: ['tips'],
        headers: ZIdempotencyHeader,
        response: { 200: ZTipSubmitted, 201: ZTipSubmitted },
      },
    },
    async (request, reply) => {
      let actor = optionalActor(request)
      tipsPolicy.authorize(actor, 'submit')
      const form = await readTipForm(request, deps.storage)
      const fields = await parseFields(deps, form, ZTipFields)
      if (!actor) {
        const phone = ZMobilePhone.safeParse(fields.phone ?? '')
        if (!fields.phone || !fields.otpCode || !phone.success) {
          await discardUploads(deps.storage, form.uploads)
          throw invalidField('phone', 'required', 'tips.phone_or_anonymous')
        }
        try {
          const { user } = await verifyCode(
            app.db,
            app.deps.config,
            phone.data,
            fields.otpCode,
            requestOrigin(request),
          )
          actor = await signInBrowser(request, reply, app.db, user)
        } catch (err) {
          await discardUploads(deps.storage, form.uploads)
          throw err
        }
      }
      const sender: TipSender = { kind: 'resident', userId: actor.userId, areaId: actor.areaId }
      const result = await tipsService.submit(deps, {
        fields,
        uploads: form.uploads,
        idempotencyKey: request.headers['idempotency-key'],
        sender,
        channel: 'web',
      })
      const tip = await tipViewFor(app.db, result.tip, { audience: 'owner', actor })
      return reply.status(result.created ? 201 : 200).send({ tip, created: result.created })
    },
  )

  app.post(
    '/api/tips/anonymous',
    {
      ...anonymousRoute,
      schema: {
        ...publicOperation,
        tags: ['tips'],
        headers: ZIdempotencyHeader,
        response: { 200: ZTipSubmitted, 201: ZTipSubmitted },
      },
    },
    async (request, reply) => {
      limit(anonymousLimiter, request)
      await uploadQuota.assertAnonymousOpen(app.db, deps.config, request.ip ?? '')
      const form = await readTipForm(request, deps.storage, anonymousUpload)
      const fields = await parseFields(deps, form, ZAnonymousTipFields)
      const result = await tipsService.submit(deps, {
        fields: { ...fields, phone: undefined, otpCode: undefined, contactPreference: 'none' },
        uploads: form.uploads,
        idempotencyKey: request.headers['idempotency-key'],
        sender: { kind: 'anonymous' },
        channel: 'web',
        anonymousAddress: request.ip ?? '',
      })
      const tip = await tipViewFor(app.db, result.tip, { audience: 'code' })
      reply.header('cache-control', 'no-store')
      return reply
        .status(result.created ? 201 : 200)
        .send({ tip, tipCode: result.code, created: result.created })
    },
  )

  /** The code travels in the body, never in a URL that a proxy might log. */
  app.post(
    '/api/tips/code/lookup',
    {
      ...anonymousRoute,
      schema: { ...publicOperation, tags: ['tips'], body: ZTipCodeRequest, response: { 200: ZTipView } },
    },
    async (request, reply) => {
      limit(codeLimiter, request)
      const tip = await tipsService.byCode(app.db, request.body.code)
      reply.header('cache-control', 'no-store')
      return tipViewFor(app.db, tip, { audience: 'code' })
    },
  )

  app.post(
    '/api/tips/code/messages',
    { ...anonymousRoute, schema: { ...publicOperation, tags: ['tips'], response: { 201: ZTipView } } },
    async (request, reply) => {
      limit(codeLimiter, request)
      await uploadQuota.assertAnonymousOpen(app.db, deps.config, request.ip ?? '')
      // Whoever holds the code writes without a name: clips lose their metadata as on an anonymous tip.
      const form = await readTipForm(request, deps.storage, anonymousUpload)
      const fields = await parseFields(
        deps,
        form,
        ZTipCodeRequest.extend(ZTipReplyRequest.shape).partial({ body: true }),
      )
      const tip = await tipsService.byCode(app.db, fields.code).catch(async (err) => {
        await discardUploads(deps.storage, form.uploads)
        throw err
      })
      await tipsService.addMessage(
        deps,
        tip,
        { kind: 'tipster' },
        { ...fields, body: fields.body ?? '', uploads: form.uploads, anonymousAddress: request.ip ?? '' },
      )
      reply.header('cache-control', 'no-store')
      return reply
        .status(201)
        .send(await tipViewFor(app.db, (await tipsRepository.get(app.db, tip.id))!, { audience: 'code' }))
    },
  )

  app.get(
    '/api/tips/mine',
    { schema: { tags: ['tips'], response: { 200: z.array(ZTipListItem) } } },
    async (request) => {
      const actor = requireActor(request)
      tipsPolicy.authorize(actor, 'listOwn')
      return (await tipsRepository.listMine(app.db, actor.userId)).map(presentTipListItem)
    },
  )

  app.get(
    '/api/tips/:id',
    { schema: { tags: ['tips'], params: ZParams, response: { 200: ZTipView } } },
    async (request) => {
      const actor = requireActor(request)
      const tip = await tipsService.getReadable(app.db, actor, request.params.id)
      const audience = audienceOf(actor, tip)
      if (audience === 'staff')
        return tipViewFor(app.db, tip, { audience, actor, audit: auditContext(request) })
      // The sender reading their tip has seen the police's updates: the bottom bar's count drops.
      await tipsService.markSeenBySender(app.db, actor, tip)
      return tipViewFor(app.db, tip, { audience, actor })
    },
  )

  /** The tipster adds information (text, photos, clips); staff reply (text). */
  app.post(
    '/api/tips/:id/messages',
    { schema: { tags: ['tips'], params: ZParams, response: { 201: ZTipView } } },
    async (request, reply) => {
      const actor = requireActor(request)
      const tip = await tipsService.getReadable(app.db, actor, request.params.id)
      const audience = audienceOf(actor, tip)
      const form = await readTipForm(request, deps.storage)
      const fields = await parseFields(deps, form, ZTipReplyRequest.partial({ body: true }))
      const author =
        audience === 'staff'
          ? { kind: 'staff' as const, actor, audit: auditContext(request) }
          : { kind: 'tipster' as const }
      await tipsService.addMessage(deps, tip, author, {
        ...fields,
        body: fields.body ?? '',
        uploads: form.uploads,
      })
      const fresh = (await tipsRepository.get(app.db, tip.id))!
      const view =
        audience === 'staff'
          ? await tipViewFor(app.db, fresh, { audience, actor, audit: auditContext(request) })
          : await tipViewFor(app.db, fresh, { audience, actor })
      return reply.status(201).send(view)
    },
  )
}
