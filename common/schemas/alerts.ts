import { z } from 'zod'
import { ZChannelPlatform } from './channels'

/** Request and response shapes of the alerts API, shared by the server and the web client. */

export const alertKindValues = [
  'missing_person',
  'found_person',
  'wanted_stolen_vehicle',
  'scam_warning',
  'fire_safety',
  'traffic',
  'general_notice',
] as const
export const alertStateValues = [
  'draft',
  'pending_approval',
  'active',
  'closed',
  'cancelled',
  'rejected',
] as const
export const capStatusValues = ['Actual', 'Exercise', 'Test', 'Draft'] as const
export const capScopeValues = ['Public', 'Restricted', 'Private'] as const
export const capCategoryValues = [
  'Geo',
  'Met',
  'Safety',
  'Security',
  'Rescue',
  'Fire',
  'Health',
  'Env',
  'Transport',
  'Infra',
  'CBRNE',
  'Other',
] as const
export const capUrgencyValues = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const
export const capSeverityValues = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const
export const capCertaintyValues = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const
/** Narrowest first: a scope beyond the unit's threshold waits for a commander's approval. */
export const alertScopeKindValues = ['areas', 'unit', 'unit_neighbours', 'province'] as const

export type TAlertKind = (typeof alertKindValues)[number]
export type TAlertState = (typeof alertStateValues)[number]
export type TAlertScopeKind = (typeof alertScopeKindValues)[number]

/** Sensible CAP defaults per kind, so an officer in a hurry fills in only the words. */
export const alertKindDefaults: Record<
  TAlertKind,
  {
    categories: (typeof capCategoryValues)[number][]
    urgency: (typeof capUrgencyValues)[number]
    severity: (typeof capSeverityValues)[number]
    certainty: (typeof capCertaintyValues)[number]
  }
> = {
  missing_person: { categories: ['Rescue'], urgency: 'Immediate', severity: 'Severe', certainty: 'Observed' },
  found_person: { categories: ['Rescue'], urgency: 'Immediate', severity: 'Moderate', certainty: 'Observed' },
  wanted_stolen_vehicle: {
    categories: ['Security'],
    urgency: 'Expected',
    severity: 'Moderate',
    certainty: 'Observed',
  },
  scam_warning: { categories: ['Security'], urgency: 'Expected', severity: 'Moderate', certainty: 'Likely' },
  fire_safety: {
    categories: ['Fire', 'Safety'],
    urgency: 'Future',
    severity: 'Minor',
    certainty: 'Possible',
  },
  traffic: { categories: ['Transport'], urgency: 'Expected', severity: 'Minor', certainty: 'Likely' },
  general_notice: { categories: ['Other'], urgency: 'Unknown', severity: 'Unknown', certainty: 'Unknown' },
}

const ZPoint = z.tuple([z.number().min(-90).max(90), z.number().min(-180).max(180)])
export const ZAlertGeometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('polygon'), points: z.array(ZPoint).min(4).max(500) }),
  z.object({ type: z.literal('circle'), center: ZPoint, radiusKm: z.number().positive().max(500) }),
])

export const ZAlertScope = z.object({
  kind: z.enum(alertScopeKindValues),
  /** `areas`: the residential groups; `unit`/`unit_neighbours`: the unit (default: the issuing unit). */
  unitIds: z.array(z.uuid()).max(500).optional(),
})
export type TAlertScope = z.infer<typeof ZAlertScope>

const text = (max: number) => z.string().trim().max(max)
const ZDateTime = z.iso.datetime({ offset: true })

export const ZAlertContent = z.object({
  kind: z.enum(alertKindValues),
  capStatus: z.enum(capStatusValues).default('Actual'),
  capScope: z.enum(capScopeValues).default('Public'),
  categories: z.array(z.enum(capCategoryValues)).min(1).max(12).optional(),
  event: text(120).min(1).optional(),
  urgency: z.enum(capUrgencyValues).optional(),
  severity: z.enum(capSeverityValues).optional(),
  certainty: z.enum(capCertaintyValues).optional(),
  effective: ZDateTime.nullable().optional(),
  expires: ZDateTime.nullable().optional(),
  headline: text(160).min(3),
  description: text(4000).default(''),
  instruction: text(2000).default(''),
  contact: text(300).default(''),
  geometry: ZAlertGeometry.nullable().optional(),
})

export const ZCreateAlertRequest = ZAlertContent.extend({
  /** The unit the alert is issued by; default: the caller's own unit. */
  issuingUnitId: z.uuid().optional(),
  scope: ZAlertScope,
})
export type TCreateAlertRequest = z.input<typeof ZCreateAlertRequest>

export const ZUpdateDraftRequest = ZCreateAlertRequest.partial()
export type TUpdateDraftRequest = z.input<typeof ZUpdateDraftRequest>

/**
 * msgType Update: what is new (`note`, appended to the alert's history), and changed instructions,
 * contact, severity or expiry; `close` marks it the closing update ("reunited"). The description is
 * not among them: an update never replaces who the missing person is (issue 19).
 */
export const ZAlertUpdateRequest = z
  .object({
    headline: text(160).min(3).optional(),
    instruction: text(2000).optional(),
    contact: text(300).optional(),
    severity: z.enum(capSeverityValues).optional(),
    urgency: z.enum(capUrgencyValues).optional(),
    expires: ZDateTime.nullable().optional(),
    note: text(2000).min(2).optional(),
    close: z.object({ outcome: text(300).min(2) }).optional(),
  })
  .strict()
export type TAlertUpdateRequest = z.input<typeof ZAlertUpdateRequest>

export const ZAlertCancelRequest = z.object({ note: text(500).min(2) })
export const ZAlertRejectRequest = z.object({ reason: text(500).min(2) })
export const ZAlertAnswerRequest = z.object({ body: text(2000).min(2) })
export const ZAlertReceiptRequest = z.object({ state: z.enum(['delivered', 'read']) })
/** A device's receipts in one request (several alerts, or delivered then read). */
export const ZAlertReceiptsRequest = z.object({
  receipts: z
    .array(z.object({ alertId: z.uuid(), state: z.enum(['delivered', 'read']) }))
    .min(1)
    .max(20),
})
export const ZAlertReceiptsResult = z.object({
  /** The alerts whose receipt was recorded; others are not the caller's (or do not exist). */
  recorded: z.array(z.uuid()),
})

export const ZRecipientPreviewRequest = z.object({ issuingUnitId: z.uuid().optional(), scope: ZAlertScope })
export const ZRecipientPreview = z.object({
  residents: z.number().int(),
  withPush: z.number().int(),
  groups: z.number().int(),
  units: z.array(z.object({ id: z.uuid(), name: z.string(), level: z.string() })),
  needsApproval: z.boolean(),
})
export type TRecipientPreview = z.infer<typeof ZRecipientPreview>

export const ZAlertStats = z.object({
  targeted: z.number().int(),
  delivered: z.number().int(),
  read: z.number().int(),
  shared: z.number().int(),
  answers: z.number().int(),
})
export type TAlertStats = z.infer<typeof ZAlertStats>

/** Where a public alert was posted (the unit's Facebook Page): the outcome, never the post's token. */
export const ZAlertChannelPost = z.object({
  channel: ZChannelPlatform,
  accountName: z.string(),
  /** The alert's version this post speaks for: the alert itself (1, Alert), an update, the cancellation. */
  version: z.number().int(),
  msgType: z.enum(['Alert', 'Update', 'Cancel']),
  status: z.enum(['pending', 'posted', 'failed']),
  postedAt: z.string().nullable(),
  /** A message key under channels.error.* when the last try failed. */
  errorKey: z.string().nullable(),
  /** People the post reached, as the platform counts them; null until read (or when it could not be). */
  reach: z.number().int().nullable(),
  reachReadAt: z.string().nullable(),
  /** A message key under channels.error.* when the reach could not be read. */
  reachErrorKey: z.string().nullable(),
})
export type TAlertChannelPost = z.infer<typeof ZAlertChannelPost>

/**
 * An alert's post in a residential group: the message payload the group's alert card is drawn from
 * (the message body keeps the plain text, for search and notifications). Posts made before the card
 * carry only alertId, version and kind; the card then reads the body.
 */
export const ZGroupAlertPost = z.object({
  alertId: z.uuid(),
  version: z.number().int(),
  kind: z.enum(alertKindValues),
  msgType: z.enum(['Alert', 'Update', 'Cancel']).optional(),
  headline: z.string().optional(),
  /** What this version says: the description, an update's note, or the outcome. */
  text: z.string().optional(),
  /** The units the alert was sent to, by name. */
  areas: z.array(z.string()).optional(),
})
export type TGroupAlertPost = z.infer<typeof ZGroupAlertPost>

export const ZAlertPhotoView = z.object({
  id: z.uuid(),
  url: z.string(),
  thumbUrl: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  description: z.string(),
})

export const ZAlertMessageView = z.object({
  version: z.number().int(),
  msgType: z.enum(['Alert', 'Update', 'Cancel']),
  identifier: z.string(),
  sent: z.string(),
  headline: z.string(),
  note: z.string().nullable(),
})

/** One step of an alert's life that residents see under the description: an update, the end, a cancellation. */
export const ZAlertHistoryEntry = z.object({
  version: z.number().int(),
  msgType: z.enum(['Update', 'Cancel']),
  sent: z.string(),
  note: z.string(),
})
export type TAlertHistoryEntry = z.infer<typeof ZAlertHistoryEntry>

export const ZAlertView = z.object({
  id: z.uuid(),
  kind: z.enum(alertKindValues),
  state: z.enum(alertStateValues),
  /** True while residents should still see it: active and not past `expires`. */
  isLive: z.boolean(),
  capStatus: z.enum(capStatusValues),
  capScope: z.enum(capScopeValues),
  categories: z.array(z.string()),
  event: z.string(),
  urgency: z.string(),
  severity: z.string(),
  certainty: z.string(),
  effective: z.string().nullable(),
  expires: z.string().nullable(),
  headline: z.string(),
  description: z.string(),
  instruction: z.string(),
  contact: z.string(),
  outcome: z.string().nullable(),
  lastMsgType: z.enum(['Alert', 'Update', 'Cancel']).nullable(),
  version: z.number().int(),
  scopeKind: z.enum(alertScopeKindValues),
  geometry: ZAlertGeometry.nullable(),
  issuingUnit: z.object({ id: z.uuid(), name: z.string(), slug: z.string() }),
  targets: z.array(z.object({ id: z.uuid(), name: z.string() })),
  photos: z.array(ZAlertPhotoView),
  publishedAt: z.string().nullable(),
  updatedAt: z.string(),
  shareUrl: z.string(),
  /** Staff only. */
  stats: ZAlertStats.optional(),
  /** Staff only: the posts on the unit's Page, one per connected account. */
  channelPosts: z.array(ZAlertChannelPost).optional(),
  author: z.object({ id: z.uuid(), displayName: z.string() }).optional(),
  needsApproval: z.boolean().optional(),
  rejectedReason: z.string().nullable().optional(),
  messages: z.array(ZAlertMessageView).optional(),
  /** The updates after publication, oldest first, for everyone who may read the alert (one alert's page). */
  history: z.array(ZAlertHistoryEntry).optional(),
  /** A resident's own state. */
  mine: z.object({ readAt: z.string().nullable(), answeredAt: z.string().nullable() }).optional(),
  can: z.array(z.string()),
})
export type TAlertView = z.infer<typeof ZAlertView>

export const ZAlertList = z.object({ items: z.array(ZAlertView) })
export type TAlertList = z.infer<typeof ZAlertList>

/** How many alerts wait for the caller's approval: the badge on the console's alerts link. */
export const ZPendingApprovalCount = z.object({ count: z.number().int().nonnegative() })
export type TPendingApprovalCount = z.infer<typeof ZPendingApprovalCount>

export const ZAlertAnswerView = z.object({
  id: z.uuid(),
  body: z.string(),
  createdAt: z.string(),
  tipId: z.uuid().nullable(),
  author: z.object({ id: z.uuid(), displayName: z.string(), phone: z.string().nullable() }),
})
export const ZAlertAnswerList = z.object({ items: z.array(ZAlertAnswerView) })
export type TAlertAnswerView = z.infer<typeof ZAlertAnswerView>

export const ZNeighboursView = z.object({
  unitId: z.uuid(),
  configured: z.array(z.object({ id: z.uuid(), name: z.string() })),
  derived: z.array(z.object({ id: z.uuid(), name: z.string() })),
})
export const ZPutNeighboursRequest = z.object({ neighbourIds: z.array(z.uuid()).max(50) })
export const ZAlertSettingsView = z.object({ unitId: z.uuid(), approvalAbove: z.enum(alertScopeKindValues) })
export const ZPutAlertSettingsRequest = z.object({ approvalAbove: z.enum(alertScopeKindValues) })

const ZUnitRef = z.object({ id: z.uuid(), name: z.string() })
export const ZComposeOptions = z.object({
  units: z.array(
    ZUnitRef.extend({
      approvalAbove: z.enum(alertScopeKindValues),
      areas: z.array(ZUnitRef),
      neighbours: z.array(ZUnitRef),
    }),
  ),
})
export type TComposeOptions = z.infer<typeof ZComposeOptions>
