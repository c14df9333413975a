import { ZStartZaloOAuthRequest, ZStartZaloOAuthResponse } from '@common/schemas/channel-console'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError } from '../../../lib/errors'
import { auditContext } from '../../audit/audit.service'
import { requireActor } from '../../auth/auth.guard'
import { isSecureCookie } from '../../auth/session.cookies'
import { refreshAfterSave } from './channel-accounts.service'
import type { ChannelDeps, ChannelGateway } from './channel-outbound.service'
import { ZALO_OAUTH_CALLBACK_PATH, ZALO_OAUTH_FLOW_MS, zaloOAuth } from './zalo-oauth.service'

const FLOW_COOKIE = 'nhipcau_zalo_oauth'
const tags = ['channels']

/**
 * "Connect with Zalo": the commander's browser goes to Zalo's consent page with a PKCE challenge and
 * comes back to the callback, which exchanges the code for the OA's tokens. Nothing is typed by hand.
 */
export const zaloOAuthRoutes: FastifyPluginAsyncZod<{ deps: ChannelDeps; gateway: ChannelGateway }> = async (
  app,
  { deps, gateway },
) => {
  const config = app.deps.config
  const oauth = { db: deps.db, key: deps.key, oauthUrl: config.ZALO_OAUTH_URL, publicUrl: config.PUBLIC_URL }
  const cookie = {
    path: ZALO_OAUTH_CALLBACK_PATH,
    httpOnly: true,
    // Lax: the cookie rides along on Zalo's top-level redirect back, never on a cross-site post.
    sameSite: 'lax' as const,
    secure: isSecureCookie(config),
  }

  app.post(
    '/api/units/:id/channels/zalo/oauth',
    {
      schema: {
        tags,
        summary: "Start connecting the unit's Zalo OA through Zalo's consent page (OAuth v4, PKCE)",
        params: z.object({ id: z.uuid() }),
        body: ZStartZaloOAuthRequest,
        response: { 200: ZStartZaloOAuthResponse },
      },
    },
    async (request, reply) => {
      const started = await zaloOAuth.start(oauth, requireActor(request), request.params.id, request.body)
      reply.header('cache-control', 'no-store')
      reply.setCookie(FLOW_COOKIE, started.sealedFlow, { ...cookie, maxAge: ZALO_OAUTH_FLOW_MS / 1000 })
      return { authorizationUrl: started.authorizationUrl, redirectUri: started.redirectUri }
    },
  )

  app.get(
    ZALO_OAUTH_CALLBACK_PATH,
    {
      schema: {
        tags,
        summary: "Zalo's redirect after the OA admin's consent (code, oa_id, state); back to the console",
        querystring: z.object({
          code: z.string().max(2000).optional(),
          oa_id: z.string().max(40).optional(),
          state: z.string().max(200).default(''),
        }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      // Only the browser that started the flow, signed in as the same person, gets past this line.
      const flow = zaloOAuth.openFlow(oauth, actor, request.cookies[FLOW_COOKIE], request.query.state)
      reply.clearCookie(FLOW_COOKIE, cookie)
      reply.header('cache-control', 'no-store')
      const page = `/staff/units/${flow.unitId}/channels`
      try {
        await zaloOAuth.finish(
          oauth,
          auditContext(request),
          actor,
          flow,
          { code: request.query.code, oaId: request.query.oa_id },
          refreshAfterSave(gateway, 'zalo')!,
        )
        return reply.redirect(`${page}?connected=zalo`, 303)
      } catch (err) {
        if (!(err instanceof AppError)) throw err
        request.log.warn({ err: err.message }, 'Zalo OA consent not completed')
        return reply.redirect(`${page}?error=${encodeURIComponent(err.messageKey ?? err.kind)}`, 303)
      }
    },
  )
}
