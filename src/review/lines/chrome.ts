/**
 * What frames every screen of the review: the header (totals and decisions),
 * the status line (the last message, the filters in force, or the search
 * being typed; where decisions are saved) and the keys of the screen shown.
 */
import {costText, int} from '../../util/format.js'
import {fitWidth, textWidth} from '../../util/width.js'
import {helpScroll} from '../help-keys.js'
import type {ReviewState} from '../state/types.js'
import {nameLine} from '../text.js'
import {fitLine, lineText, seg, type Line} from './line.js'

export function headerLine(state: ReviewState): Line {
  const width = state.screen.columns
  const t = state.list.totals
  const filtered = t.traces !== state.rows.length
  // Prune decisions on the traces these cards hold: decisions on others (stale) are no flag of theirs decided.
  let prunes = 0
  for (const row of state.rows) prunes += state.decidedByRoot.get(row.id) ?? 0
  const share = t.costUsd > 0 ? ` (${((t.wastedUsd / t.costUsd) * 100).toFixed(1)}%)` : ''
  const parts: Line[] = [
    [
      seg(
        filtered
          ? `${int(t.traces)} of ${int(state.rows.length)} trace${state.rows.length === 1 ? '' : 's'}`
          : `${int(t.traces)} trace${t.traces === 1 ? '' : 's'}`,
      ),
    ],
    [seg(costText(t.costUsd, t.unpricedCalls, false, 'call'), 'cost')],
    // What flags on calls with no price wasted is not known: never $0 for them, as the cost.
    [seg('wasted '), seg(costText(t.wastedUsd, t.unpricedFlags, false, 'flag'), 'waste'), seg(share, 'muted')],
    [seg('decided '), seg(`${int(prunes)}/${int(state.flags)}`, 'accept'), seg(state.flags === 1 ? ' flag' : ' flags')],
    [seg(`${int(state.decisions.size)} decision${state.decisions.size === 1 ? '' : 's'}`, 'label')],
  ]
  if (state.staleTraces > 0) parts.push([seg(`${state.staleTraces} stale`, 'warn')])
  // Too wide: first the waste's share goes, then parts from the end.
  const title: Line = [seg('aco review', 'title', {bold: true})]
  const join = (list: Line[]): Line => [...title, ...list.flatMap(p => [seg(' · ', 'muted'), ...p])]
  let line = join(parts)
  if (textWidth(lineText(line)) > width) parts[2] = parts[2]!.filter(s => s.text !== share)
  line = join(parts)
  while (parts.length > 1 && textWidth(lineText(line)) > width) {
    parts.pop()
    line = join(parts)
  }
  return fitLine(line, width)
}

/** The status line: the last message, or the filters in force; where decisions are saved on the right. */
export function statusLine(state: ReviewState): Line {
  const width = state.screen.columns
  const right = `decisions → ${state.decisionsPath}`
  let left: Line
  if (state.message) {
    left = [
      seg(state.message.text, state.message.tone === 'warn' ? 'warn' : state.message.tone === 'ok' ? 'ok' : 'muted'),
    ]
  } else {
    const chips: string[] = []
    if (state.list.text) chips.push(`/${state.list.text}`)
    // (The model's whole name: gpt-4o-2024-08-06 and gpt-4o are two models, one filter each: trial 88.)
    if (state.list.model) chips.push(`model ${nameLine(state.list.model)}`)
    if (state.list.format) chips.push(`format ${state.list.format}`)
    left = chips.length ? [seg('filter: ', 'muted'), seg(chips.join(' · '), 'key'), seg('  (esc clears)', 'muted')] : []
  }
  const leftWidth = textWidth(lineText(left))
  const rightWidth = textWidth(right)
  if (leftWidth + 2 + rightWidth <= width) {
    return [...left, seg(' '.repeat(width - leftWidth - rightWidth)), seg(right, 'muted')]
  }
  if (leftWidth === 0) return fitLine([seg(right, 'muted')], width)
  return fitLine(left, width)
}

type KeyHint = [key: string, what: string]

function footerKeys(state: ReviewState): KeyHint[] {
  const overlay = state.overlay
  if (overlay?.kind === 'help')
    return helpScroll(state.decisionsPath, state.screen) > 0
      ? [
          ['↑↓', 'scroll'],
          ['other keys', 'close this'],
        ]
      : [['any key', 'closes this']]
  if (overlay?.kind === 'filter')
    return [
      ['type', 'to filter'],
      ['⏎', 'keep'],
      ['esc', 'cancel'],
      ['⌫', 'delete'],
    ]
  if (overlay?.kind === 'picker')
    return [
      ['↑↓', 'move'],
      ['⏎', 'choose'],
      ['esc', 'cancel'],
    ]
  switch (state.view) {
    case 'traces':
      return [
        ['↑↓', 'move'],
        ['⏎', 'open'],
        ['c/w/d', 'sort'],
        ['/', 'search'],
        ['m', 'model'],
        ['f', 'format'],
        ['?', 'keys'],
        ['q', 'quit'],
      ]
    case 'trace':
      return [
        ['↑↓', 'move'],
        ['⏎', 'open'],
        ['n/N', 'flag'],
        ['a/r', 'prune'],
        ['1-4', 'label'],
        ['u', 'undo'],
        ['←', 'back'],
        ['?', 'keys'],
      ]
    case 'step':
      return [
        ['a/r', 'prune'],
        ['1-4', 'label'],
        ['u', 'undo'],
        ['n/N', 'flag'],
        ['tab', 'evidence'],
        ['[ ]', 'step'],
        ['←', 'back'],
        ['?', 'keys'],
      ]
    default:
      return state.view satisfies never
  }
}

export function footerLine(state: ReviewState): Line {
  const width = state.screen.columns
  const line: Line = []
  let used = 0
  for (const [key, what] of footerKeys(state)) {
    const len = textWidth(key) + 1 + textWidth(what) + (used ? 2 : 0)
    if (used + len > width) break
    if (used) line.push(seg('  '))
    line.push(seg(key, 'key', {bold: true}), seg(` ${what}`, 'muted'))
    used += len
  }
  return line
}

/** The search being typed, in place of the status line: the text so far and how many traces match. */
export function filterLine(state: ReviewState): Line {
  const overlay = state.overlay
  const draft = overlay?.kind === 'filter' ? overlay.draft : state.list.text
  return fitLine(
    [
      seg('/', 'key', {bold: true}),
      seg(draft),
      seg('▏', 'key'),
      seg(`  ${int(state.list.totals.traces)} match${state.list.totals.traces === 1 ? '' : 'es'}`, 'muted'),
    ],
    state.screen.columns,
  )
}

/** The whole screen when the terminal is too small for the review. */
export function tooSmallLines(state: ReviewState): Line[] {
  // (Wrapped at the words over the rows there are: cut to one line, a 30-column terminal read "needs at least 40×…",
  // trial 123.)
  const {columns, rows} = state.screen
  const text = `aco review needs at least 40×10 (this terminal is ${columns}×${rows}); q quits`
  const lines: string[] = []
  for (const word of text.split(' ')) {
    const last = lines.length ? lines[lines.length - 1]! : undefined
    if (last !== undefined && last.length + 1 + word.length <= columns) lines[lines.length - 1] = `${last} ${word}`
    else lines.push(word)
  }
  return lines.slice(0, Math.max(1, rows)).map(l => [seg(fitWidth(l, columns), 'warn')])
}
