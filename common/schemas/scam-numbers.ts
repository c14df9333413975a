import { z } from 'zod'
import { ZText } from './text'

/**
 * Scam numbers reported by residents (issue 17.1). A resident reports a number the caller check
 * said is not an officer's; staff of the reporter's area verify it; a verified number has a public
 * page and feed with counts per week and province — never who reported.
 */

/** What the caller claimed to be (domain-vn.md §4: the common impersonation patterns). */
export const scamClaimValues = [
  'police',
  'area_officer',
  'traffic_police',
  'procuracy_court',
  'vneid_support',
  'other',
] as const
export type TScamClaim = (typeof scamClaimValues)[number]

export const scamReportStatusValues = ['pending', 'verified', 'rejected'] as const
export type TScamReportStatus = (typeof scamReportStatusValues)[number]

export const scamNumberStatusValues = ['reported', 'verified'] as const

/** The largest amount a resident may say was asked for: 1,000 billion VND. */
export const SCAM_AMOUNT_MAX = 1_000_000_000_000

export const ZCreateScamReportRequest = z.object({
  /** As typed: 0912 345 678, +84 912.345.678… The server normalises it. */
  phone: z.string().max(40),
  claimedAs: z.enum(scamClaimValues),
  /** When the call came (the client turns "vừa xong / hôm nay / hôm qua" into a time). */
  calledAt: z.iso.datetime({ offset: true }),
  amountVnd: z.number().int().min(0).max(SCAM_AMOUNT_MAX).nullable().optional(),
  note: ZText.trim().max(500).optional(),
  /** Made once by the client: a double tap or a retry returns the first report. */
  clientKey: z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'i18n:scam.client_key'),
})
export type TCreateScamReportRequest = z.input<typeof ZCreateScamReportRequest>

/** A report as its reporter sees it. */
export const ZMyScamReport = z.object({
  id: z.uuid(),
  phone: z.string(),
  claimedAs: z.enum(scamClaimValues),
  calledAt: z.string(),
  amountVnd: z.number().nullable(),
  note: z.string().nullable(),
  status: z.enum(scamReportStatusValues),
  createdAt: z.string(),
})
export type TMyScamReport = z.infer<typeof ZMyScamReport>

export const ZScamReportSubmitted = z.object({ report: ZMyScamReport, created: z.boolean() })
export const ZMyScamReports = z.object({ items: z.array(ZMyScamReport) })

/** A report in the staff queue: the reporter's name and phone are here (every read audited). */
export const ZStaffScamReport = ZMyScamReport.extend({
  area: z.object({ id: z.uuid(), name: z.string() }),
  reporter: z.object({ name: z.string(), phone: z.string().nullable() }),
  reviewNote: z.string().nullable(),
  number: z.object({
    status: z.enum(scamNumberStatusValues),
    /** People who reported it (not rejected), everywhere. */
    reporters: z.number().int(),
    alertId: z.uuid().nullable(),
  }),
  can: z.array(z.enum(['review', 'raiseAlert'])),
})
export type TStaffScamReport = z.infer<typeof ZStaffScamReport>

export const ZScamQueueQuery = z.object({
  status: z.enum(['pending', 'verified', 'rejected', 'all']).default('pending'),
})
export const ZScamQueue = z.object({ items: z.array(ZStaffScamReport) })

export const ZScamReviewRequest = z.object({
  decision: z.enum(['verify', 'reject']),
  note: ZText.trim().max(500).optional(),
})

export const ZScamNumberParams = z.object({ phone: z.string().max(40) })

/** Below this many people a public count is not given (k-anonymity): a neighbour could tell who reported. */
export const SCAM_PUBLIC_MIN_COUNT = 3

/** A count on the public page: null when fewer than SCAM_PUBLIC_MIN_COUNT people ("fewer than 3"). */
const ZPublicCount = z.number().int().nullable()

/** Counts only: a province's name and how many people reported, per ISO week (Monday, Việt Nam time). */
export const ZScamCounts = z.object({
  /** Distinct reporters in the last 7 days, and where most of them live. */
  last7Days: z.object({
    total: ZPublicCount,
    provinces: z.array(z.object({ name: z.string(), count: ZPublicCount })),
  }),
  weeks: z.array(z.object({ weekStart: z.string(), province: z.string(), count: ZPublicCount })),
})

export const ZScamNumberPage = z.object({
  /** +84… */
  phone: z.string(),
  /** 0912 345 678 */
  display: z.string(),
  verifiedAt: z.string(),
  firstReportedAt: z.string(),
  lastReportedAt: z.string(),
  reporters: ZPublicCount,
  claims: z.array(z.object({ claimedAs: z.enum(scamClaimValues), count: ZPublicCount })),
  counts: ZScamCounts,
  alert: z.object({ id: z.uuid(), headline: z.string() }).nullable(),
})
export type TScamNumberPage = z.infer<typeof ZScamNumberPage>

/** One verified number in the public feed (JSON; the CSV has the same columns). */
export const ZScamFeedItem = z.object({
  phone: z.string(),
  display: z.string(),
  verifiedAt: z.string(),
  firstReportedAt: z.string(),
  lastReportedAt: z.string(),
  reporters: z.number().int(),
  reportersLast7Days: z.number().int(),
  claims: z.array(z.enum(scamClaimValues)),
  pageUrl: z.string(),
})
export const ZScamFeed = z.object({
  generatedAt: z.string(),
  licence: z.string(),
  items: z.array(ZScamFeedItem),
})
export type TScamFeed = z.infer<typeof ZScamFeed>

/** The line the caller check adds for a verified scam number. */
export const ZScamCallerCheckLine = z.object({
  verified: z.literal(true),
  reportersLast7Days: z.number().int(),
  /** The province with the most reporters in the last 7 days (null when none this week). */
  province: z.string().nullable(),
  reporters: z.number().int(),
  /** The sentence in the caller's language. */
  text: z.string(),
})
export type TScamCallerCheckLine = z.infer<typeof ZScamCallerCheckLine>

export const ZRaiseScamAlertResult = z.object({
  alertId: z.uuid(),
  state: z.string(),
  created: z.boolean(),
  reportIds: z.array(z.uuid()),
})
