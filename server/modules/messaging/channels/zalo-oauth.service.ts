import { randomBytes } from 'node:crypto'
import type { TStartZaloOAuthRequest } from '@common/schemas/channel-console'
import type { DbOrTx } from '../../../db/client'
import type { Actor } from '../../../lib/actor'
import { AppError, notFound } from '../../../lib/errors'
import { openSecret, sealSecret } from '../../../lib/secret-box'
import type { AuditContext } from '../../audit/audit.service'
import type { ChannelAccountRow } from './channel.repository'
import { ChannelSendError } from './channel.types'
import { channelAccounts, managedUnit } from './channel-accounts.service'
import { exchangeZaloCode, pkcePair, zaloAuthorizationUrl } from './zalo-oauth'

/** Zalo's authorization code lives minutes; a flow not finished in 10 is started again. */
export const ZALO_OAUTH_FLOW_MS = 10 * 60_000
export const ZALO_OAUTH_CALLBACK_PATH = '/api/channels/zalo/oauth/callback'

/**
 * What the browser carries between "connect with Zalo" and Zalo's redirect back, sealed with the
 * channel key in an httpOnly cookie: the code_verifier never leaves the server unsealed, and the
 * state ties the callback to this browser, this user and this unit (a forged callback finds nothing).
 */
interface ZaloOAuthFlow extends TStartZaloOAuthRequest {
  state: string
  verifier: string
  unitId: string
  userId: string
  expiresAt: number
}

export interface ZaloOAuthDeps {
  db: DbOrTx
  key: Buffer
  oauthUrl: string
  publicUrl: string
}

export const zaloRedirectUri = (publicUrl: string) => `${publicUrl}${ZALO_OAUTH_CALLBACK_PATH}`

export const zaloOAuth = {
  /** The consent URL (with the S256 code_challenge) and the sealed flow for the cookie. */
  async start(deps: ZaloOAuthDeps, actor: Actor, unitId: string, input: TStartZaloOAuthRequest) {
    await managedUnit(deps.db, actor, unitId)
    const { verifier, challenge } = pkcePair()
    const flow: ZaloOAuthFlow = {
      ...input,
      state: randomBytes(24).toString('base64url'),
      verifier,
      unitId,
      userId: actor.userId,
      expiresAt: Date.now() + ZALO_OAUTH_FLOW_MS,
    }
    const redirectUri = zaloRedirectUri(deps.publicUrl)
    return {
      authorizationUrl: zaloAuthorizationUrl(deps.oauthUrl, {
        appId: input.appId,
        redirectUri,
        codeChallenge: challenge,
        state: flow.state,
      }),
      redirectUri,
      sealedFlow: sealSecret(deps.key, flow),
    }
  },

  /** The flow this callback belongs to, or 404: no cookie, another user, another state, too late. */
  openFlow(deps: ZaloOAuthDeps, actor: Actor, sealed: string | undefined, state: string): ZaloOAuthFlow {
    if (!sealed) throw notFound()
    let flow: ZaloOAuthFlow
    try {
      flow = openSecret<ZaloOAuthFlow>(deps.key, sealed)
    } catch {
      throw notFound()
    }
    if (flow.userId !== actor.userId || flow.state !== state || flow.expiresAt < Date.now()) throw notFound()
    return flow
  },

  /**
   * Zalo's redirect: the code and the verifier are exchanged for the OA's tokens, and the OA is
   * connected like a typed-in one (sealed, audited, its refresh scheduled).
   */
  async finish(
    deps: ZaloOAuthDeps,
    ctx: AuditContext,
    actor: Actor,
    flow: ZaloOAuthFlow,
    callback: { code?: string | undefined; oaId?: string | undefined },
    onSaved: (tx: DbOrTx, row: ChannelAccountRow) => Promise<void>,
  ): Promise<ChannelAccountRow> {
    if (!callback.code || !callback.oaId || !/^\d{1,30}$/.test(callback.oaId))
      throw new AppError('bad_request', 'channels.oauth.denied')
    let tokens: Awaited<ReturnType<typeof exchangeZaloCode>>
    try {
      tokens = await exchangeZaloCode(deps.oauthUrl, {
        appId: flow.appId,
        appSecret: flow.appSecret,
        code: callback.code,
        codeVerifier: flow.verifier,
      })
    } catch (err) {
      if (err instanceof ChannelSendError)
        throw new AppError(err.retryable ? 'unavailable' : 'bad_request', 'channels.oauth.refused')
      throw err
    }
    return channelAccounts.connect(
      deps.db,
      deps.key,
      ctx,
      actor,
      flow.unitId,
      {
        platform: 'zalo',
        externalId: callback.oaId,
        appId: flow.appId,
        name: flow.name,
        secrets: {
          appSecret: flow.appSecret,
          oaSecret: flow.oaSecret,
          accessToken: tokens.accessToken,
          refreshToken: tokens.refreshToken,
        },
        tokenExpiresAt: tokens.expiresAt,
      },
      onSaved,
    )
  },
}
