import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import webPush from 'web-push'
import { checkPushEndpoint, guardedLookup, PushEndpointRefused } from './push-endpoint'
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

/** gone: the browser unsubscribed. refused: not a push service (host, address or a redirect). */
export type PushOutcome = 'delivered' | 'gone' | 'refused'

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
 * posts with node:http(s) itself. web-push's own transport only speaks https; ours lets tests use a
 * local fake push service over http while production endpoints stay https. The endpoint's host must
 * be on the allow-list, its addresses are checked when the connection is made, and a redirect is a
 * refusal, never followed (F7).
 */
export class WebPushSender {
  constructor(
    private readonly vapid: VapidKeys,
    private readonly subject: string,
    private readonly allowedHosts: readonly string[],
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
    let checked: ReturnType<typeof checkPushEndpoint>
    try {
      checked = checkPushEndpoint(details.endpoint, this.allowedHosts)
    } catch (err) {
      if (err instanceof PushEndpointRefused) return 'refused'
      throw err
    }
    let res: { status: number; body: string }
    try {
      res = await this.post(checked, details.headers as Record<string, string>, details.body)
    } catch (err) {
      if (err instanceof PushEndpointRefused) return 'refused'
      throw err
    }
    // 404/410: the browser unsubscribed; the subscription must be dropped, not retried.
    if (res.status === 404 || res.status === 410) return 'gone'
    if (res.status >= 200 && res.status < 300) return 'delivered'
    if (res.status >= 300 && res.status < 400) return 'refused'
    throw new PushRejectedError(res.status, res.body)
  }

  private post(
    target: ReturnType<typeof checkPushEndpoint>,
    headers: Record<string, string>,
    body: Buffer | null,
  ): Promise<{ status: number; body: string }> {
    const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest
    return new Promise((resolve, reject) => {
      const req = request(
        target.url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(body?.length ?? 0) },
          lookup: guardedLookup(target.allowInternal),
          timeout: this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = []
          let size = 0
          res.on('data', (c: Buffer) => {
            // Only the start of an error body is kept for the log.
            if (size < 4096) chunks.push(c)
            size += c.length
          })
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          )
          res.on('error', reject)
        },
      )
      req.on('timeout', () => req.destroy(new Error(`push service did not answer in ${this.timeoutMs} ms`)))
      req.on('error', reject)
      req.end(body ?? undefined)
    })
  }
}
