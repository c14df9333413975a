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

/** A photo of ours (stored already stripped of metadata by the upload path), as its bytes. */
export interface OutboundImage {
  data: Buffer
  mime: string
  name: string
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
  /**
   * The person's display name from the platform's profile API (Zalo OA user detail, Messenger User
   * Profile); null when the platform does not give it. Throws ChannelSendError like `send`.
   */
  profile(account: ChannelAccount, userId: string): Promise<{ displayName: string } | null>
  /**
   * Posts to the account's own wall (a Page's feed); resolves with the platform's post id, or throws
   * ChannelSendError. Absent where the platform has no such API open to the account (Zalo OA).
   */
  publishPost?(account: ChannelAccount, post: { message: string; link: string }): Promise<string>
  /**
   * How many people a post of publishPost reached, as the platform counts them; null when it has no
   * figure for it (yet). Throws ChannelSendError.
   */
  readPostReach?(account: ChannelAccount, postId: string): Promise<number | null>
  /** Sends one message; resolves with the platform's message id, or throws ChannelSendError. */
  send(
    account: ChannelAccount,
    userId: string,
    message: OutboundMessage,
    window: ReplyWindow,
  ): Promise<string>
  /**
   * Sends one photo: uploaded to the platform first (its attachment id), then a message referring to
   * it, so no public URL of ours is needed. Resolves with the platform's message id, or throws
   * ChannelSendError (a refused upload too).
   */
  sendImage(
    account: ChannelAccount,
    userId: string,
    image: OutboundImage,
    window: ReplyWindow,
  ): Promise<string>
}
