import {
  ZCannedRepliesList,
  ZCannedReplyItem,
  ZCreateCannedReplyRequest,
  ZUpdateCannedReplyRequest,
} from '@common/schemas/messaging'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { requireActor } from '../auth/auth.guard'
import { cannedRepliesService } from './canned-replies.service'

const ZIdParams = z.object({ id: z.uuid() })
const tags = ['inbox']

/** Canned replies: the officer's own and those shared with their units (issue 19, point 2). */
export const cannedRepliesRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.db

  app.get(
    '/api/canned-replies',
    {
      schema: {
        tags,
        summary: "The caller's own canned replies and those shared with the units they work in",
        response: { 200: ZCannedRepliesList },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      return cannedRepliesService.list(db, requireActor(request))
    },
  )

  app.post(
    '/api/canned-replies',
    {
      schema: {
        tags,
        summary: 'Write a canned reply: personal, or shared with a unit (its commanders)',
        body: ZCreateCannedReplyRequest,
        response: { 201: ZCannedReplyItem },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await cannedRepliesService.create(db, requireActor(request), request.body)),
  )

  app.patch(
    '/api/canned-replies/:id',
    {
      schema: {
        tags,
        summary:
          'Edit, move, share or take back a canned reply; `version` is the one the edit was made from (409 when stale)',
        params: ZIdParams,
        body: ZUpdateCannedReplyRequest,
        response: { 200: ZCannedReplyItem },
      },
    },
    async (request) =>
      cannedRepliesService.update(db, requireActor(request), request.params.id, request.body),
  )

  app.delete(
    '/api/canned-replies/:id',
    { schema: { tags, summary: 'Delete a canned reply', params: ZIdParams } },
    async (request, reply) => {
      await cannedRepliesService.delete(db, requireActor(request), request.params.id)
      return reply.status(204).send()
    },
  )
}
