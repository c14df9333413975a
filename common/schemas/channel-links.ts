import { z } from 'zod'
import { ZChannelPlatform } from './channels'

/** A fresh one-time code the resident sends from Zalo / Messenger (or reads to the officer). */
export const ZLinkCodeView = z.object({
  /** "NC-7K4QX2": spaces, hyphens and case do not matter when it is typed back. */
  code: z.string(),
  expiresAt: z.string(),
})
export type TLinkCodeView = z.infer<typeof ZLinkCodeView>

/** A Zalo / Messenger contact linked to the signed-in resident. */
export const ZLinkedContactView = z.object({
  id: z.uuid(),
  platform: ZChannelPlatform,
  displayName: z.string(),
  /** The Page or OA they write to. */
  accountName: z.string(),
  areaName: z.string().nullable(),
  linkedAt: z.string().nullable(),
})
export type TLinkedContactView = z.infer<typeof ZLinkedContactView>

/** The officer types the code the resident reads out to them. */
export const ZLinkContactRequest = z.object({
  code: z.string().trim().min(6).max(20),
})
export type TLinkContactRequest = z.infer<typeof ZLinkContactRequest>

export const ZLinkContactResult = z.object({
  /** The conversation that now holds the contact's messages (theirs merged into the resident's). */
  conversationId: z.uuid().nullable(),
})
export type TLinkContactResult = z.infer<typeof ZLinkContactResult>
