import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../../db/client'
import { queryRows } from '../../../db/query'
import { procedureSynonyms } from '../../../db/schema/index'
import { PHRASE_JOIN } from './search-text'

export interface RankingRow extends Record<string, unknown> {
  id: string
  name_vi: string
  name_en: string
  category: string
  awaiting_legal_review: boolean
  handling_body: string
  required_documents: string[]
  keywords: string[]
}

/** The live catalogue and its postings, in a stable order: what the in-memory ranker is built from. */
export async function loadRankingRows(db: DbOrTx) {
  const rows = await queryRows<RankingRow>(
    db,
    sql`select id, name_vi, name_en, category, awaiting_legal_review, handling_body, required_documents, keywords
      from procedures where not archived order by id`,
  )
  const postings = await queryRows<{ term: string; procedure_id: string; field: string }>(
    db,
    sql`select term, procedure_id, field from procedure_search_postings order by term, procedure_id`,
  )
  return { rows, postings }
}

/** The synonym table, folded by the caller. */
export async function loadSynonyms(db: DbOrTx) {
  return db.select().from(procedureSynonyms)
}

let generation = 0
/** Bumped by every index refresh in this process, so the service reloads without waiting. */
export const indexGeneration = () => generation

/** Changes when the catalogue, its index or the synonym table changes; the service caches on it. */
export async function searchStamp(db: DbOrTx): Promise<string> {
  const [row] = await queryRows<{ stamp: string }>(
    db,
    sql`select concat_ws('/', (select count(*) from procedure_synonyms), (select max(updated_at) from procedure_synonyms),
      (select count(*) from procedures where not archived), (select max(updated_at) from procedures),
      (select count(*) from procedure_search_postings)) as stamp`,
  )
  return row?.stamp ?? ''
}

/**
 * Rebuilds the postings of the given procedures (all when omitted) from their stored vectors,
 * then the vocabulary with document frequencies. Run in the transaction that changed them.
 */
export async function refreshSearchIndex(db: DbOrTx, procedureIds?: string[]): Promise<void> {
  generation++
  const ids = procedureIds ? arrayLiteral(procedureIds) : null
  const only = ids ? sql`p.id = any(${ids}::text[])` : sql`true`
  await db.execute(
    ids
      ? sql`delete from procedure_search_postings where procedure_id = any(${ids}::text[])`
      : sql`delete from procedure_search_postings`,
  )
  await db.execute(sql`
    insert into procedure_search_postings (term, procedure_id, field)
    select u.lexeme, p.id, case when 'A' = any(u.weights) then 'A' when 'B' = any(u.weights) then 'B'
      when 'C' = any(u.weights) then 'C' else 'D' end
    from procedures p cross join lateral unnest(p.search_vector) as u(lexeme, positions, weights)
    where not p.archived and ${only}`)
  await db.execute(sql`delete from procedure_search_terms`)
  await db.execute(sql`
    insert into procedure_search_terms (term, ndoc, is_phrase)
    select term, count(*)::int, strpos(term, ${PHRASE_JOIN}) > 0 from procedure_search_postings group by term`)
}

/**
 * A PostgreSQL array literal for one bound parameter. Search terms are folded to [a-z0-9] and
 * procedure ids are slugs; anything else is refused rather than quoted.
 */
function arrayLiteral(values: readonly string[]): string {
  for (const v of values) {
    if (!/^[a-z0-9.-]+$/.test(v)) throw new Error(`unexpected search term or id: ${JSON.stringify(v)}`)
  }
  return `{${values.join(',')}}`
}
