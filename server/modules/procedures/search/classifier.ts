import { stopWords } from './search-text'

/**
 * A small multinomial logistic regression over hashed features of the folded, repaired question:
 * words, word pairs and character 3–4-grams (which survive typos, missing diacritics and
 * regional spelling). Trained at build time by `npm run train:procedures`; the model is a JSON
 * file in the repository. One class per procedure plus "none" (questions that need no procedure).
 */

export const NONE_CLASS = 'none'
const DIM = 1 << 18

export interface ClassifierModel {
  classes: string[]
  bias: number[]
  /** Hashed feature → [class index, weight] pairs (small weights pruned). */
  weights: Record<string, Array<[number, number]>>
}

/** FNV-1a, 32 bits, folded into DIM buckets. */
function hash(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0) % DIM
}

/** Feature buckets with their values (each 1/√n so long stories do not swamp short ones). */
export function features(words: readonly string[]): Map<number, number> {
  const content = words.filter((w) => !stopWords.has(w))
  const keys = new Set<string>()
  for (let i = 0; i < content.length; i++) {
    keys.add(`w ${content[i]}`)
    if (i + 1 < content.length) keys.add(`b ${content[i]} ${content[i + 1]}`)
  }
  const text = ` ${content.join(' ')} `
  for (let n = 3; n <= 4; n++)
    for (let i = 0; i + n <= text.length; i++) keys.add(`c ${text.slice(i, i + n)}`)
  const value = 1 / Math.sqrt(Math.max(keys.size, 1))
  const out = new Map<number, number>()
  for (const k of keys) {
    const h = hash(k)
    out.set(h, (out.get(h) ?? 0) + value)
  }
  return out
}

export function softmax(scores: Float64Array): Float64Array {
  let max = -Infinity
  for (const s of scores) if (s > max) max = s
  let sum = 0
  const out = new Float64Array(scores.length)
  for (let i = 0; i < scores.length; i++) {
    out[i] = Math.exp(scores[i]! - max)
    sum += out[i]!
  }
  for (let i = 0; i < out.length; i++) out[i]! /= sum
  return out
}

/**
 * Several models' weights as one table of typed arrays, built once per set of models (the JSON
 * form is for the file): one look-up per feature serves them all. Classes of model m are at
 * offset[m] .. offset[m] + classes.
 */
interface Compiled {
  models: readonly ClassifierModel[]
  offsets: number[]
  bias: Float64Array
  rows: Map<number, { c: Uint16Array; w: Float64Array }>
}
const compiled = new WeakMap<ClassifierModel, Compiled[]>()
function compile(models: readonly ClassifierModel[]): Compiled {
  const variants = compiled.get(models[0]!) ?? []
  const hit = variants.find(
    (v) => v.models.length === models.length && v.models.every((m, i) => m === models[i]),
  )
  if (hit) return hit
  const offsets: number[] = []
  let width = 0
  for (const m of models) {
    offsets.push(width)
    width += m.classes.length
  }
  const lists = new Map<number, Array<[number, number]>>()
  models.forEach((m, i) => {
    for (const [h, row] of Object.entries(m.weights)) {
      const list = lists.get(Number(h)) ?? []
      for (const [c, w] of row) list.push([offsets[i]! + c, w])
      lists.set(Number(h), list)
    }
  })
  const rows = new Map<number, { c: Uint16Array; w: Float64Array }>()
  for (const [h, list] of lists) {
    rows.set(h, { c: Uint16Array.from(list, (x) => x[0]), w: Float64Array.from(list, (x) => x[1]) })
  }
  const bias = new Float64Array(width)
  models.forEach((m, i) => {
    bias.set(m.bias, offsets[i]!)
  })
  const out = { models: [...models], offsets, bias, rows }
  compiled.set(models[0]!, [...variants, out])
  return out
}

/** Class probabilities of each model for features already computed (one pass, one look-up each). */
export function predictFeaturesMany(
  models: readonly ClassifierModel[],
  x: ReadonlyMap<number, number>,
): Float64Array[] {
  const m = compile(models)
  const scores = Float64Array.from(m.bias)
  for (const [h, v] of x) {
    const row = m.rows.get(h)
    if (row) for (let i = 0; i < row.c.length; i++) scores[row.c[i]!]! += row.w[i]! * v
  }
  return models.map((model, i) =>
    softmax(scores.subarray(m.offsets[i]!, m.offsets[i]! + model.classes.length)),
  )
}

export function predictFeatures(model: ClassifierModel, x: ReadonlyMap<number, number>): Float64Array {
  return predictFeaturesMany([model], x)[0]!
}

export function predict(model: ClassifierModel, words: readonly string[]): Float64Array {
  return predictFeatures(model, features(words))
}

/** Trains with plain stochastic gradient descent and L2 (deterministic: fixed order shuffle). */
export function train(
  examples: Array<{ words: string[]; label: string; weight?: number }>,
  classes: string[],
  opts: { epochs?: number; rate?: number; l2?: number; prune?: number } = {},
): ClassifierModel {
  const { epochs = 40, rate = 0.8, l2 = 1e-5, prune = 0.01 } = opts
  const index = new Map(classes.map((c, i) => [c, i]))
  const k = classes.length
  const data = examples.map((e) => ({ x: [...features(e.words)], y: index.get(e.label)!, w: e.weight ?? 1 }))
  const W = new Map<number, Float64Array>()
  const bias = new Float64Array(k)
  const row = (h: number) => {
    const r = W.get(h) ?? new Float64Array(k)
    W.set(h, r)
    return r
  }
  let seed = 7
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed / 0x7fffffff
  }
  for (let epoch = 0; epoch < epochs; epoch++) {
    const lr = rate / (1 + epoch * 0.15)
    const order = data.map((_, i) => i).sort(() => rand() - 0.5)
    for (const i of order) {
      const { x, y, w } = data[i]!
      const s = Float64Array.from(bias)
      for (const [h, v] of x) {
        const r = W.get(h)
        if (r) for (let c = 0; c < k; c++) s[c]! += r[c]! * v
      }
      const p = softmax(s)
      for (let c = 0; c < k; c++) {
        const g = (p[c]! - (c === y ? 1 : 0)) * w
        bias[c]! -= lr * g * 0.1
        for (const [h, v] of x) {
          const r = row(h)
          r[c] = r[c]! * (1 - lr * l2) - lr * g * v
        }
      }
    }
  }
  const weights: ClassifierModel['weights'] = {}
  for (const [h, r] of W) {
    const kept: Array<[number, number]> = []
    r.forEach((w, c) => {
      if (Math.abs(w) >= prune) kept.push([c, Math.round(w * 100) / 100])
    })
    if (kept.length) weights[h] = kept
  }
  return { classes, bias: [...bias].map((b) => Math.round(b * 1000) / 1000), weights }
}
