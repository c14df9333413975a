import { ZEditMessageRequest, ZMessageView, ZReasonRequest } from '@common/schemas/messaging'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError } from '../../lib/errors'
import { requireActor } from '../auth/auth.guard'
import { messageRepository } from './message.repository'
import { loadReadable, type MessagingDeps, messageService } from './message.service'
import { messagingPolicy } from './messaging.policy'

const ZIdParams = z.object({ id: z.uuid() })
const tags = ['messaging']

/** One message: edit or delete one's own, hide and pin (moderators), report, and its edit history. */
export const messagesRoutes: FastifyPluginAsyncZod<{ deps: MessagingDeps }> = async (app, { deps }) => {
  const db = app.db

  app.patch(
    '/api/messages/:id',
    { schema: { tags, params: ZIdParams, body: ZEditMessageRequest, response: { 200: ZMessageView } } },
    async (request) =>
      messageService.change(deps, requireActor(request), request.params.id, {
        action: 'edit',
        body: request.body.body,
      }),
  )

  app.delete(
    '/api/messages/:id',
    { schema: { tags, params: ZIdParams, response: { 200: ZMessageView } } },
    async (request) =>
      messageService.change(deps, requireActor(request), request.params.id, { action: 'delete' }),
  )

  app.post(
    '/api/messages/:id/hide',
    { schema: { tags, params: ZIdParams, body: ZReasonRequest, response: { 200: ZMessageView } } },
    async (request) =>
      messageService.moderate(deps, requireActor(request), request.params.id, {
        action: 'hide',
        reason: request.body.reason,
      }),
  )

  app.post(
    '/api/messages/:id/pin',
    { schema: { tags, params: ZIdParams, response: { 200: ZMessageView } } },
    async (request) =>
      messageService.moderate(deps, requireActor(request), request.params.id, { action: 'pin' }),
  )

  app.delete(
    '/api/messages/:id/pin',
    { schema: { tags, params: ZIdParams, response: { 200: ZMessageView } } },
    async (request) =>
      messageService.moderate(deps, requireActor(request), request.params.id, { action: 'unpin' }),
  )

  app.post(
    '/api/messages/:id/report',
    { schema: { tags, params: ZIdParams, body: ZReasonRequest } },
    async (request, reply) => {
      await messageService.report(deps, requireActor(request), request.params.id, request.body.reason)
      return reply.status(204).send()
    },
  )

  app.get(
    '/api/messages/:id/history',
    {
      schema: {
        tags,
        summary: 'Earlier versions of an edited or deleted message (staff and moderators)',
        params: ZIdParams,
        response: {
          200: z.array(
            z.object({ action: z.enum(['edit', 'delete']), previousBody: z.string(), at: z.string() }),
          ),
        },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const msg = await messageRepository.get(db, request.params.id)
      if (!msg) throw new AppError('not_found', 'messaging.message_not_found')
      const loaded = await loadReadable(db, actor, msg.conversationId)
      if (!messagingPolicy.can(actor, 'work', loaded.resource))
        messagingPolicy.authorize(actor, 'moderate', loaded.resource)
      const rows = await messageRepository.history(db, msg.id)
      return rows.map((r) => ({
        action: r.action,
        previousBody: r.previousBody,
        at: r.createdAt.toISOString(),
      }))
    },
  )
}
