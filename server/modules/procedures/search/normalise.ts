import { foldVietnamese } from '@common/text/fold'

/**
 * Turns a resident's message into folded words (no diacritics, [a-z0-9]) while remembering
 * which of the resident's own words each came from, so a match can be explained in their words.
 * Repairs what keyboards leave behind when the Vietnamese input method is off or misconfigured:
 * Telex ("tajm tru", "dduwowngf") and VNI ("d9a8ng ky1 ta5m tru1").
 */

export interface Word {
  /** Folded, repaired word. */
  norm: string
  /** Index of the resident's word it came from (see `NormalisedQuestion.said`). */
  src: number
  /** The first and last source word of a term mapping that produced it (for explanations). */
  from?: [number, number]
}

export interface NormalisedQuestion {
  /** The resident's words as typed. */
  said: string[]
  words: Word[]
}

export interface TermRule {
  from: string[]
  to: string[]
  mode: 'add' | 'replace'
}

const ONSET = '(ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdghklmnprstvx])?'
const NUCLEUS =
  '(uye|uya|uyu|oai|oay|oeo|uoi|uou|uay|uai|ieu|yeu|ia|ie|ye|ua|uo|ui|uy|oa|oe|ai|ao|au|ay|eo|eu|iu|oi|ou|ue|uu|ui|[aeiouy])'
const CODA = '(ch|nh|ng|[cmnpt]|[iyou])?'
const SYLLABLE = new RegExp(`^${ONSET}${NUCLEUS}${CODA}$`)

/** A plausible Vietnamese syllable once diacritics are folded away. */
export const isSyllable = (w: string) => SYLLABLE.test(w)

/** Form codes and licence classes that look like VNI input but are not. */
const KEEP = new Set([
  'a1',
  'a2',
  'a3',
  'a4',
  'b1',
  'b2',
  'c1',
  'd1',
  'e1',
  'f1',
  'f2',
  'f3',
  'ct1',
  'ct2',
  'ct3',
  'ct7',
])

/** VNI: tone and vowel-mark digits typed after letters ("d9a8ng" → "dang"). */
function repairVni(w: string): string {
  if (KEEP.has(w) || !/^[a-z][a-z1-9]*[1-9][a-z1-9]*$/.test(w) || !/[a-z]{1}[1-9]/.test(w)) return w
  const stripped = w.replace(/[1-9]/g, '')
  return isSyllable(stripped) ? stripped : w
}

/** Loanwords residents type as they are; read as Telex they would lose a letter ("visa" → "via"). */
const LOANWORDS = new Set([
  'visa',
  'online',
  'offline',
  'zalo',
  'email',
  'gmail',
  'wifi',
  'app',
  'grab',
  'shopee',
  'facebook',
  'file',
  'scan',
  'photo',
  'copy',
  'pass',
  'sim',
  'ok',
  'oke',
])

/** Telex: doubled vowels, "w" marks and one tone letter (s f r x j) left in the word. */
function repairTelex(w: string): string {
  if (isSyllable(w) || LOANWORDS.has(w) || !/^[a-z]+$/.test(w)) return w
  let s = w
    .replace(/^dd/, 'd')
    .replace(/uow/g, 'uo')
    .replace(/([aeo])\1/g, '$1')
    .replace(/([aou])w/g, '$1')
  if (isSyllable(s)) return s
  for (let i = s.length - 1; i > 0; i--) {
    if ('sfrxj'.includes(s[i]!)) {
      const t = s.slice(0, i) + s.slice(i + 1)
      if (isSyllable(t)) return t
    }
  }
  s = s.replace(/w/g, 'u')
  return isSyllable(s) ? s : w
}

/**
 * Regional words that fold like another, more common word and are read from how they were typed,
 * with their diacritics: Southern "vô" (into) folds to "vo" like "vợ" (wife), "dìa" (back home)
 * like "địa". Typed without diacritics they stay ambiguous and are left alone.
 */
const TYPED_AS = new Map([
  ['vô', 'vao'],
  ['dô', 'vao'],
  ['dìa', 've'],
])

export function repairWord(w: string): string {
  return repairTelex(repairVni(w))
}

/** Splits, folds and repairs; applies the term rules (longest match first, up to 4 words). */
export function normaliseQuestion(
  raw: string,
  rules: Map<string, TermRule>,
  options: { repair?: boolean; terms?: boolean } = {},
): NormalisedQuestion {
  const said = raw
    .normalize('NFC')
    .slice(0, 500)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 80)
  const folded = said.map((w) => {
    const typed = options.terms === false ? undefined : TYPED_AS.get(w.toLowerCase())
    if (typed) return typed
    const f = foldVietnamese(w).replace(/[^a-z0-9]/g, '')
    return options.repair === false ? f : repairWord(f)
  })
  const words: Word[] = []
  const added: Word[][] = []
  for (let i = 0; i < folded.length; ) {
    let rule: TermRule | undefined
    let len = 0
    if (options.terms !== false) {
      for (let n = Math.min(4, folded.length - i); n >= 1 && !rule; n--) {
        rule = rules.get(folded.slice(i, i + n).join(' '))
        len = n
      }
    }
    if (!rule) {
      if (folded[i]) words.push({ norm: folded[i]!, src: i })
      i++
      continue
    }
    const from: [number, number] = [i, i + len - 1]
    const mapped = rule.to.map((norm) => ({ norm, src: i, from }))
    if (rule.mode === 'replace') words.push(...mapped)
    else {
      for (let k = i; k < i + len; k++) words.push({ norm: folded[k]!, src: k })
      added.push(mapped)
    }
    i += len
  }
  // Added terms go after the question, each separated by a particle so no phrase spans two.
  for (const a of added) words.push({ norm: 'va', src: -1 }, ...a)
  return { said, words }
}

export function termRuleMap(rules: readonly { from: string; to: string; mode: 'add' | 'replace' }[]) {
  return new Map<string, TermRule>(
    rules.map((r) => [r.from, { from: r.from.split(' '), to: r.to.split(' '), mode: r.mode }]),
  )
}
