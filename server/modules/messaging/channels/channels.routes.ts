import { ZChannelAccountList } from '@common/schemas/channel-console'
import {
  type TChannelPlatform,
  ZChannelAccountView,
  ZConnectMessengerRequest,
  ZConnectZaloRequest,
} from '@common/schemas/channels'
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError, notFound } from '../../../lib/errors'
import { auditContext } from '../../audit/audit.service'
import { optionalActor, requireActor } from '../../auth/auth.guard'
import { publicOperation } from '../../auth/openapi-access'
import { channelRepository } from './channel.repository'
import {
  type AccountToConnect,
  channelAccounts,
  messengerAccount,
  presentAccount,
  refreshAfterSave,
  zaloAccount,
} from './channel-accounts.service'
import { channelInbound } from './channel-inbound.service'
import type { ChannelDeps, ChannelGateway } from './channel-outbound.service'
import { openAccount } from './channel-registry'
import { safeEqualText } from './messenger.adapter'
import { zaloOAuthRoutes } from './zalo-oauth.routes'
import { zaloRedirectUri } from './zalo-oauth.service'

const ZAccountParams = z.object({ accountId: z.uuid() })
const ZUnitParams = z.object({ id: z.uuid() })
const tags = ['channels']
/** Platforms call these: no session is read, nothing about the caller is logged. */
const platformRoute = { logLevel: 'warn' as const, config: { anonymous: true } }

/**
 * Webhooks of the connected Pages and OAs, and the unit admin's connect form. A webhook body is read
 * raw: the signature is computed over the exact bytes the platform sent.
 */
export const channelsRoutes: FastifyPluginAsyncZod<{ deps: ChannelDeps; gateway: ChannelGateway }> = async (
  app,
  { deps, gateway },
) => {
  const { db, key, adapters } = deps
  const publicUrl = app.deps.config.PUBLIC_URL
  await app.register(zaloOAuthRoutes, { deps, gateway })

  await app.register(async (scope) => {
    const hooks = scope.withTypeProvider<ZodTypeProvider>()
    hooks.removeContentTypeParser('application/json')
    hooks.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: 1024 * 1024 },
      (_req, body, done) => done(null, body),
    )

    /** The Messenger handshake: echo hub.challenge when hub.verify_token is the one the unit chose. */
    hooks.get(
      '/api/channels/messenger/:accountId/webhook',
      {
        ...platformRoute,
        schema: {
          ...publicOperation,
          tags,
          summary: 'Messenger webhook verification (hub.mode, hub.verify_token, hub.challenge)',
          params: ZAccountParams,
          querystring: z.object({
            'hub.mode': z.string().max(50).optional(),
            'hub.verify_token': z.string().max(300).optional(),
            'hub.challenge': z.string().max(300).optional(),
          }),
        },
      },
      async (request, reply) => {
        const row = await channelRepository.account(db, request.params.accountId)
        if (row?.platform !== 'messenger') throw notFound()
        const q = request.query
        const expected = openAccount(key, row).secrets.verifyToken ?? ''
        if (
          q['hub.mode'] !== 'subscribe' ||
          !expected ||
          !safeEqualText(q['hub.verify_token'] ?? '', expected)
        )
          throw new AppError('forbidden', 'channels.verify_token_wrong')
        return reply.type('text/plain; charset=utf-8').send(q['hub.challenge'] ?? '')
      },
    )

    hooks.post(
      '/api/channels/:platform/:accountId/webhook',
      {
        ...platformRoute,
        schema: {
          ...publicOperation,
          tags,
          summary: 'Events from a connected Page or OA (signed by the platform; stored, then processed)',
          params: ZAccountParams.extend({ platform: z.enum(['messenger', 'zalo']) }),
        },
      },
      async (request, reply) => {
        const row = await channelRepository.account(db, request.params.accountId)
        const adapter = adapters[request.params.platform]
        if (!row || row.platform !== request.params.platform || !adapter) throw notFound()
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
        // Nothing is parsed or stored before the signature holds.
        if (!adapter.verify(openAccount(key, row), { rawBody, headers: request.headers }, Date.now()))
          throw new AppError('unauthenticated', 'channels.signature_invalid')
        let body: unknown
        try {
          body = JSON.parse(rawBody.toString('utf8'))
        } catch {
          throw new AppError('validation', 'channels.body_invalid')
        }
        if (row.status === 'active') await channelInbound.receive(deps, row, adapter.parse(body))
        return reply.type('text/plain; charset=utf-8').send('EVENT_RECEIVED')
      },
    )
  })

  app.get(
    '/api/units/:id/channels',
    {
      schema: {
        tags,
        summary: "The unit's connected Zalo OA and Facebook Page (never their secrets)",
        params: ZUnitParams,
        response: { 200: ZChannelAccountList },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      const rows = await channelAccounts.list(db, optionalActor(request) ?? null, request.params.id)
      return {
        accounts: rows.map((r) => presentAccount(r, publicUrl)),
        zaloRedirectUri: zaloRedirectUri(publicUrl),
      }
    },
  )

  /** One PUT per platform: the same route and audit, the platform's own form and secrets. */
  const connectRoute = <S extends z.ZodType>(form: {
    platform: TChannelPlatform
    summary: string
    body: S
    account: (input: z.infer<S>) => AccountToConnect
  }) =>
    app.withTypeProvider<ZodTypeProvider>().put(
      `/api/units/:id/channels/${form.platform}`,
      {
        schema: {
          tags,
          summary: form.summary,
          params: ZUnitParams,
          body: form.body,
          response: { 200: ZChannelAccountView },
        },
      },
      async (request) => {
        const row = await channelAccounts.connect(
          db,
          key,
          auditContext(request),
          requireActor(request),
          request.params.id,
          form.account(request.body as z.infer<S>),
          refreshAfterSave(gateway, form.platform),
        )
        return presentAccount(row, publicUrl)
      },
    )
  connectRoute({
    platform: 'messenger',
    summary: "Connect the unit's Facebook Page (the app secret and tokens are write-only)",
    body: ZConnectMessengerRequest,
    account: messengerAccount,
  })
  connectRoute({
    platform: 'zalo',
    summary:
      "Connect the unit's Zalo OA (secrets and tokens are write-only; the token is refreshed by a job)",
    body: ZConnectZaloRequest,
    account: zaloAccount,
  })

  app.delete(
    '/api/units/:id/channels/:accountId',
    {
      schema: {
        tags,
        summary: "Disconnect the unit's Page or OA (kept, disabled: its conversations stay)",
        params: ZUnitParams.extend({ accountId: z.uuid() }),
        response: { 200: ZChannelAccountView },
      },
    },
    async (request) => {
      const row = await channelAccounts.disconnect(
        db,
        auditContext(request),
        requireActor(request),
        request.params.id,
        request.params.accountId,
      )
      return presentAccount(row, publicUrl)
    },
  )
}
