import type { TChannelPlatform } from '@common/schemas/channels'

/**
 * The channel abstraction: every platform maps its webhook to these events and sends these messages.
 * Nothing past this file (the inbox, conversations, presenters) knows which platform a message used.
 */
export type InboundAttachment =
  | { type: 'image' | 'file' | 'video' | 'audio' | 'sticker'; url: string | null; name: string | null }
  | { type: 'location'; lat: number; lng: number; label: string | null }

interface InboundBase {
  /** The platform's id of the event (message id; made from sender and time where the platform has none). */
  id: string
  /** The sender's id on the platform (page-scoped id, Zalo user id). */
  userId: string
  /** When the platform says it happened (ms since epoch). */
  at: number
  /** An area short code carried by a deep link (m.me ?ref=, Zalo OA link), if any. */
  ref: string | null
}

export type InboundEvent =
  | (InboundBase & {
      kind: 'message'
      text: string
      attachments: InboundAttachment[]
      /** The payload of a quick reply the user tapped. */
      choice: string | null
    })
  | (InboundBase & { kind: 'postback'; text: string; choice: string })
  | (InboundBase & { kind: 'follow' | 'unfollow' | 'referral' })

export interface OutboundMessage {
  text: string
  /** Buttons the user taps to answer (the area question). */
  choices?: { title: string; payload: string }[]
}

/** A connected account with its secrets opened, as adapters need it. */
export interface AccountSecrets {
  appSecret?: string
  verifyToken?: string
  accessToken?: string
  refreshToken?: string
  oaSecret?: string
}

export interface ChannelAccount {
  id: string
  unitId: string
  platform: TChannelPlatform
  externalId: string
  appId: string
  secrets: AccountSecrets
}

/** What the platform allows for a reply now, counted from the contact's last message. */
export type ReplyWindow = { open: true; tag: string | null } | { open: false }

/** A refused or failed send. `retryable` ones go back to the queue with backoff. */
export class ChannelSendError extends Error {
  constructor(
    /** A message key under channels.error.* the composer and the message show. */
    readonly errorKey: string,
    readonly retryable: boolean,
    detail: string,
  ) {
    super(detail)
  }
}

export interface WebhookRequest {
  rawBody: Buffer
  headers: Record<string, string | string[] | undefined>
}

export interface ChannelAdapter {
  platform: TChannelPlatform
  /** True when the request really comes from the platform for this account (signature, freshness). */
  verify(account: ChannelAccount, request: WebhookRequest, now: number): boolean
  /** The events of one verified delivery, in the platform's order. */
  parse(body: unknown): InboundEvent[]
  replyWindow(lastInboundAt: Date | null, now: number): ReplyWindow
  /** Sends one message; resolves with the platform's message id, or throws ChannelSendError. */
  send(
    account: ChannelAccount,
    userId: string,
    message: OutboundMessage,
    window: ReplyWindow,
  ): Promise<string>
}
