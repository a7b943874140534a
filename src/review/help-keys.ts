/**
 * The keys of the review, by screen: the help screen's text, and its rows at a width. Beside the key column where
 * there is room for it, under each key where there is not (a narrow terminal); the rows are what the help scrolls by.
 */
import {fitPath, padWidth, textWidth, wrapWords} from '../util/width.js'
import {bodyHeight, type Screen} from './layout.js'

/** The keys, in 18 lines (19 with the decisions line): the help fits the body of an 80×24 terminal. */
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
    "Decide (in a trace or a step; * marks aco label --auto's labels)",
    [
      ['a r', 'accept / reject the prune suggestion (again: clear)'],
      ['1 2 3 4', 'fine · needs stronger model · cheaper model ok · wasted'],
      ['u', 'undo the last decision of this session'],
    ],
  ],
  ['Anywhere', [['esc ←  ?  q', 'back · these keys · quit (decisions are always saved)']]],
]

/** Two spaces and the key, padded: where a key's words start beside it. */
const KEY_COLUMN = 24
/** The fewest columns a key's words are given beside it; fewer, and they go under the key. */
const MIN_WORDS = 24

type HelpStyle = 'title' | 'key' | 'plain' | 'muted'
export type HelpRow = Array<{text: string; style: HelpStyle}>

/** Every row of the help at `width` columns, each at most that wide. */
export function helpRows(width: number, decisionsPath: string): HelpRow[] {
  const rows: HelpRow[] = []
  const beside = width - KEY_COLUMN >= MIN_WORDS
  for (const [title, keys] of HELP) {
    for (const words of wrapWords(title, Math.max(1, width))) rows.push([{text: words, style: 'title'}])
    for (const [key, what] of keys) {
      if (beside) {
        wrapWords(what, width - KEY_COLUMN).forEach((words, i) => {
          const left = i === 0 ? `  ${padWidth(key, KEY_COLUMN - 2)}` : ' '.repeat(KEY_COLUMN)
          rows.push([
            {text: left, style: 'key'},
            {text: words, style: 'plain'},
          ])
        })
      } else {
        rows.push([{text: `  ${key}`, style: 'key'}])
        for (const words of wrapWords(what, Math.max(1, width - 4))) rows.push([{text: `    ${words}`, style: 'plain'}])
      }
    }
  }
  // One line where a path cut from its start leaves room for its file's name (review 34: a long path made the help
  // scroll at 80×24), else wrapped.
  const words = ['Decisions are saved to ', ' as you make them, and resumed.']
  const room = width - textWidth(words.join(''))
  const saved =
    room >= Math.min(24, textWidth(decisionsPath))
      ? [`${words[0]}${fitPath(decisionsPath, room)}${words[1]}`]
      : wrapWords(`${words[0]}${decisionsPath}${words[1]}`, Math.max(1, width))
  for (const line of saved) rows.push([{text: line, style: 'muted'}])
  return rows
}

/** How far the help can scroll: its rows at the screen's width less the body's height (0: it fits). */
export function helpScroll(decisionsPath: string, screen: Screen): number {
  return Math.max(0, helpRows(screen.columns, decisionsPath).length - bodyHeight(screen))
}
