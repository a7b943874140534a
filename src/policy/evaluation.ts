/**
 * The figures a pull request quotes from a router's evaluation
 * (`evaluation.json`, written by `aco train` beside router.json), read
 * defensively: the training stage grows new fields, and an older or newer
 * file may lack some. A figure that is not there is absent here, and the PR
 * says "not reported"; nothing is invented or defaulted.
 */
import {existsSync} from 'node:fs'
import {AcoError} from '../errors.js'
import type {PolicyEvaluation} from './types.js'
import {readInputTextSync} from '../util/fs-errors.js'
import {parseJson} from '../util/json-parse.js'

type Json = Record<string, unknown>

function obj(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

/** A figure: a number, or an interval's value ({value, low, high}, as aco train writes its test figures). */
function figure(value: unknown): number | undefined {
  return num(value) ?? num(obj(value)?.value)
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.length > 0) : []
}

/** An evaluation's warnings: strings (a recommendation's, a cascade's), or aco train's `{kind, message}`. */
function warningsOf(value: unknown): Array<{kind?: string; text: string}> {
  if (!Array.isArray(value)) return []
  const out: Array<{kind?: string; text: string}> = []
  for (const v of value) {
    const text = str(v) ?? str(obj(v)?.message)
    if (text) out.push({kind: str(obj(v)?.kind), text})
  }
  return out
}

/** The texts of the warnings an evaluation file lists at its top (a per-step router's: its PR.md's notes). */
export function evaluationWarnings(data: unknown): string[] {
  return warningsOf(obj(data)?.warnings).map(w => w.text)
}

/** The policy's quality, cost per item and test items, each when reported. */
function setTest(out: PolicyEvaluation, quality?: number, cost?: number, items?: number): void {
  if (quality === undefined && cost === undefined && items === undefined) return
  out.test = {}
  if (quality !== undefined) out.test.quality = quality
  if (cost !== undefined) out.test.costUsd = cost
  if (items !== undefined) out.test.items = Math.round(items)
}

/** Each model alone on the test split (`test.baselines.singleModels`), the rows that are complete. */
function setSingleModels(out: PolicyEvaluation, test: Json | undefined): void {
  const singles = obj(test?.baselines)?.singleModels
  const rows: NonNullable<PolicyEvaluation['singleModels']> = []
  for (const s of Array.isArray(singles) ? singles : []) {
    const row = obj(s)
    const model = str(row?.model)
    const q = num(row?.quality)
    const c = num(row?.cost)
    if (model && q !== undefined && c !== undefined) rows.push({model, quality: q, costUsd: c})
  }
  if (rows.length > 0) out.singleModels = rows
}

/** Reads `evaluation.json`; undefined when there is none. A file that is not JSON is a usage error. */
export function readEvaluationFile(path: string): unknown {
  if (!existsSync(path)) return undefined
  const text = readInputTextSync(path, 'the evaluation', 'Give the evaluation.json aco train wrote beside the router.')
  try {
    return parseJson(text)
  } catch (error) {
    throw new AcoError(
      'bad-file',
      `${path} is not JSON: ${(error as Error).message}.`,
      'Give the evaluation.json that aco train wrote beside router.json (--evaluation FILE), or move it away.',
    )
  }
}

/**
 * Why an evaluation is not the one of this router, or undefined when nothing says so: `aco train` writes the
 * operating point it chose into both files (the threshold or thresholds, and the quality and cost it measured on the
 * calibration items), so an evaluation.json of another run (another router copied beside this one, a file from an
 * older training) differs there. A file that lacks those fields (an older version's) is not judged.
 */
export function evaluationMismatch(router: unknown, evaluation: unknown): string | undefined {
  const mine = obj(obj(router)?.operatingPoint)
  const theirs = obj(obj(evaluation)?.operatingPoint)
  if (!mine || !theirs) return undefined
  const same = (a: unknown, b: unknown) => {
    const x = num(a)
    const y = num(b)
    return x === undefined || y === undefined || Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(x), Math.abs(y))
  }
  const fields: Array<[string, unknown, unknown]> = [
    ['threshold', mine.threshold, theirs.threshold],
    ['level', mine.level, theirs.level],
    ['calibration quality', obj(mine.calibration)?.quality, obj(theirs.calibration)?.quality],
    ['calibration cost', obj(mine.calibration)?.cost, obj(theirs.calibration)?.cost],
  ]
  const mineThresholds = Array.isArray(mine.thresholds) ? mine.thresholds : undefined
  const theirThresholds = Array.isArray(theirs.thresholds) ? theirs.thresholds : undefined
  if (mineThresholds && theirThresholds) {
    if (mineThresholds.length !== theirThresholds.length)
      return `its operating point has ${theirThresholds.length} thresholds, the router's ${mineThresholds.length}`
    for (const [i, t] of mineThresholds.entries()) fields.push([`threshold ${i + 1}`, t, theirThresholds[i]])
  }
  for (const [name, a, b] of fields)
    if (!same(a, b)) return `its operating point's ${name} is ${num(b)}, the router's ${num(a)}`
  return undefined
}

/**
 * The figures of an evaluation for the policy it recommends. `data` is the
 * parsed evaluation.json (anything: unknown shapes give no figures).
 */
export function evaluationFigures(data: unknown, file: string | undefined): PolicyEvaluation {
  const root = obj(data) ?? {}
  const out: PolicyEvaluation = {warnings: []}
  if (file) out.file = file
  const rec = obj(root.recommendation)
  const op = obj(root.operatingPoint)
  const test = obj(root.test)
  const best = obj(test?.best)
  const conformal = obj(root.conformal)

  const recommendation = str(rec?.policy)
  if (recommendation) out.recommendation = recommendation
  const text = str(rec?.text)
  if (text) out.recommendationText = text
  const models = strings(rec?.models)
  if (models.length > 0) out.recommendedModels = models
  const share = num(rec?.share)
  if (share !== undefined && share >= 0 && share <= 1) out.share = share
  const strongest = str(root.strongest) ?? str(best?.model)
  if (strongest) out.strongest = strongest

  // The figures of the recommended policy on the test split; the router's own when it is the router (or no recommendation).
  const opTest = obj(op?.test)
  const recTest = obj(rec?.test)
  const point = recommendation && recommendation !== 'router' ? recTest : (opTest ?? recTest)
  const quality = figure(point?.quality)
  const cost = figure(point?.cost)
  setTest(out, quality, cost, num(test?.items))
  const bestQuality = num(best?.quality)
  const bestCost = num(best?.cost)
  const qualityShare =
    point === opTest && num(opTest?.qualityShare) !== undefined
      ? num(opTest?.qualityShare)
      : quality !== undefined && bestQuality
        ? quality / bestQuality
        : undefined
  const costShare =
    point === opTest && num(opTest?.costShare) !== undefined
      ? num(opTest?.costShare)
      : cost !== undefined && bestCost
        ? cost / bestCost
        : undefined
  if (qualityShare !== undefined) out.qualityShare = qualityShare
  if (costShare !== undefined) out.costShare = costShare

  setSingleModels(out, test)

  // The bounds at α are those of the threshold a bound chose: an operating point chosen otherwise (`--keep`, `--max-cost`)
  // is another threshold, which they do not cover (trial 121: PR.md stated the bound of 0.0845 beside a router shipped at
  // 1.3765, whose rate on test was 11%). Files that name no objective (older ones) were chosen at α.
  const objective = str(obj(op?.objective)?.kind)
  const atAlpha = objective === undefined || objective === 'alpha'
  // (So are the evaluation's words on a bound's rate on test: of the bound that chose the threshold shipped, and none
  // for a threshold chosen otherwise, review 122.)
  const chosenBound = str(conformal?.guarantee) === 'high' ? 'high-probability' : 'marginal'
  const ofBound = (text: string): string | undefined => /^At the (marginal|high-probability) bound's/.exec(text)?.[1]
  const warnings = [...warningsOf(root.warnings), ...warningsOf(rec?.warnings)].filter(
    w => w.kind !== 'conformal' || (atAlpha && (ofBound(w.text) ?? chosenBound) === chosenBound),
  )
  if (conformal && conformal.available !== false && atAlpha) {
    const calibration: NonNullable<PolicyEvaluation['calibration']> = {}
    const alpha = num(conformal.alpha)
    // The bound that chose the operating point (conformal.marginal or .high); older files had it at the top.
    const guarantee = str(conformal.guarantee) === 'high' ? 'high' : 'marginal'
    const chosen = obj(conformal[guarantee]) ?? conformal
    const bound = num(chosen.bound)
    const n = num(conformal.n)
    const rate = figure(chosen.testRate)
    if (alpha !== undefined) calibration.alpha = alpha
    if (bound !== undefined) calibration.bound = bound
    if (n !== undefined) calibration.calibrationItems = Math.round(n)
    if (rate !== undefined) calibration.measuredRate = rate
    if (Object.keys(calibration).length > 0) {
      // Which bound it is, where the file says (trial 33: PR.md called a high-probability bound marginal, the only kind
      // it knew of routers; files older than the high-probability bound name none, and had only the marginal one).
      if (conformal.guarantee === 'high' || conformal.guarantee === 'marginal') calibration.guarantee = guarantee
      const delta = num(conformal.delta)
      if (guarantee === 'high' && delta !== undefined) calibration.delta = delta
      out.calibration = calibration
    }
    // (The evaluation's own word on it, where it has one: it tells noise from a rate beyond it.)
    if (alpha !== undefined && rate !== undefined && rate > alpha && !warnings.some(w => w.kind === 'conformal')) {
      out.warnings.push(
        guarantee === 'high'
          ? `the rate measured on test (${pct(rate)}) is above α = ${alpha}: the high-probability bound allows this with probability at most δ = ${num(conformal.delta) ?? 0.1} over calibration draws, or the test items differ from the calibration items`
          : `the rate measured on test (${pct(rate)}) is above α = ${alpha}: the guarantee is marginal, and one split can land above it by sampling noise, or the test items differ from the calibration items`,
      )
    }
  } else if (conformal && str(conformal.reason)) {
    out.warnings.push(`no conformal bound: ${str(conformal.reason)}`)
  }
  // Where no bound chose the threshold, the router's rate measured on test there (its row of the recommendation's
  // table): a figure, not a guarantee (trial 121 read "not reported" beside a router whose rate on test was 11.0%).
  if (!(conformal && conformal.available !== false && atAlpha)) {
    const table = Array.isArray(rec?.table) ? rec.table : []
    const routerRow = table.map(obj).find(row => str(row?.policy) === 'router')
    const rate = num(obj(routerRow?.test)?.risk)
    if (rate !== undefined) out.testRate = rate
  }

  // The router against the simpler policy recommended over it (the recommendation's `versus` is that policy minus the
  // router, on calibration): its lead in quality and in cost per item, each with half its 95% interval.
  const versus = obj(rec?.versus)
  const vq = obj(versus?.quality)
  const vc = obj(versus?.costUsd)
  const [q, qLow, qHigh] = [num(vq?.value), num(vq?.low), num(vq?.high)]
  const [c, cLow, cHigh] = [num(vc?.value), num(vc?.low), num(vc?.high)]
  if (recommendation !== 'router' && q !== undefined && qLow !== undefined && qHigh !== undefined) {
    out.lead = -q
    out.noise = (qHigh - qLow) / 2
    // What the rule weighed them on: quality within a budget, else cost (every eligible policy meets the objective).
    out.leadOn = obj(op?.objective)?.kind === 'max-cost' ? 'quality' : 'cost'
    if (c !== undefined && cLow !== undefined && cHigh !== undefined) {
      out.costLeadUsd = -c
      out.costNoiseUsd = (cHigh - cLow) / 2
    }
  }
  for (const {text} of warnings) if (!out.warnings.includes(text)) out.warnings.push(text)
  if (op && op.met === false && str(op.note)) out.warnings.push(`operating point: ${str(op.note)}`)
  return withoutImpossible(out)
}

/**
 * The figures of a cascade's evaluation (`aco train --cascade`, schemas/cascade-result.schema.json): the
 * cascade at its operating point on the test split (its cost is everything it ran), the bound that chose
 * that point (the first one recorded for its α) with the rate measured on test, and each model alone.
 */
export function cascadeEvaluationFigures(data: unknown, file: string | undefined): PolicyEvaluation {
  const root = obj(data) ?? {}
  const out: PolicyEvaluation = {warnings: [], recommendation: 'cascade'}
  if (file) out.file = file
  const chain = strings(obj(root.chain)?.models)
  if (chain.length > 0) out.recommendedModels = chain
  const test = obj(root.test)
  const best = obj(test?.best)
  const strongest = str(root.strongest) ?? str(best?.model)
  if (strongest) out.strongest = strongest
  const op = obj(root.operatingPoint)
  const opTest = obj(op?.test)
  setTest(out, num(opTest?.quality), num(opTest?.cost), num(test?.items))
  const qualityShare = num(opTest?.qualityShare)
  const costShare = num(opTest?.costShare)
  if (qualityShare !== undefined) out.qualityShare = qualityShare
  if (costShare !== undefined) out.costShare = costShare
  setSingleModels(out, test)
  const objective = obj(op?.objective)
  const alpha = objective?.kind === 'alpha' ? num(objective.alpha) : undefined
  const chosen =
    alpha === undefined
      ? undefined
      : (Array.isArray(root.guarantees) ? root.guarantees : []).map(obj).find(g => num(g?.alpha) === alpha)
  if (chosen) {
    const guarantee = str(chosen.guarantee) === 'high' ? 'high' : 'marginal'
    const calibration: NonNullable<PolicyEvaluation['calibration']> = {alpha: alpha!, guarantee}
    const delta = num(chosen.delta)
    const bound = num(chosen.bound)
    const n = num(chosen.n)
    const rate = figure(chosen.testRateInterval) ?? num(chosen.testRate)
    if (guarantee === 'high' && delta !== undefined) calibration.delta = delta
    if (bound !== undefined) calibration.bound = bound
    if (n !== undefined) calibration.calibrationItems = Math.round(n)
    if (rate !== undefined) calibration.measuredRate = rate
    out.calibration = calibration
    if (rate !== undefined && rate > alpha!)
      out.warnings.push(
        `the rate measured on test (${pct(rate)}) is above α = ${alpha}: ${guarantee === 'high' ? `the high-probability bound allows this with probability at most δ = ${delta ?? 0.1}` : 'the guarantee is marginal, and one split can land above it by sampling noise'}, or the test items differ from the calibration items`,
      )
  }
  const lead = obj(test?.leadOverExAnte)
  const leadValue = num(lead?.value)
  const low = num(lead?.low)
  const high = num(lead?.high)
  if (leadValue !== undefined && low !== undefined && high !== undefined)
    out.recommendationText = `APGR lead over the ex-ante router trained on the same split: ${signed(leadValue)} (95% interval ${signed(low)} to ${signed(high)}${low <= 0 && high >= 0 ? ': not told apart on these test items' : ''}).`
  for (const w of strings(root.warnings)) if (!out.warnings.includes(w)) out.warnings.push(w)
  return withoutImpossible(out)
}

/**
 * The figures no training gives left out (a success rate outside 0–1, a negative cost or share, an α or a bound
 * outside 0–1): a hand-edited or damaged evaluation.json. PR.md says "not reported" for them, and why.
 */
function withoutImpossible(out: PolicyEvaluation): PolicyEvaluation {
  const dropped: string[] = []
  const rate = (v: number) => v >= 0 && v <= 1
  const nonNegative = (v: number) => v >= 0
  /** Leaves out `key` of `holder` (and says so under `name`) when it is there and not `possible`. */
  const check = <T extends object>(
    holder: T | undefined,
    key: keyof T,
    name: string,
    possible: (v: number) => boolean,
  ) => {
    const v = holder?.[key]
    if (typeof v !== 'number' || possible(v)) return
    dropped.push(`${name} ${v}`)
    delete holder![key]
  }
  check(out.test, 'quality', 'test quality', rate)
  check(out.test, 'costUsd', 'test cost', nonNegative)
  check(out.test, 'items', 'test items', nonNegative)
  check(out, 'qualityShare', 'quality share', nonNegative)
  check(out, 'costShare', 'cost share', nonNegative)
  if (out.singleModels) {
    const kept = out.singleModels.filter(m => rate(m.quality) && nonNegative(m.costUsd))
    if (kept.length < out.singleModels.length)
      dropped.push(`${out.singleModels.length - kept.length} single-model rows`)
    if (kept.length > 0) out.singleModels = kept
    else delete out.singleModels
  }
  check(out.calibration, 'alpha', 'α', v => v > 0 && v < 1)
  check(out.calibration, 'bound', 'bound', rate)
  check(out.calibration, 'measuredRate', 'measured rate', rate)
  check(out, 'testRate', 'rate on test', rate)
  check(out.calibration, 'delta', 'delta', rate)
  check(out.calibration, 'calibrationItems', 'calibration items', nonNegative)
  if (dropped.length > 0)
    out.warnings.push(
      `${out.file ?? 'the evaluation'} gives figures no training gives (${dropped.join(', ')}): they are not reported`,
    )
  return out
}

function signed(v: number): string {
  return `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`
}
