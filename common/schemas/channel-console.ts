import { z } from 'zod'
import { ZChannelAccountView, ZConnectZaloRequest } from './channels'

/**
 * The staff console's channel settings beyond the connect forms: "connect with Zalo" (OAuth v4 with
 * PKCE), a retry of a failed reply, the area of an outside contact.
 */

/** Start "connect with Zalo": the app's ids and secrets; the tokens come from Zalo's consent page. */
export const ZStartZaloOAuthRequest = ZConnectZaloRequest.pick({
  appId: true,
  name: true,
  appSecret: true,
  oaSecret: true,
})
export type TStartZaloOAuthRequest = z.infer<typeof ZStartZaloOAuthRequest>

export const ZStartZaloOAuthResponse = z.object({
  /** Zalo's consent page; the browser goes there, and Zalo sends it back to `redirectUri`. */
  authorizationUrl: z.string(),
  redirectUri: z.string(),
})
export type TStartZaloOAuthResponse = z.infer<typeof ZStartZaloOAuthResponse>

export const ZChannelAccountList = z.object({
  accounts: z.array(ZChannelAccountView),
  /** The callback URL to register in the Zalo app's settings ("Official Account → Callback URL"). */
  zaloRedirectUri: z.string(),
})
export type TChannelAccountList = z.infer<typeof ZChannelAccountList>

/** The officer files an outside contact whose area is unknown under one of the unit's areas. */
export const ZSetContactAreaRequest = z.object({ areaId: z.uuid() })
export type TSetContactAreaRequest = z.infer<typeof ZSetContactAreaRequest>

/** What the officer may choose for a conversation in the unit's queue (an empty list once filed). */
export const ZContactAreaOptions = z.object({
  needsArea: z.boolean(),
  areas: z.array(z.object({ id: z.uuid(), name: z.string() })),
})
export type TContactAreaOptions = z.infer<typeof ZContactAreaOptions>

export const ZSetContactAreaResult = z.object({
  /** The conversation that now holds the contact's messages (it may have joined an existing one). */
  conversationId: z.uuid(),
})
export type TSetContactAreaResult = z.infer<typeof ZSetContactAreaResult>
