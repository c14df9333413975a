import { foldVietnamese } from '@common/text/fold'
import type { NormalisedQuestion } from './normalise'

/**
 * Two readings of a resident's story beside the whole question (twelfth round), both scored by
 * the same classifiers:
 * - the question **without the old police papers** (hộ khẩu, chứng minh thư, CMND, KT3, sổ tạm
 *   trú) and today's terms the term map added for them: a question that names the old books
 *   only as background ("tôi chuyển hộ khẩu về với con gái rồi, giờ muốn chuyển nơi nhận lương
 *   hưu") looks like a residence question to the out-of-scope classifier; without those words
 *   the other agency's matter shows;
 * - **what the resident asks**: the last sentence (or clause) of a story, where the request sits
 *   after the background ("…thời hạn ở trọ hết cuối tháng mà cháu còn ở thêm tới khi ra trường").
 */

/** The old police papers, as folded words (whole words; the longest first). */
const OLD_PAPERS: readonly string[][] = [
  ['chung', 'minh', 'nhan', 'dan'],
  ['chung', 'minh', 'thu'],
  ['so', 'tam', 'tru'],
  ['ho', 'khau'],
  ['cmnd'],
  ['cmt'],
  ['kt3'],
  ['hk'],
]

const foldWord = (w: string) => foldVietnamese(w).replace(/[^a-z0-9]/g, '')

/** The resident's words that name an old police paper (indexes into `q.said`). */
function oldPaperWords(q: NormalisedQuestion): Set<number> {
  const folded = q.said.map(foldWord)
  const hit = new Set<number>()
  for (let i = 0; i < folded.length; i++) {
    const paper = OLD_PAPERS.find((p) => p.every((w, k) => folded[i + k] === w))
    if (!paper) continue
    for (let k = 0; k < paper.length; k++) hit.add(i + k)
    i += paper.length - 1
  }
  return hit
}

/**
 * The normalised words without the old papers and what the term map made of them; null when the
 * question names none (then the reading is the question itself).
 */
export function withoutOldPapers(q: NormalisedQuestion): string[] | null {
  const old = oldPaperWords(q)
  if (old.size === 0) return null
  const touches = (w: NormalisedQuestion['words'][number]) => {
    if (old.has(w.src)) return true
    if (!w.from) return false
    for (let k = w.from[0]; k <= w.from[1]; k++) if (old.has(k)) return true
    return false
  }
  const kept = q.words.filter((w) => !touches(w)).map((w) => w.norm)
  // A lone "và" joins added terms: drop a trailing one left behind.
  while (kept.at(-1) === 'va') kept.pop()
  return kept
}

/** Fewest words of an ask; a story shorter than twice that has no separate ask. */
const ASK_WORDS = 4

/**
 * The part of the question where the resident asks: the last sentence, or the last clause of a
 * one-sentence story, grown backwards until it has `ASK_WORDS` words; null when that is most of
 * the question (no background to set apart).
 */
export function askedPart(question: string): string | null {
  const words = (s: string) => s.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length
  const total = words(question)
  if (total < 2 * ASK_WORDS) return null
  let pieces = question.split(/(?<=[.?!;\n])\s*/).filter((s) => words(s) > 0)
  if (pieces.length < 2) pieces = question.split(/,\s*/).filter((s) => words(s) > 0)
  if (pieces.length < 2) return null
  let ask = ''
  for (let i = pieces.length - 1; i >= 0 && words(ask) < ASK_WORDS; i--) ask = `${pieces[i]} ${ask}`
  ask = ask.trim()
  return words(ask) <= 0.7 * total ? ask : null
}
