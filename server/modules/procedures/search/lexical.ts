import { PHRASE_JOIN, type QueryTerm } from './search-text'

/**
 * The catalogue's search index held in memory (a few thousand terms for ~30 procedures), so a
 * query is scored in well under a millisecond and ranks the same on PGlite and PostgreSQL:
 * both only supply the rows. Scoring: idf per term, times the weight of the best field the term
 * occurs in (name, keywords/examples, body, rest); a syllable unknown to the catalogue stands
 * for the most similar indexed syllable (trigram similarity, as pg_trgm computes it).
 */

export interface IndexRows {
  procedures: { id: string; nameVi: string; nameEn: string; category: string; awaitingLegalReview: boolean }[]
  postings: { term: string; procedure_id: string; field: string }[]
}

export interface LexicalIndex {
  procedures: IndexRows['procedures']
  /** term → [procedure index, field letter code 0..3] pairs. */
  postings: Map<string, Array<[number, number]>>
  /** Trigram → single-syllable terms that contain it. */
  trigrams: Map<string, string[]>
  trigramCount: Map<string, number>
  /** Folded main name of each procedure, as trigram set for name similarity. */
  nameTrigrams: Set<string>[]
  nameWords: number[]
  /** Precomputed for `nameSimilarity`: each name trigram's id and the procedures whose name has it. */
  names: NameIndex
  /** Nearest indexed syllable per unknown word (a bounded cache: typos repeat). */
  nearest: Map<string, { term: string; sim: number } | null>
}

interface NameIndex {
  ids: Map<string, number>
  /**
   * Distinct window widths (words per name), the procedures of each, and for each name trigram id
   * the procedures of that width whose name has it.
   */
  widths: Array<{ width: number; procedures: number[]; holders: Int32Array[] }>
}

export interface LexicalWeights {
  fields: [number, number, number, number]
  typoWeight: number
}

export const lexicalDefaults: LexicalWeights = { fields: [1, 0.7, 0.3, 0.1], typoWeight: 0.6 }

/** pg_trgm's trigrams of one word: two blanks before, one after. */
export function wordTrigrams(word: string, into = new Set<string>()): Set<string> {
  const padded = `  ${word} `
  for (let i = 0; i + 3 <= padded.length; i++) into.add(padded.slice(i, i + 3))
  return into
}

export function buildLexicalIndex(rows: IndexRows, foldName: (s: string) => string[]): LexicalIndex {
  const order = new Map(rows.procedures.map((p, i) => [p.id, i]))
  const postings = new Map<string, Array<[number, number]>>()
  for (const r of rows.postings) {
    const p = order.get(r.procedure_id)
    if (p === undefined) continue
    const list = postings.get(r.term) ?? []
    list.push([p, Math.max(0, 'ABCD'.indexOf(r.field))])
    postings.set(r.term, list)
  }
  const trigrams = new Map<string, string[]>()
  const trigramCount = new Map<string, number>()
  for (const term of postings.keys()) {
    if (term.length < 2 || term.includes(PHRASE_JOIN) || /\d/.test(term)) continue
    const set = wordTrigrams(term)
    trigramCount.set(term, set.size)
    for (const g of set) {
      const list = trigrams.get(g) ?? []
      list.push(term)
      trigrams.set(g, list)
    }
  }
  const names = rows.procedures.map((p) => foldName(p.nameVi.split('(')[0]!))
  const nameTrigrams = names.map((ws) => {
    const set = new Set<string>()
    for (const w of ws) wordTrigrams(w, set)
    return set
  })
  const ids = new Map<string, number>()
  const holders: number[][] = []
  nameTrigrams.forEach((set, p) => {
    for (const g of set) {
      let id = ids.get(g)
      if (id === undefined) {
        id = holders.length
        ids.set(g, id)
        holders.push([])
      }
      holders[id]!.push(p)
    }
  })
  const byWidth = new Map<number, number[]>()
  names.forEach((ws, p) => {
    byWidth.set(ws.length, [...(byWidth.get(ws.length) ?? []), p])
  })
  return {
    procedures: rows.procedures,
    postings,
    trigrams,
    trigramCount,
    nameTrigrams,
    nameWords: names.map((ws) => ws.length),
    names: {
      ids,
      widths: [...byWidth].map(([width, procedures]) => ({
        width,
        procedures,
        holders: holders.map((h) => Int32Array.from(h.filter((p) => procedures.includes(p)))),
      })),
    },
    nearest: new Map(),
  }
}

/** The most similar indexed syllable (similarity ≥ 0.45), as pg_trgm's `%` with similarity(). */
export function nearestTerm(index: LexicalIndex, word: string): { term: string; sim: number } | null {
  if (index.nearest.has(word)) return index.nearest.get(word)!
  const found = findNearest(index, word)
  if (index.nearest.size >= NEAREST_CACHE) index.nearest.clear()
  index.nearest.set(word, found)
  return found
}

const NEAREST_CACHE = 20_000

function findNearest(index: LexicalIndex, word: string): { term: string; sim: number } | null {
  const q = wordTrigrams(word)
  const shared = new Map<string, number>()
  for (const g of q) for (const t of index.trigrams.get(g) ?? []) shared.set(t, (shared.get(t) ?? 0) + 1)
  let best: { term: string; sim: number } | null = null
  for (const [t, n] of shared) {
    const sim = n / (q.size + index.trigramCount.get(t)! - n)
    if (sim >= 0.45 && (!best || sim > best.sim || (sim === best.sim && t < best.term)))
      best = { term: t, sim }
  }
  return best
}

export interface LexicalMatch {
  /** Per procedure: share of the query's weight found in it (0..1). */
  lex: Float64Array
  /** Per procedure: the telling query term (as asked) and indexed term that gave it most weight. */
  best: Array<{ asked: string; term: string; w: number } | null>
}

export function lexicalScores(index: LexicalIndex, terms: QueryTerm[], w: LexicalWeights): LexicalMatch {
  const n = index.procedures.length
  const resolved = new Map<string, { w: number; asked: string }>()
  for (const t of terms) {
    let term = t.term
    let weight = t.weight
    if (!index.postings.has(term)) {
      if (term.length < 3 || term.includes(PHRASE_JOIN)) continue
      const near = nearestTerm(index, term)
      if (!near) continue
      term = near.term
      weight *= w.typoWeight * near.sim
    }
    const idf = Math.log(1 + n / index.postings.get(term)!.length)
    const prev = resolved.get(term)
    if (!prev || weight * idf > prev.w) resolved.set(term, { w: weight * idf, asked: t.term })
  }
  let total = 0
  for (const r of resolved.values()) total += r.w
  const lex = new Float64Array(n)
  const best: LexicalMatch['best'] = new Array(n).fill(null)
  for (const [term, r] of resolved) {
    const list = index.postings.get(term)!
    // A term most procedures share ("công an", "trước") explains nothing: not a reason.
    const telling = list.length <= n / 3
    for (const [p, field] of list) {
      const gain = (r.w * w.fields[field]!) / Math.max(total, 1e-9)
      lex[p]! += gain
      if (!telling) continue
      const b = best[p]
      // Phrases explain better than single syllables: prefer them at equal weight.
      const bonus = term.includes(PHRASE_JOIN) ? 1.5 : 1
      if (!b || gain * bonus > b.w) best[p] = { asked: r.asked, term, w: gain * bonus }
    }
  }
  return { lex, best }
}

/** How much of each procedure's name the question contains (trigram overlap in a word window). */
export function nameSimilarity(index: LexicalIndex, words: string[]): Float64Array {
  const n = index.procedures.length
  const sims = new Float64Array(n)
  if (words.length === 0) return sims
  const { ids, widths } = index.names
  // Each word's distinct trigrams as ids: a name trigram keeps its id, others get ids past them.
  const local = new Map<string, number>()
  const known = ids.size
  let next = known
  const wordIds = words.map((w) => {
    const out: number[] = []
    for (const g of wordTrigrams(w)) {
      let id = ids.get(g) ?? local.get(g)
      if (id === undefined) {
        id = next++
        local.set(g, id)
      }
      out.push(id)
    }
    return out
  })
  const seen = new Int32Array(next).fill(-1)
  const shared = new Int32Array(n)
  let stamp = 0
  for (const { width, procedures, holders } of widths) {
    for (let i = 0; i < words.length; i++) {
      stamp++
      let size = 0
      for (const p of procedures) shared[p] = 0
      for (let k = i; k < Math.min(words.length, i + width); k++) {
        for (const id of wordIds[k]!) {
          if (seen[id] === stamp) continue
          seen[id] = stamp
          size++
          if (id < known) for (const p of holders[id]!) shared[p]!++
        }
      }
      for (const p of procedures) {
        const sim = shared[p]! / (index.nameTrigrams[p]!.size + size - shared[p]!)
        if (sim > sims[p]!) sims[p] = sim
      }
    }
  }
  return sims
}
