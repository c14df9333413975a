import type { DbOrTx } from '../../db/client'
import { indexGeneration, searchStamp } from './search/procedure-search.repository'
import { allSignals, type MatchReason, type RankerParams, rankQuestion, type Signals } from './search/ranker'
import { loadSearchState, type SearchState, snippetFor } from './search/search-state'

export interface ProcedureSearchHit {
  id: string
  nameVi: string
  nameEn: string
  category: string
  awaitingLegalReview: boolean
  snippet: string
  score: number
  /** What in the question matched: the resident's words and what they mean here. */
  why: MatchReason[]
}

export interface ProcedureSearchResult {
  /** True when no procedure fits the question (the hits are then only for evaluation). */
  none: boolean
  hits: ProcedureSearchHit[]
}

export interface SearchOptions {
  limit?: number
  /** For the evaluation script only: switch signals off (ablation) or try other parameters. */
  signals?: Signals
  params?: RankerParams
}

interface StateCache {
  stamp: string
  generation: number
  checkedAt: number
  state: SearchState
}

/** Another instance's change to the catalogue or synonyms is picked up within this time. */
const RECHECK_MS = 5_000
const cache = new WeakMap<object, StateCache>()

/** Forgets the cached index and synonyms (after an import in this process). */
export const forgetSynonymCache = (db: DbOrTx) => cache.delete(db)

/** The in-memory search state; reloaded only when the catalogue or synonym table changed. */
export async function searchState(db: DbOrTx): Promise<SearchState> {
  const hit = cache.get(db)
  const generation = indexGeneration()
  if (hit && hit.generation === generation && Date.now() - hit.checkedAt < RECHECK_MS) return hit.state
  const stamp = await searchStamp(db)
  if (hit && hit.stamp === stamp && hit.generation === generation) {
    hit.checkedAt = Date.now()
    return hit.state
  }
  const state = await loadSearchState(db)
  cache.set(db, { stamp, generation, checkedAt: Date.now(), state })
  return state
}

/**
 * Finds the procedures an informal question is about — a story, old or regional words, chat
 * spelling, Telex/VNI leftovers — or says that none fits. The one search both the API and
 * `npm run eval:kb` use. Ranking runs in memory on rows read from the database, so PGlite and
 * PostgreSQL give the same answer.
 */
export async function searchProcedures(
  db: DbOrTx,
  question: string,
  options: SearchOptions = {},
): Promise<ProcedureSearchResult> {
  const limit = Math.min(Math.max(options.limit ?? 10, 1), 50)
  const state = await searchState(db)
  const ranking = rankQuestion(state, question, options.signals ?? allSignals, options.params ?? state.params)
  const hits = ranking.ranked.slice(0, limit).map((r) => {
    const p = state.index.procedures[r.index]!
    return {
      id: p.id,
      nameVi: p.nameVi,
      nameEn: p.nameEn,
      category: p.category,
      awaitingLegalReview: p.awaitingLegalReview,
      snippet: snippetFor(state, r.index, ranking.matched),
      score: Math.round(r.score * 1000) / 1000,
      why: r.why,
    }
  })
  return { none: ranking.none, hits }
}
