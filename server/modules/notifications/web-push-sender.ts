import { createHash } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { ConcurrencyLimit } from '../../lib/concurrency-limit'
import { InvalidDeviceKeys } from './push-encryption'
import { PushEncryptionPool } from './push-encryption-pool'
import { checkPushEndpoint, PushEndpointRefused } from './push-endpoint'
import { PushServiceBackoff } from './push-service-backoff'
import { PushTransport, PushTransportError } from './push-transport'
import { VapidHeaderCache } from './vapid-header-cache'
import type { VapidKeys } from './vapid-keys'

export interface PushTarget {
  endpoint: string
  keys: { p256dh: string; auth: string }
}

export interface PushPayload {
  title: string
  body: string
  /** Where a tap on the notification opens, relative to the app. */
  url: string
  /**
   * Same tag replaces an earlier notification on the device, silently (web/public/sw.js shows it
   * with this tag and without `renotify`); it is also the push's Topic (`pushTopic`).
   */
  tag?: string
}

/**
 * The RFC 8030 Topic for a notification tag: a push service keeps only the newest undelivered
 * message of a Topic per subscription, so a second copy never waits in its queue beside the first.
 * Topic allows at most 32 base64url characters: a longer tag (`alert-<uuid>` is 42) becomes a
 * hash of it rather than its first 32 characters, so two tags never share a Topic by truncation.
 */
export function pushTopic(tag: string): string {
  const clean = tag.replace(/[^A-Za-z0-9_-]/g, '')
  if (clean.length > 0 && clean.length <= 32 && clean === tag) return clean
  return createHash('sha256').update(tag).digest('base64url').slice(0, 32)
}

/**
 * delivered: the service accepted it. gone: the browser unsubscribed. refused: not a push service
 * (host, address or a redirect), or keys no browser makes. unconfirmed: the whole request reached the service but no answer
 * came back — it may well have been accepted, so it is not sent again (see `send`).
 * deferred: not sent, the service asked us to wait. failed: not accepted; try again (from
 * `retryAt` when the service said when).
 */
export type SendResult =
  | { outcome: 'delivered' | 'gone' | 'refused' | 'unconfirmed' }
  | { outcome: 'deferred'; until: Date }
  | { outcome: 'failed'; error: Error; retryAt?: Date }

export type PushOutcome = SendResult['outcome']

export class PushRejectedError extends Error {
  override name = 'PushRejectedError'
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(`push service answered ${status}: ${body.slice(0, 200)}`)
  }
}

export interface WebPushSenderOptions {
  /** Wait for an answer this long: well above a push service's answer time under load. */
  timeoutMs?: number
  /** Requests in flight at once, over every push service. */
  maxInFlight?: number
  /** Connections kept open per push-service origin. */
  maxSocketsPerOrigin?: number
  /** Worker threads that encrypt (0: on the main thread). Default: one per core but one, at most 2. */
  encryptionWorkers?: number
}

/**
 * Sends Web Push for volume. Encrypts (RFC 8291, aes128gcm: `encryptPushMessage`) with a fresh
 * ECDH key and salt per message, as the RFC requires, and no other per-message work, on worker
 * threads (`PushEncryptionPool`); signs VAPID
 * (RFC 8292) once per push service and reuses the header (`VapidHeaderCache`), posts over keep-alive connections per
 * origin (`PushTransport`), keeps at most `maxInFlight` requests open, and stops sending to a
 * service that answered 429/503 until its Retry-After (`PushServiceBackoff`). The endpoint's host
 * must be on the allow-list, its addresses are checked when a connection is made, and a redirect
 * is a refusal, never followed (F7).
 *
 * Once: a request the service may have accepted is never sent again by this code. A timeout after
 * the whole body was written, or a connection lost then, is `unconfirmed`, not `failed`; only a
 * request that provably did not reach the service whole (refused connection, a keep-alive
 * connection closed under it) is retried. Whether an unconfirmed push is sent once more is the
 * caller's choice (`PushNotifier`: alerts only, with the same Topic).
 */
export class WebPushSender {
  private readonly vapid: VapidHeaderCache
  private readonly transport: PushTransport
  private readonly limit: ConcurrencyLimit
  private readonly encryption: PushEncryptionPool
  readonly backoff = new PushServiceBackoff()

  constructor(
    keys: VapidKeys,
    subject: string,
    private readonly allowedHosts: readonly string[],
    opts: WebPushSenderOptions = {},
  ) {
    this.vapid = new VapidHeaderCache(keys, subject)
    this.transport = new PushTransport({
      timeoutMs: opts.timeoutMs ?? 60_000,
      maxSocketsPerOrigin: opts.maxSocketsPerOrigin ?? 64,
    })
    this.limit = new ConcurrencyLimit(opts.maxInFlight ?? 256)
    this.encryption = new PushEncryptionPool(
      opts.encryptionWorkers ?? Math.min(2, Math.max(0, availableParallelism() - 1)),
    )
  }

  /** Requests waiting for an answer now (at most `maxInFlight`). */
  get inFlight(): number {
    return this.limit.running
  }

  async send(target: PushTarget, payload: PushPayload, ttlSeconds = 24 * 3600): Promise<SendResult> {
    let checked: ReturnType<typeof checkPushEndpoint>
    try {
      checked = checkPushEndpoint(target.endpoint, this.allowedHosts)
    } catch (err) {
      // Not a URL at all (TypeError) is as undeliverable as a host off the list.
      if (err instanceof PushEndpointRefused || err instanceof TypeError) return { outcome: 'refused' }
      throw err
    }
    const origin = checked.url.origin
    return this.limit.run(async () => {
      // Checked once a slot is free: the service may have asked for a pause while this one waited.
      const until = this.backoff.pausedUntil(origin)
      if (until) return { outcome: 'deferred', until }
      let body: Buffer
      try {
        body = await this.encryption.encrypt(target.keys, JSON.stringify(payload))
      } catch (err) {
        // Never thrown: one bad subscription or message must not fail its whole batch (and resend
        // the pushes already delivered in it).
        if (err instanceof InvalidDeviceKeys) return { outcome: 'refused' }
        return { outcome: 'failed', error: err as Error }
      }
      const headers: Record<string, string | number> = {
        TTL: ttlSeconds,
        'Content-Encoding': 'aes128gcm',
        'Content-Type': 'application/octet-stream',
        Urgency: 'high',
        Authorization: await this.vapid.authorization(origin),
      }
      if (payload.tag) headers.Topic = pushTopic(payload.tag)
      let res: Awaited<ReturnType<PushTransport['post']>>
      try {
        res = await this.transport.post(checked, headers, body)
      } catch (err) {
        if (err instanceof PushEndpointRefused) return { outcome: 'refused' }
        if (err instanceof PushTransportError && !err.notSent) return { outcome: 'unconfirmed' }
        return this.failed(err as Error, this.backoff.failed(origin, 0, undefined))
      }
      if (res.status < 300 || res.status === 404 || res.status === 410) this.backoff.succeeded(origin)
      // 404/410: the browser unsubscribed; the subscription must be dropped, not retried.
      if (res.status === 404 || res.status === 410) return { outcome: 'gone' }
      if (res.status >= 200 && res.status < 300) return { outcome: 'delivered' }
      if (res.status >= 300 && res.status < 400) return { outcome: 'refused' }
      const error = new PushRejectedError(res.status, res.body)
      if (res.status === 429 || res.status >= 500)
        return this.failed(error, this.backoff.failed(origin, res.status, res.retryAfter))
      return { outcome: 'failed', error }
    })
  }

  private failed(error: Error, retryAt: Date | undefined): SendResult {
    return retryAt ? { outcome: 'failed', error, retryAt } : { outcome: 'failed', error }
  }

  /** Closes the pooled connections and the encryption workers (the server is stopping). */
  close(): void {
    this.transport.close()
    this.encryption.close()
  }
}
