import { foldVietnamese } from '@common/text/fold'

/**
 * Text preparation shared by indexing and querying, so both sides agree: fold diacritics
 * (the same folding as f_unaccent + lower), split into syllables, and add two-syllable
 * phrases ("tạm trú" → tam, tru, tam0tru). Vietnamese words are mostly two syllables, so a
 * phrase token tells "tạm trú" apart from "tạm vắng" and "thường trú".
 */

/** Marks a two-syllable phrase token; a digit keeps the PostgreSQL parser from splitting it. */
export const PHRASE_JOIN = '0'

export function foldedTokens(text: string): string[] {
  return foldVietnamese(text.normalize('NFC'))
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((t) => t.length > 0)
}

export const phrase = (a: string, b: string) => `${a}${PHRASE_JOIN}${b}`

/** Syllables followed by the phrases of neighbouring syllables, as one string for to_tsvector. */
export function indexText(parts: readonly string[]): string {
  const out: string[] = []
  for (const part of parts) {
    // Clauses: a phrase never spans punctuation.
    for (const clause of part.split(/[,.;:()/–—\-+\n]+/)) {
      const tokens = foldedTokens(clause)
      out.push(...tokens)
      for (let i = 0; i + 1 < tokens.length; i++) out.push(phrase(tokens[i]!, tokens[i + 1]!))
    }
  }
  return out.join(' ')
}

/**
 * Chat particles, pronouns and function words that say nothing about which procedure is meant.
 * Folded, so "ạ", "à" and "a" are one entry. They are dropped from single-word matching and
 * break phrases; rare-but-meaningful words are left to inverse document frequency instead.
 */
export const stopWords = new Set(
  (
    'a anh chi em e ban minh tui mk mik oi ak ah nhe nha nhi ha vay thi la ma co cho hoi duoc khong ' +
    'ko k hok dc j gi sao nao ntn vs voi va hay hoac cua nay do kia ay roi r da se phai di len ve luon ' +
    'cai chiec nhung cac moi lam bi neu khi de ra vao o nhu gium giup dum xin cam on ad admin thua gui ' +
    'chao u uh um ui uk ok oke okay nhen cung nua thoi chua hic huhu nhieu'
  )
    .split(/\s+/)
    .filter(Boolean),
)

export interface SynonymRule {
  /** Folded words, e.g. ["tam", "chu"]. */
  words: string[]
  /** Folded replacement or addition, e.g. ["tam", "tru"]. */
  expansion: string[]
  replace: boolean
  weight: number
}

export interface QueryTerm {
  term: string
  /** Relative importance before inverse document frequency: phrases count more than syllables. */
  weight: number
}

export interface PreparedQuery {
  /** Folded query after chat spelling and misspellings were fixed (for trigram matching). */
  text: string
  terms: QueryTerm[]
}

const PHRASE_WEIGHT = 1.6
const MAX_RULE_WORDS = 4

interface Word {
  word: string
  weight: number
}

/**
 * A replacing expansion stands for the words it replaces: "cccd" → five syllables must not
 * outweigh the rest of the question, so each expanded word carries its share (never below 40 %).
 * An added expansion ("nhập khẩu" + "đăng ký thường trú") is extra evidence at the rule's weight.
 */
const shareOf = (rule: SynonymRule, replaced: number) =>
  rule.replace
    ? rule.weight * Math.min(1, Math.max(replaced / Math.max(rule.expansion.length, 1), 0.4))
    : rule.weight

/** Longest-match rewrite with the synonym table; returns the rewritten words and the added expansions. */
function applySynonyms(
  words: string[],
  rules: Map<string, SynonymRule>,
): { words: Word[]; additions: Word[][] } {
  const out: Word[] = []
  const additions: Word[][] = []
  let i = 0
  while (i < words.length) {
    let matched: SynonymRule | undefined
    let len = 0
    for (let n = Math.min(MAX_RULE_WORDS, words.length - i); n >= 1; n--) {
      const rule = rules.get(words.slice(i, i + n).join(' '))
      if (rule) {
        matched = rule
        len = n
        break
      }
    }
    if (!matched) {
      out.push({ word: words[i]!, weight: 1 })
      i++
      continue
    }
    const share = shareOf(matched, len)
    const expansion = matched.expansion.map((word) => ({ word, weight: share }))
    if (matched.replace) out.push(...expansion)
    else {
      out.push(...words.slice(i, i + len).map((word) => ({ word, weight: 1 })))
      additions.push(expansion)
    }
    i += len
  }
  return { words: out, additions }
}

/** Splits at stop words into runs; phrases are formed only inside a run. */
function runsOf(words: Word[]): Word[][] {
  const runs: Word[][] = [[]]
  for (const w of words) {
    if (stopWords.has(w.word)) runs.push([])
    else runs[runs.length - 1]!.push(w)
  }
  return runs.filter((r) => r.length > 0)
}

const keepMax = (terms: Map<string, number>, term: string, weight: number) =>
  terms.set(term, Math.max(terms.get(term) ?? 0, weight))

function addTerms(terms: Map<string, number>, words: Word[]): void {
  for (const run of runsOf(words)) {
    for (const w of run) keepMax(terms, w.word, w.weight)
    for (let i = 0; i + 1 < run.length; i++) {
      const a = run[i]!
      const b = run[i + 1]!
      keepMax(terms, phrase(a.word, b.word), Math.min(a.weight, b.weight) * PHRASE_WEIGHT)
    }
  }
}

/** Turns an informal question into weighted search terms. Rules are keyed by their folded words. */
export function prepareQuery(raw: string, rules: Map<string, SynonymRule>): PreparedQuery {
  const { words, additions } = applySynonyms(foldedTokens(raw.slice(0, 500)).slice(0, 60), rules)
  const terms = new Map<string, number>()
  addTerms(terms, words)
  for (const a of additions) addTerms(terms, a)
  return {
    text: words.map((w) => w.word).join(' '),
    terms: [...terms.entries()].map(([term, weight]) => ({ term, weight })),
  }
}

export function ruleMap(rules: readonly SynonymRule[]): Map<string, SynonymRule> {
  return new Map(rules.map((r) => [r.words.join(' '), r]))
}
