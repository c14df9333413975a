import {
  attachmentKindValues,
  ZConversationView,
  ZMessagePage,
  ZMessageView,
  ZOfficerCard,
  ZReadRequest,
  ZSendMessageRequest,
  ZSyncResponse,
} from '@common/schemas/messaging'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError } from '../../lib/errors'
import { audit, auditContext } from '../audit/audit.service'
import { requireActor } from '../auth/auth.guard'
import { conversationService } from './conversation.service'
import { fileService, MAX_UPLOAD_BYTES } from './file.service'
import { loadReadable, type MessagingDeps, messageService } from './message.service'
import { fileUrl } from './messaging.presenter'
import { syncService } from './sync.service'

const ZIdParams = z.object({ id: z.uuid() })
const tags = ['messaging']
const ZSendResponse = z.object({ message: ZMessageView, conversationId: z.uuid() })
const ZAttachmentResponse = z.object({
  fileId: z.uuid(),
  kind: z.enum(attachmentKindValues),
  name: z.string(),
  mime: z.string(),
  size: z.number().int(),
  durationMs: z.number().int().nullable(),
  url: z.string(),
  thumbUrl: z.string().nullable(),
})

/** Conversations and their messages: the resident's /ask, any thread, uploads, files, sync. */
export const conversationsRoutes: FastifyPluginAsyncZod<{ deps: MessagingDeps }> = async (app, { deps }) => {
  const db = app.db

  app.get(
    '/api/ask',
    {
      schema: {
        tags,
        summary: "The resident's conversation with the police of their area, and the officer's card",
        response: {
          200: z.object({
            areaName: z.string(),
            officer: ZOfficerCard.nullable(),
            conversation: ZConversationView.nullable(),
          }),
        },
      },
    },
    async (request) => conversationService.askPage(db, requireActor(request)),
  )

  app.post(
    '/api/ask',
    {
      schema: {
        tags,
        summary: "Opens the resident's conversation with the police of their area (before a first photo)",
        response: { 200: z.object({ conversationId: z.uuid() }) },
      },
    },
    async (request) => ({
      conversationId: (await conversationService.ensureMine(db, requireActor(request))).id,
    }),
  )

  app.post(
    '/api/ask/messages',
    { schema: { tags, body: ZSendMessageRequest, response: { 200: ZSendResponse, 201: ZSendResponse } } },
    async (request, reply) => {
      const actor = requireActor(request)
      const c = await conversationService.ensureMine(db, actor)
      const loaded = await loadReadable(db, actor, c.id)
      const { message, created } = await messageService.send(deps, actor, loaded, request.body)
      return reply.status(created ? 201 : 200).send({ message, conversationId: c.id })
    },
  )

  app.get(
    '/api/conversations/:id',
    { schema: { tags, params: ZIdParams, response: { 200: ZConversationView } } },
    async (request) => {
      const actor = requireActor(request)
      return conversationService.view(db, actor, await loadReadable(db, actor, request.params.id))
    },
  )

  app.get(
    '/api/conversations/:id/messages',
    {
      schema: {
        tags,
        params: ZIdParams,
        querystring: z.object({
          beforeSeq: z.coerce.number().int().min(1).max(2_000_000_000).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: ZMessagePage.extend({ pinned: z.array(ZMessageView) }) },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const loaded = await loadReadable(db, actor, request.params.id)
      const page = await conversationService.messages(db, actor, loaded, request.query)
      const c = loaded.conversation
      // A resident's own words read by staff: on record (once per session and hour).
      if (actor.kind === 'staff' && c.kind === 'direct' && c.residentId)
        await audit.recordRead(db, auditContext(request), {
          action: 'conversation.read',
          entityType: 'conversation',
          entityId: c.id,
          unitId: c.areaId,
          unitPath: c.areaPath,
          details: { subjectUserIds: [c.residentId] },
        })
      return page
    },
  )

  app.post(
    '/api/conversations/:id/messages',
    {
      schema: {
        tags,
        summary:
          'Send a message; a retry with the same clientKey returns the stored message (200) instead of a new one (201)',
        params: ZIdParams,
        body: ZSendMessageRequest,
        response: { 200: ZSendResponse, 201: ZSendResponse },
      },
    },
    async (request, reply) => {
      const { message, created } = await messageService.sendTo(
        deps,
        requireActor(request),
        request.params.id,
        request.body,
      )
      return reply.status(created ? 201 : 200).send({ message, conversationId: request.params.id })
    },
  )

  app.put(
    '/api/conversations/:id/mute',
    {
      schema: {
        tags,
        summary:
          'Mute or unmute notifications of a direct conversation for oneself (groups: /api/groups/:id/membership)',
        params: ZIdParams,
        body: z.object({ muted: z.boolean() }),
        response: { 200: z.object({ notificationsMuted: z.boolean() }) },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const loaded = await loadReadable(db, actor, request.params.id)
      return conversationService.setMuted(db, actor, loaded, request.body.muted)
    },
  )

  app.post(
    '/api/conversations/:id/read',
    {
      schema: {
        tags,
        params: ZIdParams,
        body: ZReadRequest,
        response: { 200: z.object({ lastReadSeq: z.number().int(), lastDeliveredSeq: z.number().int() }) },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const loaded = await loadReadable(db, actor, request.params.id)
      const row = await messageService.markRead(
        deps,
        actor,
        loaded,
        request.body.readSeq,
        request.body.deliveredSeq,
      )
      return { lastReadSeq: row.lastReadSeq, lastDeliveredSeq: row.lastDeliveredSeq }
    },
  )

  app.post(
    '/api/conversations/:id/attachments',
    {
      schema: {
        tags,
        summary:
          'Upload a photo, a PDF or a voice message (Opus in WebM/Ogg, ≤ 2 min) (multipart field "file"); attach it by id when sending',
        consumes: ['multipart/form-data'],
        params: ZIdParams,
        response: { 201: ZAttachmentResponse },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const loaded = await loadReadable(db, actor, request.params.id)
      if (!request.isMultipart()) throw new AppError('unsupported_media_type', 'messaging.file_missing')
      const part = await request.file()
      if (!part)
        throw new AppError('validation', undefined, {
          fields: [{ field: 'file', code: 'required', messageKey: 'messaging.file_missing' }],
        })
      let data: Buffer
      try {
        data = await part.toBuffer()
      } catch {
        throw new AppError('payload_too_large', 'messaging.file_too_large', {
          vars: { mb: MAX_UPLOAD_BYTES / 1024 / 1024 },
        })
      }
      const file = await fileService.upload(
        { db, storage: app.deps.storage, config: app.deps.config },
        actor,
        loaded,
        {
          filename: part.filename,
          data,
        },
      )
      return reply.status(201).send({
        fileId: file.id,
        kind: file.kind,
        name: file.name,
        mime: file.mime,
        size: file.size,
        durationMs: file.durationMs,
        url: fileUrl(file.id),
        thumbUrl: file.thumbKey ? fileUrl(file.id, 'thumb') : null,
      })
    },
  )

  app.get(
    '/api/files/:id',
    {
      schema: {
        tags,
        params: ZIdParams,
        querystring: z.object({ variant: z.enum(['display', 'thumb']).default('display') }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const { file, stream } = await fileService.open(
        { db, storage: app.deps.storage },
        actor,
        request.params.id,
        request.query.variant,
      )
      // Photos and voice messages are shown and played in the page; other files are downloaded.
      const disposition = file.kind === 'file' ? 'attachment' : 'inline'
      return reply
        .header('content-type', file.mime)
        .header('cache-control', 'private, max-age=86400')
        .header('content-disposition', `${disposition}; filename*=UTF-8''${encodeURIComponent(file.name)}`)
        .send(stream)
    },
  )

  app.get(
    '/api/sync',
    {
      schema: {
        tags,
        summary:
          'Everything readable written or changed after the cursor, in order; without `after`, the current cursor',
        querystring: z.object({
          after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(500),
        }),
        response: { 200: ZSyncResponse },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      reply.header('cache-control', 'no-store')
      if (request.query.after === undefined)
        return { messages: [], cursor: await syncService.cursor(db), hasMore: false }
      return syncService.since(db, actor, request.query.after, request.query.limit)
    },
  )
}
