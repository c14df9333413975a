import { createHash } from 'node:crypto'
import {
  type ChannelAccount,
  type ChannelAdapter,
  ChannelSendError,
  type InboundAttachment,
  type InboundEvent,
  type OutboundMessage,
  type ReplyWindow,
  type WebhookRequest,
} from './channel.types'
import { safeEqualText } from './messenger.adapter'

const DAY = 24 * 3600_000
/** A webhook whose timestamp is further than this from our clock is refused (a replayed capture). */
export const ZALO_MAX_SKEW_MS = 10 * 60_000
/** Consultation (CS) messages are allowed this long after the user's last message. */
export const ZALO_CS_WINDOW_MS = 7 * DAY

/** X-ZEvent-Signature: "mac=" + sha256(appId + raw body + timestamp + OA secret key), hex. */
export function zaloSignature(appId: string, rawBody: Buffer | string, timestamp: string, oaSecret: string) {
  const mac = createHash('sha256')
    .update(`${appId}${rawBody.toString()}${timestamp}${oaSecret}`)
    .digest('hex')
  return `mac=${mac}`
}

interface ZaloBody {
  app_id?: string
  event_name?: string
  timestamp?: string | number
  sender?: { id?: string }
  follower?: { id?: string }
  source?: string
  message?: {
    msg_id?: string
    text?: string
    attachments?: {
      type?: string
      payload?: {
        url?: string
        name?: string
        coordinates?: { latitude?: string | number; longitude?: string | number }
      }
    }[]
  }
}

function attachmentOf(
  a: NonNullable<NonNullable<ZaloBody['message']>['attachments']>[number],
): InboundAttachment | null {
  const p = a.payload ?? {}
  if (a.type === 'location' && p.coordinates)
    return {
      type: 'location',
      lat: Number(p.coordinates.latitude),
      lng: Number(p.coordinates.longitude),
      label: null,
    }
  if (a.type === 'image' || a.type === 'gif') return { type: 'image', url: p.url ?? null, name: null }
  if (a.type === 'file' || a.type === 'video' || a.type === 'audio' || a.type === 'sticker')
    return { type: a.type, url: p.url ?? null, name: p.name ?? null }
  return null
}

const zaloErrors: Record<number, [key: string, retryable: boolean]> = {
  [-216]: ['channels.error.token_invalid', false],
  [-230]: ['channels.error.window_closed', false],
  [-213]: ['channels.error.recipient_unavailable', false],
  [-32]: ['channels.error.temporary', true],
  [-50]: ['channels.error.temporary', true],
}

/** The Zalo Official Account: webhook (X-ZEvent-Signature, fresh timestamps) and consultation messages. */
export function zaloAdapter(opts: { openApiUrl: string }): ChannelAdapter {
  const base = opts.openApiUrl.replace(/\/$/, '')
  return {
    platform: 'zalo',

    verify(account: ChannelAccount, request: WebhookRequest, now: number) {
      const header = request.headers['x-zevent-signature']
      const secret = account.secrets.oaSecret
      if (typeof header !== 'string' || !secret) return false
      let body: ZaloBody
      try {
        body = JSON.parse(request.rawBody.toString('utf8'))
      } catch {
        return false
      }
      const timestamp = String(body.timestamp ?? '')
      if (!/^\d{10,16}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > ZALO_MAX_SKEW_MS) return false
      if (body.app_id !== account.appId) return false
      return safeEqualText(header, zaloSignature(account.appId, request.rawBody, timestamp, secret))
    },

    /** One event per delivery. Texts the area question's buttons send back ("AREA:…") are choices. */
    parse(body: unknown): InboundEvent[] {
      const b = body as ZaloBody
      const at = Number(b.timestamp ?? Date.now())
      const name = b.event_name ?? ''
      if (name === 'follow' || name === 'unfollow') {
        const userId = b.follower?.id
        return userId
          ? [
              {
                kind: name,
                id: `${name}:${userId}:${at}`,
                userId,
                at,
                ref: b.source?.startsWith('AREA:') ? b.source.slice(5) : null,
              },
            ]
          : []
      }
      const userId = b.sender?.id
      if (!name.startsWith('user_send_') || !userId || !b.message?.msg_id) return []
      const text = b.message.text ?? ''
      return [
        {
          kind: 'message',
          id: b.message.msg_id,
          userId,
          at,
          ref: null,
          text,
          attachments: (b.message.attachments ?? []).map(attachmentOf).filter((a) => a !== null),
          choice: text.startsWith('AREA:') ? text : null,
        },
      ]
    },

    replyWindow(lastInboundAt: Date | null, now: number): ReplyWindow {
      return lastInboundAt && now - lastInboundAt.getTime() <= ZALO_CS_WINDOW_MS
        ? { open: true, tag: null }
        : { open: false }
    },

    /** POST /v3.0/oa/message/cs with the OA access token; choices become a list of query buttons. */
    async send(account: ChannelAccount, userId: string, message: OutboundMessage, window: ReplyWindow) {
      if (!window.open)
        throw new ChannelSendError('channels.error.window_closed', false, 'outside the consultation window')
      const payload = {
        recipient: { user_id: userId },
        message: message.choices?.length
          ? {
              text: message.text,
              attachment: {
                type: 'template',
                payload: {
                  buttons: message.choices.slice(0, 5 * 4).map((c) => ({
                    title: c.title.slice(0, 100),
                    type: 'oa.query.hide',
                    payload: c.payload,
                  })),
                },
              },
            }
          : { text: message.text },
      }
      let response: Response
      try {
        response = await fetch(`${base}/v3.0/oa/message/cs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', access_token: account.secrets.accessToken ?? '' },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(10_000),
        })
      } catch (err) {
        throw new ChannelSendError(
          'channels.error.temporary',
          true,
          `Zalo unreachable: ${(err as Error).message}`,
        )
      }
      if (response.status >= 500)
        throw new ChannelSendError('channels.error.temporary', true, `Zalo ${response.status}`)
      const body = (await response.json().catch(() => ({ error: -1 }))) as {
        error?: number
        message?: string
        data?: { message_id?: string }
      }
      if (body.error === 0) return body.data?.message_id ?? ''
      const [key, retryable] = zaloErrors[body.error ?? -1] ?? ['channels.error.refused', false]
      throw new ChannelSendError(key, retryable, `Zalo ${body.error}: ${body.message ?? ''}`)
    },
  }
}

/** OAuth v4: a new access token (and a new single-use refresh token) from the refresh token. */
export async function refreshZaloToken(
  oauthUrl: string,
  account: ChannelAccount,
): Promise<{ accessToken: string; refreshToken: string; expiresAt: Date }> {
  let response: Response
  try {
    response = await fetch(`${oauthUrl.replace(/\/$/, '')}/v4/oa/access_token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        secret_key: account.secrets.appSecret ?? '',
      },
      body: new URLSearchParams({
        refresh_token: account.secrets.refreshToken ?? '',
        app_id: account.appId,
        grant_type: 'refresh_token',
      }),
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
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    expiresAt: new Date(Date.now() + Number(body.expires_in ?? 90000) * 1000),
  }
}
