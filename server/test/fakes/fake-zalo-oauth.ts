import { createHash, randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

/** What the fake consent page was asked for. */
export interface ZaloConsent {
  appId: string
  redirectUri: string
  codeChallenge: string
  state: string
}

interface IssuedCode {
  appId: string
  codeChallenge: string
  oaId: string
  used: boolean
  expiresAt: number
}

/**
 * Zalo OAuth v4 for an OA, as its documentation describes it: `GET /v4/oa/permission?app_id&
 * redirect_uri&code_challenge&state` (the OA admin consents; here at once) redirects to the redirect
 * URI with `code`, `oa_id` and `state`; `POST /v4/oa/access_token` (form `code`, `app_id`,
 * `grant_type=authorization_code`, `code_verifier`; header `secret_key`) answers the tokens, or
 * HTTP 200 with a negative `error` when the code is unknown, used, late or its verifier does not hash
 * to the challenge. Part of FakeZaloApi (one port, as Zalo serves both from oauth.zaloapp.com).
 */
export class FakeZaloOAuth {
  readonly consents: ZaloConsent[] = []
  readonly exchanges: { secretKey: string | null; form: Record<string, string> }[] = []
  /** app id → its secret key (what the token endpoint checks) and the OA the admin consents for. */
  readonly apps = new Map<string, { secretKey: string; oaId: string }>()
  /** When set, the admin presses "deny" on the consent page. */
  denyNext = false
  private readonly codes = new Map<string, IssuedCode>()

  constructor(private readonly issue: (secretKey: string) => { accessToken: string; refreshToken: string }) {}

  /** Answers the OAuth routes; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, raw: string): boolean {
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.method === 'GET' && url.pathname === '/v4/oa/permission') {
      const q = url.searchParams
      const consent = {
        appId: q.get('app_id') ?? '',
        redirectUri: q.get('redirect_uri') ?? '',
        codeChallenge: q.get('code_challenge') ?? '',
        state: q.get('state') ?? '',
      }
      this.consents.push(consent)
      const app = this.apps.get(consent.appId)
      if (!app || !consent.redirectUri || !consent.codeChallenge) {
        res.writeHead(400, { 'content-type': 'text/plain' })
        res.end('Ứng dụng không tồn tại hoặc thiếu tham số')
        return true
      }
      const back = new URL(consent.redirectUri)
      back.searchParams.set('state', consent.state)
      if (this.denyNext) {
        this.denyNext = false
        back.searchParams.set('error', 'access_denied')
      } else {
        const code = `zcode-${randomBytes(12).toString('hex')}`
        this.codes.set(code, {
          appId: consent.appId,
          codeChallenge: consent.codeChallenge,
          oaId: app.oaId,
          used: false,
          expiresAt: Date.now() + 10 * 60_000,
        })
        back.searchParams.set('code', code)
        back.searchParams.set('oa_id', app.oaId)
        back.searchParams.set('code_challenge', consent.codeChallenge)
      }
      res.writeHead(302, { location: back.toString() })
      res.end()
      return true
    }
    if (req.method === 'POST' && url.pathname === '/v4/oa/access_token') {
      const form = Object.fromEntries(new URLSearchParams(raw))
      if (form.grant_type !== 'authorization_code') return false
      const secretKey = (req.headers.secret_key as string | undefined) ?? null
      this.exchanges.push({ secretKey, form })
      const refuse = (error: number, name: string) => {
        json({ error, error_name: name, error_reason: name })
        return true
      }
      const app = this.apps.get(form.app_id ?? '')
      if (!app || app.secretKey !== secretKey) return refuse(-14002, 'Invalid app id or secret key')
      const issued = this.codes.get(form.code ?? '')
      if (!issued || issued.used || issued.appId !== form.app_id || issued.expiresAt < Date.now())
        return refuse(-14003, 'Invalid authorization code')
      const hashed = createHash('sha256')
        .update(form.code_verifier ?? '')
        .digest('base64url')
      if (hashed !== issued.codeChallenge) return refuse(-14019, 'Invalid code verifier')
      issued.used = true
      const tokens = this.issue(app.secretKey)
      json({ access_token: tokens.accessToken, refresh_token: tokens.refreshToken, expires_in: '90000' })
      return true
    }
    return false
  }
}
