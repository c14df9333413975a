import type { VapidKeys } from './vapid-keys'

/** How long a signed VAPID JWT is valid (RFC 8292 allows at most 24 h; web-push's default is 12 h). */
const LIFETIME_S = 12 * 3600
/** A token is re-signed this long before it expires, so none is sent close to its end. */
const REFRESH_MARGIN_S = 3600

/**
 * The VAPID Authorization header, signed once per push-service origin and reused until an hour
 * before it expires. The JWT's claims are only the audience (the origin), the expiry and our
 * subject, so one token serves every message to that service; web-push would sign a new one per
 * message (an ES256 signature plus PEM conversion, ≈ 3 ms each on this machine).
 */
export class VapidHeaderCache {
  private readonly byAudience = new Map<string, { header: string; expiresAt: number }>()

  constructor(
    private readonly keys: VapidKeys,
    private readonly subject: string,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * `audience` is the push service's origin, e.g. `https://fcm.googleapis.com`. Async because
   * web-push is imported on the first signature, not at every start (issue 16: restarts).
   */
  async authorization(audience: string): Promise<string> {
    const fresh = this.cached(audience)
    if (fresh) return fresh
    const { default: webPush } = await import('web-push')
    // The sends that missed together waited on the same import: the first one signs, the others
    // take its token (one token per service, as a push service expects, not one per send).
    const signedMeanwhile = this.cached(audience)
    if (signedMeanwhile) return signedMeanwhile
    const expiresAt = Math.floor(this.now() / 1000) + LIFETIME_S
    const { Authorization } = webPush.getVapidHeaders(
      audience,
      this.subject,
      this.keys.publicKey,
      this.keys.privateKey,
      'aes128gcm',
      expiresAt,
    ) as { Authorization: string }
    this.byAudience.set(audience, { header: Authorization, expiresAt })
    return Authorization
  }

  private cached(audience: string): string | undefined {
    const entry = this.byAudience.get(audience)
    const nowS = Math.floor(this.now() / 1000)
    return entry && entry.expiresAt - REFRESH_MARGIN_S > nowS ? entry.header : undefined
  }
}
