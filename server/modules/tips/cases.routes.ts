import {
  ZCaseLinkRequest,
  ZCaseListItem,
  ZCaseListQuery,
  ZCaseNoteRequest,
  ZCaseView,
  ZCreateCaseRequest,
  ZCreateHelpRequest,
  ZHelpRequestView,
  ZLinkTipsRequest,
  ZUpdateCaseRequest,
} from '@common/schemas/cases'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError } from '../../lib/errors'
import { scopeOf } from '../../lib/scope'
import { audit, auditContext } from '../audit/audit.service'
import { requireActor } from '../auth/auth.guard'
import { buildCaseExport } from './case-export.service'
import { caseViewFor, helpRequestView } from './case-view'
import { presentCaseListItem } from './cases.presenter'
import { casesRepository } from './cases.repository'
import { type CasesDeps, casesService } from './cases.service'
import { discardUploads } from './evidence-upload'
import { helpRequestsService } from './help-requests.service'
import { readTipForm } from './tip-form'
import { casesPolicy } from './tips.policy'

const ZParams = z.object({ id: z.uuid() })
const ZEvidenceFields = z.object({
  note: z.string().trim().max(1000).default(''),
  redactsId: z.preprocess((v) => (v === '' ? undefined : v), z.uuid().optional()),
})

/** Cases: list, open (from tips or directly), work, evidence, export, requests for help. Staff only. */
export const casesRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps: CasesDeps = {
    db: app.db,
    storage: app.deps.storage,
    bus: app.deps.bus,
    config: app.deps.config,
  }
  const helpDeps = { db: app.db, storage: app.deps.storage, bus: app.deps.bus, config: app.deps.config }
  const onFinished = (
    c: Parameters<typeof helpRequestsService.closeForCase>[1],
    actor: Parameters<typeof helpRequestsService.closeForCase>[2],
    msg: string | null,
  ) => helpRequestsService.closeForCase(helpDeps, c, actor, msg)

  app.get(
    '/api/cases',
    { schema: { tags: ['cases'], querystring: ZCaseListQuery, response: { 200: z.array(ZCaseListItem) } } },
    async (request) => {
      const actor = requireActor(request)
      casesPolicy.authorize(actor, 'list')
      const { status, open } = request.query
      const rows = await casesRepository.list(app.db, scopeOf(actor), {
        ...(status ? { status } : {}),
        ...(open ? { open: open === 'true' } : {}),
      })
      return rows.map(presentCaseListItem)
    },
  )

  app.post(
    '/api/cases',
    { schema: { tags: ['cases'], body: ZCreateCaseRequest, response: { 201: ZCaseView } } },
    async (request, reply) => {
      const actor = requireActor(request)
      casesPolicy.authorize(actor, 'list')
      const c = await casesService.create(deps, actor, auditContext(request), request.body)
      return reply.status(201).send(await caseViewFor(app.db, actor, c, auditContext(request)))
    },
  )

  app.get(
    '/api/cases/:id',
    { schema: { tags: ['cases'], params: ZParams, response: { 200: ZCaseView } } },
    async (request) => {
      const actor = requireActor(request)
      const c = await casesService.getReadable(app.db, actor, request.params.id)
      return caseViewFor(app.db, actor, c, auditContext(request))
    },
  )

  app.patch(
    '/api/cases/:id',
    { schema: { tags: ['cases'], params: ZParams, body: ZUpdateCaseRequest, response: { 200: ZCaseView } } },
    async (request) => {
      const actor = requireActor(request)
      const c = await casesService.getReadable(app.db, actor, request.params.id)
      const updated = await casesService.update(
        deps,
        actor,
        auditContext(request),
        c,
        request.body,
        onFinished,
      )
      return caseViewFor(app.db, actor, updated, auditContext(request))
    },
  )

  app.post(
    '/api/cases/:id/tips',
    { schema: { tags: ['cases'], params: ZParams, body: ZLinkTipsRequest, response: { 200: ZCaseView } } },
    async (request) => {
      const actor = requireActor(request)
      const c = await casesService.getReadable(app.db, actor, request.params.id)
      const updated = await casesService.linkTips(deps, actor, auditContext(request), c, request.body.tipIds)
      return caseViewFor(app.db, actor, updated, auditContext(request))
    },
  )

  app.post(
    '/api/cases/:id/notes',
    { schema: { tags: ['cases'], params: ZParams, body: ZCaseNoteRequest, response: { 201: ZCaseView } } },
    async (request, reply) => {
      const actor = requireActor(request)
      const c = await casesService.getReadable(app.db, actor, request.params.id)
      await casesService.addNote(deps, actor, c, request.body.body)
      return reply.status(201).send(await caseViewFor(app.db, actor, c, auditContext(request)))
    },
  )

  app.post(
    '/api/cases/:id/links',
    { schema: { tags: ['cases'], params: ZParams, body: ZCaseLinkRequest, response: { 201: ZCaseView } } },
    async (request, reply) => {
      const actor = requireActor(request)
      const c = await casesService.getReadable(app.db, actor, request.params.id)
      await casesService.addLink(deps, actor, c, request.body)
      return reply.status(201).send(await caseViewFor(app.db, actor, c, auditContext(request)))
    },
  )

  /** One file per call (multipart "files"), with an optional note and the id of the evidence it redacts. */
  app.post(
    '/api/cases/:id/evidence',
    { schema: { tags: ['cases'], params: ZParams, response: { 201: ZCaseView } } },
    async (request, reply) => {
      const actor = requireActor(request)
      const c = await casesService.getReadable(app.db, actor, request.params.id)
      casesPolicy.authorize(actor, 'work', c)
      const form = await readTipForm(request, deps.storage)
      const fields = ZEvidenceFields.safeParse(form.fields)
      if (!fields.success || form.uploads.length !== 1) {
        await discardUploads(deps.storage, form.uploads)
        throw new AppError('validation', undefined, {
          fields: [{ field: 'files', code: 'invalid', messageKey: 'cases.one_file' }],
        })
      }
      try {
        await casesService.addEvidence(deps, actor, c, form.uploads[0]!, fields.data)
      } catch (err) {
        await discardUploads(deps.storage, form.uploads)
        throw err
      }
      return reply.status(201).send(await caseViewFor(app.db, actor, c, auditContext(request)))
    },
  )

  app.get(
    '/api/cases/:id/export',
    { schema: { tags: ['cases'], params: ZParams } },
    async (request, reply) => {
      const actor = requireActor(request)
      const c = await casesService.getReadable(app.db, actor, request.params.id)
      casesPolicy.authorize(actor, 'export', c)
      const ctx = auditContext(request)
      const view = await caseViewFor(app.db, actor, c, ctx)
      const evidence = await casesRepository.evidence(app.db, c.id)
      await casesRepository.addEvent(app.db, {
        caseId: c.id,
        actorId: actor.userId,
        type: 'exported',
        data: { files: evidence.length },
      })
      await audit.record(app.db, ctx, {
        action: 'case.export',
        entityType: 'case',
        entityId: c.id,
        unitPath: c.areaPath,
      })
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${view.reference}.zip"`)
        .header('cache-control', 'no-store')
        .send(buildCaseExport(deps.storage, view, evidence))
    },
  )

  app.post(
    '/api/cases/:id/help-requests',
    {
      schema: {
        tags: ['cases'],
        params: ZParams,
        body: ZCreateHelpRequest,
        response: { 201: ZHelpRequestView },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const c = await casesService.getReadable(app.db, actor, request.params.id)
      const h = await helpRequestsService.publish(helpDeps, actor, auditContext(request), c, request.body)
      const view = await helpRequestView(
        app.db,
        actor,
        h,
        { case: c, isAudience: false, isResponder: false, isOpen: true },
        c.number,
        auditContext(request),
      )
      return reply.status(201).send(view)
    },
  )
}
