import { z } from 'zod'
import { procedureCategories, provenanceLevels } from '../../db/schema/procedures'

const text = (max: number) => z.string().trim().max(max)
const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a slug such as dang-ky-tam-tru')
  .max(80)

export const ZProcedureId = slug
export const ZCategory = z.enum(procedureCategories)

/** The only public sites a procedure may link to (README-procedures.md: `online.links`). */
export const officialSites = [
  'https://dichvucong.gov.vn',
  'https://dichvucong.bocongan.gov.vn',
  'https://vneid.gov.vn',
] as const
const ZOfficialUrl = z
  .string()
  .url()
  .refine((u) => officialSites.some((site) => u === site || u.startsWith(`${site}/`)), {
    message: `expected one of ${officialSites.join(', ')}`,
  })

/** `online` as the catalogue file writes it (snake_case), stored camelCase. */
const ZCatalogueOnline = z
  .object({
    available: z.enum(['yes', 'partial', 'no']),
    channels: z.array(text(300)).max(20).default([]),
    channels_en: z.array(text(300)).max(20).default([]),
    note: text(2000).optional(),
    note_en: text(2000).optional(),
    links: z
      .array(z.object({ label_vi: text(200).min(1), label_en: text(200).min(1), url: ZOfficialUrl }))
      .max(10)
      .default([]),
  })
  .transform((o) => ({
    available: o.available,
    channels: o.channels,
    channelsEn: o.channels_en,
    ...(o.note ? { note: o.note } : {}),
    ...(o.note_en ? { noteEn: o.note_en } : {}),
    links: o.links.map((l) => ({ labelVi: l.label_vi, labelEn: l.label_en, url: l.url })),
  }))

/** `online` as staff edit it through the API. */
export const ZOnline = z.object({
  available: z.enum(['yes', 'partial', 'no']),
  channels: z.array(text(300)).max(20).default([]),
  channelsEn: z.array(text(300)).max(20).optional(),
  note: text(2000).optional(),
  noteEn: text(2000).optional(),
  links: z
    .array(z.object({ labelVi: text(200).min(1), labelEn: text(200).min(1), url: ZOfficialUrl }))
    .max(10)
    .optional(),
})

export const ZProvenance = z
  .object({
    level: z.enum(provenanceLevels),
    note: text(2000).optional(),
    review_items: z.array(text(1000)).max(40).default([]),
    sources: z.array(text(1000)).max(30).default([]),
  })
  .transform(({ review_items, ...p }) => ({ ...p, reviewItems: review_items }))

/** One entry of a catalogue file such as ../shared/data/procedures-vn.json. */
export const ZCatalogueEntry = z.object({
  id: slug,
  category: ZCategory,
  name_vi: text(400).min(1),
  name_en: text(400).min(1),
  handling_body: text(2000).min(1),
  handling_body_en: text(2000).default(''),
  required_documents: z.array(text(2000)).max(40).default([]),
  required_documents_en: z.array(text(2000)).max(40).default([]),
  time_limit: text(2000).default(''),
  time_limit_en: text(2000).default(''),
  fee: text(2000).default(''),
  fee_en: text(2000).default(''),
  legal_basis: z.array(text(1000)).max(40).default([]),
  related: z.array(slug).max(20).default([]),
  online: ZCatalogueOnline,
  provenance: ZProvenance,
  awaiting_legal_review: z.boolean().optional(),
  review_by: z.iso.date().optional(),
  keywords: z.array(text(200)).max(80).optional(),
  question_examples: z.array(text(500)).max(40).optional(),
})
export type TCatalogueEntry = z.infer<typeof ZCatalogueEntry>
/** An entry as written in the file (snake_case, defaults not applied yet). */
export type TCatalogueEntryInput = z.input<typeof ZCatalogueEntry>
export const ZCatalogueFile = z.array(ZCatalogueEntry).min(1).max(2000)

export const ZSynonym = z.object({
  term: text(100).min(1),
  expansion: text(300).min(1),
  kind: z.enum(['abbreviation', 'misspelling', 'synonym', 'chat']),
  replace: z.boolean().default(false),
  weight: z.number().min(0).max(3).default(1),
})
export type TSynonym = z.infer<typeof ZSynonym>

/** The search vocabulary file shipped with the catalogue (synonyms, keywords, example questions). */
export const ZSearchHintsFile = z.object({
  about: z.string().optional(),
  synonyms: z.array(ZSynonym).max(5000).default([]),
  procedures: z
    .record(slug, z.object({ keywords: z.array(text(200)).max(80), examples: z.array(text(500)).max(40) }))
    .default({}),
})
export type TSearchHintsFile = z.infer<typeof ZSearchHintsFile>

/** What staff may change through PUT /api/procedures/:id (every field optional; id never changes). */
export const ZProcedureUpdate = z
  .object({
    category: ZCategory,
    nameVi: text(400).min(1),
    nameEn: text(400).min(1),
    handlingBody: text(2000).min(1),
    handlingBodyEn: text(2000),
    requiredDocuments: z.array(text(2000).min(1)).max(40),
    requiredDocumentsEn: z.array(text(2000).min(1)).max(40),
    timeLimit: text(2000),
    timeLimitEn: text(2000),
    fee: text(2000),
    feeEn: text(2000),
    legalBasis: z.array(text(1000).min(1)).max(40),
    related: z.array(slug).max(20),
    online: ZOnline,
    awaitingLegalReview: z.boolean(),
    reviewBy: z.iso.date().nullable(),
    keywords: z.array(text(200).min(1)).max(80),
    questionExamples: z.array(text(500).min(1)).max(40),
    archived: z.boolean(),
    /** Why the change was made; kept with the version. */
    note: text(500).optional(),
  })
  .partial()
export type TProcedureUpdate = z.infer<typeof ZProcedureUpdate>

export const ZUnitNotesUpdate = z.object({
  openingHours: text(300).nullable().optional(),
  room: text(200).nullable().optional(),
  officerOnDuty: text(200).nullable().optional(),
  note: text(1000).nullable().optional(),
})
export type TUnitNotesUpdate = z.infer<typeof ZUnitNotesUpdate>
