import { createHmac, timingSafeEqual } from 'node:crypto'
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

/** The Messenger Platform: webhook (hub handshake, X-Hub-Signature-256) and the Send API. */
export function messengerAdapter(opts: { graphUrl: string; version: string }): ChannelAdapter {
  const base = opts.graphUrl.replace(/\/$/, '')
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
      if (!window.open)
        throw new ChannelSendError('channels.error.window_closed', false, 'outside the reply window')
      const token = account.secrets.accessToken ?? ''
      const url = `${base}/${opts.version}/me/messages?access_token=${encodeURIComponent(token)}`
      const payload = {
        recipient: { id: userId },
        ...(window.tag ? { messaging_type: 'MESSAGE_TAG', tag: window.tag } : { messaging_type: 'RESPONSE' }),
        message: {
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
        },
      }
      let response: Response
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(10_000),
        })
      } catch (err) {
        throw new ChannelSendError(
          'channels.error.temporary',
          true,
          `Graph API unreachable: ${(err as Error).message}`,
        )
      }
      const body = (await response.json().catch(() => ({}))) as GraphError & { message_id?: string }
      if (!response.ok || body.error) throw sendError(response.status, body)
      return body.message_id ?? ''
    },
  }
}
