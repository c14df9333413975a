import { z } from 'zod'
import { tipCategoryValues, ZEvidenceView, ZTipListItem } from './tips'

export const caseStatusValues = ['new', 'verifying', 'in_progress', 'resolved', 'closed'] as const
export const caseOutcomeValues = [
  'solved_property_returned',
  'referred_to_investigators',
  'unfounded',
  'other',
] as const
export const casePriorityValues = ['low', 'normal', 'high', 'urgent'] as const

const ZId = z.uuid()
const ZTime = z.string()

export const ZCreateCaseRequest = z
  .object({
    title: z.string().trim().min(3).max(200),
    description: z.string().trim().max(4000).default(''),
    category: z.enum(tipCategoryValues).optional(),
    priority: z.enum(casePriorityValues).default('normal'),
    /** Tips to open the case from (their files become its evidence); duplicates merge into one case. */
    tipIds: z.array(ZId).max(50).default([]),
    /** Required when no tip is given. */
    areaId: ZId.optional(),
    lat: z.number().min(-90).max(90).optional(),
    lng: z.number().min(-180).max(180).optional(),
    addressText: z.string().trim().max(300).optional(),
  })
  .refine((c) => c.tipIds.length > 0 || c.areaId, { path: ['areaId'], message: 'i18n:cases.area_required' })
export type TCreateCaseRequest = z.input<typeof ZCreateCaseRequest>

export const ZUpdateCaseRequest = z.object({
  status: z.enum(caseStatusValues).optional(),
  outcome: z.enum(caseOutcomeValues).optional(),
  outcomeNote: z.string().trim().max(2000).optional(),
  priority: z.enum(casePriorityValues).optional(),
  assigneeId: ZId.nullable().optional(),
  /** Sent to the audience of the case's requests for help when it resolves ("thank you — …"). */
  closingMessage: z.string().trim().min(3).max(1000).optional(),
})
export type TUpdateCaseRequest = z.input<typeof ZUpdateCaseRequest>

export const ZLinkTipsRequest = z.object({ tipIds: z.array(ZId).min(1).max(50) })
export const ZCaseLinkRequest = z.object({ kind: z.enum(['alert', 'conversation']), targetId: ZId })
export const ZCaseNoteRequest = z.object({ body: z.string().trim().min(1).max(4000) })

export const ZCaseEventView = z.object({
  id: z.number().int(),
  type: z.string(),
  at: ZTime,
  actorName: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
})
export type TCaseEventView = z.infer<typeof ZCaseEventView>

export const ZHelpResponseView = z.object({
  id: ZId,
  body: z.string(),
  createdAt: ZTime,
  files: z.array(ZEvidenceView),
  /** Only the case's officers and commanders see who answered. */
  responder: z.object({ id: ZId, displayName: z.string(), phone: z.string().nullable() }).nullable(),
})
export type THelpResponseView = z.infer<typeof ZHelpResponseView>

export const ZHelpRequestView = z.object({
  id: ZId,
  caseId: ZId.nullable(),
  caseReference: z.string(),
  description: z.string(),
  lookFor: z.string(),
  placeText: z.string(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  windowStart: ZTime.nullable(),
  windowEnd: ZTime.nullable(),
  photoUrl: z.string().nullable(),
  status: z.enum(['open', 'closed']),
  closingMessage: z.string().nullable(),
  createdAt: ZTime,
  closedAt: ZTime.nullable(),
  targets: z.array(z.object({ kind: z.enum(['group', 'area']), id: ZId, name: z.string() })),
  /** Staff: every answer with its author; a resident: only their own answers. */
  responses: z.array(ZHelpResponseView),
  can: z.array(z.string()),
})
export type THelpRequestView = z.infer<typeof ZHelpRequestView>

export const ZCreateHelpRequest = z
  .object({
    description: z.string().trim().min(5).max(2000),
    lookFor: z.string().trim().max(1000).default(''),
    placeText: z.string().trim().max(300).default(''),
    lat: z.number().min(-90).max(90).optional(),
    lng: z.number().min(-180).max(180).optional(),
    windowStart: z.iso.datetime({ offset: true }).optional(),
    windowEnd: z.iso.datetime({ offset: true }).optional(),
    /** An evidence file of the case to show (e.g. the photo of the motorbike). */
    photoFileId: ZId.optional(),
    groupIds: z.array(ZId).max(50).default([]),
    areaIds: z.array(ZId).max(50).default([]),
  })
  .refine((r) => r.groupIds.length + r.areaIds.length > 0, {
    path: ['groupIds'],
    message: 'i18n:help.audience_required',
  })
  .refine((r) => !r.windowStart || !r.windowEnd || r.windowStart <= r.windowEnd, {
    path: ['windowEnd'],
    message: 'i18n:help.window_order',
  })
export type TCreateHelpRequest = z.input<typeof ZCreateHelpRequest>

export const ZCaseView = z.object({
  id: ZId,
  reference: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.enum(tipCategoryValues),
  status: z.enum(caseStatusValues),
  outcome: z.enum(caseOutcomeValues).nullable(),
  outcomeNote: z.string().nullable(),
  priority: z.enum(casePriorityValues),
  assignee: z.object({ id: ZId, displayName: z.string() }).nullable(),
  area: z.object({ id: ZId, name: z.string() }),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  addressText: z.string().nullable(),
  createdAt: ZTime,
  updatedAt: ZTime,
  resolvedAt: ZTime.nullable(),
  closedAt: ZTime.nullable(),
  tips: z.array(ZTipListItem),
  evidence: z.array(ZEvidenceView),
  timeline: z.array(ZCaseEventView),
  links: z.array(z.object({ kind: z.enum(['alert', 'conversation']), targetId: ZId, createdAt: ZTime })),
  helpRequests: z.array(ZHelpRequestView),
  can: z.array(z.string()),
})
export type TCaseView = z.infer<typeof ZCaseView>

export const ZCaseListItem = z.object({
  id: ZId,
  reference: z.string(),
  title: z.string(),
  category: z.enum(tipCategoryValues),
  status: z.enum(caseStatusValues),
  priority: z.enum(casePriorityValues),
  outcome: z.enum(caseOutcomeValues).nullable(),
  areaName: z.string(),
  assigneeName: z.string().nullable(),
  tipCount: z.number().int(),
  createdAt: ZTime,
  updatedAt: ZTime,
})
export type TCaseListItem = z.infer<typeof ZCaseListItem>

export const ZCaseListQuery = z.object({
  status: z.enum(caseStatusValues).optional(),
  open: z.enum(['true', 'false']).optional(),
})

export const ZMapQuery = z.object({
  /** minLng,minLat,maxLng,maxLat */
  bbox: z
    .string()
    .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'i18n:map.bbox_format')
    .optional(),
  kinds: z
    .string()
    .regex(/^(tips|cases)(,(tips|cases))?$/)
    .default('tips,cases'),
  category: z.enum(tipCategoryValues).optional(),
  status: z.string().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
})

export const ZMapFeature = z.object({
  type: z.literal('Feature'),
  id: z.string(),
  geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
  properties: z.object({
    kind: z.enum(['tip', 'case']),
    id: ZId,
    reference: z.string(),
    title: z.string(),
    category: z.enum(tipCategoryValues),
    status: z.string(),
    createdAt: ZTime,
    areaName: z.string(),
    url: z.string(),
  }),
})
export const ZMapCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(ZMapFeature),
})
export type TMapCollection = z.infer<typeof ZMapCollection>
