import {
  ZLinkCodeView,
  ZLinkContactRequest,
  ZLinkContactResult,
  ZLinkedContactView,
} from '@common/schemas/channel-links'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { auditContext } from '../../audit/audit.service'
import { requireActor } from '../../auth/auth.guard'
import { loadReadable } from '../message.service'
import { presentLinkCode, presentLinkedContact } from './channel-link.presenter'
import { channelLink } from './channel-link.service'
import type { ChannelDeps } from './channel-outbound.service'

const tags = ['channels']

/** Linking a Zalo / Messenger contact to a resident account with a one-time code. */
export const channelLinkRoutes: FastifyPluginAsyncZod<{ deps: ChannelDeps }> = async (app, { deps }) => {
  const { db, key } = deps

  app.post(
    '/api/me/channel-link-code',
    {
      schema: {
        tags,
        summary:
          'A one-time code (15 minutes, single use) to send from Zalo or Messenger, linking that chat to this account',
        response: { 201: ZLinkCodeView },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      const issued = await channelLink.issueCode(db, key, requireActor(request))
      return reply.status(201).send(presentLinkCode(issued))
    },
  )

  app.get(
    '/api/me/channel-links',
    {
      schema: {
        tags,
        summary: 'The Zalo and Messenger contacts linked to this account',
        response: { 200: z.object({ contacts: z.array(ZLinkedContactView) }) },
      },
    },
    async (request) => {
      const rows = await channelLink.listMine(db, requireActor(request))
      return { contacts: rows.map(presentLinkedContact) }
    },
  )

  app.post(
    '/api/conversations/:id/channel-link',
    {
      schema: {
        tags,
        summary: "Link this Zalo / Messenger contact to a resident's account with the code they read out",
        params: z.object({ id: z.uuid() }),
        body: ZLinkContactRequest,
        response: { 200: ZLinkContactResult },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const loaded = await loadReadable(db, actor, request.params.id)
      const result = await channelLink.redeemByOfficer(
        db,
        key,
        auditContext(request),
        actor,
        loaded,
        request.body.code,
      )
      const here = result.conversationIds.find((id) => id === loaded.conversation.id)
      return { conversationId: here ?? result.conversationIds[0] ?? null }
    },
  )
}
