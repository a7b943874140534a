/** The help screen: every key of the review, by screen, and where the decisions are saved. */
import type {ReviewState} from '../state/types.js'
import {padWidth} from '../../util/width.js'
import {fitLine, seg, type Line} from './line.js'

/** The keys, in 18 lines: the help fits the body of an 80×24 terminal. */
const HELP: Array<[string, Array<[string, string]>]> = [
  [
    'Traces',
    [
      ['↑↓ j k PgUp PgDn g G', 'move'],
      ['⏎ →', 'open a trace'],
      ['c w d', 'sort by cost, waste, date (again: reverse)'],
      ['/  m  f  esc', 'search · filter by model · by format · clear'],
    ],
  ],
  [
    'A trace',
    [
      ['⏎ →  ←', 'open a step or unfold a subagent ▸ · fold, back'],
      ['n N', 'next / previous flagged step ⚑'],
    ],
  ],
  [
    'A step',
    [
      ['↑↓  [ ]', 'scroll · previous / next step'],
      ['tab ⏎  n N', 'pick and open an evidence step · next flag'],
    ],
  ],
  [
    'Decide (in a trace or a step)',
    [
      ['a r', 'accept / reject the prune suggestion (again: clear)'],
      ['1 2 3 4', "fine · needs stronger model · cheaper model ok · wasted (a * marks aco label --auto's)"],
      ['u', 'undo the last decision of this session'],
    ],
  ],
  ['Anywhere', [['esc ←  ?  q', 'back · these keys · quit (decisions are always saved)']]],
]

export function helpLines(state: ReviewState): Line[] {
  const width = state.screen.columns
  const out: Line[] = []
  for (const [title, keys] of HELP) {
    out.push([seg(title, 'title', {bold: true})])
    for (const [key, what] of keys) out.push([seg(`  ${padWidth(key, 22)}`, 'key'), seg(what)])
  }
  out.push([seg(`Decisions are saved to ${state.decisionsPath} as you make them; reopening resumes there.`, 'muted')])
  return out.map(l => fitLine(l, width))
}
