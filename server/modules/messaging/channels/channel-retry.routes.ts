import { ZMessageView } from '@common/schemas/messaging'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { requireActor } from '../../auth/auth.guard'
import type { MessagingDeps } from '../message.service'
import { retryDelivery } from './channel-retry.service'

/** The area's police send a failed Zalo or Messenger reply again. */
export const channelRetryRoutes: FastifyPluginAsyncZod<{ deps: MessagingDeps }> = async (app, { deps }) => {
  app.post(
    '/api/messages/:id/delivery/retry',
    {
      schema: {
        tags: ['channels'],
        summary: 'Send a failed Zalo or Messenger reply again (once, however often it is pressed)',
        params: z.object({ id: z.uuid() }),
        response: { 200: ZMessageView },
      },
    },
    async (request) => retryDelivery(deps, requireActor(request), request.params.id),
  )
}
