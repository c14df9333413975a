import { createHash } from 'node:crypto'
import {
  type ChannelAccount,
  type ChannelAdapter,
  ChannelSendError,
  type InboundAttachment,
  type InboundEvent,
  type OutboundImage,
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
/** The OA image upload takes JPG or PNG up to 1 MB. */
export const ZALO_IMAGE_MAX_BYTES = 1024 * 1024

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

/**
 * One OA Open API call with the OA access token. Zalo answers HTTP 200 with `error` 0 or a negative
 * code; a 5xx or no answer is worth retrying.
 */
async function callZalo<T>(account: ChannelAccount, url: string, init: RequestInit): Promise<T | undefined> {
  let response: Response
  try {
    response = await fetch(url, {
      ...init,
      headers: {
        ...(init.headers as Record<string, string>),
        access_token: account.secrets.accessToken ?? '',
      },
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
    data?: T
  }
  if (body.error === 0) return body.data
  const [key, retryable] = zaloErrors[body.error ?? -1] ?? ['channels.error.refused', false]
  throw new ChannelSendError(key, retryable, `Zalo ${body.error}: ${body.message ?? ''}`)
}

/** The Zalo Official Account: webhook (X-ZEvent-Signature, fresh timestamps) and consultation messages. */
export function zaloAdapter(opts: { openApiUrl: string }): ChannelAdapter {
  const base = opts.openApiUrl.replace(/\/$/, '')

  /** One consultation (CS) message, allowed within the window after the user's last message. */
  async function consultation(account: ChannelAccount, userId: string, window: ReplyWindow, message: object) {
    if (!window.open)
      throw new ChannelSendError('channels.error.window_closed', false, 'outside the consultation window')
    const data = await callZalo<{ message_id?: string }>(account, `${base}/v3.0/oa/message/cs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ recipient: { user_id: userId }, message }),
    })
    return data?.message_id ?? ''
  }

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
      return consultation(
        account,
        userId,
        window,
        message.choices?.length
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
      )
    },

    /**
     * `POST /v2.0/oa/upload/image` (multipart `file`, JPG/PNG up to 1 MB) gives an attachment id; a
     * consultation message with the media template then shows it. Larger photos are refused here.
     */
    async sendImage(account: ChannelAccount, userId: string, image: OutboundImage, window: ReplyWindow) {
      if (!window.open)
        throw new ChannelSendError('channels.error.window_closed', false, 'outside the consultation window')
      if (image.data.length > ZALO_IMAGE_MAX_BYTES)
        throw new ChannelSendError(
          'channels.error.refused',
          false,
          `image of ${image.data.length} bytes over 1 MB`,
        )
      const form = new FormData()
      form.append('file', new Blob([new Uint8Array(image.data)], { type: image.mime }), image.name)
      const uploaded = await callZalo<{ attachment_id?: string }>(account, `${base}/v2.0/oa/upload/image`, {
        method: 'POST',
        body: form,
      })
      if (!uploaded?.attachment_id)
        throw new ChannelSendError('channels.error.temporary', true, 'upload answered no attachment_id')
      return consultation(account, userId, window, {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'media',
            elements: [{ media_type: 'image', attachment_id: uploaded.attachment_id }],
          },
        },
      })
    },

    /** GET /v3.0/oa/user/detail: the follower's Zalo display name. */
    async profile(account: ChannelAccount, userId: string) {
      const query = encodeURIComponent(JSON.stringify({ user_id: userId }))
      const data = await callZalo<{ display_name?: string }>(
        account,
        `${base}/v3.0/oa/user/detail?data=${query}`,
        {
          method: 'GET',
        },
      )
      const name = data?.display_name?.trim()
      return name ? { displayName: name.slice(0, 120) } : null
    },
  }
}
