/**
 * How the review's screen is divided, from the terminal's size: a header,
 * a line under it (column headings or where you are), the body, a status
 * line and the keys. One line is left free below, so Ink redraws only what
 * changed instead of clearing the whole terminal on every frame.
 */

export interface Screen {
  columns: number
  rows: number
}

const MIN_SCREEN: Screen = {columns: 40, rows: 10}

/** Lines the review draws (the terminal's rows less one). */
export function frameHeight(screen: Screen): number {
  return Math.max(MIN_SCREEN.rows - 1, screen.rows - 1)
}

/** Lines of the body: the frame less the header, the line under it, the status line and the keys. */
export function bodyHeight(screen: Screen): number {
  return Math.max(1, frameHeight(screen) - 4)
}

/** Rows of the traces list. */
export function listHeight(screen: Screen): number {
  return bodyHeight(screen)
}

/** Rows of the timeline (the body less its column headings). */
export function timelineHeight(screen: Screen): number {
  return Math.max(1, bodyHeight(screen) - 1)
}

export function tooSmall(screen: Screen): boolean {
  return screen.columns < MIN_SCREEN.columns || screen.rows < MIN_SCREEN.rows
}

/** Keeps `cursor` in the window starting at `top` of `height` rows over `count` items; returns the new top. */
export function follow(cursor: number, top: number, height: number, count: number): number {
  let t = top
  if (cursor < t) t = cursor
  if (cursor >= t + height) t = cursor - height + 1
  return Math.max(0, Math.min(t, Math.max(0, count - height)))
}

export interface ListColumn {
  id: 'cost' | 'wasted' | 'steps' | 'flags' | 'started' | 'models' | 'format' | 'title'
  width: number
  align: 'left' | 'right'
}

/**
 * Columns of the traces list for a width: cost, wasted, steps and flags
 * always; then the title gets the rest, and the start date, models and format
 * are shown only while the title keeps at least 24 columns.
 */
export function listColumns(columns: number): ListColumn[] {
  const fixed: ListColumn[] = [
    {id: 'cost', width: 9, align: 'right'},
    {id: 'wasted', width: 9, align: 'right'},
    {id: 'steps', width: 6, align: 'right'},
    {id: 'flags', width: 7, align: 'right'},
  ]
  const optional: ListColumn[] = [
    {id: 'started', width: 10, align: 'left'},
    {id: 'models', width: 16, align: 'left'},
    {id: 'format', width: 12, align: 'left'},
  ]
  const used = (cols: ListColumn[]): number => 2 + cols.reduce((n, c) => n + c.width + 1, 0)
  const chosen = [...fixed]
  for (const col of optional) if (columns - used([...chosen, col]) >= 24) chosen.push(col)
  chosen.push({id: 'title', width: Math.max(8, columns - used(chosen)), align: 'left'})
  return chosen
}

export interface TimelineColumns {
  index: number
  kind: number
  name: number
  tokens: number
  cost: number
  bar: number
  flag: number
  decision: number
}

/** Columns of the timeline for a width; the name takes what the others leave. */
export function timelineColumns(columns: number): TimelineColumns {
  const wide = columns >= 100
  // Below 70 columns the row keeps what says most: the step, its cost, that it is flagged (⚑) and decided (✓ ✗);
  // the tokens and the bar give way (they had pushed the flag and the decision past the edge).
  const narrow = columns < 70
  const c = {
    index: 5,
    kind: 4,
    name: 0,
    tokens: narrow ? 0 : 6,
    cost: 8,
    // (Two cells fewer from 100 to 139 columns: the flag's dollars took them.)
    bar: columns >= 140 ? 10 : wide ? 8 : narrow ? 0 : 6,
    // From 140 columns, room for the longest detector's name and its dollars (`⚑ reread-unchanged $0.0234`); from 100,
    // for every other name with theirs (`⚑ near-duplicate $0.0052`), the longest one cut where its dollars need more
    // digits (`⚑ reread-unchan… $0.0052`); below, the name alone, and below 70 the mark alone.
    flag: columns >= 140 ? 28 : wide ? 24 : narrow ? 2 : 11,
    decision: wide ? 10 : narrow ? 3 : 8,
  }
  const gaps = 2 + 7
  c.name = Math.max(
    narrow ? 8 : 10,
    columns - gaps - c.index - c.kind - c.tokens - c.cost - c.bar - c.flag - c.decision,
  )
  return c
}
