import { createHash, randomBytes } from 'node:crypto'
import type { ChannelAccount } from './channel.types'
import { ChannelSendError } from './channel.types'

/**
 * Zalo OAuth v4 for an Official Account (developers.zalo.me, "Xác thực và ủy quyền cho ứng dụng"):
 * the OA admin is sent to `/v4/oa/permission` with a PKCE code_challenge; Zalo redirects back with
 * `code`, `oa_id` and `state`; the code and its code_verifier are exchanged at `/v4/oa/access_token`
 * (the app's secret key in a `secret_key` header) for an access token (about 25 h) and a single-use
 * refresh token (about 3 months).
 */

export interface ZaloTokens {
  accessToken: string
  refreshToken: string
  expiresAt: Date
  /** Seconds, as Zalo answered (a string in its JSON). */
  expiresIn: number
}

/** A PKCE pair: a 43-character verifier and its S256 challenge, both base64url without padding. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: pkceChallenge(verifier) }
}

export const pkceChallenge = (verifier: string) => createHash('sha256').update(verifier).digest('base64url')

/** Where the OA admin grants the app access to the OA. */
export function zaloAuthorizationUrl(
  oauthUrl: string,
  p: { appId: string; redirectUri: string; codeChallenge: string; state: string },
): string {
  const url = new URL(`${oauthUrl.replace(/\/$/, '')}/v4/oa/permission`)
  url.searchParams.set('app_id', p.appId)
  url.searchParams.set('redirect_uri', p.redirectUri)
  url.searchParams.set('code_challenge', p.codeChallenge)
  url.searchParams.set('state', p.state)
  return url.toString()
}

/** One call to the token endpoint; an answer without both tokens is a refusal (Zalo answers 200 with `error`). */
async function tokenRequest(
  oauthUrl: string,
  secretKey: string,
  form: Record<string, string>,
): Promise<ZaloTokens> {
  let response: Response
  try {
    response = await fetch(`${oauthUrl.replace(/\/$/, '')}/v4/oa/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: secretKey },
      body: new URLSearchParams(form),
      signal: AbortSignal.timeout(10_000),
    })
  } catch (err) {
    throw new ChannelSendError(
      'channels.error.temporary',
      true,
      `Zalo OAuth unreachable: ${(err as Error).message}`,
    )
  }
  const body = (await response.json().catch(() => ({}))) as {
    access_token?: string
    refresh_token?: string
    expires_in?: string | number
    error?: number
    error_name?: string
  }
  if (response.status >= 500)
    throw new ChannelSendError('channels.error.temporary', true, `Zalo OAuth ${response.status}`)
  if (!body.access_token || !body.refresh_token)
    throw new ChannelSendError(
      'channels.error.token_invalid',
      false,
      `Zalo OAuth ${body.error ?? response.status}: ${body.error_name ?? ''}`,
    )
  const expiresIn = Number(body.expires_in ?? 90_000) || 90_000
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    expiresIn,
    expiresAt: new Date(Date.now() + expiresIn * 1000),
  }
}

/** The authorization code (valid minutes, once) and the verifier that matches its challenge → tokens. */
export function exchangeZaloCode(
  oauthUrl: string,
  p: { appId: string; appSecret: string; code: string; codeVerifier: string },
): Promise<ZaloTokens> {
  return tokenRequest(oauthUrl, p.appSecret, {
    code: p.code,
    app_id: p.appId,
    grant_type: 'authorization_code',
    code_verifier: p.codeVerifier,
  })
}

/** A new access token (and a new single-use refresh token) from the refresh token. */
export function refreshZaloToken(oauthUrl: string, account: ChannelAccount): Promise<ZaloTokens> {
  return tokenRequest(oauthUrl, account.secrets.appSecret ?? '', {
    refresh_token: account.secrets.refreshToken ?? '',
    app_id: account.appId,
    grant_type: 'refresh_token',
  })
}
