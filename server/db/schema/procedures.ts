import {
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { createdAt, id, updatedAt } from './columns'
import { units, users } from './organisation'

/** A PostgreSQL tsvector; written by the procedures repository, read only through SQL. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' })

export const procedureCategories = [
  'cu-tru',
  'can-cuoc',
  'xuat-nhap-canh',
  'phuong-tien',
  'ho-tich',
  'khac',
] as const
export const provenanceLevels = ['sourced', 'mixed', 'own_knowledge'] as const

/** An official public channel a procedure names (Cổng Dịch vụ công, VNeID), with its labels. */
export interface ProcedureLink {
  labelVi: string
  labelEn: string
  url: string
}

export interface ProcedureOnline {
  available: 'yes' | 'partial' | 'no'
  channels: string[]
  /** Same length and order as `channels`. */
  channelsEn?: string[] | undefined
  note?: string | undefined
  noteEn?: string | undefined
  links?: ProcedureLink[] | undefined
}

/** How far the content is sourced: staff only, never shown to residents. */
export interface ProcedureProvenance {
  level: (typeof provenanceLevels)[number]
  note?: string | undefined
  /** What staff must check before production (details held back from the resident text). */
  reviewItems?: string[] | undefined
  sources: string[]
}

/**
 * The catalogue of administrative procedures. `id` is the stable slug from the catalogue file
 * (it appears in URLs and the API). `searchVector` holds folded syllables and two-syllable
 * phrases with field weights (A name, B keywords/examples, C documents/body, D the rest).
 */
export const procedures = pgTable(
  'procedures',
  {
    id: text('id').primaryKey(),
    category: text('category').notNull(),
    nameVi: text('name_vi').notNull(),
    nameEn: text('name_en').notNull(),
    handlingBody: text('handling_body').notNull(),
    handlingBodyEn: text('handling_body_en').notNull().default(''),
    requiredDocuments: jsonb('required_documents').$type<string[]>().notNull().default([]),
    /** Same length and order as `requiredDocuments`. */
    requiredDocumentsEn: jsonb('required_documents_en').$type<string[]>().notNull().default([]),
    timeLimit: text('time_limit').notNull().default(''),
    timeLimitEn: text('time_limit_en').notNull().default(''),
    fee: text('fee').notNull().default(''),
    feeEn: text('fee_en').notNull().default(''),
    legalBasis: jsonb('legal_basis').$type<string[]>().notNull().default([]),
    /** Ids of other procedures the text refers to ("see also"). */
    related: jsonb('related').$type<string[]>().notNull().default([]),
    online: jsonb('online').$type<ProcedureOnline>().notNull(),
    provenance: jsonb('provenance').$type<ProcedureProvenance>().notNull(),
    /** Content not fully sourced: staff see a warning until a legal reviewer clears it (domain-vn §5). */
    awaitingLegalReview: boolean('awaiting_legal_review').notNull().default(true),
    reviewBy: date('review_by'),
    /** Words and phrases residents use for this procedure (search signal, editable by staff). */
    keywords: jsonb('keywords').$type<string[]>().notNull().default([]),
    /** Example questions written for this procedure (search signal). */
    questionExamples: jsonb('question_examples').$type<string[]>().notNull().default([]),
    searchVector: tsvector('search_vector').notNull(),
    version: integer('version').notNull().default(1),
    archived: boolean('archived').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('procedures_category_idx').on(t.category)],
)

/** Every change to a procedure: a full snapshot, the fields that changed, who and when. */
export const procedureVersions = pgTable(
  'procedure_versions',
  {
    id: id(),
    procedureId: text('procedure_id')
      .notNull()
      .references(() => procedures.id),
    version: integer('version').notNull(),
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull(),
    changedFields: jsonb('changed_fields').$type<string[]>().notNull().default([]),
    source: text('source', { enum: ['import', 'staff'] }).notNull(),
    changedBy: uuid('changed_by').references(() => users.id),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('procedure_versions_key').on(t.procedureId, t.version)],
)

/** What one unit adds to a procedure locally: opening hours, room, officer on duty. */
export const unitProcedureNotes = pgTable(
  'unit_procedure_notes',
  {
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    procedureId: text('procedure_id')
      .notNull()
      .references(() => procedures.id),
    openingHours: text('opening_hours'),
    room: text('room'),
    officerOnDuty: text('officer_on_duty'),
    note: text('note'),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.procedureId] })],
)

/**
 * Search vocabulary: abbreviations, misspellings and old words residents use, folded
 * ("cccd" → "can cuoc cong dan", "tam chu" → "tam tru", "ho khau" → "thuong tru").
 * `replace` drops the original words (misspellings); otherwise the expansion is added.
 */
export const procedureSynonyms = pgTable('procedure_synonyms', {
  term: text('term').primaryKey(),
  expansion: text('expansion').notNull(),
  kind: text('kind', { enum: ['abbreviation', 'misspelling', 'synonym', 'chat'] }).notNull(),
  replace: boolean('replace').notNull().default(false),
  weight: real('weight').notNull().default(1),
  updatedAt: updatedAt(),
})

/**
 * The search vocabulary: every indexed syllable and two-syllable phrase with the number of
 * procedures containing it (for inverse document frequency) — rebuilt from ts_stat whenever the
 * catalogue changes. Misspelt syllables are matched to it with pg_trgm.
 */
export const procedureSearchTerms = pgTable(
  'procedure_search_terms',
  {
    term: text('term').primaryKey(),
    ndoc: integer('ndoc').notNull(),
    isPhrase: boolean('is_phrase').notNull(),
  },
  (t) => [index('procedure_search_terms_trgm_idx').using('gin', t.term.op('gin_trgm_ops'))],
)

/**
 * Which procedure contains which indexed term, and in which field at best (A name … D rest):
 * the stored tsvectors unnested once per write, so a query looks up only its own terms.
 */
export const procedureSearchPostings = pgTable(
  'procedure_search_postings',
  {
    term: text('term').notNull(),
    procedureId: text('procedure_id')
      .notNull()
      .references(() => procedures.id, { onDelete: 'cascade' }),
    field: text('field', { enum: ['A', 'B', 'C', 'D'] }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.term, t.procedureId] }),
    index('procedure_search_postings_procedure_idx').on(t.procedureId),
  ],
)
