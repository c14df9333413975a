import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../../db/client'
import { queryRows } from '../../../db/query'
import { procedureSynonyms } from '../../../db/schema/index'
import { PHRASE_JOIN } from './search-text'

export interface SearchRow extends Record<string, unknown> {
  id: string
  name_vi: string
  name_en: string
  category: string
  awaiting_legal_review: boolean
  snippet: string
  score: number
  lex: number
  name_sim: number
}

export interface ScoringWeights {
  /** Field weights for a term found in the name, keywords/examples, documents/body, the rest. */
  fields: { a: number; b: number; c: number; d: number }
  /** How much the procedure's name, found (even misspelt or partly) inside the question, adds. */
  nameSimilarity: number
  /** A misspelt syllable corrected to the nearest indexed one keeps this share of its weight. */
  typoWeight: number
}

export const defaultWeights: ScoringWeights = {
  fields: { a: 1, b: 0.7, c: 0.3, d: 0.1 },
  nameSimilarity: 0.35,
  typoWeight: 0.6,
}

/**
 * Ranks procedures for prepared query terms, all in one statement:
 * - idf per term from ts_stat over the stored vectors (rare words such as "khai sinh" count more
 *   than "đăng ký");
 * - syllables unknown to the catalogue are mapped to the most similar indexed syllable (pg_trgm);
 * - candidates via the GIN index (`@@`), then each matched lexeme scores idf × query weight ×
 *   the weight of the best field it occurs in (unnest(tsvector) gives the field letters);
 * - plus word_similarity of the procedure's name inside the question (pg_trgm), which
 *   tolerates typos and partial words.
 */
export async function rankProcedures(
  db: DbOrTx,
  input: { terms: string[]; weights: number[]; text: string; limit: number },
  w: ScoringWeights = defaultWeights,
): Promise<SearchRow[]> {
  const { fields: f } = w
  return queryRows<SearchRow>(
    db,
    sql`
    with q0 as (
      select t.term, t.w from unnest(${arrayLiteral(input.terms)}::text[], ${arrayLiteral(input.weights.map(String))}::float8[]) as t(term, w)
    ),
    n as (select greatest(count(*), 1)::float8 as n from procedures where not archived),
    known as (
      select q0.term, q0.w, v.ndoc
      from procedure_search_terms v join q0 on q0.term = v.term
      where v.term = any(${arrayLiteral(input.terms)}::text[])
    ),
    unknown as (
      select q0.term, q0.w from q0
      where length(q0.term) >= 3 and strpos(q0.term, ${PHRASE_JOIN}) = 0
        and not exists (select 1 from known where known.term = q0.term)
    ),
    fixed as (
      select distinct on (u.term) v.term, u.w * ${w.typoWeight}::float8 * similarity(v.term, u.term) as w, v.ndoc
      from unknown u join procedure_search_terms v on v.term % u.term
      where not v.is_phrase and similarity(v.term, u.term) >= 0.45
      order by u.term, similarity(v.term, u.term) desc, v.term
    ),
    qi as materialized (
      select term, max(w) * ln(1 + (select n from n) / max(ndoc)) as w
      from (select * from known union all select * from fixed) u group by term
    ),
    total as (select greatest(sum(w), 1e-9) as t from qi),
    lex as (
      select pp.procedure_id as id, sum(qi.w * (case pp.field
          when 'A' then ${f.a}::float8 when 'B' then ${f.b}::float8
          when 'C' then ${f.c}::float8 else ${f.d}::float8 end)) / (select t from total) as lex
      from qi join procedure_search_postings pp on pp.term = qi.term
      group by pp.procedure_id
    ),
    scored as (
      select p.id, p.name_vi, p.name_en, p.category, p.awaiting_legal_review, p.handling_body, p.required_documents,
        coalesce(lex.lex, 0)::float8 as lex,
        word_similarity(lower(f_unaccent(split_part(p.name_vi, '(', 1))), ${input.text})::float8 as name_sim
      from procedures p left join lex on lex.id = p.id
      where not p.archived
    ),
    ranked as (
      select *, lex + ${w.nameSimilarity}::float8 * name_sim * name_sim as score
      from scored
      where lex > 0 or name_sim >= 0.5
      order by score desc, id
      limit ${input.limit}
    )
    select id, name_vi, name_en, category, awaiting_legal_review, score, lex, name_sim,
      ts_headline('vi_unaccent', handling_body || '. ' || coalesce((select string_agg(d, '. ') from jsonb_array_elements_text(required_documents) d), ''),
        (select coalesce(string_agg(term, ' | ')::tsquery, ''::tsquery) from qi where strpos(term, ${PHRASE_JOIN}) = 0),
        'MaxWords=24, MinWords=10, StartSel="", StopSel="", MaxFragments=1, FragmentDelimiter=" … "') as snippet
    from ranked
    order by score desc, id`,
  )
}

/** The synonym table, folded by the caller. */
export async function loadSynonyms(db: DbOrTx) {
  return db.select().from(procedureSynonyms)
}

/** Changes when the catalogue or the synonym table changes; the service caches on it. */
export async function searchStamp(db: DbOrTx): Promise<string> {
  const [row] = await queryRows<{ stamp: string }>(
    db,
    sql`select concat_ws('/', (select count(*) from procedure_synonyms), (select max(updated_at) from procedure_synonyms)) as stamp`,
  )
  return row?.stamp ?? ''
}

/**
 * Rebuilds the postings of the given procedures (all when omitted) from their stored vectors,
 * then the vocabulary with document frequencies. Run in the transaction that changed them.
 */
export async function refreshSearchIndex(db: DbOrTx, procedureIds?: string[]): Promise<void> {
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
