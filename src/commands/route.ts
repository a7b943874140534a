import {Flags} from '@oclif/core'
import {resolve} from 'node:path'
import {AcoCommand} from '../cli/base.js'
import {numberFlag} from '../cli/flags.js'
import {AcoError, ExitCode} from '../errors.js'
import {attachTexts, readOutcomeTable, readTexts} from '../learn/outcome-table.js'
import {routeCascadeItems, type CascadeRouteRun} from '../learn/cascade/route.js'
import type {LoadedCascade} from '../learn/cascade/router.js'
import {routeItems, type RouteRun} from '../learn/router.js'
import {isCascade, loadRouter} from '../learn/runtime.js'
import {routeSteps, type RouteStepsResult} from '../services/steps.js'

export interface RouteResult extends RouteRun {
  schemaVersion: '1.0'
  router: string
}

/** `aco route --json` with a cascade (schemas/cascade-route-result.schema.json). */
export interface CascadeRouteResult extends CascadeRouteRun {
  schemaVersion: '1.0'
  router: string
}

export default class Route extends AcoCommand {
  static override summary = 'Choose a model for each item with a trained router.'

  static override description =
    `Applies router.json (from aco train) to items: each line of --outcomes names an item and a candidate model, with the item's features ({item_id, model, features}); success and cost_usd are ignored if present, since they are not known before a model runs. --text adds the items' prompts, as in training.

Returns the model for each item at the router's operating point, or with --sweep N the decisions at N thresholds along the calibration frontier, to check the claimed cost-quality curve against ground truth.

With a cascade (aco train --cascade), each line also carries what that model returned ("response", "signals"), as a runtime would see it once the model ran: the result gives per item the model whose answer is kept and "ran", every model run in order (its cost is the sum over them); --sweep and --threshold take levels of the cascade's path (0 keeps the first answer on every item). An item lacking a response the chain needs is listed under "fallbacks" and routed to the strongest model, never guessed.

Warns (on stderr; with --json, under "shift" in the JSON instead) when the items differ from the training items: categories the training split never had (or another value of a feature constant in training), numbers or text statistics outside the training ranges, or a feature whose distribution drifted (population stability index above 0.25). The router's evaluation and bounds hold only for items like those it was trained and calibrated on.

With a per-step router (aco train --steps) and --cards CARDS instead of --outcomes: the tier and model of every LLM step of the cards ({decisions: [{traceId, stepId, tier, model}], projected: {costUsd, savedUsd, assumption}}), each step featurized from its card up to the step.

Exit codes: 0 done; 2 usage error; 3 done, but some lines or items were skipped, or routed without the router's strongest model (or, for a cascade, routed to the strongest model for lack of a response); 4 no usable input (no item could be routed: every one was skipped); 1 an internal error.`

  static override examples = [
    '<%= config.bin %> route --router router/router.json --outcomes items.jsonl --text prompts.jsonl --json',
    '<%= config.bin %> route --router router/router.json --outcomes items.jsonl --text prompts.jsonl --sweep 20 --json > sweep.json',
    '<%= config.bin %> route --router step-router/router.json --cards cards/ --json',
  ]

  // (oclif's own line from the flags' exclusions read `[--cards CARDS | --sweep <value> | --text <value>] [--threshold
  // N | ]`, as if --sweep and --text excluded each other; trial 99.)
  static override usage = [
    'route --router ROUTER --outcomes OUTCOMES [--text PROMPTS] [--sweep N | --threshold N] [--json]',
    'route --router STEP-ROUTER --cards CARDS [--threshold N] [--json]',
  ]

  static override enableJsonFlag = true

  static override flags = {
    router: Flags.file({description: 'router.json written by aco train', required: true}),
    outcomes: Flags.file({
      description: 'JSONL of {item_id, model, features}: one line per item and candidate model',
      exactlyOne: ['outcomes', 'cards'],
    }),
    cards: Flags.string({
      description: 'with a per-step router: the cards whose LLM steps to route (cards.ndjson or its folder)',
      helpValue: 'CARDS',
      exactlyOne: ['outcomes', 'cards'],
      exclusive: ['sweep', 'text'],
    }),
    text: Flags.file({description: 'prompts JSONL: {item_id, prompt} per line'}),
    sweep: Flags.integer({
      description: 'decisions at N thresholds along the frontier instead of the operating point',
      min: 1,
    }),
    threshold: numberFlag({
      description: 'route at this threshold instead of the operating point',
      exclusive: ['sweep'],
    }),
  }

  async run(): Promise<RouteResult | CascadeRouteResult | RouteStepsResult> {
    const {flags} = await this.parse(Route)
    const threshold = flags.threshold
    const routerPath = resolve(flags.router)
    // A router's threshold is an estimated chance of success (a cascade's, a level of its path: checked there).
    const probability = (): void => {
      if (threshold !== undefined && !(threshold >= 0 && threshold <= 1))
        throw new AcoError(
          'usage',
          `--threshold ${threshold}: a router's threshold is an estimated chance of success, from 0 to 1.`,
          'Leave it out to route at the operating point the router was calibrated for.',
        )
    }
    if (flags.cards) {
      probability()
      const result = await routeSteps({
        router: routerPath,
        cards: resolve(flags.cards),
        ...(threshold !== undefined ? {threshold} : {}),
      })
      // No LLM step to route (an empty cards file, cards of tool calls alone): no usable input, exit 4 (trial 72: an
      // empty file exited 0 with "projected: $0.00 instead of $0.00").
      if (result.decisions.length === 0) {
        process.exitCode = ExitCode.noInput
        if (!this.jsonEnabled()) {
          for (const w of result.warnings) this.logToStderr(`Warning: ${w}`)
          this.logToStderr(`No LLM step to route in ${flags.cards}: its cards hold none (or it holds no card).`)
        }
        return result
      }
      if (!this.jsonEnabled()) {
        // (One print: each goes through the redaction of printed text, a pass per line was a pass per step.)
        printLines(
          this,
          result.decisions.map(d => `${d.traceId}\t${d.stepId}\t${d.tier ?? '(kept)'}\t${d.model}`),
        )
        const p = result.projected
        // The models kept, the most steps first (five named, then how many more).
        const models = Object.entries(p.keptModels ?? {})
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .map(([m, n]) => `${m} ${n}`)
        const kept = p.kept
          ? `; ${p.kept} step${p.kept === 1 ? '' : 's'} of models no tier claims kept on ${p.kept === 1 ? 'its model' : 'their models'} (${models.slice(0, 5).join(', ')}${models.length > 5 ? `, and ${models.length - 5} more` : ''})`
          : ''
        // (Steps whose trace names no model get a tier from the router, as route() gives one: said, since none of them
        // counts as moved; trial 82 read their decisions against "0 moved".)
        const unknown = Object.entries(p.noModel ?? {})
        const noModel = unknown.length
          ? `; ${unknown.reduce((n, [, k]) => n + k, 0)} step${unknown.length === 1 && unknown[0]![1] === 1 ? '' : 's'} whose trace names no model given a tier by the router (${unknown.map(([t, n]) => `${t} ${n}`).join(', ')}): what they ran is unknown, so none counts as moved and no saving is projected for them`
          : ''
        for (const w of result.warnings) this.logToStderr(`Warning: ${w}`)
        this.logToStderr(
          `projected: $${p.costUsd.toFixed(2)} instead of $${p.actualUsd.toFixed(2)} ($${p.savedUsd.toFixed(2)} saved; ${p.cheaper} steps to a cheaper tier${p.notProjected ? `, ${p.notProjected} more moved with no saving projected (too few labels say the tier would have done)` : ''}${kept}${noModel}). Assumption: ${p.assumption}`,
        )
      }
      return result
    }
    if (!flags.outcomes) throw new AcoError('usage', 'Pass --outcomes FILE (or --cards CARDS with a per-step router).')
    let router: ReturnType<typeof loadRouter>
    try {
      router = loadRouter(routerPath)
    } catch (error) {
      // (Its parts checked, but not what they must hold together: a file edited by hand, or of another version.)
      if (error instanceof AcoError) throw error
      throw new AcoError(
        'bad-file',
        `The router ${flags.router} cannot be read: ${(error as Error).message}.`,
        'Use the router.json aco train wrote (train it again if it was edited).',
      )
    }
    if (isCascade(router)) return this.routeCascade(router, routerPath, {...flags, outcomes: flags.outcomes}, threshold)
    probability()
    // A router trained with prompts decides mostly on their words: without them its decisions are not the ones it was evaluated on.
    if (router.json.features.text && !flags.text) {
      throw new AcoError(
        'usage',
        `${flags.router} was trained with the items' prompts (--text); routing without them would not give the decisions it was evaluated on.`,
        'Pass --text FILE with {item_id, prompt} lines, as in training.',
      )
    }
    const outcomesPath = resolve(flags.outcomes)
    const table = await readOutcomeTable(outcomesPath, 'route')
    const skipped: RouteResult['skipped'] = [...table.skipped]
    if (flags.text) {
      const texts = await readTexts(resolve(flags.text))
      skipped.push(...texts.skipped)
      const withText = attachTexts(table.items, texts.texts)
      const without = table.items.length - withText
      // No item's prompt at all (ids of other items): not the decisions the router was evaluated on, as without --text.
      if (router.json.features.text && table.items.length > 0 && withText === 0)
        throw new AcoError(
          'usage',
          `None of the ${table.items.length} items has a prompt in ${flags.text}: its item ids match none of the outcomes'.`,
          'Pass the prompts of these items ({item_id, prompt} lines with the same ids as the outcomes).',
        )
      if (router.json.features.text && without > 0 && !this.jsonEnabled()) {
        this.logToStderr(
          `${without} of ${table.items.length} items have no prompt in ${flags.text}: they are routed on their features alone`,
        )
      }
    }
    let run: ReturnType<typeof routeItems>
    try {
      run = routeItems(router, table.items, outcomesPath, {sweep: flags.sweep, threshold})
    } catch (error) {
      // A router.json that passed the checks but cannot be applied (edited by hand, another version's body under
      // this version's number): said of the file, not an internal error.
      if (error instanceof AcoError) throw error
      throw new AcoError(
        'bad-file',
        `The router ${flags.router} cannot be applied to these items: ${(error as Error).message}.`,
        'Use the router.json aco train wrote (train it again if it was edited).',
      )
    }
    skipped.push(...run.skipped)
    const result: RouteResult = {schemaVersion: '1.0', router: routerPath, ...run, skipped}
    sweptFewer(flags.sweep, result.points?.length)

    if (!this.jsonEnabled()) {
      printLines(
        this,
        result.points
          ? result.points.flatMap(point => point.decisions.map(d => `${point.threshold}\t${d.item_id}\t${d.model}`))
          : (result.decisions ?? []).map(d => `${d.item_id}\t${d.model}`),
      )
      for (const f of result.shift.findings) this.logToStderr(`warning: ${f.message}`)
      // (Items routed all the same are no skip: trial 74 read "skipped 1" of 14 items routed, never escalated.)
      for (const w of skipped.filter(s => s.routed)) this.logToStderr(`warning: ${w.path}:${w.line}: ${w.reason}`)
      const left = skipped.filter(s => !s.routed)
      if (left.length > 0)
        this.logToStderr(`skipped ${left.length} (first: ${left[0]!.path}:${left[0]!.line}: ${left[0]!.reason})`)
    }
    process.exitCode = routeExit(result, skipped.length > 0)
    return result
  }

  private async routeCascade(
    cascade: LoadedCascade,
    routerPath: string,
    flags: {outcomes: string; text?: string | undefined; sweep?: number | undefined},
    level: number | undefined,
  ): Promise<CascadeRouteResult> {
    if (level !== undefined && !(Number.isInteger(level) && level >= 0 && level < cascade.json.path.length)) {
      throw new AcoError(
        'usage',
        `--threshold of a cascade is a level of its path, an integer from 0 to ${cascade.json.path.length - 1} (got ${level}).`,
        `The operating point is level ${cascade.level}.`,
      )
    }
    if (cascade.json.features?.text && !flags.text) {
      throw new AcoError(
        'usage',
        `${flags.outcomes}: the cascade ${routerPath} was trained with the items' prompts (--text); routing without them would not give the decisions it was evaluated on.`,
        'Pass --text FILE with {item_id, prompt} lines, as in training.',
      )
    }
    const outcomesPath = resolve(flags.outcomes)
    const table = await readOutcomeTable(outcomesPath, 'route')
    const skipped = [...table.skipped]
    if (flags.text) {
      const texts = await readTexts(resolve(flags.text))
      skipped.push(...texts.skipped)
      attachTexts(table.items, texts.texts)
    }
    const run = routeCascadeItems(cascade, table.items, outcomesPath, {sweep: flags.sweep, level})
    const result: CascadeRouteResult = {schemaVersion: '1.0', router: routerPath, ...run, skipped}
    sweptFewer(flags.sweep, result.points?.length)
    if (!this.jsonEnabled()) {
      const line = (d: {item_id: string; model: string; ran: string[]}): string =>
        `${d.item_id}\t${d.model}\t${d.ran.join(',')}`
      printLines(
        this,
        result.points
          ? result.points.flatMap(point => point.decisions.map(d => `${point.threshold}\t${line(d)}`))
          : (result.decisions ?? []).map(line),
      )
      if (skipped.length > 0)
        this.logToStderr(
          `skipped ${skipped.length} (first: ${skipped[0]!.path}:${skipped[0]!.line}: ${skipped[0]!.reason})`,
        )
      if (result.fallbacks.length > 0)
        this.logToStderr(
          `${result.fallbacks.length} items routed to the strongest model (first: ${result.fallbacks[0]!.path}:${result.fallbacks[0]!.line}: ${result.fallbacks[0]!.reason})`,
        )
      for (const f of result.shift?.findings ?? []) this.logToStderr(`warning: ${f.message}`)
    }
    process.exitCode = routeExit(result, skipped.length > 0 || result.fallbacks.length > 0)
    return result
  }
}

/**
 * Says (on stderr, with --json too: oclif's logToStderr says nothing then) that --sweep gave fewer points than asked,
 * the router's frontier (or a cascade's path) having fewer distinct thresholds (trial 103: 12 of 20 without a word).
 */
function sweptFewer(asked: number | undefined, got: number | undefined): void {
  if (asked !== undefined && got !== undefined && got < asked)
    process.stderr.write(
      `note: --sweep ${asked}: the router has ${got} distinct thresholds to route at, so ${got} points\n`,
    )
}

/** 4 when no item was routed (every one skipped: no usable input), 3 when some were skipped, else 0. */
function routeExit(
  result: {
    decisions?: readonly unknown[] | undefined
    points?: ReadonlyArray<{decisions: readonly unknown[]}> | undefined
  },
  partial: boolean,
): number {
  const routed = result.points ? result.points.some(p => p.decisions.length > 0) : (result.decisions?.length ?? 0) > 0
  return !routed ? ExitCode.noInput : partial ? ExitCode.partial : 0
}

/** Lines printed at once (nothing for none). */
function printLines(command: {log(message: string): void}, lines: readonly string[]): void {
  if (lines.length) command.log(lines.join('\n'))
}
