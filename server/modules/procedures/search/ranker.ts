import { foldVietnamese } from '@common/text/fold'
import {
  type ClassifierModel,
  features as classifierFeatures,
  NONE_CLASS,
  predictFeaturesMany,
} from './classifier'
import {
  type LexicalIndex,
  type LexicalWeights,
  lexicalDefaults,
  lexicalScores,
  nameSimilarity,
} from './lexical'
import { type NormalisedQuestion, normaliseQuestion, type TermRule } from './normalise'
import { PHRASE_JOIN, prepareQuery, type SynonymRule } from './search-text'
import { askedPart, withoutOldPapers } from './story'

/** Why a procedure matched, in the resident's words: "ở nhờ 2 tuần" → "lưu trú". */
export interface MatchReason {
  said: string
  means: string
}

export interface Situation {
  procedure: string
  means: string
  weight: number
  re: RegExp
  /**
   * What the resident must have typed for a match to count (their own words of the matched span,
   * lower case, with diacritics): folding makes some words ambiguous ("vì" and "ví" are both "vi").
   */
  said?: RegExp
  /**
   * Words anywhere in the folded question that cancel the situation: the story is about a
   * neighbouring procedure that shares its words ("thuê trọ" in a question about extending or
   * removing a temporary residence, "đi du học" in a criminal-record question).
   */
  unless?: RegExp
}

/** How the signals combine (learned by `npm run train:procedures`, stored with the model). */
export interface RankerParams {
  lex: number
  name: number
  clf: number
  sit: number
  /**
   * Weight of the procedure classifier on what the resident asks (`askedPart`, twelfth round);
   * absent in older models (0).
   */
  ask?: number
  /**
   * "No procedure": a logistic model over how the best answer looks (see `abstainFeatures`),
   * standardised with mean/std, and the calibrated probability from which the search says none.
   */
  abstain: { mean: number[]; std: number[]; w: number[]; b: number; threshold: number }
}

/** How the best answer looks, for the "none" decision. */
export interface AbstainInput {
  /** The two best combined scores. */
  scores: number[]
  /** The procedure classifier's "none" class. */
  pNone: number
  maxClf: number
  maxLex: number
  maxSit: number
  /** The separate out-of-scope classifier: P(no ward-police procedure). */
  pOutOfScope: number
  /** How many other agencies' vocabularies the question uses ("kết hôn", "visa", "sổ đỏ"). */
  agencies: number
  /** The best procedure's own situation and word scores (is the first answer backed by anything?). */
  topSit: number
  topLex: number
  /** P(out of scope) of the question without its old police papers (absent: it names none). */
  pOutOfScopeWithoutOld?: number
  /** P(out of scope) of what the resident asks (absent: no separate ask). */
  pOutOfScopeAsked?: number
}

/**
 * What tells a question no procedure fits: a weak best score, a small margin to the second, the
 * "none" class, the out-of-scope classifier, another agency's words, a first answer that no
 * situation backs.
 */
export function abstainFeatures(x: AbstainInput): number[] {
  const s1 = x.scores[0] ?? 0
  const s2 = x.scores[1] ?? 0
  return [
    s1,
    s1 - s2,
    x.pNone,
    x.maxClf,
    x.maxLex,
    x.maxSit > 0 ? 1 : 0,
    x.pOutOfScope,
    // Another agency's words count as far as the question's own n-grams agree that it is not a
    // ward-police matter: alone, a word like "sổ đỏ" or "trường" also appears in in-scope stories.
    Math.min(x.agencies, 2) * x.pOutOfScope,
    x.topSit > 0 ? 1 : 0,
    x.topLex,
    // Twelfth round: how much more "none" the question looks once the old police papers it names
    // as background are set aside, and how much more (or less) what it asks looks "none" than
    // the whole story.
    x.pOutOfScopeWithoutOld === undefined ? 0 : Math.max(0, x.pOutOfScopeWithoutOld - x.pOutOfScope),
    x.pOutOfScopeAsked === undefined ? 0 : x.pOutOfScopeAsked - x.pOutOfScope,
  ]
}

/** Dimensions of `abstainFeatures`. */
export const ABSTAIN_DIMS = 12

export function abstainProbability(a: RankerParams['abstain'], f: number[]): number {
  let z = a.b
  f.forEach((x, i) => {
    z += a.w[i]! * ((x - a.mean[i]!) / a.std[i]!)
  })
  return 1 / (1 + Math.exp(-z))
}

/** Which signals run (all in production; the evaluation switches them off one by one). */
export interface Signals {
  repair: boolean
  terms: boolean
  situations: boolean
  classifier: boolean
  /** The separate out-of-scope classifier (a "none" signal). */
  outOfScope: boolean
  /** Other agencies' vocabulary (a "none" signal). */
  agencies: boolean
  /** The question read without its old police papers (a "none" signal). */
  oldPapers: boolean
  /** What the resident asks, read apart from the story (ranking and "none"). */
  ask: boolean
  abstain: boolean
}

export const allSignals: Signals = {
  repair: true,
  terms: true,
  situations: true,
  classifier: true,
  outOfScope: true,
  agencies: true,
  oldPapers: true,
  ask: true,
  abstain: true,
}

export interface RankerContext {
  index: LexicalIndex
  synonyms: Map<string, SynonymRule>
  terms: Map<string, TermRule>
  situations: Situation[]
  model: ClassifierModel
  /** Binary: "in" (some ward-police procedure) or "none". */
  outOfScope: ClassifierModel
  /** Other agencies' vocabulary, over the folded question. */
  agencies: { means: string; re: RegExp }[]
  /** Procedure id → position in `index.procedures`. */
  at: Map<string, number>
  params: RankerParams
  /** Folded syllable or phrase → how the catalogue writes it ("tam0tru" → "tạm trú"). */
  display: Map<string, string>
  lexical?: LexicalWeights
}

export interface RankedProcedure {
  index: number
  score: number
  why: MatchReason[]
}

export interface Ranking {
  none: boolean
  ranked: RankedProcedure[]
  /** Matched folded syllables (for the snippet). */
  matched: string[]
  /** Per-procedure signal values, for training the combination. */
  features?: {
    lex: Float64Array
    name: Float64Array
    clf: Float64Array
    sit: Float64Array
    pNone: number
    pOutOfScope: number
    agencies: number
    /** Normalised words of the two other readings (see `story.ts`); null when there is none. */
    withoutOld: string[] | null
    asked: string[] | null
  }
}

const SIT_CAP = 1.5
const EXPLAINED = 10

export function rankQuestion(
  ctx: RankerContext,
  question: string,
  signals: Signals = allSignals,
  params: RankerParams = ctx.params,
): Ranking {
  const n = ctx.index.procedures.length
  const q = normaliseQuestion(question, ctx.terms, { repair: signals.repair, terms: signals.terms })
  const words = q.words.map((w) => w.norm)
  const prepared = prepareQuery(words.join(' '), ctx.synonyms)
  const { lex, best } = lexicalScores(ctx.index, prepared.terms, ctx.lexical ?? lexicalDefaults)
  const name = nameSimilarity(ctx.index, prepared.text.split(' ').filter(Boolean))

  const clf = new Float64Array(n)
  let pNone = 0
  let pOutOfScope = 0
  const x = words.length > 0 && (signals.classifier || signals.outOfScope) ? classifierFeatures(words) : null
  const useScope = signals.outOfScope && ctx.outOfScope.classes.length === 2
  if (x && (signals.classifier || useScope)) {
    const models = [ctx.model, ctx.outOfScope].filter((_, i) => (i === 0 ? signals.classifier : useScope))
    const probs = predictFeaturesMany(models, x)
    if (signals.classifier) {
      const p = probs[0]!
      ctx.model.classes.forEach((c, k) => {
        if (c === NONE_CLASS) pNone = p[k]!
        else {
          const i = ctx.at.get(c)
          if (i !== undefined) clf[i] = p[k]!
        }
      })
    }
    if (useScope) pOutOfScope = probs.at(-1)![ctx.outOfScope.classes.indexOf(NONE_CLASS)]!
  }
  const scopeNone = ctx.outOfScope.classes.indexOf(NONE_CLASS)
  const withoutOld = signals.oldPapers ? withoutOldPapers(q) : null
  let pOutOfScopeWithoutOld: number | undefined
  if (withoutOld && useScope && withoutOld.length > 0)
    pOutOfScopeWithoutOld = predictFeaturesMany([ctx.outOfScope], classifierFeatures(withoutOld))[0]![
      scopeNone
    ]!
  const askText = signals.ask ? askedPart(question) : null
  const asked = askText
    ? normaliseQuestion(askText, ctx.terms, { repair: signals.repair, terms: signals.terms }).words.map(
        (w) => w.norm,
      )
    : null
  const clfAsked = new Float64Array(n)
  let pOutOfScopeAsked: number | undefined
  const askWeight = params.ask ?? 0
  const rankAsked = signals.classifier && askWeight > 0
  if (asked && asked.length > 0 && (rankAsked || useScope)) {
    // One pass over the ask's features for the models wanted: the ranking's first, scope's last.
    const models = [...(rankAsked ? [ctx.model] : []), ...(useScope ? [ctx.outOfScope] : [])]
    const probs = predictFeaturesMany(models, classifierFeatures(asked))
    if (rankAsked)
      ctx.model.classes.forEach((c, k) => {
        const i = ctx.at.get(c)
        if (i !== undefined) clfAsked[i] = probs[0]![k]!
      })
    if (useScope) pOutOfScopeAsked = probs.at(-1)![scopeNone]!
  }

  const text = foldedText(q)
  const sit = new Float64Array(n)
  const reasons: MatchReason[][] = Array.from({ length: n }, () => [])
  if (signals.situations) situationMatches(ctx, q, text, sit, reasons)
  let agencies = 0
  if (signals.agencies) for (const a of ctx.agencies) if (a.re.test(text.text)) agencies++

  const ranked: RankedProcedure[] = []
  for (let p = 0; p < n; p++) {
    const s =
      params.lex * lex[p]! +
      params.name * name[p]! * name[p]! +
      params.clf * clf[p]! +
      askWeight * clfAsked[p]! +
      params.sit * Math.min(sit[p]!, SIT_CAP)
    if (lex[p]! > 0 || name[p]! >= 0.5 || sit[p]! > 0 || clf[p]! >= 0.05)
      ranked.push({ index: p, score: s, why: [] })
  }
  ranked.sort((a, b) => b.score - a.score || a.index - b.index)
  // Reasons only for the procedures anyone will see.
  for (const r of ranked.slice(0, EXPLAINED)) {
    r.why = [...reasons[r.index]!]
    const b = best[r.index]
    if (!b) continue
    const said = saidFor(q, b.asked) || saidBySynonym(ctx, q, b.asked)
    const folded = b.term.replace(PHRASE_JOIN, ' ')
    const means = ctx.display.get(b.term) ?? (foldVietnamese(said) === folded ? said.toLowerCase() : folded)
    if (said && !r.why.some((w) => w.said === said)) r.why.push({ said, means })
    r.why = r.why.slice(0, 3)
  }
  const top = ranked[0]?.index
  const f = abstainFeatures({
    scores: ranked.slice(0, 2).map((r) => r.score),
    pNone,
    maxClf: Math.max(0, ...clf),
    maxLex: Math.max(0, ...lex),
    maxSit: Math.max(0, ...sit),
    pOutOfScope,
    agencies,
    topSit: top === undefined ? 0 : sit[top]!,
    topLex: top === undefined ? 0 : lex[top]!,
    pOutOfScopeWithoutOld,
    pOutOfScopeAsked,
  })
  const none =
    signals.abstain &&
    (ranked.length === 0 || abstainProbability(params.abstain, f) >= params.abstain.threshold)
  return {
    none,
    ranked,
    matched: prepared.terms.map((t) => t.term).filter((t) => !t.includes(PHRASE_JOIN)),
    features: { lex, name, clf, sit, pNone, pOutOfScope, agencies, withoutOld, asked },
  }
}

/** The normalised words as one string ("w1 w2 … "), with where each word starts. */
function foldedText(q: ReturnType<typeof normaliseQuestion>): { text: string; starts: number[] } {
  const starts: number[] = []
  let text = ''
  for (const w of q.words) {
    starts.push(text.length)
    text += `${w.norm} `
  }
  return { text, starts }
}

/** Runs the situation patterns over the folded question; each first match counts once. */
function situationMatches(
  ctx: RankerContext,
  q: ReturnType<typeof normaliseQuestion>,
  { text, starts }: { text: string; starts: number[] },
  sit: Float64Array,
  reasons: MatchReason[][],
) {
  for (const s of ctx.situations) {
    const p = ctx.at.get(s.procedure)
    if (p === undefined) continue
    const said = firstMatchSaid(s, q, text, starts)
    if (said === null) continue
    sit[p]! += s.weight
    if (said && reasons[p]!.length < 2) reasons[p]!.push({ said, means: s.means })
  }
}

/**
 * The resident's words behind a situation's first match that counts (null: none does). A
 * situation with `said` counts only where the resident's own words fit it; otherwise the next
 * match is looked for from the word after the failed match's first word.
 */
export function firstMatchSaid(
  s: Situation,
  q: NormalisedQuestion,
  text: string,
  starts: number[],
): string | null {
  if (s.unless?.test(text)) return null
  for (let at = 0; at < text.length; ) {
    const m = s.re.exec(at === 0 ? text : text.slice(at))
    if (!m) return null
    const index = at + m.index
    const from = wordAt(starts, index + (m[0].length - m[0].trimStart().length))
    const to = wordAt(starts, index + m[0].trimEnd().length - 1)
    const said = spanSaid(q, from, to)
    if (!s.said || s.said.test(said.normalize('NFC').toLowerCase())) return said
    const next = starts[from + 1]
    if (next === undefined) return null
    at = next
  }
  return null
}

/** The situations a question tells, in the patterns' order (for tests and debugging). */
export function situationsTold(situations: readonly Situation[], q: NormalisedQuestion) {
  const { text, starts } = foldedText(q)
  return situations.flatMap((s) => {
    const said = firstMatchSaid(s, q, text, starts)
    return said === null ? [] : [{ procedure: s.procedure, said }]
  })
}

const wordAt = (starts: number[], offset: number) => {
  let i = 0
  while (i + 1 < starts.length && starts[i + 1]! <= offset) i++
  return i
}

/** The resident's own words behind normalised words from..to (inclusive). */
function spanSaid(q: ReturnType<typeof normaliseQuestion>, from: number, to: number): string {
  let lo = Infinity
  let hi = -Infinity
  for (let i = from; i <= to; i++) {
    const w = q.words[i]
    if (!w || w.src < 0) continue
    const [a, b] = w.from ?? [w.src, w.src]
    lo = Math.min(lo, a)
    hi = Math.max(hi, b)
  }
  return lo <= hi ? q.said.slice(lo, hi + 1).join(' ') : ''
}

/** Finds the query term's syllables in the normalised question and returns what was typed. */
function saidFor(q: ReturnType<typeof normaliseQuestion>, asked: string): string {
  const parts = asked.split(PHRASE_JOIN)
  for (let i = 0; i + parts.length <= q.words.length; i++) {
    if (parts.every((p, k) => q.words[i + k]!.norm === p)) return spanSaid(q, i, i + parts.length - 1)
  }
  return ''
}

/** A term that came from a synonym rule ("cccd" → "căn cước"): the resident's words of that rule. */
function saidBySynonym(ctx: RankerContext, q: ReturnType<typeof normaliseQuestion>, asked: string): string {
  const parts = asked.split(PHRASE_JOIN)
  for (const rule of ctx.synonyms.values()) {
    const at = rule.expansion.indexOf(parts[0]!)
    if (at < 0 || !parts.every((p, k) => rule.expansion[at + k] === p)) continue
    for (let i = 0; i + rule.words.length <= q.words.length; i++) {
      if (rule.words.every((w, k) => q.words[i + k]!.norm === w))
        return spanSaid(q, i, i + rule.words.length - 1)
    }
  }
  return ''
}

/** A situation as written in `situations-vi.json`. */
export interface SituationSpec {
  procedure: string
  means: string
  weight: number
  pattern: string
  said?: string
  unless?: string
}

/** Compiles the situation patterns: whole folded words only (`unless` too). */
export function compileSituations(list: readonly SituationSpec[]): Situation[] {
  return list.map(({ said, unless, ...s }) => ({
    ...s,
    re: new RegExp(`(?:^| )(?:${s.pattern})(?= )`),
    ...(said ? { said: new RegExp(said, 'u') } : {}),
    ...(unless ? { unless: new RegExp(`(?:^| )(?:${unless})(?= )`) } : {}),
  }))
}

/** Compiles the other agencies' vocabulary: whole folded words only. */
export function compileAgencies(list: readonly { means: string; pattern: string }[]) {
  return list.map((a) => ({ means: a.means, re: new RegExp(`(?:^| )(?:${a.pattern})(?= )`) }))
}

/** Folded syllables and neighbouring pairs → how the catalogue writes them. */
export function displayMap(texts: readonly string[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const t of texts) {
    for (const clause of t.split(/[,.;:()/–—\-+\n]+/)) {
      const orig = clause
        .normalize('NFC')
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean)
      const folded = orig.map((w) => foldVietnamese(w).replace(/[^a-z0-9]/g, ''))
      folded.forEach((f, i) => {
        if (!out.has(f)) out.set(f, orig[i]!.toLowerCase())
        if (i + 1 < folded.length) {
          const key = `${f}${PHRASE_JOIN}${folded[i + 1]}`
          if (!out.has(key)) out.set(key, `${orig[i]} ${orig[i + 1]}`.toLowerCase())
        }
      })
    }
  }
  return out
}
