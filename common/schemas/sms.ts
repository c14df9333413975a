import { z } from 'zod'
import { alertKindValues } from './alerts'

/** Why an SMS was sent: an officer's answer in a conversation, or an alert to a resident who asked for it. */
export const smsPurposeValues = ['reply', 'alert'] as const
/**
 * pending: queued; sent: eSMS took it; delivered / undelivered: the operator's report (eSMS callback);
 * failed: eSMS refused it or could not be reached (not charged).
 */
export const smsSendStatusValues = ['pending', 'sent', 'delivered', 'undelivered', 'failed'] as const
export const smsEncodingValues = ['gsm7', 'ucs2'] as const
export const smsInboundStatusValues = ['pending', 'processed', 'ignored'] as const

const ZQuote = z.object({
  encoding: z.enum(smsEncodingValues),
  text: z.string(),
  segments: z.number().int(),
  costVnd: z.number().int(),
})

/** A unit's SMS budget for this month (Vietnam time). */
export const ZSmsBudget = z.object({
  /** The unit whose budget pays (the nearest unit at or above the area that set one). */
  unitId: z.uuid().nullable(),
  unitName: z.string().nullable(),
  monthlyVnd: z.number().int(),
  spentVnd: z.number().int(),
  remainingVnd: z.number().int(),
})
export type TSmsBudget = z.infer<typeof ZSmsBudget>

/** What the officer sees before answering by SMS: where it goes, the price, the budget left. */
export const ZSmsReplyInfo = z.object({
  /** False with `reason` when this conversation cannot be answered by SMS. */
  available: z.boolean(),
  reason: z.enum(['no_phone', 'no_budget']).nullable(),
  /** The resident's number, masked except the last three digits. */
  phoneMasked: z.string().nullable(),
  priceVndPerSegment: z.number().int(),
  budget: ZSmsBudget,
})
export type TSmsReplyInfo = z.infer<typeof ZSmsReplyInfo>

/** The SMS an answer became: what was charged against the budget. */
export const ZSmsSent = ZQuote.extend({ status: z.enum(smsSendStatusValues) })
export type TSmsSent = z.infer<typeof ZSmsSent>

export const ZSmsReplyRequest = z.object({
  text: z.string().trim().min(1).max(1000),
  /** Send the text without diacritics (GSM-7: fewer segments, lower cost). */
  withoutDiacritics: z.boolean().default(false),
  /** Made once by the client for this answer: a double tap or a retry sends one SMS. */
  clientKey: z.string().min(8).max(100),
})
export type TSmsReplyRequest = z.input<typeof ZSmsReplyRequest>

/** One SMS of the unit's ledger as its commander sees it: what it cost, never who it went to. */
export const ZSmsSendSummary = z.object({
  id: z.uuid(),
  purpose: z.enum(smsPurposeValues),
  status: z.enum(smsSendStatusValues),
  segments: z.number().int(),
  costVnd: z.number().int(),
  createdAt: z.string(),
})
export type TSmsSendSummary = z.infer<typeof ZSmsSendSummary>

/** A unit's SMS settings: the monthly budget and which alert kinds also go by SMS. */
export const ZSmsSettings = z.object({
  unitId: z.uuid(),
  monthlyBudgetVnd: z.number().int(),
  alertKinds: z.array(z.enum(alertKindValues)),
  priceVndPerSegment: z.number().int(),
  spentThisMonthVnd: z.number().int(),
  /** SMS charged to the unit this month (a refused one costs nothing and is not counted). */
  sendsThisMonth: z.number().int(),
  /** The month's latest SMS, newest first (at most 50). */
  recentSends: z.array(ZSmsSendSummary),
  updatedAt: z.string().nullable(),
})
export type TSmsSettings = z.infer<typeof ZSmsSettings>

export const ZUpdateSmsSettings = z.object({
  /** 0 turns SMS off for the unit. Up to 1 billion đồng a month. */
  monthlyBudgetVnd: z.number().int().min(0).max(1_000_000_000),
  alertKinds: z.array(z.enum(alertKindValues)).max(alertKindValues.length),
})
export type TUpdateSmsSettings = z.infer<typeof ZUpdateSmsSettings>
