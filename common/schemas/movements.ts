import { z } from 'zod'

/**
 * Movements of residents (di biến động dân cư): stay notifications (lưu trú), tenants in and out,
 * absences (tạm vắng), hotel guests; the officer's review; the area's working register.
 * Collect the minimum: who, which ID, where, from when to when, and the relation to the host.
 */

export const reportKindValues = ['stay', 'tenant_in', 'tenant_out', 'absence', 'guest'] as const
export type TReportKind = (typeof reportKindValues)[number]
export const reportStatusValues = ['pending', 'needs_correction', 'confirmed', 'rejected'] as const
export type TReportStatus = (typeof reportStatusValues)[number]
export const idKindValues = ['citizen_id', 'passport'] as const
export type TIdKind = (typeof idKindValues)[number]
/** The host's relation to the guest (stay notifications). Close relatives need reporting once only (§9). */
export const relationValues = [
  'grandparent',
  'parent',
  'spouse',
  'child',
  'grandchild',
  'sibling',
  'other_relative',
  'friend',
  'other',
] as const
export const closeRelations: readonly string[] = [
  'grandparent',
  'parent',
  'spouse',
  'child',
  'grandchild',
  'sibling',
]
export const reviewDecisionValues = ['confirm', 'request_correction', 'reject'] as const
export const residenceValues = ['permanent', 'temporary', 'stay'] as const
export const conflictCodeValues = ['same_id_elsewhere', 'tenant_not_self_reported'] as const
export const registerChangeValues = ['entered', 'arrived', 'extended', 'away', 'left', 'corrected'] as const
export type TResidence = (typeof residenceValues)[number]
export const reporterCapacityValues = ['household', 'landlord', 'business'] as const

export const ZDate = z.iso.date({ message: 'i18n:movements.date_invalid' })
/** Multipart and form fields arrive as strings: "" means "not given". */
export const blank = (v: unknown) => (v === '' || v === null ? undefined : v)

/** The person a report is about; an ID check that names the field when it fails. */
export const ZPersonFields = z
  .object({
    fullName: z.string().trim().min(2, 'i18n:movements.full_name_required').max(120),
    idKind: z.enum(idKindValues, { message: 'i18n:movements.id_kind_required' }),
    idNumber: z
      .string()
      .trim()
      .transform((s) => s.replace(/\s+/g, '').toUpperCase()),
    nationality: z.preprocess(
      blank,
      z
        .string()
        .trim()
        .transform((s) => s.toUpperCase())
        .pipe(z.string().regex(/^[A-Z]{2}$/, 'i18n:movements.nationality_invalid'))
        .optional(),
    ),
  })
  .superRefine((p, ctx) => {
    if (p.idKind === 'citizen_id' && !/^\d{12}$/.test(p.idNumber))
      ctx.addIssue({ code: 'custom', path: ['idNumber'], message: 'i18n:movements.citizen_id_invalid' })
    if (p.idKind === 'passport' && !/^[A-Z0-9]{6,9}$/.test(p.idNumber))
      ctx.addIssue({ code: 'custom', path: ['idNumber'], message: 'i18n:movements.passport_invalid' })
    if (p.idKind === 'passport' && !p.nationality)
      ctx.addIssue({ code: 'custom', path: ['nationality'], message: 'i18n:movements.nationality_required' })
  })

const ZPlace = {
  /** The residential group of the address; a household's own area when left out. */
  areaId: z.preprocess(blank, z.uuid({ message: 'i18n:movements.area_required' }).optional()),
  /** House number and street; the household's registered address when left out. */
  address: z.preprocess(
    blank,
    z.string().trim().min(3, 'i18n:movements.address_required').max(200).optional(),
  ),
}
const ZClientKey = { clientKey: z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'i18n:movements.client_key') }
export const ZArrival = z.preprocess(
  blank,
  z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'i18n:movements.time_invalid')
    .optional(),
)
export const ZNote = z.preprocess(blank, z.string().trim().max(500).optional())

export const datesInOrder = (r: { fromDate: string; toDate?: string | undefined }) =>
  !r.toDate || r.toDate >= r.fromDate
export const orderIssue = { path: ['toDate'], message: 'i18n:movements.dates_order' }

const stayLike = {
  ...ZClientKey,
  ...ZPlace,
  person: ZPersonFields,
  fromDate: ZDate,
  toDate: ZDate,
  /** Arrival time (HH:MM, Asia/Ho_Chi_Minh): after 23:00 the deadline moves to 08:00 next day. */
  arrivalTime: ZArrival,
  note: ZNote,
}

export const ZStayReport = z
  .object({
    kind: z.literal('stay'),
    ...stayLike,
    relation: z.enum(relationValues, { message: 'i18n:movements.relation_required' }),
  })
  .refine(datesInOrder, orderIssue)
export const ZTenantInReport = z
  .object({ kind: z.literal('tenant_in'), ...stayLike })
  .refine(datesInOrder, orderIssue)
export const ZGuestReport = z
  .object({ kind: z.literal('guest'), ...stayLike })
  .refine(datesInOrder, orderIssue)
export const ZTenantOutReport = z.object({
  kind: z.literal('tenant_out'),
  ...ZClientKey,
  ...ZPlace,
  person: ZPersonFields,
  /** The day the tenant left. */
  fromDate: ZDate,
  note: ZNote,
})
export const ZAbsenceReport = z
  .object({
    kind: z.literal('absence'),
    ...ZClientKey,
    ...ZPlace,
    person: ZPersonFields,
    fromDate: ZDate,
    toDate: ZDate,
    destination: z.string().trim().min(3, 'i18n:movements.destination_required').max(200),
    reason: z.string().trim().min(2, 'i18n:movements.reason_required').max(200),
    note: ZNote,
  })
  .refine(datesInOrder, orderIssue)

export const ZCreateReportRequest = z.discriminatedUnion('kind', [
  ZStayReport,
  ZTenantInReport,
  ZTenantOutReport,
  ZAbsenceReport,
  ZGuestReport,
])
export type TCreateReportRequest = z.infer<typeof ZCreateReportRequest>

export const ZReviewRequest = z
  .object({
    decision: z.enum(reviewDecisionValues),
    note: z.preprocess(blank, z.string().trim().max(500).optional()),
  })
  .refine((r) => r.decision === 'confirm' || (r.note ?? '').length >= 3, {
    path: ['note'],
    message: 'i18n:movements.review_note_required',
  })
export type TReviewRequest = z.infer<typeof ZReviewRequest>

export const ZPersonView = z.object({
  fullName: z.string(),
  idKind: z.enum(idKindValues),
  idNumber: z.string(),
  nationality: z.string().nullable(),
  isForeign: z.boolean(),
})

export const ZReportView = z.object({
  id: z.uuid(),
  kind: z.enum(reportKindValues),
  status: z.enum(reportStatusValues),
  area: z.object({ id: z.uuid(), name: z.string() }),
  address: z.string(),
  person: ZPersonView,
  relation: z.enum(relationValues).nullable(),
  fromDate: z.string(),
  toDate: z.string().nullable(),
  arrivalTime: z.string().nullable(),
  destination: z.string().nullable(),
  reason: z.string().nullable(),
  note: z.string().nullable(),
  guestListId: z.uuid().nullable(),
  submittedAt: z.string(),
  /** The law's deadline for sending this report (§9: 23:00 of the first day, or 08:00 the next). */
  dueAt: z.string().nullable(),
  /** Sent after the law's deadline. */
  isLate: z.boolean(),
  /** Waiting for the officer past the review time (one day). */
  isOverdue: z.boolean(),
  reviewNote: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewerName: z.string().nullable(),
  /** Staff only: who sent it. */
  reporter: z.object({ name: z.string(), capacity: z.enum(reporterCapacityValues) }).optional(),
  /** Staff only: what looks wrong (same ID elsewhere at the same time…). */
  conflicts: z.array(z.object({ code: z.enum(conflictCodeValues), detail: z.string() })).optional(),
  can: z.array(z.string()),
})
export type TReportView = z.infer<typeof ZReportView>
export const ZReportSubmitted = z.object({ report: ZReportView, created: z.boolean() })
export type TReportSubmitted = z.infer<typeof ZReportSubmitted>
export const ZReportList = z.object({ items: z.array(ZReportView) })

export const ZQueueQuery = z.object({
  status: z.enum([...reportStatusValues, 'open']).default('open'),
  areaId: z.uuid().optional(),
  kind: z.enum(reportKindValues).optional(),
})

/** What a signed-in resident may report, and where. */
export const ZCapabilities = z.object({
  household: z.object({ areaId: z.uuid(), areaName: z.string(), address: z.string().nullable() }).nullable(),
  landlordAreas: z.array(z.object({ id: z.uuid(), name: z.string() })),
  businessAreas: z.array(z.object({ id: z.uuid(), name: z.string() })),
})
export type TCapabilities = z.infer<typeof ZCapabilities>

// The register.
export const registerStatusValues = ['permanent', 'temporary', 'stay', 'away', 'expired', 'left'] as const
export const ZRegisterPerson = z.object({
  id: z.uuid(),
  fullName: z.string(),
  idKind: z.enum(idKindValues),
  idNumber: z.string(),
  nationality: z.string().nullable(),
  isForeign: z.boolean(),
  residence: z.enum(residenceValues),
  status: z.enum(registerStatusValues),
  fromDate: z.string().nullable(),
  untilDate: z.string().nullable(),
  awayFrom: z.string().nullable(),
  awayUntil: z.string().nullable(),
  endedOn: z.string().nullable(),
})
export type TRegisterPerson = z.infer<typeof ZRegisterPerson>
export const ZRegisterHousehold = z.object({
  id: z.uuid(),
  area: z.object({ id: z.uuid(), name: z.string() }),
  address: z.string(),
  people: z.array(ZRegisterPerson),
})
export const ZRegisterPage = z.object({
  items: z.array(ZRegisterHousehold),
  nextCursor: z.string().nullable(),
})
export const ZRegisterQuery = z.object({
  areaId: z.uuid().optional(),
  q: z.string().trim().max(100).optional(),
  includeLeft: z.enum(['true', 'false']).optional(),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
})
export const ZRegisterHistoryItem = z.object({
  at: z.string(),
  change: z.enum(registerChangeValues),
  fromDate: z.string().nullable(),
  untilDate: z.string().nullable(),
  reportId: z.uuid().nullable(),
  actorName: z.string().nullable(),
})
export type TRegisterHistoryItem = z.infer<typeof ZRegisterHistoryItem>
export const ZRegisterPersonDetail = ZRegisterPerson.extend({
  household: z.object({
    id: z.uuid(),
    address: z.string(),
    area: z.object({ id: z.uuid(), name: z.string() }),
  }),
  history: z.array(ZRegisterHistoryItem),
})
export const ZExpiringItem = ZRegisterPerson.extend({
  address: z.string(),
  area: z.object({ id: z.uuid(), name: z.string() }),
})
export const ZExpiringList = z.object({ items: z.array(ZExpiringItem) })

/** The officer's own entry: a permanent resident, or a correction from a home visit. */
export const ZRegisterEntryRequest = z
  .object({
    areaId: z.uuid({ message: 'i18n:movements.area_required' }),
    address: z.string().trim().min(3, 'i18n:movements.address_required').max(200),
    person: ZPersonFields,
    residence: z.enum(residenceValues),
    fromDate: z.preprocess(blank, ZDate.optional()),
    untilDate: z.preprocess(blank, ZDate.optional()),
  })
  .refine((r) => !r.fromDate || !r.untilDate || r.untilDate >= r.fromDate, {
    path: ['untilDate'],
    message: 'i18n:movements.dates_order',
  })
  .refine((r) => r.residence === 'permanent' || !!r.untilDate, {
    path: ['untilDate'],
    message: 'i18n:movements.until_required',
  })

/** Commanders' (and officers') counts per area: no names, no ID numbers. */
export const ZAreaCount = z.object({
  area: z.object({ id: z.uuid(), name: z.string() }),
  reportsThisWeek: z.number().int(),
  pending: z.number().int(),
  overdue: z.number().int(),
  awaitingCorrection: z.number().int(),
})
export const ZAreaCounts = z.object({
  /** Monday of this week in Việt Nam (YYYY-MM-DD). */
  weekStart: z.string(),
  items: z.array(ZAreaCount),
  totals: ZAreaCount.omit({ area: true }),
})
export type TAreaCounts = z.infer<typeof ZAreaCounts>
