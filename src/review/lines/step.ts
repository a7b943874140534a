/**
 * A step: where it is (the breadcrumbs of its trace and subagents) and its
 * details: what it ran or said, its result, its cost and how that was
 * obtained, its flag and the evidence behind it, the decision taken. The
 * body scrolls over every line of it.
 */
import type {CostSource, Step, TraceCard} from '../../card/types.js'
import {costText, int, usd, usdSumming} from '../../util/format.js'
import {fitWidth, padWidth, textWidth} from '../../util/width.js'
import {decisionKey, LABELS, type Label} from '../decisions.js'
import {bodyHeight} from '../layout.js'
import type {ReviewState} from '../state/types.js'
import {
  argumentLines,
  cardLabel,
  cleanLines,
  describeTool,
  duration,
  nameLine,
  oneLine,
  shortModel,
  shortTime,
  wrap,
} from '../text.js'
import {evidenceKeys, type StepRef} from '../timeline.js'
import {fitLine, seg, type Line, type Tone} from './line.js'

function costSourceText(source: CostSource, model: string | undefined, hasTokens: boolean): string {
  switch (source) {
    case 'computed':
      return 'computed from its tokens at catalog prices'
    case 'recorded':
      return 'recorded by the agent in its log'
    case 'estimated':
      return 'estimated: a share of totals the log recorded'
    case 'unpriced':
      // (After the bold "unpriced": the reason alone.)
      return hasTokens
        ? `no price known for ${model === undefined ? 'its model' : nameLine(model)} (not counted as $0)`
        : 'the log records no token usage for this call (not counted as $0)'
    default:
      return source satisfies never
  }
}

function stepName(ref: StepRef): string {
  return `#${ref.step.index} ${ref.step.kind} ${ref.step.kind === 'tool' ? describeTool(ref.step) : shortModel(ref.step.model ?? '')}`.trim()
}

export function stepSubLine(state: ReviewState): Line {
  const model = state.trace!.model
  const ref = model.steps.get(state.step!.key)!
  const crumbs: string[] = [cardLabel(model.root, true)]
  let card: TraceCard | undefined = ref.card
  const chain: string[] = []
  while (card && card !== model.root) {
    chain.unshift(cardLabel(card, true))
    const parentId = model.parentOf.get(card.id)
    card = parentId ? model.cards.get(parentId) : undefined
  }
  crumbs.push(...chain)
  const back = state.step!.back.length ? ` (${state.step!.back.length} back)` : ''
  const line: Line = [
    seg('‹ ', 'key'),
    seg(crumbs.map(c => fitWidth(c, 40)).join(' › '), 'muted'),
    seg(' › ', 'muted'),
    seg(stepName(ref), undefined, {bold: true}),
    seg(back, 'muted'),
  ]
  return fitLine(line, state.screen.columns)
}

const LABEL_WIDTH = 11

/** How the step view names the labels beside their keys. */
const LABEL_WORDS: Record<Label, string> = {
  fine: 'fine',
  'needs-stronger-model': 'stronger model',
  'cheaper-model-ok': 'cheaper model ok',
  wasted: 'wasted',
}

function field(label: string, value: Line): Line {
  // (A label as long as the column keeps a space before its value: `Uncertainty mean 1−p`, trial 88.)
  return [seg(padWidth(label, Math.max(LABEL_WIDTH, textWidth(label) + 1)), 'muted', {bold: true}), ...value]
}

function continued(value: Line): Line {
  return [seg(' '.repeat(LABEL_WIDTH)), ...value]
}

/** Text wrapped under a field label. */
function block(label: string, lines: string[], width: number, tone?: Tone): Line[] {
  const w = Math.max(10, width - LABEL_WIDTH)
  const out: Line[] = []
  lines.forEach((text, i) => {
    const wrapped = wrap(text, w)
    wrapped.forEach((part, j) => {
      out.push(i === 0 && j === 0 ? field(label, [seg(part, tone)]) : continued([seg(part, tone)]))
    })
  })
  if (out.length === 0) out.push(field(label, [seg('—', 'muted')]))
  return out
}

function tokenText(step: Step, format: string): string {
  const t = step.tokens
  if (!t) return '—'
  // (Counts the log does not record are no zeros: Copilot CLI's calls after the last session.shutdown.)
  const unknown = step.inputUnrecorded === true
  const parts = [
    `in ${unknown ? '—' : int(t.input)}`,
    `cache read ${unknown ? '—' : int(t.cacheRead)}`,
    `cache write ${unknown ? '—' : int(t.cacheWrite)}`,
    `out ${int(t.output)}`,
  ]
  if (t.reasoning) parts.push(`reasoning ${int(t.reasoning)}`)
  const estimated = unknown
    ? ' · input not recorded (not counted)'
    : step.recordedOutput !== undefined
      ? format === 'claude-code'
        ? ` · estimated from the text (the log recorded ${int(step.recordedOutput)} out, a streaming placeholder)`
        : ` · estimated (the log recorded ${int(step.recordedOutput)} out for this call itself)`
      : step.estimated
        ? ' · estimated'
        : ''
  return parts.join(' · ') + estimated
}

/** Every line of the step view (the body scrolls over them). */
export function stepDetailLines(state: ReviewState): Line[] {
  const trace = state.trace
  const stepState = state.step
  if (!trace || !stepState) return []
  const model = trace.model
  const ref = model.steps.get(stepState.key)
  if (!ref) return [[seg('this step is not in the trace', 'warn')]]
  const width = state.screen.columns
  const w = width - LABEL_WIDTH
  const step = ref.step
  const out: Line[] = []
  const facts = [
    step.kind,
    step.kind === 'llm'
      ? step.model === undefined
        ? 'model unknown'
        : nameLine(step.model)
      : step.tool
        ? nameLine(step.tool.name)
        : 'tool',
    step.turn !== undefined ? `turn ${step.turn}` : '',
    duration(step.durationMs),
    shortTime(step.startedAt),
    step.line !== undefined ? `line ${step.line}` : '',
  ].filter(Boolean)
  out.push(
    field('Step', [seg(`#${step.index} `, undefined, {bold: true}), seg(fitWidth(oneLine(facts.join(' · ')), w - 4))]),
  )

  if (step.kind === 'tool') {
    const tool = step.tool
    const parent = step.parentStepId ? model.steps.get(decisionKey(ref.card.id, step.parentStepId)) : undefined
    if (tool) {
      const status: Line = [seg(tool.status, tool.status === 'error' ? 'error' : tool.status === 'ok' ? 'ok' : 'muted')]
      if (tool.exitCode !== undefined)
        status.push(seg(` · exit ${tool.exitCode}`, tool.exitCode === 0 ? 'muted' : 'error'))
      if (tool.outputChars !== undefined) status.push(seg(` · ${int(tool.outputChars)} chars of output`, 'muted'))
      out.push(field('Status', status))
      const args = argumentLines(tool.arguments, Math.max(40, w * 2), 10)
      out.push(
        ...args.flatMap((text, i) => {
          // A wrapped JSON line continues under its own indentation.
          const indent = ' '.repeat(Math.min(12, (/^ */.exec(text)?.[0].length ?? 0) + 2))
          return wrap(text, w - indent.length, 3).map((part, j) =>
            i === 0 && j === 0 ? field('Arguments', [seg(part)]) : continued([seg(j === 0 ? part : indent + part)]),
          )
        }),
      )
      const excerpt = tool.excerpt
        ? cleanLines(tool.excerpt).filter((l, i, all) => l.trim() || (i > 0 && i < all.length - 1))
        : []
      // (The excerpt aco keeps, not the whole output: its lines, counted as such, the new user's trial 40.)
      if (excerpt.length) out.push(...block('Result', limit(excerpt, 8, 'of the excerpt kept'), width, 'muted'))
      else out.push(field('Result', [seg(tool.outputChars ? '(no excerpt kept)' : '(empty)', 'muted')]))
    }
    const cost: Line = [seg('none (a tool run)', 'muted')]
    if (parent) {
      const pc = parent.step.cost?.usd
      cost.push(
        seg(`; the LLM call that issued it, #${parent.step.index}, cost `, 'muted'),
        seg(typeof pc === 'number' ? usd(pc) : 'unpriced', 'cost'),
      )
    }
    out.push(field('Cost', cost))
  } else {
    // (Wrapped, not cut: an estimate says why at the end, trial 88.)
    out.push(...block('Tokens', [tokenText(step, trace.model.root.source.format)], width))
    const c = step.cost
    if (c) {
      // Its prompt's part and the rest, the output (its reasoning in it), where both are known: at one precision with
      // the total, so the three read as they add up (trial 123 read "prompt $0.14" alone under a call of $0.15).
      const split =
        !step.inputUnrecorded && c.inputUsd !== undefined && typeof c.usd === 'number' && c.usd > c.inputUsd
          ? {prompt: c.inputUsd, output: c.usd - c.inputUsd, money: usdSumming(c.usd, [c.inputUsd, c.usd - c.inputUsd])}
          : undefined
      const cost: Line = [
        seg(typeof c.usd === 'number' ? (split?.money ?? usd)(c.usd) : 'unpriced', 'cost', {bold: true}),
        seg(` ${costSourceText(c.source, step.model, step.tokens !== undefined)}`, 'muted'),
      ]
      out.push(field('Cost', cost))
      const more: string[] = []
      // (The output alone where the log records no input: its prompt's cost is unknown, not $0.)
      if (step.inputUnrecorded) more.push('its output alone: the prompt is not recorded')
      else if (split) more.push(`prompt ${split.money(split.prompt)} · output ${split.money(split.output)}`)
      else if (c.inputUsd !== undefined) more.push(`prompt ${usd(c.inputUsd)}`)
      if (c.recordedUsd !== undefined) more.push(`the log recorded ${usd(c.recordedUsd)}`)
      if (more.length) out.push(continued([seg(more.join(' · '), 'muted')]))
    } else out.push(field('Cost', [seg('—', 'muted')]))
    if (step.text)
      out.push(
        ...block(
          'Said',
          limit(
            cleanLines(step.text).filter(l => l.trim()),
            4,
          ),
          width,
        ),
      )
    const tools = (step.toolStepIds ?? [])
      .map(id => model.steps.get(decisionKey(ref.card.id, id)))
      .filter((r): r is StepRef => Boolean(r))
    if (tools.length)
      out.push(...block('Tool calls', [tools.map(t => `#${t.step.index} ${describeTool(t.step)}`).join(' · ')], width))
    if (step.uncertainty)
      out.push(
        field('Uncertainty', [
          seg(
            `mean 1−p ${step.uncertainty.meanOneMinusP.toFixed(3)}${step.uncertainty.entropy !== undefined ? ` · entropy ${step.uncertainty.entropy.toFixed(2)}` : ''}`,
          ),
        ]),
      )
  }
  const started = (step.childTraceIds ?? []).map(id => model.cards.get(id)).filter((c): c is TraceCard => Boolean(c))
  if (started.length) {
    out.push(
      ...block(
        'Subagents',
        started.map(
          c =>
            `${cardLabel(c)}: ${model.totals.get(c.id)!.steps} step${model.totals.get(c.id)!.steps === 1 ? '' : 's'}, ${costText(model.totals.get(c.id)!.costUsd, model.totals.get(c.id)!.unpricedCalls)} (unfold it in the timeline)`,
        ),
        width,
      ),
    )
  }

  const flags = step.flags ?? []
  if (flags.length === 0) out.push(field('Flag', [seg('none: no prune suggestion (a label still applies)', 'muted')]))
  for (const flag of flags) {
    const share = flag.wastedUsd - (flag.carriedUsd ?? 0)
    // (Digits enough for the two parts to add up as printed: trial 115 read "$0.03 = $0.01 + $0.01".)
    const stake = usdSumming(flag.wastedUsd, [share, flag.carriedUsd ?? 0])
    out.push(
      field('Flag', [
        seg(`⚑ ${flag.kind}`, 'flag', {bold: true}),
        seg(` · confidence ${flag.confidence.toFixed(2)} · `, 'muted'),
        seg(`${stake(flag.wastedUsd)} at stake`, 'waste'),
      ]),
    )
    // Where the dollars come from (the new user's trial 40: "$0.15 at stake" under a call that cost $0.02), in figures
    // that add up as printed (trial 71: "$0.02 = $0.02 + $0.0062").
    if (step.kind === 'tool' && !flag.unpriced && flag.wastedUsd > 0) {
      const carried = flag.carriedUsd ?? 0
      out.push(
        continued([
          seg(
            `= ${stake(flag.wastedUsd - carried)} its share of the call that issued it + ${carried > 0 ? `${stake(carried)} carrying its result onward` : 'nothing for carrying its result'}`,
            'muted',
          ),
        ]),
      )
    }
    for (const part of wrap(oneLine(flag.reason), w, 4)) out.push(continued([seg(part)]))
  }
  const evidence = evidenceKeys(model, stepState.key)
  if (evidence.length) {
    evidence.forEach((key, i) => {
      const ev = model.steps.get(key)!
      const mark = i === stepState.evidence ? '› ' : '  '
      const text: Line = [
        seg(mark, 'key'),
        seg(
          fitWidth(`#${ev.step.index} ${ev.step.kind} ${describeTool(ev.step)}`, w - 2),
          i === stepState.evidence ? 'key' : undefined,
        ),
      ]
      out.push(i === 0 ? field('Evidence', text) : continued(text))
    })
    out.push(continued([seg('tab selects · ⏎ opens the selected step · ← comes back', 'muted')]))
  } else if (flags.length) out.push(field('Evidence', [seg('none named', 'muted')]))

  const decision = state.decisions.get(stepState.key)
  const prune: Line = decision?.prune
    ? [
        seg(
          decision.prune === 'accept' ? '✓ prune accepted' : '✗ prune rejected',
          decision.prune === 'accept' ? 'accept' : 'reject',
          {bold: true},
        ),
      ]
    : [seg(flags.length ? 'prune undecided' : 'no prune to decide', 'muted')]
  const label: Line = decision?.label
    ? [
        seg(`label ${decision.label}`, 'label', {bold: true}),
        // (aco label --auto's, told apart from a person's: pressing 1–4 makes it the review's.)
        ...(decision.by === 'auto' ? [seg(' (automatic, aco label --auto)', 'muted')] : []),
      ]
    : [seg('no label', 'muted')]
  out.push(field('Decision', [...prune, seg(' · ', 'muted'), ...label]))
  const keys = [
    flags.length ? 'a accept · r reject' : '',
    ...LABELS.map((l: Label, i) => `${i + 1} ${LABEL_WORDS[l]}`),
    'u undo',
  ]
    .filter(Boolean)
    .join(' · ')
  for (const part of wrap(keys, w)) out.push(continued([seg(part, 'muted')]))
  return out.map(l => fitLine(l, width))
}

function limit(lines: string[], max: number, of = ''): string[] {
  if (lines.length <= max) return lines
  return [...lines.slice(0, max), `… ${lines.length - max} more lines${of ? ` ${of}` : ''}`]
}

export function visibleStepLines(state: ReviewState): Line[] {
  const all = stepDetailLines(state)
  const height = bodyHeight(state.screen)
  const scroll = Math.min(state.step?.scroll ?? 0, Math.max(0, all.length - height))
  const shown = all.slice(scroll, scroll + height)
  if (scroll + height < all.length && shown.length) {
    shown[shown.length - 1] = fitLine(
      [seg(`  ↓ ${all.length - scroll - height + 1} more lines (↓ scrolls)`, 'muted')],
      state.screen.columns,
    )
  }
  return shown
}
