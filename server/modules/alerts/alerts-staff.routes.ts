import {
  ZAlertAnswerList,
  ZAlertCancelRequest,
  ZAlertList,
  ZAlertPhotoView,
  ZAlertRejectRequest,
  ZAlertSettingsView,
  ZAlertUpdateRequest,
  ZAlertView,
  ZComposeOptions,
  ZCreateAlertRequest,
  ZNeighboursView,
  ZPendingApprovalCount,
  ZPutAlertSettingsRequest,
  ZPutNeighboursRequest,
  ZRecipientPreview,
  ZRecipientPreviewRequest,
  ZUpdateDraftRequest,
} from '@common/schemas/alerts'
import fastifyMultipart from '@fastify/multipart'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError, notFound } from '../../lib/errors'
import { scopeOf } from '../../lib/scope'
import { auditContext } from '../audit/audit.service'
import { requireActor } from '../auth/auth.guard'
import { alertLifecycleService } from './alert-lifecycle.service'
import { ALERT_PHOTO_MAX_BYTES, alertPhotosService } from './alert-photos.service'
import { alertSettingsRepository, neighbourRepository } from './alert-scope.service'
import { alertUnitConfigService } from './alert-unit-config.service'
import { alertsPolicy } from './alerts.policy'
import { alertsRepository } from './alerts.repository'
import { type AlertsDeps, alertsService, loadForActor } from './alerts.service'

const tags = ['alerts']
const ZIdParams = z.object({ id: z.uuid() })
const ZUnitParams = z.object({ unitId: z.uuid() })

/** Composing, approving and running alerts: officers and commanders. */
export function alertsStaffRoutes(deps: AlertsDeps): FastifyPluginAsyncZod {
  return async (app) => {
    if (!app.hasRequestDecorator('file'))
      await app.register(fastifyMultipart, {
        limits: { fileSize: ALERT_PHOTO_MAX_BYTES, files: 1, fields: 5 },
      })

    app.post(
      '/api/alerts/preview',
      {
        schema: {
          tags,
          summary: 'Who an alert to this scope would reach',
          body: ZRecipientPreviewRequest,
          response: { 200: ZRecipientPreview },
        },
      },
      async (request) => alertsService.preview(deps, requireActor(request), request.body),
    )

    app.post(
      '/api/alerts',
      {
        schema: {
          tags,
          summary: 'Save a draft alert',
          body: ZCreateAlertRequest,
          response: { 201: ZAlertView },
        },
      },
      async (request, reply) => {
        const actor = requireActor(request)
        return reply
          .status(201)
          .send(await alertsService.createDraft(deps, actor, request.body, auditContext(request)))
      },
    )

    app.patch(
      '/api/alerts/:id',
      {
        schema: {
          tags,
          summary: 'Edit a draft',
          params: ZIdParams,
          body: ZUpdateDraftRequest,
          response: { 200: ZAlertView },
        },
      },
      async (request) =>
        alertsService.updateDraft(
          deps,
          requireActor(request),
          request.params.id,
          request.body,
          auditContext(request),
        ),
    )

    app.post(
      '/api/alerts/:id/submit',
      {
        schema: {
          tags,
          summary: 'Publish a draft, or send it for approval',
          params: ZIdParams,
          response: { 200: ZAlertView },
        },
      },
      async (request) =>
        alertsService.submit(deps, requireActor(request), request.params.id, auditContext(request)),
    )

    app.post(
      '/api/alerts/:id/approve',
      {
        schema: {
          tags,
          summary: 'Approve and publish a wide alert (commander)',
          params: ZIdParams,
          response: { 200: ZAlertView },
        },
      },
      async (request) =>
        alertsService.approve(deps, requireActor(request), request.params.id, auditContext(request)),
    )

    app.post(
      '/api/alerts/:id/reject',
      { schema: { tags, params: ZIdParams, body: ZAlertRejectRequest, response: { 200: ZAlertView } } },
      async (request) =>
        alertsService.reject(
          deps,
          requireActor(request),
          request.params.id,
          request.body.reason,
          auditContext(request),
        ),
    )

    app.post(
      '/api/alerts/:id/updates',
      {
        schema: {
          tags,
          summary: 'CAP Update; with close, the closing update ("reunited")',
          params: ZIdParams,
          body: ZAlertUpdateRequest,
          response: { 200: ZAlertView },
        },
      },
      async (request) =>
        alertLifecycleService.update(
          deps,
          requireActor(request),
          request.params.id,
          request.body,
          auditContext(request),
        ),
    )

    app.post(
      '/api/alerts/:id/cancel',
      {
        schema: {
          tags,
          summary: 'CAP Cancel',
          params: ZIdParams,
          body: ZAlertCancelRequest,
          response: { 200: ZAlertView },
        },
      },
      async (request) =>
        alertLifecycleService.cancel(
          deps,
          requireActor(request),
          request.params.id,
          request.body.note,
          auditContext(request),
        ),
    )

    app.post(
      '/api/alerts/:id/photos',
      {
        schema: {
          tags,
          summary: 'Add a photo (multipart field "file"); EXIF is removed',
          consumes: ['multipart/form-data'],
          params: ZIdParams,
          response: { 201: ZAlertPhotoView },
        },
      },
      async (request, reply) => {
        const actor = requireActor(request)
        const { resource } = await loadForActor(deps.db, actor, request.params.id)
        alertsPolicy.authorize(actor, 'addPhoto', resource)
        const part = request.isMultipart() ? await request.file() : undefined
        if (!part)
          throw new AppError('validation', undefined, {
            fields: [{ field: 'file', code: 'required', messageKey: 'alerts.photo_missing' }],
          })
        let data: Buffer
        try {
          data = await part.toBuffer()
        } catch {
          throw new AppError('payload_too_large', 'alerts.photo_too_large', {
            vars: { mb: ALERT_PHOTO_MAX_BYTES / 1024 / 1024 },
          })
        }
        const description = String(
          (part.fields.description as { value?: unknown } | undefined)?.value ?? '',
        ).slice(0, 200)
        const photo = await alertPhotosService.add(
          deps,
          actor,
          request.params.id,
          data,
          description,
          auditContext(request),
        )
        return reply.status(201).send(photo)
      },
    )

    app.get(
      '/api/alerts/:id/answers',
      {
        schema: {
          tags,
          summary: "Residents' answers (audited)",
          params: ZIdParams,
          response: { 200: ZAlertAnswerList },
        },
      },
      async (request) => ({
        items: await alertLifecycleService.answers(
          deps,
          requireActor(request),
          request.params.id,
          auditContext(request),
        ),
      }),
    )

    app.get(
      '/api/alerts/compose-options',
      {
        schema: {
          tags,
          summary: 'Units the caller issues alerts for, with their areas, neighbours and threshold',
          response: { 200: ZComposeOptions },
        },
      },
      async (request) => {
        const actor = requireActor(request)
        alertsPolicy.authorize(actor, 'listStaff')
        const units = []
        for (const unit of await alertsRepository.issuingUnitsOf(deps.db, scopeOf(actor))) {
          const [areas, neighbours, approvalAbove] = await Promise.all([
            alertsRepository.areasOf(deps.db, unit.path),
            neighbourRepository.effective(deps.db, unit),
            alertSettingsRepository.approvalAbove(deps.db, unit.id),
          ])
          const ref = (u: { id: string; name: string }) => ({ id: u.id, name: u.name })
          units.push({ ...ref(unit), approvalAbove, areas: areas.map(ref), neighbours: neighbours.map(ref) })
        }
        return { units }
      },
    )

    app.get(
      '/api/staff/alerts',
      {
        schema: {
          tags,
          summary: "Alerts of the caller's units, pending approval first",
          querystring: z.object({
            state: z
              .enum(['draft', 'pending_approval', 'active', 'closed', 'cancelled', 'rejected'])
              .optional(),
          }),
          response: { 200: ZAlertList },
        },
      },
      async (request) => {
        const actor = requireActor(request)
        alertsPolicy.authorize(actor, 'listStaff')
        const ids = await alertsRepository.listForStaff(deps.db, scopeOf(actor), {
          state: request.query.state,
          limit: 50,
        })
        // A listed alert the single view refuses is a scope mismatch: fail loudly, never hide it.
        const items = []
        for (const id of ids) items.push(await alertsService.view(deps, actor, id))
        return { items }
      },
    )

    app.get(
      '/api/staff/alerts/pending-approval/count',
      {
        schema: {
          tags,
          summary: 'How many alerts wait for the caller to approve them (the console badge)',
          response: { 200: ZPendingApprovalCount },
        },
      },
      async (request) => {
        const actor = requireActor(request)
        alertsPolicy.authorize(actor, 'countAwaitingApproval')
        return { count: await alertsRepository.countAwaitingApproval(deps.db, scopeOf(actor)) }
      },
    )

    app.get(
      '/api/alerts/units/:unitId/neighbours',
      { schema: { tags, params: ZUnitParams, response: { 200: ZNeighboursView } } },
      async (request) => {
        const actor = requireActor(request)
        const unit = await alertsRepository.unit(deps.db, request.params.unitId)
        if (!unit) throw notFound('alerts.unit_not_found')
        alertsPolicy.authorize(actor, 'readUnitConfig', unit, { hide: true })
        const [configured, derived] = await Promise.all([
          neighbourRepository.configured(deps.db, unit.id),
          neighbourRepository.derived(deps.db, unit),
        ])
        const ref = (u: { id: string; name: string }) => ({ id: u.id, name: u.name })
        return { unitId: unit.id, configured: configured.map(ref), derived: derived.map(ref) }
      },
    )

    app.put(
      '/api/alerts/units/:unitId/neighbours',
      {
        schema: {
          tags,
          summary: "Configure a unit's neighbours (both directions)",
          params: ZUnitParams,
          body: ZPutNeighboursRequest,
          response: { 200: ZNeighboursView },
        },
      },
      async (request) =>
        alertUnitConfigService.putNeighbours(
          deps.db,
          requireActor(request),
          auditContext(request),
          request.params.unitId,
          request.body.neighbourIds,
        ),
    )

    app.get(
      '/api/alerts/units/:unitId/settings',
      { schema: { tags, params: ZUnitParams, response: { 200: ZAlertSettingsView } } },
      async (request) => {
        const actor = requireActor(request)
        const unit = await alertsRepository.unit(deps.db, request.params.unitId)
        if (!unit) throw notFound('alerts.unit_not_found')
        alertsPolicy.authorize(actor, 'readUnitConfig', unit, { hide: true })
        return {
          unitId: unit.id,
          approvalAbove: await alertSettingsRepository.approvalAbove(deps.db, unit.id),
        }
      },
    )

    app.put(
      '/api/alerts/units/:unitId/settings',
      {
        schema: {
          tags,
          summary: 'The widest scope that needs no approval',
          params: ZUnitParams,
          body: ZPutAlertSettingsRequest,
          response: { 200: ZAlertSettingsView },
        },
      },
      async (request) =>
        alertUnitConfigService.putSettings(
          deps.db,
          requireActor(request),
          auditContext(request),
          request.params.unitId,
          request.body.approvalAbove,
        ),
    )
  }
}
