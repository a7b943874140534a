/**
 * The traces list: sorting, the text filter, the model and format pickers,
 * and the totals of what is shown. Pure transitions of the review's state.
 */
import type {CardIndexRow} from '../../analyze/card-index.js'
import type {SortKey} from '../decisions.js'
import {bodyHeight, follow, listHeight} from '../layout.js'
import {graphemes} from '../../util/width.js'
import type {PickerItem, ReviewState, RowSearch} from './types.js'

/**
 * The text each row is searched by, made the first time a search needs it: for 10,000 traces ~40 ms that the
 * first screen does not wait for.
 */
export function rowSearch(rows: readonly CardIndexRow[]): RowSearch {
  let texts: string[] | undefined
  return {
    text(i) {
      texts ??= rows.map(r => `${r.id} ${r.title ?? ''} ${r.path} ${r.models.join(' ')} ${r.format}`.toLowerCase())
      return texts[i]!
    },
  }
}

export function selectedRow(state: ReviewState): CardIndexRow | undefined {
  const i = state.list.order[state.list.cursor]
  return i === undefined ? undefined : state.rows[i]
}

function compareRows(rows: readonly CardIndexRow[], sort: SortKey): (a: number, b: number) => number {
  switch (sort) {
    case 'cost':
      return (a, b) => rows[a]!.costUsd - rows[b]!.costUsd
    case 'waste':
      return (a, b) => rows[a]!.wastedUsd - rows[b]!.wastedUsd || rows[a]!.costUsd - rows[b]!.costUsd
    case 'date':
      return (a, b) => {
        const x = rows[a]!.startedAt ?? ''
        const y = rows[b]!.startedAt ?? ''
        return x < y ? -1 : x > y ? 1 : 0
      }
    default:
      return sort satisfies never
  }
}

/** Recomputes the list's order after a sort or filter change, keeping the selected trace when it is still shown. */
export function relist(state: ReviewState, keepId: string | undefined): ReviewState {
  const {rows, search, list} = state
  const terms = list.text.toLowerCase().split(/\s+/).filter(Boolean)
  const order: number[] = []
  let costUsd = 0
  let wastedUsd = 0
  let unpricedCalls = 0
  let unpricedFlags = 0
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!
    if (list.model && !hasModel(row, list.model)) continue
    if (list.format && row.format !== list.format) continue
    if (terms.length && !terms.every(t => search.text(i).includes(t))) continue
    order.push(i)
    costUsd += row.costUsd
    wastedUsd += row.wastedUsd
    unpricedCalls += row.unpricedCalls
    unpricedFlags += row.unpricedFlags ?? 0
  }
  const by = compareRows(rows, list.sort)
  const sign = list.descending ? -1 : 1
  order.sort((a, b) => {
    const c = by(a, b)
    if (c !== 0) return sign * c
    const x = rows[a]!.id
    const y = rows[b]!.id
    return x < y ? -1 : x > y ? 1 : 0
  })
  let cursor = keepId === undefined ? 0 : order.findIndex(i => rows[i]!.id === keepId)
  if (cursor < 0) cursor = 0
  const height = listHeight(state.screen)
  const top = follow(cursor, keepId === undefined ? 0 : list.top, height, order.length)
  return {
    ...state,
    list: {
      ...list,
      order,
      cursor,
      top,
      totals: {traces: order.length, costUsd, wastedUsd, unpricedCalls, unpricedFlags},
    },
  }
}

/** The same key again reverses the order; the selected trace stays selected. */
export function sortBy(state: ReviewState, key: SortKey): ReviewState {
  const descending = state.list.sort === key ? !state.list.descending : true
  return relist({...state, list: {...state.list, sort: key, descending}}, selectedRow(state)?.id)
}

export function filterStart(state: ReviewState): ReviewState {
  if (state.view !== 'traces') return state
  return {...state, overlay: {kind: 'filter', draft: state.list.text, before: state.list.text}}
}

/** `text` less its last character as a person sees it: an emoji (🚀, a flag, a family joined by ZWJ) whole. */
function withoutLastCharacter(text: string): string {
  let last = 0
  for (const g of graphemes(text)) last = g.index
  return text.slice(0, last)
}

/** The filter applies as it is typed. */
export function filterEdit(
  state: ReviewState,
  edit: {type: 'filterType'; text: string} | {type: 'filterBackspace'},
): ReviewState {
  if (state.overlay?.kind !== 'filter') return state
  const draft = edit.type === 'filterType' ? state.overlay.draft + edit.text : withoutLastCharacter(state.overlay.draft)
  const typed = {...state, overlay: {...state.overlay, draft}}
  return relist({...typed, list: {...typed.list, text: draft}}, selectedRow(state)?.id)
}

export function filterDone(state: ReviewState): ReviewState {
  return state.overlay?.kind === 'filter' ? {...state, overlay: undefined} : state
}

/** Esc while typing: the filter before comes back. */
export function filterCancel(state: ReviewState): ReviewState {
  if (state.overlay?.kind !== 'filter') return state
  const before = state.overlay.before
  return relist({...state, overlay: undefined, list: {...state.list, text: before}}, selectedRow(state)?.id)
}

export function clearFilters(state: ReviewState): ReviewState {
  if (!state.list.text && !state.list.model && !state.list.format) return state
  return relist(
    {...state, list: {...state.list, text: '', model: undefined, format: undefined}},
    selectedRow(state)?.id,
  )
}

/** The model picker's item for the traces that name no model (a log that records none). */
export const NO_MODEL = '(no model named)'

/** Whether a row is one of a model's traces (NO_MODEL: one that names no model). */
function hasModel(row: {models: readonly string[]}, model: string): boolean {
  return model === NO_MODEL ? row.models.length === 0 : row.models.includes(model)
}

/**
 * The picker's items: each model (or format) of the traces the other filters show (the text, the other picker's
 * choice), with its traces and what it cost there: a model's own calls, not the whole of each trace it is in.
 */
function pickerItems(state: ReviewState, field: 'model' | 'format'): PickerItem[] {
  const {rows, search, list} = state
  const terms = list.text.toLowerCase().split(/\s+/).filter(Boolean)
  const by = new Map<string, PickerItem>()
  const all: PickerItem = {
    label: field === 'model' ? 'all models' : 'all formats',
    traces: 0,
    costUsd: 0,
    unpricedCalls: 0,
  }
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!
    if (field === 'format' && list.model && !hasModel(row, list.model)) continue
    if (field === 'model' && list.format && row.format !== list.format) continue
    if (terms.length && !terms.every(t => search.text(i).includes(t))) continue
    all.traces++
    all.costUsd += row.costUsd
    all.unpricedCalls += row.unpricedCalls
    // (A trace that names no model is listed under NO_MODEL: the models' rows add up to all of them.)
    for (const value of field === 'model' ? (row.models.length ? row.models : [NO_MODEL]) : [row.format]) {
      const item = by.get(value) ?? {value, label: value, traces: 0, costUsd: 0, unpricedCalls: 0}
      // (An index written before rows kept each model's share: the whole trace, as it then said.)
      const share = field === 'model' ? row.byModel?.[value] : undefined
      item.traces++
      item.costUsd += share ? share.costUsd : row.costUsd
      item.unpricedCalls += share ? share.unpricedCalls : row.unpricedCalls
      by.set(value, item)
    }
  }
  const items = [...by.values()].sort((a, b) => b.costUsd - a.costUsd || a.label.localeCompare(b.label))
  return [all, ...items]
}

/** The picker of models or formats, the cursor on the one in force (or on "all"). */
export function pickerOpen(state: ReviewState, field: 'model' | 'format'): ReviewState {
  if (state.view !== 'traces') return state
  const items = pickerItems(state, field)
  const current = field === 'model' ? state.list.model : state.list.format
  const cursor = Math.max(
    0,
    items.findIndex(i => i.value === current),
  )
  return {
    ...state,
    overlay: {kind: 'picker', field, items, cursor, top: follow(cursor, 0, bodyHeight(state.screen) - 1, items.length)},
  }
}

export function pickerChoose(state: ReviewState): ReviewState {
  if (state.overlay?.kind !== 'picker') return state
  const item = state.overlay.items[state.overlay.cursor]
  const list = {...state.list, [state.overlay.field]: item?.value}
  return relist({...state, overlay: undefined, list}, selectedRow(state)?.id)
}
