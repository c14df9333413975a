import { z } from 'zod'

/** Where a direct conversation's resident writes from. */
export const channelValues = ['web', 'messenger', 'zalo'] as const
export const ZChannel = z.enum(channelValues)
export type TChannel = z.infer<typeof ZChannel>

/** The outside platforms a unit can connect. */
export const channelPlatformValues = ['messenger', 'zalo'] as const
export const ZChannelPlatform = z.enum(channelPlatformValues)
export type TChannelPlatform = z.infer<typeof ZChannelPlatform>

/**
 * How a message travelled outside the app: an officer's reply to a Zalo or Messenger contact, an
 * answer by SMS (pending → sent or failed), or a resident's reply received by SMS (sent).
 */
export const deliveryStatusValues = ['pending', 'sent', 'failed'] as const
export const deliveryChannelValues = ['messenger', 'zalo', 'sms'] as const
export const ZMessageDelivery = z.object({
  channel: z.enum(deliveryChannelValues),
  status: z.enum(deliveryStatusValues),
  /** A message key (channels.error.*) the UI shows on a failed message. */
  errorKey: z.string().nullable(),
  attempts: z.number().int(),
  /** How many times staff sent a failed reply again (each retry is one new delivery job). */
  retries: z.number().int().optional(),
  /**
   * How many parts of a reply the platform already took (its text, then each photo, one send each), so a
   * retry sends only the rest. Kept on the row, never presented.
   */
  sentParts: z.number().int().optional(),
})
export type TMessageDelivery = z.infer<typeof ZMessageDelivery>

/** Connect (or reconnect) a Facebook Page; the secrets are write-only. */
export const ZConnectMessengerRequest = z.object({
  pageId: z
    .string()
    .trim()
    .regex(/^\d{1,30}$/),
  name: z.string().trim().max(200).default(''),
  appSecret: z.string().trim().min(8).max(200),
  pageAccessToken: z.string().trim().min(8).max(1000),
  verifyToken: z.string().trim().min(8).max(200),
})
export type TConnectMessengerRequest = z.infer<typeof ZConnectMessengerRequest>

/** Connect (or reconnect) a Zalo OA with the tokens of its OAuth v4 grant; the secrets are write-only. */
export const ZConnectZaloRequest = z.object({
  oaId: z
    .string()
    .trim()
    .regex(/^\d{1,30}$/),
  appId: z
    .string()
    .trim()
    .regex(/^\d{1,30}$/),
  name: z.string().trim().max(200).default(''),
  /** The app's secret key (OAuth token refresh). */
  appSecret: z.string().trim().min(8).max(200),
  /** The OA secret key (webhook signatures). */
  oaSecret: z.string().trim().min(8).max(200),
  accessToken: z.string().trim().min(8).max(2000),
  refreshToken: z.string().trim().min(8).max(2000),
  /** Seconds the access token is valid for, as the OAuth answer said (about 25 hours). */
  expiresIn: z
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 3600)
    .default(90_000),
})
export type TConnectZaloRequest = z.infer<typeof ZConnectZaloRequest>

/** A connected account as staff see it: never a secret. */
export const ZChannelAccountView = z.object({
  id: z.uuid(),
  unitId: z.uuid(),
  platform: ZChannelPlatform,
  externalId: z.string(),
  name: z.string(),
  status: z.enum(['active', 'disabled']),
  /** The URL to paste in the platform's webhook settings. */
  webhookUrl: z.string(),
  tokenExpiresAt: z.string().nullable(),
  lastEventAt: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
})
export type TChannelAccountView = z.infer<typeof ZChannelAccountView>
