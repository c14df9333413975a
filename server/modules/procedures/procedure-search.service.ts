import type { DbOrTx } from '../../db/client'
import {
  defaultWeights,
  loadSynonyms,
  rankProcedures,
  type ScoringWeights,
  searchStamp,
} from './search/procedure-search.repository'
import { foldedTokens, prepareQuery, ruleMap, type SynonymRule } from './search/search-text'

export interface ProcedureSearchHit {
  id: string
  nameVi: string
  nameEn: string
  category: string
  awaitingLegalReview: boolean
  snippet: string
  score: number
}

export interface SearchOptions {
  limit?: number
  /** For the evaluation script only: try other ranking weights on the same pipeline. */
  weights?: ScoringWeights
}

interface RuleCache {
  stamp: string
  checkedAt: number
  rules: Map<string, SynonymRule>
}

/** Another instance's change to the synonym table is picked up within this time. */
const RECHECK_MS = 5_000
const cache = new WeakMap<object, RuleCache>()

/** Forgets the cached synonym rules (after an import in this process). */
export const forgetSynonymCache = (db: DbOrTx) => cache.delete(db)

/** The synonym rules, folded; reloaded only when the table changed (its stamp moved). */
async function synonymRules(db: DbOrTx): Promise<Map<string, SynonymRule>> {
  const hit = cache.get(db)
  if (hit && Date.now() - hit.checkedAt < RECHECK_MS) return hit.rules
  const stamp = await searchStamp(db)
  if (hit && hit.stamp === stamp) {
    hit.checkedAt = Date.now()
    return hit.rules
  }
  const rows = await loadSynonyms(db)
  const rules = ruleMap(
    rows.map((r) => ({
      words: foldedTokens(r.term),
      expansion: foldedTokens(r.expansion),
      replace: r.replace,
      weight: r.weight,
    })),
  )
  cache.set(db, { stamp, checkedAt: Date.now(), rules })
  return rules
}

/**
 * Finds the procedures an informal question is about — with or without diacritics, with chat
 * spelling, abbreviations and typos. The one search both the API and `npm run eval:kb` use.
 */
export async function searchProcedures(
  db: DbOrTx,
  question: string,
  options: SearchOptions = {},
): Promise<ProcedureSearchHit[]> {
  const limit = Math.min(Math.max(options.limit ?? 10, 1), 50)
  const prepared = prepareQuery(question, await synonymRules(db))
  if (prepared.terms.length === 0 && prepared.text.length < 3) return []
  const rows = await rankProcedures(
    db,
    {
      terms: prepared.terms.map((t) => t.term),
      weights: prepared.terms.map((t) => t.weight),
      text: prepared.text,
      limit,
    },
    options.weights ?? defaultWeights,
  )
  return rows.map((r) => ({
    id: r.id,
    nameVi: r.name_vi,
    nameEn: r.name_en,
    category: r.category,
    awaitingLegalReview: r.awaiting_legal_review,
    snippet: r.snippet,
    score: Math.round(Number(r.score) * 1000) / 1000,
  }))
}
