import webPush from 'web-push'
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
  /** Same tag replaces an earlier notification on the device. */
  tag?: string
}

export type PushOutcome = 'delivered' | 'gone'

export class PushRejectedError extends Error {
  override name = 'PushRejectedError'
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(`push service answered ${status}: ${body.slice(0, 200)}`)
  }
}

/**
 * Encrypts (RFC 8291, aes128gcm) and signs (VAPID, RFC 8292) with the web-push library, then
 * posts with fetch. web-push's own transport only speaks https; fetch lets tests use a local
 * fake push service over http while production endpoints stay https.
 */
export class WebPushSender {
  constructor(
    private readonly vapid: VapidKeys,
    private readonly subject: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async send(target: PushTarget, payload: PushPayload, ttlSeconds = 24 * 3600): Promise<PushOutcome> {
    const details = webPush.generateRequestDetails(target, JSON.stringify(payload), {
      vapidDetails: {
        subject: this.subject,
        publicKey: this.vapid.publicKey,
        privateKey: this.vapid.privateKey,
      },
      contentEncoding: 'aes128gcm',
      TTL: ttlSeconds,
      urgency: 'high',
      ...(payload.tag ? { topic: payload.tag.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32) } : {}),
    })
    const res = await fetch(details.endpoint, {
      method: 'POST',
      headers: details.headers as Record<string, string>,
      body: details.body ? new Uint8Array(details.body) : null,
      signal: AbortSignal.timeout(this.timeoutMs),
    })
    // 404/410: the browser unsubscribed; the subscription must be dropped, not retried.
    if (res.status === 404 || res.status === 410) return 'gone'
    if (res.status >= 200 && res.status < 300) return 'delivered'
    throw new PushRejectedError(res.status, await res.text())
  }
}
