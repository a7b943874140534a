/** The review's Ink components: key presses in, frames out (ink-testing-library). */
import chalk from 'chalk'
import {render} from 'ink-testing-library'
import {afterEach, beforeAll, describe, expect, it} from 'vitest'
import type {TraceCard} from '../../src/card/types.js'
import {frameHeight} from '../../src/review/layout.js'
import {tooSmallLines} from '../../src/review/lines/chrome.js'
import {frameLines} from '../../src/review/lines/frame.js'
import {lineText} from '../../src/review/lines/line.js'
import type {ReviewState} from '../../src/review/state/types.js'
import {paintFrame} from '../../src/review/screen.js'
import {ReviewApp} from '../../src/review/ui/app.js'
import {textWidth} from '../../src/util/width.js'
import {byId, fixtureCards, nestedCard, state, wideCard} from './fixtures.js'
import {COLOUR_SGR, KEY, plain, press, settle} from './ink.js'

let cards: TraceCard[]
const level = chalk.level
beforeAll(async () => {
  cards = await fixtureCards()
})
afterEach(() => {
  chalk.level = level
})

function app(initial: ReviewState, color = false) {
  const changes: ReviewState[] = []
  const loads: string[] = []
  const ui = render(
    <ReviewApp
      initial={initial}
      color={color}
      now={() => '2026-03-05T12:00:00.000Z'}
      load={id => {
        loads.push(id)
        return byId([...cards, nestedCard(), wideCard()], id)
      }}
      onChange={next => changes.push(next)}
    />,
  )
  const frame = (): string => plain(ui.lastFrame())
  const last = (): ReviewState => changes[changes.length - 1] ?? initial
  return {...ui, frame, changes, loads, last}
}

const lines = (frame: string): string[] => frame.split('\n')

describe('the review app', () => {
  it('draws the traces list in one frame of the terminal size: header, headings, rows, where decisions go, keys', async () => {
    const ui = app(state(cards))
    await settle()
    const frame = ui.frame()
    const rows = lines(frame)
    expect(rows).toHaveLength(frameHeight({columns: 100, rows: 30}))
    expect(rows[0]).toMatch(new RegExp(`^aco review · ${cards.length} traces · `))
    // the fixtures hold one call of an unpriced model: its cost is never shown as $0 (the waste's share
    // gives way for it at 100 columns)
    expect(rows[0]).toMatch(/ · \$[\d.]+ \+ 1 unpriced call · wasted \$[\d.]+ · decided 0\/\d+ flags · 0 decisions/)
    expect(rows[1]).toMatch(/cost▼ +wasted +steps +flags +started +models +title/)
    expect(rows[2]).toMatch(/^› /)
    expect(frame).toMatch(/Find where sessions are registered/)
    expect(rows[rows.length - 2]).toMatch(/decisions → \.\/aco-decisions\.json$/)
    expect(rows[rows.length - 1]).toMatch(/↑↓ move {2}⏎ open {2}c\/w\/d sort .*\? keys {2}q quit/)
    for (const row of rows) expect(row.length, row).toBeLessThanOrEqual(100)
    expect(ui.loads).toEqual([])
    ui.unmount()
  })

  it('goes from the list to a flagged step and decides: Enter, n, Enter, a, 4, Esc, u', async () => {
    const ui = app(state(cards))
    await press(ui.stdin, '/', ...'loop', KEY.enter, KEY.enter)
    expect(ui.loads).toEqual(['loop'])
    expect(ui.frame()).toMatch(/‹ Make the test pass · claude-code · 13 steps/)
    expect(ui.frame()).toMatch(/# kind model \/ tool +tokens +cost +flag +decision/)
    await press(ui.stdin, 'n')
    expect(ui.frame()).toMatch(/› +5 tool +Write src\/math\.ts.*⚑ loop \$0\.0042/)
    await press(ui.stdin, KEY.enter)
    let frame = ui.frame()
    expect(frame).toMatch(/Step +#5 tool · Write/)
    expect(frame).toMatch(/Arguments +\{/)
    expect(frame).toMatch(/"file_path": "\/home\/dev\/app\/src\/math\.ts"/)
    expect(frame).toMatch(/Flag +⚑ loop · confidence 0\.90 · \$[\d.]+ at stake/)
    // Where the dollars at stake come from, summing to them (the new user's trial 40).
    const at = /\$([\d.]+) at stake/.exec(frame)![1]!
    const m =
      /= <?\$([\d.]+) its share of the call that issued it \+ (?:<?\$([\d.]+) carrying its result onward|nothing)/.exec(
        frame,
      )!
    expect(Math.abs(Number(m[1]) + Number(m[2] ?? 0) - Number(at))).toBeLessThanOrEqual(0.00011)
    expect(frame).toMatch(/Evidence +› #1 tool Write/)
    expect(frame).toMatch(/Decision +prune undecided · no label/)
    await press(ui.stdin, 'a', '4')
    frame = ui.frame()
    expect(frame).toMatch(/Decision +✓ prune accepted · label wasted/)
    expect(frame).toMatch(/labelled wasted · saved/)
    expect(lines(frame)[0]).toMatch(/decided 1\/\d+ flags · 1 decision/)
    expect(ui.last().decisions.size).toBe(1)
    await press(ui.stdin, KEY.escape)
    expect(ui.frame()).toMatch(/› +5 tool +Write.*⚑ loop.*✓ wasted/)
    await press(ui.stdin, 'u')
    expect(ui.frame()).toMatch(/undid the label on #5/)
    expect(ui.frame()).toMatch(/› +5 tool +Write.*⚑ loop.*✓ *$/m)
    expect([...ui.last().decisions.values()].map(d => [d.prune, d.label])).toEqual([['accept', undefined]])
    ui.unmount()
  })

  it('names a flag by its detector, as every other screen does, and a tool output in (estimated) tokens', async () => {
    const ui = app(state(cards))
    await press(ui.stdin, '/', ...'parser bug', KEY.enter, KEY.enter)
    const frame = ui.frame()
    expect(frame).toMatch(/ tool +Grep .* ≈\d+ .*⚑ near-duplicate/)
    expect(frame).not.toMatch(/overlap|\dch /)
    ui.unmount()
  })

  it('follows evidence with Tab and Enter, and comes back with ←', async () => {
    const ui = app(state(cards))
    await press(ui.stdin, '/', ...'loop', KEY.enter, KEY.enter, 'n', KEY.enter, KEY.tab)
    expect(ui.frame()).toMatch(/› #3 tool Bash npx vitest run/)
    await press(ui.stdin, KEY.enter)
    expect(ui.frame()).toMatch(/Step +#3 tool · Bash/)
    expect(ui.frame()).toMatch(/\(1 back\)/)
    await press(ui.stdin, KEY.left)
    expect(ui.frame()).toMatch(/Step +#5 tool · Write/)
    ui.unmount()
  })

  it('unfolds a subagent under the Task call that started it', async () => {
    const ui = app(state(cards))
    await press(ui.stdin, '/', ...'sessions are registered', KEY.enter, KEY.enter)
    expect(ui.frame()).toMatch(/▸ subagent Explore · 5 steps/)
    await press(ui.stdin, KEY.down, KEY.down, KEY.right)
    expect(ui.frame()).toMatch(/› +▾ subagent Explore · 5 steps/)
    expect(ui.frame()).toMatch(/\n +0 llm {4}claude-haiku/)
    // A step of the subagent: its breadcrumb names the subagent's task (several of one type are told apart).
    await press(ui.stdin, KEY.down, KEY.enter)
    expect(ui.frame()).toMatch(/‹ [^\n]* › subagent Explore: Explore the code/)
    await press(ui.stdin, KEY.escape, KEY.up, KEY.left)
    expect(ui.frame()).toMatch(/▸ subagent Explore/)
    ui.unmount()
  })

  it('scrolls a step longer than the terminal to its end, and back one line at a time', async () => {
    const ui = app(state(cards, {screen: {columns: 100, rows: 12}}))
    await press(ui.stdin, '/', ...'loop', KEY.enter, KEY.enter, 'n', KEY.enter)
    let rows = lines(ui.frame())
    expect(rows[2]).toMatch(/^Step +#5 tool · Write/)
    expect(rows[rows.length - 3]).toMatch(/↓ \d+ more lines \(↓ scrolls\)/)
    await press(ui.stdin, 'G')
    rows = lines(ui.frame())
    expect(rows[rows.length - 3]).toMatch(/u undo$/)
    expect(ui.frame()).toMatch(/Decision +prune undecided/)
    await press(ui.stdin, 'k')
    rows = lines(ui.frame())
    expect(rows[rows.length - 3]).toMatch(/↓ 2 more lines \(↓ scrolls\)/)
    ui.unmount()
  })

  it('takes keys that arrive together (typed while loading, or pasted) one by one', async () => {
    const ui = app(state(cards))
    await press(ui.stdin, '/loop\r\rn\r')
    expect(ui.frame()).toMatch(/Step +#5 tool · Write/)
    ui.unmount()
  })

  it('ends the review at a Ctrl-C among keys that arrive together, the keys before it decided (trial 88)', async () => {
    const ui = app(state(cards))
    await press(ui.stdin, '/loop\r\rn\ra\u0003j')
    const last = ui.last()
    expect(last.quit).toBe(true)
    expect([...last.decisions.values()].map(d => d.prune)).toEqual(['accept'])
    ui.unmount()
  })

  it('shows the keys on ?, and the model picker on m', async () => {
    const ui = app(state(cards))
    await press(ui.stdin, '?')
    expect(ui.frame()).toMatch(/Decide \(in a trace or a step; \* marks aco label --auto's labels\)/)
    expect(ui.frame()).toMatch(/1 2 3 4 +fine · needs stronger model · cheaper model ok · wasted/)
    expect(ui.frame()).toMatch(/saved to \.\/aco-decisions\.json as you make them/)
    await press(ui.stdin, 'x', 'm')
    expect(ui.frame()).toMatch(/Show only the traces of one model/)
    expect(ui.frame()).toMatch(new RegExp(`› all models +${cards.length} traces`))
    await press(ui.stdin, KEY.down, KEY.enter)
    expect(lines(ui.frame())[0]).toMatch(new RegExp(`aco review · \\d+ of ${cards.length} traces`))
    // The model's whole name, as the picker lists it (a dated model and its alias are two filters).
    expect(ui.frame()).toContain(`filter: model ${ui.last().list.model}`)
    ui.unmount()
  })

  it('renders only the visible window of a 10,000-trace list', async () => {
    const base = nestedCard()
    const many = Array.from({length: 10_000}, (_, i) => ({
      ...base,
      id: `t${String(i).padStart(5, '0')}`,
      title: `trace number ${i}`,
      totals: {...base.totals, costUsd: 10_000 - i},
    }))
    const ui = app(state(many))
    await settle()
    let rows = lines(ui.frame())
    expect(rows).toHaveLength(frameHeight({columns: 100, rows: 30}))
    expect(rows.filter(r => /trace number/.test(r))).toHaveLength(25)
    await press(ui.stdin, 'G')
    rows = lines(ui.frame())
    expect(rows[rows.length - 3]).toMatch(/^› .*trace number 9999$/)
    expect(rows.filter(r => /trace number/.test(r))).toHaveLength(25)
    ui.unmount()
  })

  it('fits 80×24 after a resize: narrower columns, no line wider than the terminal', async () => {
    const ui = app(state(cards))
    await settle()
    expect(lines(ui.frame())[1]).toMatch(/models/)
    Object.defineProperty(ui.stdout, 'columns', {value: 80, configurable: true})
    Object.assign(ui.stdout, {rows: 24})
    ui.stdout.emit('resize')
    await settle()
    const check = (): void => {
      const rows = lines(ui.frame())
      expect(rows.length).toBeLessThanOrEqual(23)
      for (const row of rows) expect(row.length, row).toBeLessThanOrEqual(80)
    }
    check()
    expect(lines(ui.frame())[1]).not.toMatch(/models/)
    await press(ui.stdin, '/', ...'loop', KEY.enter, KEY.enter)
    check()
    await press(ui.stdin, 'n', KEY.enter)
    check()
    expect(ui.frame()).toMatch(/Flag +⚑ loop/)
    await press(ui.stdin, '?')
    check()
    // Every key is on the help screen, even at 80×24.
    expect(ui.frame()).toMatch(/Anywhere\n +esc ← {2}\? {2}q +back/)
    expect(ui.frame()).toMatch(/saved to \.\/aco-decisions\.json/)
    ui.unmount()
  })

  it('uses no colour without it (NO_COLOR), and colour with it; bold and inverse either way', async () => {
    chalk.level = 3
    const mono = app(state(cards), false)
    await press(mono.stdin, '/', ...'loop', KEY.enter, KEY.enter, 'n', 'a')
    expect(mono.lastFrame()).toMatch(/\u001b\[7m/)
    expect(mono.lastFrame()).not.toMatch(COLOUR_SGR)
    mono.unmount()
    const colour = app(state(cards), true)
    await press(colour.stdin, '/', ...'loop', KEY.enter, KEY.enter, 'n', 'a')
    expect(colour.lastFrame()).toMatch(COLOUR_SGR)
    colour.unmount()
  })

  it('the first paint (before Ink loads) has the same text as Ink’s first frame', async () => {
    const initial = state(cards)
    const ui = app(initial)
    await settle()
    const painted = plain(paintFrame(frameLines(initial), false)).split('\r\n')
    expect(painted.map(l => l.trimEnd())).toEqual(lines(ui.frame()).map(l => l.trimEnd()))
    expect(frameLines(initial).map(lineText)).toHaveLength(frameHeight(initial.screen))
    ui.unmount()
  })

  it('a terminal too small for the review: the message wrapped over its rows, whole (trial 123: "needs at least 40×…")', () => {
    const text = tooSmallLines(state(cards, {screen: {columns: 30, rows: 8}})).map(lineText)
    for (const row of text) expect(textWidth(row)).toBeLessThanOrEqual(30)
    expect(text.map(r => r.trim()).join(' ')).toBe('aco review needs at least 40×10 (this terminal is 30×8); q quits')
  })

  it('fits Chinese and emoji to the columns they take: no row runs past the terminal, the columns stay aligned', async () => {
    const all = [...cards, wideCard()]
    const fits = (rows: readonly string[], columns: number): void => {
      for (const row of rows) expect(textWidth(row), row).toBeLessThanOrEqual(columns)
    }
    // Every screen, as the first paint and Ink draw it, at two sizes.
    for (const screen of [
      {columns: 100, rows: 30},
      {columns: 80, rows: 24},
    ]) {
      const ui = app(state(all, {screen}))
      Object.defineProperty(ui.stdout, 'columns', {value: screen.columns, configurable: true})
      ui.stdout.emit('resize')
      const shown: string[][] = []
      const look = (): void => {
        shown.push(lines(ui.frame()))
        shown.push(frameLines(ui.last()).map(lineText))
      }
      await press(ui.stdin, '/', ...'wide', KEY.enter)
      look()
      expect(ui.frame()).toMatch(/› .*修复登录页面.*…$/m)
      await press(ui.stdin, KEY.enter)
      look()
      expect(ui.frame()).toMatch(/‹ 修复登录页面.*· codex · 4 steps/)
      await press(ui.stdin, 'n', KEY.enter)
      look()
      expect(ui.frame()).toMatch(/Flag +⚑ duplicate-call/)
      expect(ui.frame()).toMatch(/再次运行了同一个命令/)
      await press(ui.stdin, '[', '[', '[')
      look()
      expect(ui.frame()).toMatch(/Said +我先看看登录页面/)
      await press(ui.stdin, KEY.escape, '?')
      look()
      for (const rows of shown) fits(rows, screen.columns)
      // A step with a wide command keeps its flag under the column's heading.
      await press(ui.stdin, 'x')
      const rows = lines(ui.frame())
      const column = (row: string, mark: string): number => textWidth(row.slice(0, row.indexOf(mark)))
      const heading = rows.find(r => /# kind model \/ tool/.test(r))!
      const wide = rows.find(r => /^ +3 tool +Bash echo "检查/.test(r))!
      expect(wide).toMatch(/⚑ dup/)
      expect(column(wide, '⚑')).toBe(column(heading, 'flag'))
      ui.unmount()
    }
  })
})

describe('the traces list of calls whose input the log does not record', () => {
  it('marks the cost ≥ (their output alone is counted) and says nothing of the rest (the new user’s trial)', async () => {
    const {analyze} = await import('../../src/analyze/analyze.js')
    const {tmpdir} = await import('node:os')
    const {fixture} = await import('../helpers.js')
    const run = await analyze({
      paths: [fixture('copilot-cli'), fixture('waste')],
      home: tmpdir(),
      env: {},
      keepCards: true,
      threads: 1,
    })
    const shown = frameLines(state(run.cards.filter(c => !c.parent))).map(lineText)
    const copilot = shown.find(l => /The server ignores PORT/.test(l))
    expect(copilot).toMatch(/^. +≥\$0\.09 /)
    expect(shown.filter(l => l.includes('≥$'))).toHaveLength(1)
  })
})
