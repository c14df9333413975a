import { readFileSync } from 'node:fs'
import type { Db } from '../../db/client'
import { projectPath } from '../../lib/project-paths'
import { forgetSynonymCache } from './procedure-search.service'
import {
  changedFields,
  contentOf,
  findProcedure,
  insertVersion,
  type ProcedureContent,
  saveProcedure,
  upsertSynonym,
} from './procedures.repository'
import {
  type TCatalogueEntry,
  type TSearchHintsFile,
  ZCatalogueFile,
  ZSearchHintsFile,
} from './procedures.schemas'
import { refreshSearchIndex } from './search/procedure-search.repository'

/** The catalogue shipped in the repository (a copy of ../shared/data/procedures-vn.json). */
export const bundledCatalogue = projectPath('catalogue', 'procedures', 'procedures-vn.json')
/** Search vocabulary written for that catalogue: synonyms, keywords and example questions. */
export const bundledSearchHints = projectPath('catalogue', 'procedures', 'search-vi.json')

export interface ImportResult {
  created: string[]
  updated: { id: string; fields: string[] }[]
  unchanged: number
  synonymsChanged: number
}

export class CatalogueFileError extends Error {
  override name = 'CatalogueFileError'
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new CatalogueFileError(`${file}: ${(err as Error).message}`)
  }
}

/** Reads and validates a catalogue file; each problem names the entry index and field. */
export function readCatalogueFile(file: string): TCatalogueEntry[] {
  const parsed = ZCatalogueFile.safeParse(readJson(file))
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 20).map((i) => `  [${i.path.join('.')}] ${i.message}`)
    throw new CatalogueFileError(`${file} is not a procedure catalogue:\n${lines.join('\n')}`)
  }
  const seen = new Set<string>()
  for (const e of parsed.data) {
    if (seen.has(e.id)) throw new CatalogueFileError(`${file}: the id "${e.id}" appears twice`)
    seen.add(e.id)
  }
  for (const e of parsed.data) {
    const unknown = e.related.filter((r) => !seen.has(r) || r === e.id)
    if (unknown.length > 0)
      throw new CatalogueFileError(`${file}: "${e.id}" relates to ${unknown.join(', ')}, not another entry`)
    if (e.required_documents_en.length > 0 && e.required_documents_en.length !== e.required_documents.length)
      throw new CatalogueFileError(
        `${file}: "${e.id}" has ${e.required_documents.length} required_documents but ${e.required_documents_en.length} in English`,
      )
  }
  return parsed.data
}

export function readSearchHintsFile(file: string): TSearchHintsFile {
  const parsed = ZSearchHintsFile.safeParse(readJson(file))
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 20).map((i) => `  [${i.path.join('.')}] ${i.message}`)
    throw new CatalogueFileError(`${file} is not a search hints file:\n${lines.join('\n')}`)
  }
  return parsed.data
}

/**
 * The content an entry describes. Review state is the staff's: an existing procedure keeps its
 * awaiting-review flag and review-by date unless the file sets them; a new one awaits legal
 * review unless its provenance is fully sourced (domain-vn §5).
 */
function entryContent(
  e: TCatalogueEntry,
  hints: TSearchHintsFile,
  existing?: ProcedureContent,
): ProcedureContent {
  const hint = hints.procedures[e.id]
  return {
    id: e.id,
    category: e.category,
    nameVi: e.name_vi,
    nameEn: e.name_en,
    handlingBody: e.handling_body,
    handlingBodyEn: e.handling_body_en,
    requiredDocuments: e.required_documents,
    requiredDocumentsEn: e.required_documents_en,
    timeLimit: e.time_limit,
    timeLimitEn: e.time_limit_en,
    fee: e.fee,
    feeEn: e.fee_en,
    legalBasis: e.legal_basis,
    related: e.related,
    online: e.online,
    provenance: e.provenance,
    awaitingLegalReview:
      e.awaiting_legal_review ?? existing?.awaitingLegalReview ?? e.provenance.level !== 'sourced',
    reviewBy: e.review_by ?? existing?.reviewBy ?? null,
    keywords: e.keywords ?? hint?.keywords ?? existing?.keywords ?? [],
    questionExamples: e.question_examples ?? hint?.examples ?? existing?.questionExamples ?? [],
    archived: false,
  }
}

/**
 * Imports a catalogue: creates new procedures, updates changed ones and records a version only
 * when content changed, so running it twice changes nothing the second time.
 */
export async function importCatalogue(
  db: Db,
  entries: TCatalogueEntry[],
  hints: TSearchHintsFile = { synonyms: [], procedures: {} },
): Promise<ImportResult> {
  const result: ImportResult = { created: [], updated: [], unchanged: 0, synonymsChanged: 0 }
  await db.transaction(async (tx) => {
    for (const s of hints.synonyms) {
      if (await upsertSynonym(tx, { ...s, term: s.term.toLowerCase() })) result.synonymsChanged++
    }
    for (const e of entries) {
      const row = await findProcedure(tx, e.id)
      const before = row ? contentOf(row) : undefined
      const after = entryContent(e, hints, before)
      const fields = before ? changedFields(before, after) : []
      if (before && fields.length === 0) {
        result.unchanged++
        continue
      }
      const version = (row?.version ?? 0) + 1
      await saveProcedure(tx, after, version)
      await insertVersion(tx, {
        procedureId: e.id,
        version,
        snapshot: after as unknown as Record<string, unknown>,
        changedFields: fields,
        source: 'import',
      })
      if (before) result.updated.push({ id: e.id, fields })
      else result.created.push(e.id)
    }
    const touched = [...result.created, ...result.updated.map((u) => u.id)]
    if (touched.length > 0) await refreshSearchIndex(tx, touched)
  })
  if (result.synonymsChanged > 0) forgetSynonymCache(db)
  return result
}

/** Imports files from disk (the CLI and the demo seed). */
export async function importCatalogueFiles(
  db: Db,
  catalogueFile: string = bundledCatalogue,
  hintsFile: string | null = bundledSearchHints,
): Promise<ImportResult> {
  const entries = readCatalogueFile(catalogueFile)
  const hints = hintsFile ? readSearchHintsFile(hintsFile) : undefined
  return importCatalogue(db, entries, hints)
}
