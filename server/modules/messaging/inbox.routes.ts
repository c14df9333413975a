import {
  ZCannedReplyView,
  ZConversationView,
  ZInboxQuery,
  ZResidentContext,
  ZTransferRequest,
  ZUpdateConversationRequest,
} from '@common/schemas/messaging'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { auditContext } from '../audit/audit.service'
import { requireActor } from '../auth/auth.guard'
import { cannedRepliesService } from './canned-replies.service'
import { conversationRepository } from './conversation.repository'
import { conversationService } from './conversation.service'
import { inboxService } from './inbox.service'
import { loadReadable, type MessagingDeps } from './message.service'
import { iso } from './messaging.presenter'

const ZIdParams = z.object({ id: z.uuid() })
const tags = ['inbox']

/** The officer's side: the queue, the workflow of a direct conversation, its canned replies, targets. */
export const inboxRoutes: FastifyPluginAsyncZod<{ deps: MessagingDeps }> = async (app, { deps }) => {
  const db = app.db

  app.get(
    '/api/inbox',
    {
      schema: {
        tags,
        summary: "The officer's queue, overdue first; `q` searches with or without diacritics",
        querystring: ZInboxQuery,
        response: { 200: z.object({ conversations: z.array(ZConversationView) }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      return { conversations: await inboxService.list(db, requireActor(request), request.query) }
    },
  )

  app.patch(
    '/api/conversations/:id',
    {
      schema: {
        tags,
        params: ZIdParams,
        body: ZUpdateConversationRequest,
        response: { 200: ZConversationView },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const loaded = await loadReadable(db, actor, request.params.id)
      await conversationService.update(deps, actor, loaded, request.body)
      return conversationService.view(
        db,
        actor,
        (await conversationRepository.load(db, loaded.conversation.id, actor.userId))!,
      )
    },
  )

  app.post(
    '/api/conversations/:id/transfer',
    { schema: { tags, params: ZIdParams, body: ZTransferRequest, response: { 200: ZConversationView } } },
    async (request) => {
      const actor = requireActor(request)
      const loaded = await loadReadable(db, actor, request.params.id)
      await conversationService.transfer(deps, actor, loaded, request.body.toUserId, request.body.note)
      return conversationService.view(
        db,
        actor,
        (await conversationRepository.load(db, loaded.conversation.id, actor.userId))!,
      )
    },
  )

  app.get(
    '/api/conversations/:id/context',
    {
      schema: {
        tags,
        summary: "The resident's details for the side panel (each read is audited)",
        params: ZIdParams,
        response: {
          200: z.object({
            resident: ZResidentContext.nullable(),
            transfers: z.array(
              z.object({
                fromName: z.string().nullable(),
                toName: z.string(),
                note: z.string(),
                at: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const loaded = await loadReadable(db, actor, request.params.id)
      const ctx = await conversationService.residentContext(db, actor, loaded, auditContext(request))
      reply.header('cache-control', 'no-store')
      return {
        resident: ctx.resident,
        transfers: ctx.transfers.map((t) => ({
          fromName: t.from_name,
          toName: t.to_name,
          note: t.note,
          at: iso(t.created_at)!,
        })),
      }
    },
  )

  app.get(
    '/api/conversations/:id/canned-replies',
    {
      schema: {
        tags,
        summary:
          "The canned replies for a conversation: its area's shared ones and the officer's own, filled in",
        params: ZIdParams,
        response: { 200: z.array(ZCannedReplyView) },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      return cannedRepliesService.forConversation(db, actor, await loadReadable(db, actor, request.params.id))
    },
  )

  app.get(
    '/api/conversations/:id/colleagues',
    {
      schema: {
        tags,
        params: ZIdParams,
        response: {
          200: z.array(
            z.object({
              id: z.uuid(),
              displayName: z.string(),
              rank: z.string().nullable(),
              title: z.string().nullable(),
            }),
          ),
        },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const rows = await inboxService.colleagues(db, actor, await loadReadable(db, actor, request.params.id))
      return rows.map((r) => ({ id: r.id, displayName: r.display_name, rank: r.rank, title: r.title }))
    },
  )

  app.put(
    '/api/units/:id/messaging-settings',
    {
      schema: {
        tags,
        summary: "Set the unit's first-response target (commanders)",
        params: ZIdParams,
        body: z.object({
          firstResponseTargetMinutes: z
            .number()
            .int()
            .min(5)
            .max(7 * 24 * 60),
        }),
        response: { 200: z.object({ unitId: z.uuid(), firstResponseTargetMinutes: z.number().int() }) },
      },
    },
    async (request) =>
      inboxService.setTarget(
        db,
        requireActor(request),
        request.params.id,
        request.body.firstResponseTargetMinutes,
      ),
  )
}
