import { z } from 'zod'

/** The procedure API's shapes, shared by the server (response schemas → OpenAPI) and the web client. */

export const ZProcedureOnlineOut = z.object({
  available: z.enum(['yes', 'partial', 'no']),
  channels: z.array(z.string()),
  /** Same length and order as `channels`; empty when not translated yet. */
  channelsEn: z.array(z.string()),
  note: z.string().nullable(),
  noteEn: z.string().nullable(),
  /** Official public sites the procedure names (Cổng Dịch vụ công, VNeID). */
  links: z.array(z.object({ labelVi: z.string(), labelEn: z.string(), url: z.string() })),
})

export const ZProcedureSummary = z.object({
  id: z.string(),
  category: z.string(),
  nameVi: z.string(),
  nameEn: z.string(),
  online: z.enum(['yes', 'partial', 'no']),
  /** Only for staff: the content is not fully sourced yet (domain-vn §5). */
  awaitingLegalReview: z.boolean().optional(),
})
export type TProcedureSummary = z.infer<typeof ZProcedureSummary>

export const ZProcedureList = z.object({ procedures: z.array(ZProcedureSummary) })
export type TProcedureList = z.infer<typeof ZProcedureList>

export const ZUnitProcedureNotes = z.object({
  unitId: z.string(),
  unitName: z.string(),
  openingHours: z.string().nullable(),
  room: z.string().nullable(),
  officerOnDuty: z.string().nullable(),
  note: z.string().nullable(),
  updatedAt: z.string(),
})
export type TUnitProcedureNotes = z.infer<typeof ZUnitProcedureNotes>

/** What staff see on top of the public page. */
export const ZProcedureStaffView = z.object({
  awaitingLegalReview: z.boolean(),
  reviewBy: z.string().nullable(),
  provenance: z.object({
    level: z.string(),
    note: z.string().nullable(),
    /** What staff must check before production; never sent to residents. */
    reviewItems: z.array(z.string()),
    sources: z.array(z.string()),
  }),
  keywords: z.array(z.string()),
  questionExamples: z.array(z.string()),
  archived: z.boolean(),
  can: z.object({ edit: z.boolean() }),
})

export const ZProcedureDetail = z.object({
  id: z.string(),
  category: z.string(),
  nameVi: z.string(),
  nameEn: z.string(),
  handlingBody: z.string(),
  /** English fields: full translations, '' (or []) where not translated yet. */
  handlingBodyEn: z.string(),
  requiredDocuments: z.array(z.string()),
  requiredDocumentsEn: z.array(z.string()),
  timeLimit: z.string(),
  timeLimitEn: z.string(),
  fee: z.string(),
  feeEn: z.string(),
  legalBasis: z.array(z.string()),
  online: ZProcedureOnlineOut,
  /** Other procedures the text refers to, in the catalogue's order ("see also"). */
  related: z.array(z.object({ id: z.string(), nameVi: z.string(), nameEn: z.string() })),
  version: z.number().int(),
  updatedAt: z.string(),
  /** The unit's local notes when asked with ?unit=slug (the nearest unit up the tree that has some). */
  unitNotes: ZUnitProcedureNotes.nullable(),
  staff: ZProcedureStaffView.nullable(),
})
export type TProcedureDetail = z.infer<typeof ZProcedureDetail>

export const ZProcedureSearchHit = z.object({
  id: z.string(),
  nameVi: z.string(),
  nameEn: z.string(),
  category: z.string(),
  snippet: z.string(),
  score: z.number(),
  /** What matched, in the resident's words, and what it means here ("ở nhờ 2 tuần" → "lưu trú"). */
  why: z.array(z.object({ said: z.string(), means: z.string() })),
})
export type TProcedureSearchHit = z.infer<typeof ZProcedureSearchHit>

export const ZProcedureSearchResults = z.object({
  query: z.string(),
  /** True when no procedure fits the question: results is then empty, never a wrong card. */
  none: z.boolean(),
  results: z.array(ZProcedureSearchHit),
})
export type TProcedureSearchResults = z.infer<typeof ZProcedureSearchResults>

export const ZProcedureVersion = z.object({
  version: z.number().int(),
  source: z.enum(['import', 'staff']),
  changedFields: z.array(z.string()),
  changedBy: z.object({ id: z.string(), displayName: z.string() }).nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  snapshot: z.record(z.string(), z.unknown()),
})
export const ZProcedureVersions = z.object({ versions: z.array(ZProcedureVersion) })
export type TProcedureVersions = z.infer<typeof ZProcedureVersions>
