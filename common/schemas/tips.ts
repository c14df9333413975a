import { z } from 'zod'

/** Request and response shapes of tips, cases, requests for help and the staff map. */

export const tipCategoryValues = [
  'suspicious_person',
  'suspicious_vehicle',
  'theft',
  'disorder_fight',
  'drugs',
  'gambling',
  'fire_hazard',
  'traffic',
  'scam',
  'lost_property',
  'other',
] as const
export type TTipCategory = (typeof tipCategoryValues)[number]
export const tipStatusValues = ['new', 'in_review', 'linked', 'closed'] as const
export const contactPreferenceValues = ['none', 'in_app', 'phone_call', 'sms'] as const
export const locationSourceValues = ['pin', 'gps', 'address', 'area'] as const

export const TIP_DESCRIPTION_MAX = 4000
export const TIP_MAX_FILES = 6
/** Videos per anonymous tip or tip-code follow-up (photos as any tip): a clip is up to 100 MB (F9). */
export const ANONYMOUS_MAX_VIDEOS = 2
export const PHOTO_MAX_BYTES = 20 * 1024 * 1024
export const VIDEO_MAX_BYTES = 100 * 1024 * 1024
/** The web form refuses longer clips before uploading (a tip needs the moment, not the evening). */
export const VIDEO_MAX_SECONDS = 5 * 60

const ZId = z.uuid()
const ZTime = z.string()
const ZLat = z.coerce.number().min(-90).max(90)
const ZLng = z.coerce.number().min(-180).max(180)
/** Multipart fields arrive as strings: "" means "not given". */
const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v)
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional())

/** The text fields of a tip (multipart form fields, or JSON). Files travel as parts named "files". */
export const ZTipFields = z
  .object({
    category: z.enum(tipCategoryValues, { message: 'i18n:tips.category_required' }),
    description: z.string().trim().min(5, 'i18n:tips.description_short').max(TIP_DESCRIPTION_MAX),
    lat: opt(ZLat),
    lng: opt(ZLng),
    locationSource: opt(z.enum(locationSourceValues)),
    addressText: opt(z.string().trim().max(300)),
    /** The area chosen on the public area page (or by the sender). */
    areaId: opt(ZId),
    /** The public area page's slug (QR posters link to /tips/new?area=<slug>). */
    areaSlug: opt(z.string().regex(/^[a-z0-9-]{1,120}$/)),
    seenAt: opt(z.iso.datetime({ offset: true })),
    contactPreference: opt(z.enum(contactPreferenceValues)),
    /** Without an account: the phone number and the one-time code sent to it (auth module). */
    phone: opt(z.string().max(40)),
    otpCode: opt(z.string().regex(/^\d{6}$/, 'i18n:field.otp_format')),
  })
  .refine((f) => (f.lat === undefined) === (f.lng === undefined), {
    path: ['lng'],
    message: 'i18n:tips.lat_lng_pair',
  })
export type TTipFields = z.infer<typeof ZTipFields>

/** What an anonymous sender may send: no contact, no phone. */
export const ZAnonymousTipFields = ZTipFields
export type TAnonymousTipFields = TTipFields

export const ZEvidenceView = z.object({
  id: ZId,
  kind: z.enum(['photo', 'video']),
  mime: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  url: z.string(),
  thumbUrl: z.string().nullable(),
  createdAt: ZTime,
  /** Staff view only: who added it ("tipster" never names the sender). */
  addedBy: z.object({ role: z.enum(['tipster', 'staff', 'helper']), name: z.string().nullable() }).optional(),
  redactsId: ZId.nullable(),
  note: z.string(),
  /** The bytes were deleted (erasure, retention, quarantine); the record and its hash stay. */
  bytesRemoved: z.boolean(),
})
export type TEvidenceView = z.infer<typeof ZEvidenceView>

export const ZTipMessageView = z.object({
  id: ZId,
  from: z.enum(['tipster', 'staff']),
  /** Staff name and rank for staff messages; never anything about the tipster. */
  staffName: z.string().nullable(),
  body: z.string(),
  files: z.array(ZEvidenceView),
  createdAt: ZTime,
})

export const ZTipView = z.object({
  id: ZId,
  reference: z.string(),
  category: z.enum(tipCategoryValues),
  description: z.string(),
  status: z.enum(tipStatusValues),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  addressText: z.string().nullable(),
  locationSource: z.enum(locationSourceValues),
  area: z.object({ id: ZId, name: z.string() }),
  seenAt: ZTime.nullable(),
  contactPreference: z.enum(contactPreferenceValues),
  isAnonymous: z.boolean(),
  channel: z.enum(['web', 'open311']),
  createdAt: ZTime,
  updatedAt: ZTime,
  firstResponseDueAt: ZTime,
  firstResponseAt: ZTime.nullable(),
  overdue: z.boolean(),
  /** Quarantined as spam by an administrator or commander: files deleted, thread closed. */
  quarantinedAt: ZTime.nullable(),
  files: z.array(ZEvidenceView),
  messages: z.array(ZTipMessageView),
  /** Staff only. */
  assignee: z.object({ id: ZId, displayName: z.string() }).nullable().optional(),
  caseId: ZId.nullable().optional(),
  /** Staff only, and only for a tip with a known sender (read is audited). */
  sender: z.object({ displayName: z.string(), phone: z.string().nullable() }).nullable().optional(),
  can: z.array(z.string()),
})
export type TTipView = z.infer<typeof ZTipView>

export const ZTipSubmitted = z.object({
  tip: ZTipView,
  /** Anonymous tips only, shown once: the only way back to the tip. */
  tipCode: z.string().optional(),
  /** False when the idempotency key had been used: the earlier tip is returned. */
  created: z.boolean(),
})
export type TTipSubmitted = z.infer<typeof ZTipSubmitted>

export const ZTipListItem = z.object({
  id: ZId,
  reference: z.string(),
  category: z.enum(tipCategoryValues),
  excerpt: z.string(),
  status: z.enum(tipStatusValues),
  areaName: z.string(),
  isAnonymous: z.boolean(),
  hasFiles: z.boolean(),
  createdAt: ZTime,
  firstResponseDueAt: ZTime,
  firstResponseAt: ZTime.nullable(),
  overdue: z.boolean(),
  assigneeName: z.string().nullable(),
  caseId: ZId.nullable(),
  quarantined: z.boolean(),
  /** A resident's own tip, or an answer to an alert that became a tip. */
  source: z.enum(['resident', 'alert_answer']),
  /** The sender's own list only: the police answered or changed its status since the sender last opened it. */
  hasUpdate: z.boolean().optional(),
})
export type TTipListItem = z.infer<typeof ZTipListItem>

export const ZTipListQuery = z.object({
  filter: z.enum(['mine', 'queue', 'all', 'open']).default('open'),
  status: z.enum(tipStatusValues).optional(),
  category: z.enum(tipCategoryValues).optional(),
})

/** Quarantine a spam tip: why, for the audit log. */
export const ZQuarantineTipRequest = z.object({ reason: z.string().trim().min(3).max(500) })
export type TQuarantineTipRequest = z.infer<typeof ZQuarantineTipRequest>

export const ZTipCodeRequest = z.object({ code: z.string().trim().min(10).max(40) })
export const ZTipReplyRequest = z.object({
  clientKey: z.string().min(8).max(100),
  body: z.string().trim().min(1).max(TIP_DESCRIPTION_MAX),
})
export const ZUpdateTipRequest = z.object({
  status: z.enum(['in_review', 'closed']).optional(),
  assigneeId: ZId.nullable().optional(),
})
