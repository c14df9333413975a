import { ZMobilePhone } from '@common/schemas/auth'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { notFound } from '../../lib/errors'
import { isLoopback } from './rate-limits'
import type { ConsoleSmsProvider } from './sms/console-sms'

/**
 * Development only: the last code the console SMS provider "sent" to a number, for the browser
 * tests. Registered only when NODE_ENV is not production and SMS_PROVIDER is console (see auth.routes.ts),
 * and it answers only callers on this machine: anyone else gets the same 404 as an unknown route,
 * whatever HOST the server listens on (a resident's code is their account).
 */
export const devOtpRoutes: FastifyPluginAsyncZod<{ sms: ConsoleSmsProvider }> = async (app, { sms }) => {
  app.get(
    '/api/dev/last-otp',
    {
      schema: {
        hide: true,
        querystring: z.object({ phone: ZMobilePhone }),
        response: { 200: z.object({ phone: z.string(), code: z.string(), sentAt: z.string() }) },
      },
    },
    async (request) => {
      // The socket's peer, not request.ip, and nothing relayed by a proxy on this machine.
      if (!isLoopback(request.socket.remoteAddress) || request.headers['x-forwarded-for'] !== undefined) {
        throw notFound()
      }
      const last = sms.lastMessage(request.query.phone)
      const code = last?.text.match(/\b(\d{6})\b/)?.[1]
      if (!last || !code) throw notFound()
      return { phone: request.query.phone, code, sentAt: last.at.toISOString() }
    },
  )
}
