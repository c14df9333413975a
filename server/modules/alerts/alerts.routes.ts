import {
  ZAlertAnswerRequest,
  ZAlertList,
  ZAlertReceiptRequest,
  ZAlertReceiptsRequest,
  ZAlertReceiptsResult,
  ZAlertView,
} from '@common/schemas/alerts'
import { ZText } from '@common/schemas/text'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { notFound } from '../../lib/errors'
import { optionalActor, requireActor } from '../auth/auth.guard'
import { publicOperation } from '../auth/openapi-access'
import { alertLifecycleService } from './alert-lifecycle.service'
import { alertPhotosService } from './alert-photos.service'
import { capInput } from './alert-versions'
import { alertsPolicy } from './alerts.policy'
import { alertsRepository } from './alerts.repository'
import { type AlertsDeps, alertsService, loadForActor } from './alerts.service'
import { CAP_CONTENT_TYPE, capDocument } from './cap-xml'

const tags = ['alerts']
const ZIdParams = z.object({ id: z.uuid() })

/** What residents and the public call: lists, the alert, receipts, shares, answers, CAP, photos. */
export function alertsRoutes(deps: AlertsDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/alerts',
      {
        schema: {
          ...publicOperation,
          tags,
          summary: "A resident's alerts (live first); signed out: public live alerts, optionally of one unit",
          querystring: z.object({ unit: ZText.max(120).optional() }),
          response: { 200: ZAlertList },
        },
      },
      async (request) => {
        const actor = optionalActor(request)
        let ids: string[]
        if (actor?.kind === 'resident') ids = await alertsService.listForResident(deps, actor.userId, 30)
        else {
          const unit = request.query.unit
            ? await alertsRepository.unitBySlug(deps.db, request.query.unit)
            : undefined
          if (request.query.unit && !unit) throw notFound('alerts.unit_not_found')
          ids = await alertsRepository.listPublic(deps.db, { unitPath: unit?.path, limit: 30 })
        }
        const items = []
        for (const id of ids) items.push(await alertsService.view(deps, actor, id))
        return { items }
      },
    )

    app.get(
      '/api/alerts/:id',
      { schema: { ...publicOperation, tags, params: ZIdParams, response: { 200: ZAlertView } } },
      async (request) => alertsService.view(deps, optionalActor(request), request.params.id),
    )

    app.post(
      '/api/alerts/:id/receipt',
      {
        schema: {
          tags,
          summary: "The resident's device has the alert (delivered) or the resident opened it (read)",
          params: ZIdParams,
          body: ZAlertReceiptRequest,
          response: { 200: z.object({ ok: z.literal(true) }) },
        },
      },
      async (request) => {
        await alertLifecycleService.receipt(
          deps,
          requireActor(request),
          request.params.id,
          request.body.state,
        )
        return { ok: true as const }
      },
    )

    app.post(
      '/api/alerts/receipts',
      {
        schema: {
          tags,
          summary:
            "Several receipts of one device in one request (alerts that are not the caller's are left out)",
          body: ZAlertReceiptsRequest,
          response: { 200: ZAlertReceiptsResult },
        },
      },
      async (request) => ({
        recorded: await alertLifecycleService.receipts(deps, requireActor(request), request.body.receipts),
      }),
    )

    app.post(
      '/api/alerts/:id/share',
      {
        config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
        schema: {
          ...publicOperation,
          tags,
          summary: 'Count a share of the alert',
          params: ZIdParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await alertLifecycleService.share(deps, optionalActor(request), request.params.id)
        return reply.status(204).send(null)
      },
    )

    app.post(
      '/api/alerts/:id/answers',
      {
        config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: 'A resident answers ("I have seen this person"); it becomes a tip for the issuing officer',
          params: ZIdParams,
          body: ZAlertAnswerRequest,
          response: { 201: z.object({ id: z.uuid(), tipId: z.uuid().nullable(), createdAt: z.string() }) },
        },
      },
      async (request, reply) => {
        const actor = requireActor(request)
        return reply
          .status(201)
          .send(await alertLifecycleService.answer(deps, actor, request.params.id, request.body.body))
      },
    )

    app.get(
      '/api/alerts/:id/cap.xml',
      {
        schema: {
          ...publicOperation,
          tags,
          summary: 'The latest CAP 1.2 message of the alert (application/cap+xml)',
          params: ZIdParams,
        },
      },
      async (request, reply) => {
        const actor = optionalActor(request)
        const { resource } = await loadForActor(deps.db, actor, request.params.id)
        // A draft has no CAP message yet; staff who work it see 404 like everyone else.
        if (!alertsPolicy.can(actor, 'readPublic', resource))
          alertsPolicy.authorize(actor, 'readStaff', resource, { hide: true })
        const messages = await alertsRepository.messages(deps.db, request.params.id)
        const last = messages[messages.length - 1]
        if (!last) throw notFound('alerts.not_published')
        return reply
          .type(`${CAP_CONTENT_TYPE}; charset=utf-8`)
          .header('cache-control', 'public, max-age=60')
          .send(capDocument(capInput(deps.config, request.params.id, last)))
      },
    )

    app.get(
      '/api/alerts/:id/photos/:photoId',
      {
        schema: {
          ...publicOperation,
          tags,
          params: z.object({ id: z.uuid(), photoId: z.uuid() }),
          querystring: z.object({ variant: z.enum(['display', 'thumb']).default('display') }),
        },
      },
      async (request, reply) => {
        const stream = await alertPhotosService.open(
          deps,
          optionalActor(request),
          request.params.id,
          request.params.photoId,
          request.query.variant,
        )
        return reply.type('image/jpeg').header('cache-control', 'private, max-age=300').send(stream)
      },
    )
  }
}
