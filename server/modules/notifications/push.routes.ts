import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { requireActor } from '../auth/auth.guard'
import { publicOperation } from '../auth/openapi-access'
import { pushRepository } from './push.repository'
import { subscribe } from './push-subscriptions.service'
import { getOrCreateVapidKeys } from './vapid-keys'

const base64urlBytes = (bytes: number, first?: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+=*$/, 'i18n:push.key_invalid')
    .refine((s) => {
      const buf = Buffer.from(s, 'base64url')
      return buf.length === bytes && (first === undefined || buf[0] === first)
    }, 'i18n:push.key_invalid')

/** What PushSubscription.toJSON() gives in the browser. P-256 public key: 65 bytes starting 0x04. */
const ZSubscription = z.object({
  endpoint: z
    .url()
    .max(2000)
    .refine((u) => /^https?:\/\//.test(u), 'i18n:push.endpoint_invalid'),
  keys: z.object({ p256dh: base64urlBytes(65, 0x04), auth: base64urlBytes(16) }),
})

export const pushRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['notifications']

  app.get(
    '/api/push/public-key',
    { schema: { ...publicOperation, tags, response: { 200: z.object({ publicKey: z.string() }) } } },
    async () => ({ publicKey: (await getOrCreateVapidKeys(app.db)).publicKey }),
  )

  app.post(
    '/api/push/subscriptions',
    { schema: { tags, body: ZSubscription, response: { 201: z.object({ id: z.string() }) } } },
    async (request, reply) => {
      const actor = requireActor(request)
      const row = await subscribe(app.db, app.deps.config, {
        userId: actor.userId,
        endpoint: request.body.endpoint,
        p256dh: request.body.keys.p256dh,
        auth: request.body.keys.auth,
        userAgent: (request.headers['user-agent'] ?? '').slice(0, 300) || null,
      })
      return reply.status(201).send({ id: row.id })
    },
  )

  app.delete(
    '/api/push/subscriptions',
    { schema: { tags, body: z.object({ endpoint: z.url().max(2000) }) } },
    async (request, reply) => {
      const actor = requireActor(request)
      await pushRepository.deleteByEndpoint(app.db, actor.userId, request.body.endpoint)
      return reply.status(204).send()
    },
  )
}
