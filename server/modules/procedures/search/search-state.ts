import { readFileSync } from 'node:fs'
import type { DbOrTx } from '../../../db/client'
import { projectPath } from '../../../lib/project-paths'
import type { ClassifierModel } from './classifier'
import { buildLexicalIndex } from './lexical'
import { termRuleMap } from './normalise'
import { loadRankingRows, loadSynonyms } from './procedure-search.repository'
import {
  ABSTAIN_DIMS,
  compileAgencies,
  compileSituations,
  displayMap,
  type RankerContext,
  type RankerParams,
  type SituationSpec,
} from './ranker'
import { foldedTokens, ruleMap } from './search-text'

/** The trained model and the combination learned with it (`npm run train:procedures`). */
export interface RankerFile {
  trainedAt: string
  params: RankerParams
  model: ClassifierModel
  /** Binary out-of-scope classifier ("in" / "none"); absent in files trained before it existed. */
  outOfScope?: ClassifierModel
}

const file = (name: string) => projectPath('catalogue', 'procedures', name)

export const rankerFilePath = file('procedure-ranker.json')

const situationsFile = JSON.parse(readFileSync(file('situations-vi.json'), 'utf8')) as {
  terms: { from: string; to: string; mode: 'add' | 'replace' }[]
  situations: SituationSpec[]
  otherAgencies: { means: string; pattern: string }[]
}

/** Before the first training the ranker runs on words and situations alone. */
export const untrained: RankerFile = {
  trainedAt: '',
  params: {
    lex: 1,
    name: 0.35,
    clf: 0,
    sit: 0.3,
    abstain: {
      mean: new Array(ABSTAIN_DIMS).fill(0),
      std: new Array(ABSTAIN_DIMS).fill(1),
      w: new Array(ABSTAIN_DIMS).fill(0),
      b: 0,
      threshold: 2,
    },
  },
  model: { classes: [], bias: [], weights: {} },
}

let rankerFile: RankerFile | undefined
export function loadRankerFile(): RankerFile {
  if (!rankerFile) {
    try {
      rankerFile = JSON.parse(readFileSync(rankerFilePath, 'utf8')) as RankerFile
    } catch {
      rankerFile = untrained
    }
  }
  return rankerFile
}

export interface SearchState extends RankerContext {
  /** Sentences of each procedure's body and documents, with their folded words (for snippets). */
  texts: { body: string[]; folded: string[][] }[]
}

/** Everything the ranker needs, read from the database in three statements. */
export async function loadSearchState(
  db: DbOrTx,
  ranker: RankerFile = loadRankerFile(),
): Promise<SearchState> {
  const { rows, postings } = await loadRankingRows(db)
  const synonyms = await loadSynonyms(db)
  const procedures = rows.map((r) => ({
    id: r.id,
    nameVi: r.name_vi,
    nameEn: r.name_en,
    category: r.category,
    awaitingLegalReview: r.awaiting_legal_review,
  }))
  return {
    index: buildLexicalIndex({ procedures, postings }, foldedTokens),
    synonyms: ruleMap(
      synonyms.map((r) => ({
        words: foldedTokens(r.term),
        expansion: foldedTokens(r.expansion),
        replace: r.replace,
        weight: r.weight,
      })),
    ),
    terms: termRuleMap(situationsFile.terms),
    situations: compileSituations(situationsFile.situations),
    agencies: compileAgencies(situationsFile.otherAgencies),
    at: new Map(procedures.map((p, i) => [p.id, i])),
    model: ranker.model,
    outOfScope: ranker.outOfScope ?? { classes: [], bias: [], weights: {} },
    params: ranker.params,
    display: displayMap(rows.flatMap((r) => [r.name_vi, ...r.keywords])),
    texts: rows.map((r) => {
      const body = [r.handling_body, ...r.required_documents].flatMap((t) => t.split(/(?<=[.;])\s+/))
      return { body, folded: body.map(foldedTokens) }
    }),
  }
}

/** The sentence of the procedure's body or documents that shares most words with the question. */
export function snippetFor(state: SearchState, p: number, matched: string[]): string {
  const want = new Set(matched)
  const { body, folded } = state.texts[p]!
  let best = body[0] ?? ''
  let bestHits = -1
  folded.forEach((tokens, i) => {
    let hits = 0
    for (const t of tokens) if (want.has(t)) hits++
    if (hits > bestHits) {
      best = body[i]!
      bestHits = hits
    }
  })
  const words = best.split(/\s+/)
  return words.length > 24 ? `${words.slice(0, 24).join(' ')} …` : best
}
