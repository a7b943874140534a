/**
 * Which key does what, on which screen: a pure function from a key press to
 * an action of the reducer, or to a request the app carries out (reading a
 * card before opening it). `now` stamps decisions.
 */
import {LABELS} from './decisions.js'
import {selectedRow} from './state/list.js'
import {helpScroll} from './help-keys.js'
import type {Action, ReviewState} from './state/types.js'

/** The parts of Ink's Key the review reads. */
export interface KeyPress {
  upArrow?: boolean
  downArrow?: boolean
  leftArrow?: boolean
  rightArrow?: boolean
  pageUp?: boolean
  pageDown?: boolean
  home?: boolean
  end?: boolean
  return?: boolean
  escape?: boolean
  ctrl?: boolean
  meta?: boolean
  shift?: boolean
  tab?: boolean
  backspace?: boolean
  delete?: boolean
}

export type Intent = Action | {type: 'load'; rootId: string}

export function keyToIntent(state: ReviewState, input: string, key: KeyPress, now: () => string): Intent | undefined {
  const overlay = state.overlay
  // The help scrolls where it is taller than the screen (then any other key closes it), else any key closes it.
  if (overlay?.kind === 'help')
    return (helpScroll(state.decisionsPath, state.screen) > 0 && moveKey(input, key)) || {type: 'help'}
  if (overlay?.kind === 'filter') {
    if (key.escape) return {type: 'filterCancel'}
    if (key.return || key.upArrow || key.downArrow) return {type: 'filterDone'}
    if (key.backspace || key.delete) return {type: 'filterBackspace'}
    if (input && !key.ctrl && !key.meta && !key.tab) return {type: 'filterType', text: input.replace(/[\r\n\t]/g, '')}
    return undefined
  }
  if (overlay?.kind === 'picker') {
    if (key.escape || input === 'q') return {type: 'closeOverlay'}
    if (key.return) return {type: 'pickerChoose'}
    return moveKey(input, key)
  }
  // Ink reports Escape with meta set: only other meta keys are someone else's.
  if (key.ctrl || (key.meta && !key.escape)) return undefined

  const moved = moveKey(input, key)
  if (moved) return moved
  if (input === '?') return {type: 'help'}
  if (input === 'q') return {type: 'quit'}
  // Decisions: the reducer says so when there is no step to decide on (in the list).
  if (input === 'u') return {type: 'undo'}
  if (input === 'a') return {type: 'decide', change: {prune: 'accept'}, at: now()}
  if (input === 'r') return {type: 'decide', change: {prune: 'reject'}, at: now()}
  if (/^[1-4]$/.test(input)) return {type: 'decide', change: {label: LABELS[Number(input) - 1]!}, at: now()}

  switch (state.view) {
    case 'traces': {
      if (key.return || key.rightArrow || input === 'l') {
        const row = selectedRow(state)
        return row ? {type: 'load', rootId: row.id} : undefined
      }
      if (input === 'c') return {type: 'sort', key: 'cost'}
      if (input === 'w') return {type: 'sort', key: 'waste'}
      if (input === 'd') return {type: 'sort', key: 'date'}
      if (input === '/') return {type: 'filterStart'}
      if (input === 'm') return {type: 'pickerOpen', field: 'model'}
      if (input === 'f') return {type: 'pickerOpen', field: 'format'}
      if (key.escape) return {type: 'clearFilters'}
      return undefined
    }
    case 'trace':
    case 'step': {
      if (key.return) return {type: 'enter'}
      if (key.rightArrow || input === 'l') return {type: 'unfold'}
      if (key.leftArrow || input === 'h') return {type: 'left'}
      if (key.escape) return {type: 'back'}
      if (input === 'n') return {type: 'nextFlag', dir: 1}
      if (input === 'N') return {type: 'nextFlag', dir: -1}
      if (key.tab) return {type: 'evidence', dir: key.shift ? -1 : 1}
      if (input === ']') return {type: 'nextStep', dir: 1}
      if (input === '[') return {type: 'nextStep', dir: -1}
      return undefined
    }
    default:
      return state.view satisfies never
  }
}

function moveKey(input: string, key: KeyPress): Action | undefined {
  if (key.upArrow || input === 'k') return {type: 'move', by: 'up'}
  if (key.downArrow || input === 'j') return {type: 'move', by: 'down'}
  if (key.pageUp) return {type: 'move', by: 'pageUp'}
  if (key.pageDown || input === ' ') return {type: 'move', by: 'pageDown'}
  if (key.home || input === 'g') return {type: 'move', by: 'home'}
  if (key.end || input === 'G') return {type: 'move', by: 'end'}
  return undefined
}
