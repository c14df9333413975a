// `npm run train:procedures` — trains the procedure classifier and learns how to combine the
// search signals, then writes catalogue/procedures/procedure-ranker.json (committed; the server
// only reads it). Learns ONLY from the catalogue's own words (names, keywords, example questions),
// the TRAIN half of catalogue/procedures/eval/kb-questions-stories.json and the training files
// listed in `trainingFiles` (scripts/lib/kb-questions.ts); the test half is never read here.
// 1. Out-of-fold (5 folds over the train questions): probabilities of the procedure classifier and
//    of the separate out-of-scope classifier (binary: some ward-police procedure / none) for each
//    train question, from models that never saw it.
// 2. A grid over the combination weights (words, name, classifier, situations): best top-1.
// 3. "None": a logistic model over how the best answer looks (scores, margin, both classifiers,
//    other agencies' words, situations). Its threshold is calibrated on out-of-fold abstainer
//    probabilities (nested: the abstainer of fold f never saw fold f); from the twelfth round for
//    an in-scope cost (`TRAIN_CALIB`, below), before that it kept 98 % of the
//    in-scope train questions the ranking has right in its first three, each counted as answered
//    and as answered without situation patterns (see `calibrate`), halfway to the next
//    no-procedure question. The rule itself is checked by cross-validation (calibrated on four
//    folds, scored on the fifth) and the check is printed.
// 4. The final classifiers and abstainer on all training examples.
// TRAIN_CURVE=1 prints the out-of-fold "none" curve; TRAIN_DEBUG=1 lists the train half's
// out-of-fold mistakes (never the test half's), TRAIN_DEBUG=doubt also the in-scope train
// questions that look most like "none".
import { writeFileSync } from 'node:fs'
import { basename } from 'node:path'
import { bundledCatalogue } from '../server/modules/procedures/procedure-import.service'
import { NONE_CLASS, predict, train } from '../server/modules/procedures/search/classifier'
import { normaliseQuestion } from '../server/modules/procedures/search/normalise'
import {
  ABSTAIN_DIMS,
  abstainFeatures,
  abstainProbability,
  allSignals,
  type RankerParams,
  rankQuestion,
} from '../server/modules/procedures/search/ranker'
import {
  loadSearchState,
  type RankerFile,
  rankerFilePath,
  untrained,
} from '../server/modules/procedures/search/search-state'
import { expectedIds, readQuestions, scratchCatalogue, storiesFile, trainingFiles } from './lib/kb-questions'

const database = await scratchCatalogue(bundledCatalogue)
const state = await loadSearchState(database.db, untrained)
const hints = (await import('../catalogue/procedures/search-vi.json', { with: { type: 'json' } }))
  .default as {
  procedures: Record<string, { keywords?: string[]; examples?: string[] }>
}
await database.close()

const wordsOf = (text: string) => normaliseQuestion(text, state.terms).words.map((w) => w.norm)
const classes = [...state.index.procedures.map((p) => p.id), NONE_CLASS]

// The catalogue's own words: always in training.
const base = state.index.procedures.flatMap((p) => {
  const h = hints.procedures[p.id] ?? {}
  return [p.nameVi.split('(')[0]!, (h.keywords ?? []).join(', '), ...(h.examples ?? [])].map((text) => ({
    words: wordsOf(text),
    label: p.id,
  }))
})
// What is not a police procedure at all (another agency's, or no procedure): the "none" class.
// Phrases (`outOfScope`) for both classifiers. Questions written for training
// (`outOfScopeQuestions`, never evaluation questions) train the out-of-scope classifier and the
// abstainer (as rows beside the train questions, in the same folds), not the procedure
// classifier that ranks.
const situations = (await import('../catalogue/procedures/situations-vi.json', { with: { type: 'json' } }))
  .default as { outOfScope: string[]; outOfScopeQuestions: string[] }
for (const text of situations.outOfScope) {
  for (const part of [text, ...text.split(',')]) base.push({ words: wordsOf(part), label: NONE_CLASS })
}
const questions = readQuestions(storiesFile).filter((q) => q.split === 'train')
// The training files (`trainingFiles`: kb-questions-train.json, written for training, and from
// the eighth round on the retired held-out sets blind2 and blind3): no-procedure questions join
// the written ones above; in-scope stories are train questions like the stories file's train half.
// TRAIN_WRITTEN_HALF=1 (or 2) learns only that half of each file (its questions 0, 2, 4… or
// 1, 3, 5…), to measure what they bring on the other half: `npm run eval:kb -- FILE --half=2`
// for each file (the model is then not for shipping).
// TRAIN_HALF_ONLY=blind4,blind5 halves only the files whose name contains one of those words and
// learns the others whole: what a newly folded-in file brings to a model that already has the rest.
const half = process.env.TRAIN_WRITTEN_HALF
const halfOnly = process.env.TRAIN_HALF_ONLY?.split(',').filter(Boolean)
const halved = (file: string) => !halfOnly || halfOnly.some((w) => file.includes(w))
// TRAIN_WITHOUT=blind6,fresh leaves out the training files whose name contains one of those words:
// the model before they were folded in, for a before/after breakdown on the other files' rows.
const without = process.env.TRAIN_WITHOUT?.split(',').filter(Boolean) ?? []
const writtenTrain = trainingFiles
  .filter((file) => !without.some((w) => basename(file).includes(w)))
  .flatMap((file) =>
    readQuestions(file)
      .filter((_, i) => !half || !halved(file) || i % 2 === (half === '1' ? 0 : 1))
      .map((q) => ({ ...q, source: basename(file, '.json').replace('kb-questions-', '') })),
  )
const asked = [
  ...questions.map((q) => ({
    words: wordsOf(q.question),
    label: expectedIds(q)?.[0] ?? NONE_CLASS,
    question: q.question,
    written: false,
    source: 'stories',
    style: q.style ?? '-',
  })),
  ...situations.outOfScopeQuestions.map((question) => ({
    words: wordsOf(question),
    label: NONE_CLASS,
    question,
    written: true,
    source: 'outOfScopeQuestions',
    style: '-',
  })),
  ...writtenTrain.map((q) => ({
    words: wordsOf(q.question),
    label: expectedIds(q)?.[0] ?? NONE_CLASS,
    question: q.question,
    written: true,
    source: q.source,
    style: q.style ?? '-',
  })),
]
/** The procedure classifier learns every in-scope question and the stories file's "none" ones. */
const forRanking = (a: (typeof asked)[number]) => !a.written || a.label !== NONE_CLASS
const writtenNone = asked.filter((a) => a.written && a.label === NONE_CLASS).length
process.stdout.write(
  `training: ${base.length} catalogue and out-of-scope examples, ${writtenNone} written out-of-scope questions, ${asked.length - writtenNone - questions.length} written in-scope questions, ${questions.length} train questions\n`,
)

const trainOpts = { epochs: 30, rate: 0.8, l2: 1e-5, prune: 0.08 }
const IN_SCOPE = 'in'
const scopeClasses = [IN_SCOPE, NONE_CLASS]
const toScope = <T extends { label: string }>(e: T) => ({
  ...e,
  label: e.label === NONE_CLASS ? NONE_CLASS : IN_SCOPE,
})
const scopeOpts = { epochs: 30, rate: 0.8, l2: 1e-5, prune: 0.05 }
/**
 * The out-of-scope classifier's examples with the two classes weighing the same in total: there
 * are more "none" phrases and written questions than in-scope examples, and unweighted the model
 * learnt everyday words (work, school, the city, a bank) as "none" — an in-scope train question
 * about a graduate registering at a brother's home got P(none) 0.90 out of fold.
 */
function balancedScope<T extends { label: string }>(examples: T[]) {
  const scoped = examples.map(toScope)
  const nones = scoped.filter((e) => e.label === NONE_CLASS).length
  const ins = scoped.length - nones
  return scoped.map((e) => ({
    ...e,
    weight: e.label === NONE_CLASS ? scoped.length / (2 * nones) : scoped.length / (2 * ins),
  }))
}

// 1. Out-of-fold classifier probabilities.
const FOLDS = 5
const fold = (i: number) => i % FOLDS
const oof: Float64Array[] = new Array(asked.length)
const oofScope: number[] = new Array(asked.length)
// The two other readings of each question (`search/story.ts`): without its old police papers,
// and what it asks; their out-of-fold probabilities like the whole question's.
const signalsOf = asked.map(
  (a) =>
    rankQuestion(state, a.question, { ...allSignals, classifier: false, outOfScope: false, abstain: false })
      .features!,
)
const readings = signalsOf.map((f) => ({ withoutOld: f.withoutOld, asked: f.asked }))
const oofScopeWithoutOld: (number | undefined)[] = new Array(asked.length)
const oofScopeAsked: (number | undefined)[] = new Array(asked.length)
const oofAsked: (Float64Array | null)[] = new Array(asked.length)
for (let f = 0; f < FOLDS; f++) {
  const rest = asked.filter((_, i) => fold(i) !== f)
  const model = train([...base, ...rest.filter(forRanking)], classes, trainOpts)
  const scope = train(balancedScope([...base, ...rest]), scopeClasses, scopeOpts)
  asked.forEach((a, i) => {
    if (fold(i) !== f) return
    oof[i] = predict(model, a.words)
    oofScope[i] = predict(scope, a.words)[1]!
    const { withoutOld, asked: ask } = readings[i]!
    oofScopeWithoutOld[i] = withoutOld?.length ? predict(scope, withoutOld)[1]! : undefined
    oofScopeAsked[i] = ask?.length ? predict(scope, ask)[1]! : undefined
    oofAsked[i] = ask?.length ? predict(model, ask).slice(0, -1) : null
  })
}

// TRAIN_OFF=oldPapers,askNone leaves those abstainer features out (always 0), for the ablation;
// TRAIN_ASK=w sets the ask reading's weight in the ranking (0: off).
const off = new Set(process.env.TRAIN_OFF?.split(',').filter(Boolean) ?? [])
// Signal values per question, without the classifiers.
const rows = asked.map((a, i) => {
  const f = signalsOf[i]!
  return {
    written: a.written,
    label: a.label,
    lex: f.lex,
    name: f.name,
    sit: f.sit,
    clf: oof[i]!.slice(0, -1),
    pNone: oof[i]!.at(-1)!,
    pOutOfScope: oofScope[i]!,
    agencies: f.agencies,
    clfAsked: oofAsked[i] ?? new Float64Array(f.lex.length),
    pOutOfScopeWithoutOld: off.has('oldPapers') ? undefined : oofScopeWithoutOld[i],
    pOutOfScopeAsked: off.has('askNone') ? undefined : oofScopeAsked[i],
  }
})
const target = (label: string) => state.index.procedures.findIndex((p) => p.id === label)

type Combo = Omit<RankerParams, 'abstain'>
type Abstain = RankerParams['abstain']

/** Ranks one question's rows with the combination; returns the order and the abstain features. */
function rankRow(r: (typeof rows)[number], p: Combo) {
  const scores = Array.from(r.lex, (_, k) => ({
    k,
    s:
      p.lex * r.lex[k]! +
      p.name * r.name[k]! ** 2 +
      p.clf * r.clf[k]! +
      (p.ask ?? 0) * r.clfAsked[k]! +
      p.sit * Math.min(r.sit[k]!, 1.5),
  })).sort((a, b) => b.s - a.s || a.k - b.k)
  const top = scores[0]!.k
  const f = abstainFeatures({
    scores: scores.slice(0, 2).map((x) => x.s),
    pNone: r.pNone,
    maxClf: Math.max(0, ...r.clf),
    maxLex: Math.max(0, ...r.lex),
    maxSit: Math.max(0, ...r.sit),
    pOutOfScope: r.pOutOfScope,
    agencies: r.agencies,
    topSit: r.sit[top]!,
    topLex: r.lex[top]!,
    pOutOfScopeWithoutOld: r.pOutOfScopeWithoutOld,
    pOutOfScopeAsked: r.pOutOfScopeAsked,
  })
  return { order: scores.map((x) => x.k), f }
}

/** Figures over the train rows; `saysNone[i]` is the abstainer's answer for row i. */
function evaluate(p: Combo, saysNone?: boolean[]) {
  let raw1 = 0
  let top1 = 0
  let top3 = 0
  let inScope = 0
  let nulls = 0
  let caught = 0
  let said = 0
  let trainNulls = 0
  let trainCaught = 0
  rows.forEach((r, i) => {
    const { order } = rankRow(r, p)
    const none = saysNone?.[i] ?? false
    if (none) said++
    if (r.label === NONE_CLASS) {
      nulls++
      if (none) caught++
      if (!r.written) {
        trainNulls++
        if (none) trainCaught++
      }
      return
    }
    inScope++
    const t = target(r.label)
    if (order[0] === t) {
      raw1++
      if (!none) top1++
    }
    if (!none && order.slice(0, 3).includes(t)) top3++
  })
  return {
    raw1: raw1 / inScope,
    top1: top1 / inScope,
    top3: top3 / inScope,
    recall: caught / nulls,
    precision: said ? caught / said : 1,
    /** Recall on the train half's no-procedure questions alone. */
    trainRecall: trainCaught / trainNulls,
  }
}

// 2. Combination weights.
let best: { p: Combo; score: number } | null = null
// Situations weigh at most 0.3 (the first rounds' choice): the patterns were written from these
// train questions, so their weight is learnt on answers they were made for. With the written
// questions the grid chose 0.6, and 20 in-scope stories written afterwards (not trained on then)
// lost 2 first answers to patterns firing for a neighbouring procedure.
for (const lex of [0.5, 1, 1.5, 2])
  for (const name of [0, 0.35, 0.7])
    for (const clf of [0, 0.5, 1, 2, 3])
      for (const sit of [0, 0.15, 0.3]) {
        const p = { lex, name, clf, sit }
        const e = evaluate(p)
        const score = e.raw1 + 0.25 * e.top3
        if (!best || score > best.score + 1e-9) best = { p, score }
      }
// The combination shipped is fixed (the fourth round's grid choice): from the sixth round on, the
// grid is unsteady — on either half of the written file it chose a different one (once no
// classifier at all), and on the whole file lex 1. TRAIN_COMBO=grid uses the grid's choice;
// TRAIN_COMBO=lex,name,clf,sit another combination.
const SHIPPED_COMBO: Combo = { lex: 0.5, name: 0, clf: 0.5, sit: 0.3 }
/** The ask reading's weight in the ranking (twelfth round; see the docs' ablation). */
const SHIPPED_ASK = 0.1
const comboEnv = process.env.TRAIN_COMBO
const pinned = comboEnv && comboEnv !== 'grid' ? comboEnv.split(',').map(Number) : null
if (pinned && (pinned.length !== 4 || pinned.some((x) => !Number.isFinite(x))))
  throw new Error('TRAIN_COMBO: grid, or four numbers lex,name,clf,sit')
const askWeight = Number(process.env.TRAIN_ASK ?? SHIPPED_ASK)
const combo: Combo = {
  ...(comboEnv === 'grid'
    ? best!.p
    : pinned
      ? { lex: pinned[0]!, name: pinned[1]!, clf: pinned[2]!, sit: pinned[3]! }
      : SHIPPED_COMBO),
  ask: askWeight,
}
// What the ask reading's weight does to the ranking (out of fold), for choosing SHIPPED_ASK.
for (const ask of [0, 0.1, 0.2, 0.3, 0.5]) {
  const e = evaluate({ ...combo, ask })
  process.stdout.write(
    `ask weight ${ask}: raw top-1 ${(100 * e.raw1).toFixed(1)}, top-3 ${(100 * e.top3).toFixed(1)}\n`,
  )
}
process.stdout.write(`grid's choice ${JSON.stringify(best!.p)}; used ${JSON.stringify(combo)}\n`)
const noAbstain = evaluate(combo)

// 3. "None": logistic regression on the abstain features (label: no procedure fits).
const feats = rows.map((r) => rankRow(r, combo).f)
const ys = rows.map((r) => (r.label === NONE_CLASS ? 1 : 0))

/** Fits the abstainer on the rows `use` selects (standardised features, L2, gradient descent). */
function fitAbstainer(use: (i: number) => boolean): Abstain {
  const idx = feats.map((_, i) => i).filter(use)
  const mean = Array.from(
    { length: ABSTAIN_DIMS },
    (_, d) => idx.reduce((a, i) => a + feats[i]![d]!, 0) / idx.length,
  )
  const std = Array.from({ length: ABSTAIN_DIMS }, (_, d) =>
    Math.max(1e-6, Math.sqrt(idx.reduce((a, i) => a + (feats[i]![d]! - mean[d]!) ** 2, 0) / idx.length)),
  )
  const a: Abstain = { mean, std, w: new Array(ABSTAIN_DIMS).fill(0), b: 0, threshold: 0.5 }
  for (let epoch = 0; epoch < 2000; epoch++) {
    const gw = new Array(ABSTAIN_DIMS).fill(0)
    let gb = 0
    for (const n of idx) {
      const err = abstainProbability(a, feats[n]!) - ys[n]!
      feats[n]!.forEach((x, d) => {
        gw[d] += (err * (x - mean[d]!)) / std[d]!
      })
      gb += err
    }
    a.w = a.w.map((w, d) => w - (0.5 * gw[d]) / idx.length - 0.002 * w)
    a.b -= (0.5 * gb) / idx.length
  }
  return a
}

// Out-of-fold abstainer probabilities: the threshold is calibrated on answers the abstainer
// gives to questions it was not fitted on.
const oofAbstain: number[] = new Array(rows.length)
// The same in-scope rows as an unseen question that no situation pattern was written for would
// look: situations switched off (the patterns were written from train questions, so the train
// half's own answers look surer than unseen ones).
const withoutSituations = rows.map((r) => rankRow({ ...r, sit: new Float64Array(r.sit.length) }, combo))
const oofAbstainUnmatched: number[] = new Array(rows.length)
for (let f = 0; f < FOLDS; f++) {
  const a = fitAbstainer((i) => fold(i) !== f)
  rows.forEach((_, i) => {
    if (fold(i) !== f) return
    oofAbstain[i] = abstainProbability(a, feats[i]!)
    oofAbstainUnmatched[i] = abstainProbability(a, withoutSituations[i]!.f)
  })
}
// Which in-scope rows the ranking already answers right within its first three (out of fold).
const rightInTop3 = rows.map((r) => {
  if (r.label === NONE_CLASS) return false
  return rankRow(r, combo).order.slice(0, 3).includes(target(r.label))
})

/**
 * The calibration rule, on the rows `use` selects (out-of-fold abstainer probabilities). A wrong
 * "none" hides a right card, so in-scope questions whose procedure the ranking has in its first
 * three set the threshold. The train half's own answers are too sure to stand for unseen
 * questions: the situation patterns and terms were written from these very questions, and a
 * threshold set on them alone (0.51–0.64) answered "none" to 4–7 in-scope questions of the other
 * sets. So each in-scope row counts twice — as answered, and as an unseen question no situation
 * pattern was written for would be answered (situations off; only if the ranking still has its
 * procedure in the first three) — and the threshold keeps `KEEP` of that pooled set, leaving the
 * rarest share (mostly situation-less variants) to the "none" side. It sits halfway from that edge
 * to the next no-procedure question (the widest margin either side). `KEEP` was 98 %, the top-3
 * rate asked, until the seventh round; from the eighth (blind2 and blind3 in training) 98 % gave
 * an out-of-fold top-3 of 97.9 % and 98.5 % the smallest tried that keeps it at 98 % or more.
 */
const KEEP = Number(process.env.TRAIN_KEEP ?? 0.985)
/**
 * From the twelfth round the threshold is calibrated for an in-scope cost (`TRAIN_CALIB`, default
 * `cost:0.012`): the lowest threshold at which at most that share of the in-scope rows (those in
 * `use`) whose first answer is right are answered "none", halfway to the next no-procedure question
 * as above. Out-of-fold "none" recall overstates the blind sets' (88 % against 75 % on blind8), and
 * the `KEEP` rule used 0.8 of the 2 points of top-1 the issue allows; 1.2 out of fold leaves room
 * for the blind sets' larger cost (see docs/procedure-search.md, twelfth round).
 * `TRAIN_CALIB=keep` is the rule of the eighth to eleventh rounds.
 */
const calib = process.env.TRAIN_CALIB ?? 'cost:0.012'
const costTarget = calib.startsWith('cost:') ? Number(calib.slice(5)) : null
const rightFirst = rows.map((r) => r.label !== NONE_CLASS && rankRow(r, combo).order[0] === target(r.label))
function calibrateCost(use: (i: number) => boolean, cost: number): number {
  const lost: number[] = []
  let inScope = 0
  rows.forEach((r, i) => {
    if (!use(i) || r.label === NONE_CLASS) return
    inScope++
    if (rightFirst[i]) lost.push(oofAbstain[i]!)
  })
  lost.sort((a, b) => b - a)
  const edge = lost[Math.floor(cost * inScope)] ?? 0
  let nextNone = 1
  rows.forEach((r, i) => {
    const p = oofAbstain[i]!
    if (use(i) && r.label === NONE_CLASS && p > edge) nextNone = Math.min(nextNone, p)
  })
  return (edge + nextNone) / 2
}
function calibrate(use: (i: number) => boolean): number {
  if (costTarget !== null) return calibrateCost(use, costTarget)
  const pooled: number[] = []
  rows.forEach((r, i) => {
    if (!use(i) || r.label === NONE_CLASS) return
    if (rightInTop3[i]) pooled.push(oofAbstain[i]!)
    if (withoutSituations[i]!.order.slice(0, 3).includes(target(r.label)))
      pooled.push(oofAbstainUnmatched[i]!)
  })
  pooled.sort((a, b) => b - a)
  const edge = pooled[Math.floor((1 - KEEP) * pooled.length)] ?? 0
  let nextNone = 1
  rows.forEach((r, i) => {
    const p = oofAbstain[i]!
    if (use(i) && r.label === NONE_CLASS && p > edge) nextNone = Math.min(nextNone, p)
  })
  return (edge + nextNone) / 2
}
const threshold = calibrate(() => true)
const chosenEval = evaluate(
  combo,
  oofAbstain.map((p) => p >= threshold),
)
// How the rule itself generalises: calibrated on four folds, scored on the fifth.
const ruleCheck = {
  wrongNone: 0,
  rightLost: 0,
  inScope: 0,
  caught: 0,
  nulls: 0,
  trainCaught: 0,
  trainNulls: 0,
}
/** Each row's rule-check answer ("none" or not), for the breakdown by file and style. */
const ruleNone: boolean[] = new Array(rows.length)
for (let f = 0; f < FOLDS; f++) {
  const t = calibrate((i) => fold(i) !== f)
  rows.forEach((r, i) => {
    if (fold(i) !== f) return
    const none = oofAbstain[i]! >= t
    ruleNone[i] = none
    if (r.label === NONE_CLASS) {
      ruleCheck.nulls++
      if (none) ruleCheck.caught++
      if (!r.written) {
        ruleCheck.trainNulls++
        if (none) ruleCheck.trainCaught++
      }
      return
    }
    ruleCheck.inScope++
    if (none) ruleCheck.wrongNone++
    if (none && rightInTop3[i]) ruleCheck.rightLost++
  })
}
const abstain = { ...fitAbstainer(() => true), threshold: Math.round(threshold * 1e4) / 1e4 }
const r4 = (x: number) => Math.round(x * 1e4) / 1e4
const chosen: RankerParams = {
  ...combo,
  abstain: {
    ...abstain,
    mean: abstain.mean.map(r4),
    std: abstain.std.map(r4),
    w: abstain.w.map(r4),
    b: r4(abstain.b),
  },
}

// 4. The final models.
const model = train([...base, ...asked.filter(forRanking)], classes, trainOpts)
const outOfScope = train(balancedScope([...base, ...asked]), scopeClasses, scopeOpts)
const out: RankerFile = {
  trainedAt: new Date().toISOString().slice(0, 10),
  params: chosen,
  model,
  outOfScope,
}
// TRAIN_OUT=FILE writes the model elsewhere (ablation runs side by side; not for shipping).
const outPath = process.env.TRAIN_OUT ?? rankerFilePath
writeFileSync(outPath, `${JSON.stringify(out)}\n`)
const fmt = (x: number) => (100 * x).toFixed(1)
process.stdout.write(
  `combination ${JSON.stringify(chosen)}\n` +
    `out-of-fold on train: raw top-1 ${fmt(noAbstain.raw1)} %, with "none": top-1 ${fmt(chosenEval.top1)} %, top-3 ${fmt(chosenEval.top3)} %, none precision ${fmt(chosenEval.precision)} %, recall ${fmt(chosenEval.recall)} % (train-half questions alone ${fmt(chosenEval.trainRecall)} %)\n` +
    `threshold ${threshold.toFixed(3)}, calibrated on four folds and scored on the fifth: ${ruleCheck.wrongNone} of ${ruleCheck.inScope} in-scope questions answered "none" (${ruleCheck.rightLost} with the right card in the top 3), ${ruleCheck.caught} of ${ruleCheck.nulls} no-procedure questions (train half alone ${ruleCheck.trainCaught} of ${ruleCheck.trainNulls})\n` +
    `models: ${Object.keys(model.weights).length} + ${Object.keys(outOfScope.weights).length} features → ${outPath}\n`,
)
if (process.env.TRAIN_DEBUG) {
  rows.forEach((r, i) => {
    const none = oofAbstain[i]! >= threshold
    const { order } = rankRow(r, combo)
    const right = r.label === NONE_CLASS ? none : !none && order[0] === target(r.label)
    if (!right)
      process.stdout.write(
        `${r.label} p=${oofAbstain[i]!.toFixed(2)} top=${state.index.procedures[order[0]!]!.id} f=${feats[i]!.map((x) => x.toFixed(2)).join(',')}\n   ${asked[i]!.question}\n`,
      )
  })
}
if (process.env.TRAIN_DEBUG === 'doubt') {
  // The in-scope train questions that look most like "none" (out of fold), with their features.
  rows
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.label !== NONE_CLASS)
    .sort((a, b) => oofAbstain[b.i]! - oofAbstain[a.i]!)
    .slice(0, 15)
    .forEach(({ r, i }) => {
      process.stdout.write(
        `${r.label} p=${oofAbstain[i]!.toFixed(2)} f=${feats[i]!.map((x) => x.toFixed(2)).join(',')}\n   ${asked[i]!.question}\n`,
      )
    })
}
if (process.env.TRAIN_CURVE) {
  // The in-scope cost is raw top-1 less top-1 with "none" (first answers hidden by a wrong "none").
  for (const th of [0.95, 0.9, 0.85, 0.8, 0.775, 0.75, 0.725, 0.7, 0.675, 0.65, 0.6, 0.55, 0.5, 0.4, 0.3]) {
    const e = evaluate(
      combo,
      oofAbstain.map((p) => p >= th),
    )
    process.stdout.write(
      `th ${th.toFixed(3)} top1 ${fmt(e.top1)} cost ${fmt(e.raw1 - e.top1)} top3 ${fmt(e.top3)} P ${fmt(e.precision)} R ${fmt(e.recall)} Rtrain ${fmt(e.trainRecall)}\n`,
    )
  }
}
if (process.env.TRAIN_BREAKDOWN) {
  // The rule check's answers (calibrated on four folds, scored on the fifth) by training file and
  // by style: in-scope top-1 / top-3 / answered "none", no-procedure questions caught.
  const groups = new Map<
    string,
    { n: number; top1: number; top3: number; wrongNone: number; nulls: number; caught: number }
  >()
  const add = (key: string, r: (typeof rows)[number], i: number) => {
    const g = groups.get(key) ?? { n: 0, top1: 0, top3: 0, wrongNone: 0, nulls: 0, caught: 0 }
    groups.set(key, g)
    if (r.label === NONE_CLASS) {
      g.nulls++
      if (ruleNone[i]) g.caught++
      return
    }
    g.n++
    if (ruleNone[i]) {
      g.wrongNone++
      return
    }
    const order = rankRow(r, combo).order
    if (order[0] === target(r.label)) g.top1++
    if (order.slice(0, 3).includes(target(r.label))) g.top3++
  }
  rows.forEach((r, i) => {
    add(`file ${asked[i]!.source}`, r, i)
    add(`style ${asked[i]!.style}`, r, i)
    add('all', r, i)
  })
  process.stdout.write('| rows | in scope | top-1 | top-3 | wrong "none" | none | caught |\n')
  for (const [key, g] of [...groups].sort())
    process.stdout.write(
      `| ${key} | ${g.n} | ${fmt(g.top1 / Math.max(1, g.n))} | ${fmt(g.top3 / Math.max(1, g.n))} | ${g.wrongNone} | ${g.nulls} | ${g.caught} (${fmt(g.caught / Math.max(1, g.nulls))}) |\n`,
    )
}
