import { createHmac, timingSafeEqual } from 'node:crypto'
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

const DAY = 24 * 3600_000

/** Messenger quick replies: at most 13, titles at most 20 characters. */
const MAX_QUICK_REPLIES = 13

/** X-Hub-Signature-256: "sha256=" + HMAC-SHA256 of the raw body with the app secret, compared in constant time. */
export function messengerSignature(appSecret: string, rawBody: Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`
}

export function safeEqualText(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

interface MessagingItem {
  sender?: { id?: string }
  timestamp?: number
  message?: {
    mid?: string
    text?: string
    is_echo?: boolean
    quick_reply?: { payload?: string }
    attachments?: {
      type?: string
      payload?: { url?: string; title?: string; coordinates?: { lat?: number; long?: number } }
    }[]
  }
  postback?: { mid?: string; title?: string; payload?: string; referral?: { ref?: string } }
  referral?: { ref?: string }
}

function attachmentOf(
  a: NonNullable<NonNullable<MessagingItem['message']>['attachments']>[number],
): InboundAttachment | null {
  const p = a.payload ?? {}
  if (a.type === 'location' && p.coordinates?.lat !== undefined && p.coordinates.long !== undefined)
    return { type: 'location', lat: p.coordinates.lat, lng: p.coordinates.long, label: p.title ?? null }
  if (a.type === 'image' || a.type === 'file' || a.type === 'video' || a.type === 'audio')
    return { type: a.type, url: p.url ?? null, name: p.title ?? null }
  return null
}

function eventOf(item: MessagingItem): InboundEvent | null {
  const userId = item.sender?.id
  const at = Number(item.timestamp ?? Date.now())
  if (!userId) return null
  if (item.message) {
    // Echoes are the page's own sends (ours included): never an inbound message.
    if (item.message.is_echo || !item.message.mid) return null
    return {
      kind: 'message',
      id: item.message.mid,
      userId,
      at,
      ref: null,
      text: item.message.text ?? '',
      attachments: (item.message.attachments ?? []).map(attachmentOf).filter((a) => a !== null),
      choice: item.message.quick_reply?.payload ?? null,
    }
  }
  if (item.postback) {
    return {
      kind: 'postback',
      id: item.postback.mid ?? `postback:${userId}:${at}`,
      userId,
      at,
      ref: item.postback.referral?.ref ?? null,
      text: item.postback.title ?? '',
      choice: item.postback.payload ?? '',
    }
  }
  if (item.referral?.ref) {
    return { kind: 'referral', id: `referral:${userId}:${at}`, userId, at, ref: item.referral.ref }
  }
  return null
}

interface GraphError {
  error?: { code?: number; error_subcode?: number; message?: string }
}

/** Graph API error codes → what the officer sees and whether a retry can help. */
function sendError(status: number, body: GraphError): ChannelSendError {
  const code = body.error?.code
  const sub = body.error?.error_subcode
  const detail = `Graph API ${status}: ${code ?? '-'}/${sub ?? '-'} ${body.error?.message ?? ''}`
  if (code === 10 || sub === 2018278 || sub === 2018065)
    return new ChannelSendError('channels.error.window_closed', false, detail)
  if (code === 190 || code === 102) return new ChannelSendError('channels.error.token_invalid', false, detail)
  if (code === 551 || sub === 1545041)
    return new ChannelSendError('channels.error.recipient_unavailable', false, detail)
  if (
    status >= 500 ||
    code === 1 ||
    code === 2 ||
    code === 4 ||
    code === 613 ||
    code === 1200 ||
    code === 80006 ||
    code === 32
  )
    return new ChannelSendError('channels.error.temporary', true, detail)
  return new ChannelSendError('channels.error.refused', false, detail)
}

/**
 * Insights errors: as for a send, except that #10 and #200 here mean the token lacks read_insights /
 * pages_read_engagement, and #100 a metric Meta no longer serves (refused: retrying cannot help).
 */
function insightsError(status: number, body: GraphError): ChannelSendError {
  const code = body.error?.code
  if (code === 10 || code === 200 || code === 100)
    return new ChannelSendError(
      'channels.error.refused',
      false,
      `Graph API ${status}: ${code} ${body.error?.message ?? ''}`,
    )
  return sendError(status, body)
}

/**
 * The post metric read back as "reach": people the post was shown to at least once. Meta retired
 * `post_impressions_unique` on 15 June 2025 (an invalid-metric error since) for this one
 * (developers.facebook.com/docs/platforminsights/page/deprecated-metrics).
 */
export const POST_REACH_METRIC = 'post_total_media_view_unique'

/** One Graph API call; Meta's error codes become what the officer sees and whether to retry. */
async function callGraph<T>(url: string, init: RequestInit, toError = sendError): Promise<T> {
  let response: Response
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) })
  } catch (err) {
    throw new ChannelSendError(
      'channels.error.temporary',
      true,
      `Graph API unreachable: ${(err as Error).message}`,
    )
  }
  const body = (await response.json().catch(() => ({}))) as GraphError & T
  if (!response.ok || body.error) throw toError(response.status, body)
  return body
}

/** The Messenger Platform: webhook (hub handshake, X-Hub-Signature-256) and the Send API. */
export function messengerAdapter(opts: { graphUrl: string; version: string }): ChannelAdapter {
  const base = opts.graphUrl.replace(/\/$/, '')

  /** POST /me/messages: one message to the person, tagged HUMAN_AGENT past the 24 hours. */
  async function sendApi(account: ChannelAccount, userId: string, window: ReplyWindow, message: object) {
    if (!window.open)
      throw new ChannelSendError('channels.error.window_closed', false, 'outside the reply window')
    const token = encodeURIComponent(account.secrets.accessToken ?? '')
    const body = await callGraph<{ message_id?: string }>(
      `${base}/${opts.version}/me/messages?access_token=${token}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          recipient: { id: userId },
          ...(window.tag
            ? { messaging_type: 'MESSAGE_TAG', tag: window.tag }
            : { messaging_type: 'RESPONSE' }),
          message,
        }),
      },
    )
    return body.message_id ?? ''
  }

  return {
    platform: 'messenger',

    verify(account: ChannelAccount, request: WebhookRequest) {
      const header = request.headers['x-hub-signature-256']
      const secret = account.secrets.appSecret
      if (typeof header !== 'string' || !secret) return false
      return safeEqualText(header, messengerSignature(secret, request.rawBody))
    },

    parse(body: unknown) {
      const b = body as { object?: string; entry?: { messaging?: MessagingItem[] }[] }
      if (b?.object !== 'page' || !Array.isArray(b.entry)) return []
      return b.entry
        .flatMap((e) => (Array.isArray(e.messaging) ? e.messaging : []))
        .map(eventOf)
        .filter((e) => e !== null)
    },

    /** 24 h of standard replies after the person's last message, then the HUMAN_AGENT tag up to 7 days. */
    replyWindow(lastInboundAt: Date | null, now: number): ReplyWindow {
      if (!lastInboundAt) return { open: false }
      const age = now - lastInboundAt.getTime()
      if (age <= DAY) return { open: true, tag: null }
      if (age <= 7 * DAY) return { open: true, tag: 'HUMAN_AGENT' }
      return { open: false }
    },

    async send(account: ChannelAccount, userId: string, message: OutboundMessage, window: ReplyWindow) {
      return sendApi(account, userId, window, {
        text: message.text,
        ...(message.choices?.length
          ? {
              quick_replies: message.choices.slice(0, MAX_QUICK_REPLIES).map((c) => ({
                content_type: 'text',
                title: c.title.slice(0, 20),
                payload: c.payload,
              })),
            }
          : {}),
      })
    },

    /**
     * The Attachment Upload API (`POST /me/message_attachments`, multipart: `message` with the type,
     * `filedata` with the bytes) gives an attachment id; the Send API then sends it. A message carries
     * text or one attachment, never both: the caller sends the text first.
     */
    async sendImage(account: ChannelAccount, userId: string, image: OutboundImage, window: ReplyWindow) {
      if (!window.open)
        throw new ChannelSendError('channels.error.window_closed', false, 'outside the reply window')
      const token = encodeURIComponent(account.secrets.accessToken ?? '')
      const form = new FormData()
      form.append(
        'message',
        JSON.stringify({ attachment: { type: 'image', payload: { is_reusable: true } } }),
      )
      form.append('filedata', new Blob([new Uint8Array(image.data)], { type: image.mime }), image.name)
      const uploaded = await callGraph<{ attachment_id?: string }>(
        `${base}/${opts.version}/me/message_attachments?access_token=${token}`,
        { method: 'POST', body: form },
      )
      if (!uploaded.attachment_id)
        throw new ChannelSendError('channels.error.temporary', true, 'upload answered no attachment_id')
      return sendApi(account, userId, window, {
        attachment: { type: 'image', payload: { attachment_id: uploaded.attachment_id } },
      })
    },

    /** The Pages API: POST /{page-id}/feed with `message` and `link`, as the page (page token). */
    async publishPost(account: ChannelAccount, post: { message: string; link: string }) {
      const token = encodeURIComponent(account.secrets.accessToken ?? '')
      const body = await callGraph<{ id?: string }>(
        `${base}/${opts.version}/${encodeURIComponent(account.externalId)}/feed?access_token=${token}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(post),
        },
      )
      return body.id ?? ''
    },

    /** GET /{post-id}/insights?metric=…: the lifetime figure; a Page under 100 likes has none (null). */
    async readPostReach(account: ChannelAccount, postId: string) {
      const token = encodeURIComponent(account.secrets.accessToken ?? '')
      const body = await callGraph<{ data?: { name?: string; values?: { value?: unknown }[] }[] }>(
        `${base}/${opts.version}/${encodeURIComponent(postId)}/insights?metric=${POST_REACH_METRIC}&access_token=${token}`,
        { method: 'GET' },
        insightsError,
      )
      const value = body.data?.find((m) => m.name === POST_REACH_METRIC)?.values?.at(-1)?.value
      return typeof value === 'number' && Number.isFinite(value) ? value : null
    },

    /** The User Profile API: GET /{PSID}?fields=name with the page token. */
    async profile(account: ChannelAccount, userId: string) {
      const token = encodeURIComponent(account.secrets.accessToken ?? '')
      const body = await callGraph<{ name?: string; first_name?: string; last_name?: string }>(
        `${base}/${opts.version}/${encodeURIComponent(userId)}?fields=name,first_name,last_name&access_token=${token}`,
        { method: 'GET' },
      )
      const name = (body.name ?? [body.last_name, body.first_name].filter(Boolean).join(' ')).trim()
      return name ? { displayName: name.slice(0, 120) } : null
    },
  }
}
