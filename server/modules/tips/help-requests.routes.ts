import { ZHelpRequestView } from '@common/schemas/cases'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError, notFound } from '../../lib/errors'
import { auditContext } from '../audit/audit.service'
import { requireActor } from '../auth/auth.guard'
import { helpRequestView } from './case-view'
import { casesRepository } from './cases.repository'
import { discardUploads } from './evidence-upload'
import { helpRequestsRepository } from './help-requests.repository'
import { helpRequestsService, helpResource } from './help-requests.service'
import { readTipForm } from './tip-form'
import { helpPolicy } from './tips.policy'

const ZParams = z.object({ id: z.uuid() })
const ZAnswerFields = z.object({
  clientKey: z.string().min(8).max(100),
  body: z.string().max(4000).default(''),
})

/** Residents read the requests addressed to them and answer with text and clips. */
export const helpRequestsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = { db: app.db, storage: app.deps.storage, bus: app.deps.bus, config: app.deps.config }

  app.get(
    '/api/help-requests',
    { schema: { tags: ['help'], response: { 200: z.array(ZHelpRequestView) } } },
    async (request) => {
      const actor = requireActor(request)
      helpPolicy.authorize(actor, 'listMine')
      const out = []
      for (const h of await helpRequestsRepository.listForResident(app.db, actor.userId)) {
        const { c, resource } = await helpResource(deps, actor, h)
        // The list shows exactly what the single read would (scope parity).
        if (!helpPolicy.can(actor, 'read', resource)) continue
        out.push(await helpRequestView(app.db, actor, h, resource, c.number, auditContext(request)))
      }
      return out
    },
  )

  app.get(
    '/api/help-requests/:id',
    { schema: { tags: ['help'], params: ZParams, response: { 200: ZHelpRequestView } } },
    async (request) => {
      const actor = requireActor(request)
      const { h, c, resource } = await helpRequestsService.getReadable(deps, actor, request.params.id)
      return helpRequestView(app.db, actor, h, resource, c.number, auditContext(request))
    },
  )

  app.post(
    '/api/help-requests/:id/responses',
    { schema: { tags: ['help'], params: ZParams, response: { 201: ZHelpRequestView } } },
    async (request, reply) => {
      const actor = requireActor(request)
      const { h, c, resource } = await helpRequestsService.getReadable(deps, actor, request.params.id)
      helpPolicy.authorize(actor, 'respond', resource)
      const form = await readTipForm(request, deps.storage)
      const fields = ZAnswerFields.safeParse(form.fields)
      if (!fields.success) {
        await discardUploads(deps.storage, form.uploads)
        throw new AppError('validation', undefined, {
          fields: fields.error.issues.map((i) => ({
            field: i.path.join('.') || 'body',
            code: i.code,
            message: i.message,
          })),
        })
      }
      await helpRequestsService.respond(deps, actor, h, resource, { ...fields.data, uploads: form.uploads })
      return reply
        .status(201)
        .send(await helpRequestView(app.db, actor, h, resource, c.number, auditContext(request)))
    },
  )

  /** The photo shown with the request (an evidence file of the case), for its audience. */
  app.get(
    '/api/help-requests/:id/photo',
    { schema: { tags: ['help'], params: ZParams } },
    async (request, reply) => {
      const actor = requireActor(request)
      const { h } = await helpRequestsService.getReadable(deps, actor, request.params.id)
      const file = h.photoFileId ? await casesRepository.evidenceFile(app.db, h.photoFileId) : undefined
      if (!file) throw notFound()
      return reply
        .header('content-type', file.mime)
        .header('cache-control', 'private, max-age=3600')
        .send(await deps.storage.get(file.thumbKey ?? file.storageKey))
    },
  )
}
