import {
  ZContactAreaOptions,
  ZSetContactAreaRequest,
  ZSetContactAreaResult,
} from '@common/schemas/channel-console'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { auditContext } from '../../audit/audit.service'
import { requireActor } from '../../auth/auth.guard'
import { loadReadable, type MessagingDeps } from '../message.service'
import { contactArea } from './contact-routing.service'

const tags = ['channels']
const params = z.object({ id: z.uuid() })

/** A Zalo / Messenger contact in the unit's queue: the officer chooses their area. */
export const contactAreaRoutes: FastifyPluginAsyncZod<{ deps: MessagingDeps }> = async (app, { deps }) => {
  app.get(
    '/api/conversations/:id/contact-area',
    {
      schema: {
        tags,
        summary:
          "Whether this Zalo / Messenger contact still needs an area, and the unit's areas to choose from",
        params,
        response: { 200: ZContactAreaOptions },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      return contactArea.options(deps.db, actor, await loadReadable(deps.db, actor, request.params.id))
    },
  )

  app.put(
    '/api/conversations/:id/contact-area',
    {
      schema: {
        tags,
        summary:
          "File the contact under one of the unit's areas: the conversation goes to that area's officer",
        params,
        body: ZSetContactAreaRequest,
        response: { 200: ZSetContactAreaResult },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const loaded = await loadReadable(deps.db, actor, request.params.id)
      const conversationId = await contactArea.choose(
        deps,
        auditContext(request),
        actor,
        loaded,
        request.body.areaId,
      )
      return { conversationId }
    },
  )
}
