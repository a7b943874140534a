/** The review's state as a pure reducer: navigation, sorting, filters, folding, decisions, undo, resume. */
import {beforeAll, describe, expect, it} from 'vitest'
import type {TraceCard} from '../../src/card/types.js'
import {validator} from '../../src/util/schemas.js'
import {decisionKey, type DecisionsFile} from '../../src/review/decisions.js'
import {keyToIntent, type KeyPress} from '../../src/review/keys.js'
import {bodyHeight, listHeight, timelineHeight} from '../../src/review/layout.js'
import {currentStep} from '../../src/review/state/decide.js'
import {NO_MODEL, selectedRow} from '../../src/review/state/list.js'
import {reduce} from '../../src/review/state/reduce.js'
import {cursorOf, decisionsDocument, worthSaving} from '../../src/review/state/saved.js'
import type {Action, ReviewState} from '../../src/review/state/types.js'
import {byId, fixtureCards, nestedCard, rowsOf, state} from './fixtures.js'
import {headerLine} from '../../src/review/lines/chrome.js'
import {frameLines} from '../../src/review/lines/frame.js'
import {helpScroll} from '../../src/review/help-keys.js'
import {stepDetailLines} from '../../src/review/lines/step.js'
import {lineText} from '../../src/review/lines/line.js'

const AT = '2026-03-05T12:00:00.000Z'
const run = (s: ReviewState, ...actions: Action[]): ReviewState => actions.reduce(reduce, s)
/** Presses keys through the same key map the app uses. */
const keys = (s: ReviewState, cards: readonly TraceCard[], ...presses: Array<string | KeyPress>): ReviewState => {
  let next = s
  for (const p of presses) {
    const intent = typeof p === 'string' ? keyToIntent(next, p, {}, () => AT) : keyToIntent(next, '', p, () => AT)
    if (!intent) continue
    next =
      intent.type === 'load'
        ? reduce(next, {type: 'openTrace', card: byId(cards, intent.rootId)})
        : reduce(next, intent)
  }
  return next
}
const ids = (s: ReviewState): string[] => s.list.order.map(i => s.rows[i]!.id)
const cursorStep = (s: ReviewState): string | undefined => currentStep(s)?.step.id

let cards: TraceCard[]
beforeAll(async () => {
  cards = await fixtureCards()
})

describe('the traces list', () => {
  it('opens sorted by cost, most expensive first, with totals of what is shown', () => {
    const s = state(cards)
    const costs = s.list.order.map(i => s.rows[i]!.costUsd)
    expect(costs).toEqual([...costs].sort((a, b) => b - a))
    expect(s.list.totals.traces).toBe(cards.length)
    expect(s.list.totals.costUsd).toBeCloseTo(
      s.rows.reduce((n, r) => n + r.costUsd, 0),
      12,
    )
    expect(s.flags).toBe(s.rows.reduce((n, r) => n + r.flags, 0))
    expect(s.flags).toBeGreaterThan(10)
  })

  it('sorts by waste and by date; the same key again reverses; the selected trace stays selected', () => {
    let s = run(state(cards), {type: 'move', by: 'down'}, {type: 'move', by: 'down'})
    const selected = selectedRow(s)!.id
    s = reduce(s, {type: 'sort', key: 'waste'})
    const wastes = s.list.order.map(i => s.rows[i]!.wastedUsd)
    expect(wastes).toEqual([...wastes].sort((a, b) => b - a))
    expect(selectedRow(s)!.id).toBe(selected)
    s = reduce(s, {type: 'sort', key: 'waste'})
    expect(s.list.descending).toBe(false)
    expect(s.list.order.map(i => s.rows[i]!.wastedUsd)).toEqual([...wastes].sort((a, b) => a - b))
    s = reduce(s, {type: 'sort', key: 'date'})
    expect(s.list.descending).toBe(true)
    const dates = s.list.order.map(i => s.rows[i]!.startedAt ?? '')
    expect(dates).toEqual([...dates].sort().reverse())
  })

  it('filters by text as it is typed, keeps it on Enter, restores it on Esc', () => {
    let s = keys(state(cards), cards, '/', 'l', 'o', 'o', 'p')
    expect(s.overlay).toMatchObject({kind: 'filter', draft: 'loop'})
    expect(ids(s)).toEqual(['loop'])
    expect(s.list.totals.traces).toBe(1)
    s = keys(s, cards, {backspace: true})
    expect(s.list.text).toBe('loo')
    // Backspace takes one character as a person sees it: an emoji whole, not half of its surrogate pair.
    for (const emoji of ['🚀', '🇯🇵', '👨‍👩‍👧‍👦']) {
      const typed = keys(s, cards, emoji)
      expect(keys(typed, cards, {backspace: true}).list.text).toBe('loo')
    }
    s = keys(s, cards, {return: true})
    expect(s.overlay).toBeUndefined()
    expect(s.list.text).toBe('loo')
    // Another search, abandoned with Esc: the one before comes back.
    s = keys(s, cards, '/', 'x', 'y', 'z')
    expect(ids(s)).toEqual([])
    s = keys(s, cards, {escape: true})
    expect(s.list.text).toBe('loo')
    expect(ids(s)).toContain('loop')
    // Every word must match, anywhere in id, title, path or models.
    s = keys(state(cards), cards, '/', 'test pass')
    expect(ids(s)).toEqual(['loop'])
    // Esc in the list clears every filter.
    s = keys(s, cards, {return: true}, {escape: true})
    expect(s.list.totals.traces).toBe(cards.length)
  })

  it('filters by model and by format from a picker; "all" lifts the filter', () => {
    let s = keys(state(cards), cards, 'm')
    expect(s.overlay?.kind).toBe('picker')
    const picker = s.overlay as Extract<ReviewState['overlay'], {kind: 'picker'}>
    expect(picker.items[0]!.value).toBeUndefined()
    const opus = picker.items.findIndex(i => i.value === 'claude-opus-4-6')
    expect(opus).toBeGreaterThan(0)
    for (let i = 0; i < opus; i++) s = keys(s, cards, 'j')
    s = keys(s, cards, {return: true})
    expect(s.list.model).toBe('claude-opus-4-6')
    expect(ids(s)).toContain('sess-parent-0004')
    expect(ids(s).length).toBeLessThan(cards.length)
    // every trace listed used the model (itself or in a subagent)
    const uses = (c: TraceCard): boolean => c.models.includes('claude-opus-4-6') || c.children.some(uses)
    for (const id of ids(s)) expect(uses(cards.find(c => c.id === id)!)).toBe(true)
    s = keys(s, cards, 'm', 'g', {return: true})
    expect(s.list.model).toBeUndefined()
    expect(s.list.totals.traces).toBe(cards.length)
    s = keys(s, cards, 'f')
    const formats = (s.overlay as Extract<ReviewState['overlay'], {kind: 'picker'}>).items.map(i => i.value)
    expect(formats).toEqual([undefined, 'claude-code'])
    s = keys(s, cards, {escape: true})
    expect(s.overlay).toBeUndefined()
  })

  it('lists the traces that name no model under one item of the model picker, so its rows add up to all traces', () => {
    const bare = {...structuredClone(byId(cards, 'loop')), id: 'no-model', models: [] as string[]}
    for (const st of bare.steps) delete st.model
    const all = [...cards, bare]
    let s = keys(state(all), all, 'm')
    const items = (s.overlay as Extract<ReviewState['overlay'], {kind: 'picker'}>).items
    const none = items.findIndex(i => i.value === NO_MODEL)
    expect(none).toBeGreaterThan(0)
    expect(items[none]!.traces).toBe(1)
    for (let i = 0; i < none; i++) s = keys(s, all, 'j')
    s = keys(s, all, {return: true})
    expect(s.list.model).toBe(NO_MODEL)
    expect(ids(s)).toEqual(['no-model'])
  })

  it('prices each model in the picker by its own calls, over the traces the other filters show', () => {
    type Picker = Extract<ReviewState['overlay'], {kind: 'picker'}>
    const own = new Map<string, number>()
    const walk = (c: TraceCard): void => {
      for (const st of c.steps)
        if (st.kind === 'llm' && st.model && st.cost?.usd != null)
          own.set(st.model, (own.get(st.model) ?? 0) + st.cost.usd)
      c.children.forEach(walk)
    }
    cards.forEach(walk)
    // The fixtures hold a trace of two models: its cost is split between them, not counted whole for each.
    expect(state(cards).rows.some(r => r.models.length > 1)).toBe(true)
    const items = (keys(state(cards), cards, 'm').overlay as Picker).items
    for (const item of items.slice(1)) expect(item.costUsd).toBeCloseTo(own.get(item.value!) ?? 0, 9)
    expect(items.slice(1).reduce((n, i) => n + i.costUsd, 0)).toBeCloseTo(items[0]!.costUsd, 9)
    // A text filter in force: the picker counts only the traces it shows.
    let s = keys(state(cards), cards, '/', ...'parent-0004', {return: true})
    const shown = s.list.totals.traces
    expect(shown).toBeLessThan(cards.length)
    s = keys(s, cards, 'm')
    const picker = s.overlay as Picker
    expect(picker.items[0]!.traces).toBe(shown)
    for (const item of picker.items.slice(1)) expect(item.traces).toBeLessThanOrEqual(shown)
  })

  it("counts no unpriced call of a step that names no model as a model's own (trial 88: OpenHands' message actions)", () => {
    type Picker = Extract<ReviewState['overlay'], {kind: 'picker'}>
    const one = structuredClone(byId(cards, 'loop'))
    const model = one.steps.find(st => st.kind === 'llm' && st.model)!.model!
    expect(one.models).toEqual([model])
    // An LLM step of no model, unpriced, beside the model's priced ones.
    const bare = structuredClone(one.steps.find(st => st.kind === 'llm')!)
    delete bare.model
    bare.id = 'no-model-call'
    bare.cost = {usd: null, source: 'unpriced'}
    one.steps.push(bare)
    one.totals = {...one.totals, unpricedCalls: one.totals.unpricedCalls + 1}
    const items = (keys(state([one]), [one], 'm').overlay as Picker).items
    expect(items[0]!.unpricedCalls).toBe(1)
    expect(items.find(i => i.value === model)!.unpricedCalls).toBe(0)
  })

  it('moves, pages and scrolls so the cursor stays in the window', () => {
    const many = Array.from({length: 200}, (_, i) => ({
      ...nestedCard(),
      id: `t${i}`,
      totals: {...nestedCard().totals, costUsd: i},
    }))
    let s = state(many, {screen: {columns: 100, rows: 30}})
    const h = listHeight(s.screen)
    s = run(s, {type: 'move', by: 'up'})
    expect(s.list.cursor).toBe(0)
    s = run(s, {type: 'move', by: 'pageDown'}, {type: 'move', by: 'pageDown'})
    expect(s.list.cursor).toBe(2 * h)
    expect(s.list.cursor).toBeGreaterThanOrEqual(s.list.top)
    expect(s.list.cursor).toBeLessThan(s.list.top + h)
    s = run(s, {type: 'move', by: 'end'})
    expect(s.list.cursor).toBe(199)
    expect(s.list.top).toBe(200 - h)
    s = run(s, {type: 'move', by: 'home'})
    expect([s.list.cursor, s.list.top]).toEqual([0, 0])
    // A smaller terminal: the window follows the cursor.
    s = run(s, {type: 'move', by: 'end'}, {type: 'resize', columns: 80, rows: 24})
    expect(s.list.top).toBe(200 - listHeight(s.screen))
  })
})

describe('a trace', () => {
  it('opens on Enter with its steps as lines, and goes back to the list on the same trace', () => {
    let s = keys(state(cards), cards, '/', 'loop', {return: true}, {return: true})
    expect(s.view).toBe('trace')
    expect(s.trace!.lines).toHaveLength(byId(cards, 'loop').steps.length)
    s = keys(s, cards, {leftArrow: true})
    expect(s.view).toBe('traces')
    expect(selectedRow(s)!.id).toBe('loop')
  })

  it('opens again where it was left: the same step, the subagents it had unfolded (trial 113)', () => {
    const loop = byId(cards, 'loop')
    let s = run(state(cards), {type: 'openTrace', card: loop}, {type: 'nextFlag', dir: 1}, {type: 'nextFlag', dir: 1})
    const at = cursorStep(s)
    expect(s.trace!.cursor).toBeGreaterThan(0)
    s = run(s, {type: 'back'}, {type: 'openTrace', card: byId(cards, 'sess-split-0001')})
    expect(s.trace!.cursor).toBe(0)
    s = run(s, {type: 'back'}, {type: 'openTrace', card: loop})
    expect(cursorStep(s)).toBe(at)
    // Opened on a step asked for (evidence, a search), it opens there.
    const first = loop.steps.find(x => x.flags?.length)!
    s = run(s, {type: 'back'}, {type: 'openTrace', card: loop, focus: {traceId: 'loop', stepId: first.id}})
    expect(cursorStep(s)).toBe(first.id)
    const parent = byId(cards, 'sess-parent-0004')
    s = run(s, {type: 'back'}, {type: 'openTrace', card: parent})
    const child = s.trace!.lines.findIndex(l => l.kind === 'child')
    for (let i = 0; i < child; i++) s = run(s, {type: 'move', by: 'down'})
    s = run(s, {type: 'unfold'})
    const unfolded = s.trace!.expanded.size
    expect(unfolded).toBe(1)
    s = run(s, {type: 'back'}, {type: 'openTrace', card: parent})
    expect(s.trace!.expanded.size).toBe(unfolded)
  })

  it('n and N jump to the next and previous flagged steps, wrapping around', () => {
    const loop = byId(cards, 'loop')
    const flagged = loop.steps.filter(x => x.flags?.length).map(x => x.id)
    let s = run(state(cards), {type: 'openTrace', card: loop})
    const seen: string[] = []
    for (let i = 0; i < flagged.length + 1; i++) {
      s = run(s, {type: 'nextFlag', dir: 1})
      seen.push(cursorStep(s)!)
    }
    expect(seen).toEqual([...flagged, flagged[0]])
    s = run(s, {type: 'nextFlag', dir: -1})
    expect(cursorStep(s)).toBe(flagged[flagged.length - 1])
    const plain = run(
      state(cards),
      {type: 'openTrace', card: byId(cards, 'sess-split-0001')},
      {type: 'nextFlag', dir: 1},
    )
    expect(plain.message?.text).toMatch(/no step of this trace is flagged/)
  })

  it('folds subagents under the step that started them; unfolds on Enter or →, folds on ←', () => {
    const card = byId(cards, 'sess-parent-0004')
    let s = run(state(cards), {type: 'openTrace', card})
    const at = s.trace!.lines.findIndex(l => l.kind === 'child')
    const taskLine = s.trace!.lines[at - 1]!
    expect(taskLine.kind === 'step' && taskLine.key).toBe(decisionKey('sess-parent-0004', 'toolu_task_1'))
    expect(s.trace!.lines).toHaveLength(card.steps.length + 1)
    for (let i = 0; i < at; i++) s = run(s, {type: 'move', by: 'down'})
    s = run(s, {type: 'enter'})
    const child = card.children[0]!
    expect(s.trace!.lines).toHaveLength(card.steps.length + 1 + child.steps.length)
    expect(s.trace!.lines[at + 1]).toMatchObject({kind: 'step', depth: 1})
    s = run(s, {type: 'left'})
    expect(s.trace!.lines).toHaveLength(card.steps.length + 1)
    expect(s.view).toBe('trace')
    s = run(s, {type: 'unfold'})
    expect(s.trace!.lines).toHaveLength(card.steps.length + 1 + child.steps.length)
    // ← on a step inside the subagent folds it, the cursor on its heading, as a tree of folders does (trial 123 was
    // back in the list of traces); ← again, on the folded heading, goes back to the list.
    s = run(s, {type: 'move', by: 'down'}, {type: 'move', by: 'down'})
    expect(s.trace!.lines[s.trace!.cursor]).toMatchObject({kind: 'step', depth: 1})
    s = run(s, {type: 'left'})
    expect(s.view).toBe('trace')
    expect(s.trace!.lines).toHaveLength(card.steps.length + 1)
    expect(s.trace!.cursor).toBe(at)
    s = run(s, {type: 'left'})
    expect(s.view).toBe('traces')
    // ← on a line of the trace itself, not in a subagent, goes back to the list.
    s = run(s, {type: 'openTrace', card}, {type: 'left'})
    expect(s.view).toBe('traces')
  })

  it('jumping to a flagged step inside a folded subagent unfolds it; a subagent no step claims comes last', () => {
    const card = nestedCard()
    let s = run(state([card]), {type: 'openTrace', card})
    expect(s.trace!.lines.map(l => (l.kind === 'child' ? `[${l.traceId}]` : l.key.split('\u0000')[1]))).toEqual([
      'r0',
      't1',
      '[root/agent-1]',
      'r2',
      '[root/agent-2]',
    ])
    s = run(s, {type: 'nextFlag', dir: 1})
    expect(cursorStep(s)).toBe('c3')
    expect(s.trace!.expanded.has('root/agent-1')).toBe(true)
    expect(currentStep(s)!.card.id).toBe('root/agent-1')
  })

  it('keeps the cursor in the window of a long timeline', () => {
    const card = byId(cards, 'dup')
    const s = run(state(cards, {screen: {columns: 80, rows: 12}}), {type: 'openTrace', card}, {type: 'move', by: 'end'})
    const h = timelineHeight(s.screen)
    expect(s.trace!.cursor).toBe(card.steps.length - 1)
    expect(s.trace!.top).toBe(card.steps.length - h)
  })
})

describe('a step', () => {
  it('opens from the timeline; Tab and Enter follow the evidence; Esc comes back the same way', () => {
    const loop = byId(cards, 'loop')
    let s = run(state(cards), {type: 'openTrace', card: loop}, {type: 'nextFlag', dir: 1}, {type: 'enter'})
    expect(s.view).toBe('step')
    const flagged = s.step!.key
    const evidence = loop.steps.find(x => x.id === cursorStep(s))!.flags![0]!.evidence
    expect(evidence.length).toBe(2)
    s = run(s, {type: 'evidence', dir: 1}, {type: 'enter'})
    expect(s.step!.key).toBe(decisionKey('loop', evidence[1]!))
    expect(s.step!.back).toEqual([flagged])
    s = run(s, {type: 'back'})
    expect(s.step!.key).toBe(flagged)
    s = run(s, {type: 'back'})
    expect(s.view).toBe('trace')
    expect(s.trace!.lines[s.trace!.cursor]).toMatchObject({kind: 'step', key: flagged})
  })

  it('[ and ] step through every step; n moves to the next flagged one', () => {
    const loop = byId(cards, 'loop')
    let s = run(state(cards), {type: 'openTrace', card: loop}, {type: 'enter'})
    expect(cursorStep(s)).toBe(loop.steps[0]!.id)
    s = run(s, {type: 'nextStep', dir: 1}, {type: 'nextStep', dir: 1})
    expect(cursorStep(s)).toBe(loop.steps[2]!.id)
    s = run(s, {type: 'nextStep', dir: -1}, {type: 'nextStep', dir: -1}, {type: 'nextStep', dir: -1})
    expect(s.message?.text).toMatch(/first step/)
    s = run(s, {type: 'nextFlag', dir: 1})
    expect(s.view).toBe('step')
    expect(loop.steps.find(x => x.id === cursorStep(s))!.flags).toBeDefined()
  })

  it('scrolls within the length measured where the step is drawn; another width is measured again', () => {
    const loop = byId(cards, 'loop')
    let s = run(state(cards), {type: 'openTrace', card: loop}, {type: 'nextFlag', dir: 1}, {type: 'enter'})
    const key = s.step!.key
    const body = bodyHeight(s.screen)
    // Not measured yet: the reducer draws nothing, so it does not scroll.
    expect(s.step!.length).toBeUndefined()
    expect(run(s, {type: 'move', by: 'end'}).step!.scroll).toBe(0)
    // A measure of another width, or of another step, is not this view's.
    expect(reduce(s, {type: 'measured', key, columns: 80, length: body + 10})).toBe(s)
    expect(reduce(s, {type: 'measured', key: 'other', columns: 100, length: body + 10})).toBe(s)
    s = reduce(s, {type: 'measured', key, columns: 100, length: body + 10})
    s = run(s, {type: 'move', by: 'end'})
    expect(s.step!.scroll).toBe(10)
    s = run(s, {type: 'move', by: 'pageDown'}, {type: 'move', by: 'up'})
    expect(s.step!.scroll).toBe(9)
    // Taller: the scroll stays inside the view; narrower: measured again, and kept inside what it measures.
    s = reduce(s, {type: 'resize', columns: 100, rows: 36})
    expect(s.step!.scroll).toBe(4)
    s = reduce(s, {type: 'resize', columns: 80, rows: 36})
    expect(s.step!.length).toBeUndefined()
    s = reduce(s, {type: 'measured', key, columns: 80, length: bodyHeight(s.screen) + 2})
    expect(s.step!.scroll).toBe(2)
    // The next step opens at its top, not measured.
    s = run(s, {type: 'nextStep', dir: 1})
    expect(s.step!.key).not.toBe(key)
    expect(s.step!.scroll).toBe(0)
    expect(s.step!.length).toBeUndefined()
  })

  it('a measure leaves the message up (it is not a key)', () => {
    let s = run(state(cards), {type: 'openTrace', card: byId(cards, 'loop')}, {type: 'enter'})
    s = reduce(s, {type: 'nextStep', dir: -1})
    expect(s.message?.text).toMatch(/first step/)
    s = reduce(s, {type: 'measured', key: s.step!.key, columns: 100, length: 40})
    expect(s.step!.length).toBe(40)
    expect(s.message?.text).toMatch(/first step/)
  })
})

describe('decisions', () => {
  const openLoopAtFlag = (): ReviewState =>
    run(state(cards), {type: 'openTrace', card: byId(cards, 'loop')}, {type: 'nextFlag', dir: 1})

  it('accepts a prune suggestion with what the file needs of the step; the same key again clears it', () => {
    let s = run(openLoopAtFlag(), {type: 'decide', change: {prune: 'accept'}, at: AT})
    const ref = currentStep(s)!
    const decision = s.decisions.get(ref.key)!
    expect(decision).toMatchObject({
      traceId: 'loop',
      rootTraceId: 'loop',
      stepId: ref.step.id,
      stepIndex: ref.step.index,
      kind: 'tool',
      tool: ref.step.tool!.name,
      flagKind: 'loop',
      prune: 'accept',
      by: 'review',
      at: AT,
    })
    expect(decision.wastedUsd).toBeCloseTo(ref.step.flags![0]!.wastedUsd, 12)
    expect(s.message).toMatchObject({tone: 'ok', text: expect.stringMatching(/accepted the prune · saved/)})
    expect(s.decidedByRoot.get('loop')).toBe(1)
    s = run(s, {type: 'decide', change: {prune: 'reject'}, at: AT})
    expect(s.decisions.get(ref.key)!.prune).toBe('reject')
    s = run(s, {type: 'decide', change: {prune: 'reject'}, at: AT})
    expect(s.decisions.has(ref.key)).toBe(false)
  })

  it('labels any step, keeps prune and label side by side, and refuses a prune where nothing is flagged', () => {
    let s = run(
      openLoopAtFlag(),
      {type: 'decide', change: {prune: 'accept'}, at: AT},
      {type: 'decide', change: {label: 'wasted'}, at: AT},
    )
    const key = currentStep(s)!.key
    expect(s.decisions.get(key)).toMatchObject({prune: 'accept', label: 'wasted'})
    s = run(s, {type: 'decide', change: {label: 'fine'}, at: AT})
    expect(s.decisions.get(key)!.label).toBe('fine')
    // A model label on this tool call, which runs no model: refused, pointing at the call that issued it (trial 33).
    const step = currentStep(s)!.step
    expect(step.kind).toBe('tool')
    s = run(s, {type: 'decide', change: {label: 'cheaper-model-ok'}, at: AT})
    expect(s.decisions.get(key)!.label).toBe('fine')
    expect(s.message).toMatchObject({
      tone: 'warn',
      text: expect.stringMatching(
        /is a tool call, which runs no model: label the LLM call that issued it \(#\d+\) with 2 or 3/,
      ),
    })
    // the LLM call before it: not flagged.
    s = run(s, {type: 'move', by: 'up'})
    const before = s.decisions.size
    s = run(s, {type: 'decide', change: {prune: 'accept'}, at: AT})
    expect(s.decisions.size).toBe(before)
    expect(s.message).toMatchObject({tone: 'warn', text: expect.stringMatching(/no prune suggestion/)})
    s = run(s, {type: 'decide', change: {label: 'cheaper-model-ok'}, at: AT})
    expect(s.decisions.get(currentStep(s)!.key)).toMatchObject({
      kind: 'llm',
      label: 'cheaper-model-ok',
      model: expect.any(String),
      costUsd: expect.any(Number),
    })
    expect(s.decisions.get(currentStep(s)!.key)!.prune).toBeUndefined()
    // In the list there is no step to decide on.
    const list = run(state(cards), {type: 'decide', change: {label: 'fine'}, at: AT})
    expect(list.decisions.size).toBe(0)
    expect(list.message?.text).toMatch(/open a trace/)
  })

  it('undoes the decisions of this session one by one, moving to the step each was about', () => {
    let s = run(openLoopAtFlag(), {type: 'decide', change: {prune: 'accept'}, at: AT})
    const first = currentStep(s)!.key
    s = run(
      s,
      {type: 'nextFlag', dir: 1},
      {type: 'decide', change: {label: 'wasted'}, at: AT},
      {type: 'decide', change: {label: 'fine'}, at: AT},
    )
    const second = currentStep(s)!.key
    s = run(s, {type: 'move', by: 'home'}, {type: 'undo'})
    expect(s.decisions.get(second)!.label).toBe('wasted')
    expect(currentStep(s)!.key).toBe(second)
    expect(s.message?.text).toMatch(/undid the label/)
    s = run(s, {type: 'undo'}, {type: 'undo'})
    expect(s.decisions.size).toBe(0)
    expect(currentStep(s)!.key).toBe(first)
    s = run(s, {type: 'undo'})
    expect(s.message?.text).toMatch(/nothing to undo/)
    expect(s.decisions.size).toBe(0)
  })

  it('writes a document that matches schemas/decisions.schema.json, with the cursor to resume at', () => {
    const s = run(openLoopAtFlag(), {type: 'decide', change: {prune: 'accept'}, at: AT}, {type: 'enter'})
    const doc = decisionsDocument(s, {cards: '/cards/cards.ndjson'}, AT)
    const validate = validator('decisions')
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true)
    expect(doc.cursor).toMatchObject({
      view: 'step',
      rootTraceId: 'loop',
      traceId: 'loop',
      stepId: cursorStep(s),
      sort: 'cost',
      descending: true,
    })
    expect(doc.decisions).toHaveLength(1)
  })

  it('is saved on a decision or a move to another trace or step, not on every cursor move', () => {
    const s0 = openLoopAtFlag()
    expect(worthSaving(s0, run(s0, {type: 'move', by: 'down'}))).toBe(false)
    expect(worthSaving(s0, run(s0, {type: 'decide', change: {label: 'fine'}, at: AT}))).toBe(true)
    expect(worthSaving(s0, run(s0, {type: 'enter'}))).toBe(true)
    expect(worthSaving(s0, run(s0, {type: 'quit'}))).toBe(true)
  })
})

describe('reopening', () => {
  it('resumes at the step, sort and filter the file recorded, with its decisions', () => {
    const loop = byId(cards, 'loop')
    let s = run(
      state(cards),
      {type: 'sort', key: 'waste'},
      {type: 'openTrace', card: loop},
      {type: 'nextFlag', dir: 1},
      {type: 'nextFlag', dir: 1},
    )
    s = run(s, {type: 'decide', change: {prune: 'reject'}, at: AT}, {type: 'enter'})
    const file = JSON.parse(JSON.stringify(decisionsDocument(s, {cards: 'x'}, AT))) as DecisionsFile
    const resumed = state(cards, {file, card: loop})
    expect(resumed.view).toBe('step')
    expect(resumed.step!.key).toBe(s.step!.key)
    expect(resumed.list.sort).toBe('waste')
    expect(selectedRow(resumed)!.id).toBe('loop')
    expect([...resumed.decisions.values()]).toEqual([...s.decisions.values()])
    expect(cursorOf(resumed)).toEqual(cursorOf(s))
    // Without the card (it could not be read), the list opens on that trace.
    const listOnly = state(cards, {file})
    expect(listOnly.view).toBe('traces')
    expect(selectedRow(listOnly)!.id).toBe('loop')
  })

  it('shows decisions whose trace or step is gone as stale, and keeps them', () => {
    const loop = byId(cards, 'loop')
    const gone = (traceId: string, stepId: string): DecisionsFile['decisions'][number] => ({
      traceId,
      rootTraceId: traceId,
      stepId,
      stepIndex: 3,
      kind: 'tool',
      prune: 'accept',
      by: 'review',
      at: AT,
    })
    const file: DecisionsFile = {
      schemaVersion: '1.0',
      source: {cards: '/old/cards.ndjson'},
      updatedAt: AT,
      decisions: [gone('no-such-trace', 's1'), gone('loop', 'no-such-step')],
    }
    let s = state(cards, {file})
    expect(s.staleTraces).toBe(1)
    expect(s.message?.text).toMatch(/1 decision is about traces not in these cards/)
    s = run(s, {type: 'openTrace', card: loop})
    expect(s.trace!.stale).toBe(1)
    expect(s.decisions.size).toBe(2)
    expect(decisionsDocument(s, {cards: 'x'}, AT).decisions).toHaveLength(2)
    // The header counts the flags decided on these cards' traces only: the stale trace's prune is none of them.
    expect(lineText(headerLine({...s, screen: {...s.screen, columns: 200}}))).toMatch(
      /decided 1\/\d+ flags · 2 decisions · 1 stale/,
    )
  })
})

describe('the timeline', () => {
  it("shows a flag's dollars at stake beside the longest detector's name from 140 columns", () => {
    const loop = structuredClone(byId(cards, 'loop'))
    const flagged = loop.steps.find(x => x.flags?.length)!
    flagged.flags![0] = {...flagged.flags![0]!, kind: 'reread-unchanged', wastedUsd: 0.0234}
    const at = (columns: number): string => {
      const st = run(state([loop], {screen: {columns, rows: 30}}), {type: 'openTrace', card: loop})
      return frameLines(st).map(lineText).join('\n')
    }
    expect(at(160)).toMatch(/⚑ reread-unchanged \$0\.02/)
    // At 100 columns both fit; with dollars of more digits the name is cut before they are; at 80 the name alone.
    expect(at(100)).toMatch(/⚑ reread-unchanged \$0\.02/)
    flagged.flags![0] = {...flagged.flags![0]!, wastedUsd: 0.0052}
    expect(at(100)).toMatch(/⚑ reread-unchan… \$0\.0052/)
    expect(at(80)).toMatch(/⚑ reread-u…/)
    expect(at(80)).not.toMatch(/⚑ \S+ \$/)
    // At 40 columns (the least the review takes) the flagged steps keep their mark; the tokens and the bar give way.
    const narrow = at(40).split('\n')
    expect(narrow.every(l => l.length <= 40)).toBe(true)
    expect(narrow.filter(l => /^ *›? *\d+ tool .*⚑$/.test(l.trimEnd())).length).toBeGreaterThan(0)
  })

  it("marks aco label --auto's labels apart from a person's, in the timeline and the step view", () => {
    const loop = byId(cards, 'loop')
    const step = loop.steps[1]!
    const decision = (by: 'auto' | 'review'): DecisionsFile['decisions'][number] => ({
      traceId: 'loop',
      rootTraceId: 'loop',
      stepId: step.id,
      stepIndex: step.index,
      kind: step.kind,
      label: 'fine',
      by,
      at: AT,
    })
    const shown = (by: 'auto' | 'review'): string => {
      const file: DecisionsFile = {schemaVersion: '1.0', source: {cards: 'x'}, updatedAt: AT, decisions: [decision(by)]}
      let st = run(state([loop], {file}), {type: 'openTrace', card: loop})
      const timeline = frameLines(st).map(lineText).join('\n')
      st = keys(st, [loop], 'j', {return: true})
      return `${timeline}\n${frameLines(st).map(lineText).join('\n')}`
    }
    expect(shown('auto')).toMatch(/ fine\*/)
    expect(shown('auto')).toMatch(/label fine \(automatic, aco label --auto\)/)
    expect(shown('review')).not.toMatch(/fine\*|automatic/)
  })
})

describe('a small terminal', () => {
  it('says so when the terminal gets smaller than 80×24, and takes it back when it is large enough again', () => {
    let s = run(state(cards), {type: 'resize', columns: 60, rows: 20})
    expect(s.message).toMatchObject({
      text: expect.stringMatching(/^a small terminal \(60×20\): columns are cut/),
      tone: 'warn',
    })
    s = run(s, {type: 'resize', columns: 100, rows: 30})
    expect(s.message).toBeUndefined()
    // Another message is not replaced by it.
    s = run({...s, message: {text: 'labelled fine', tone: 'ok'}}, {type: 'resize', columns: 70, rows: 24})
    expect(s.message?.text).toBe('labelled fine')
  })

  it('takes no key but q under 40×10, where nothing of it is shown (trial 101: decisions made blind)', () => {
    const open = keys(state(cards), cards, {return: true})
    const small = run(open, {type: 'resize', columns: 30, rows: 8})
    const pressed = ['j', 'n', 'a', '4']
    const after = keys(small, cards, ...pressed)
    expect(after.decisions).toEqual(small.decisions)
    expect(after.list).toEqual(small.list)
    expect(keys(small, cards, 'q').quit).toBe(true)
    // Large enough again, the keys act as they do on a screen that was never small.
    const back = run(after, {type: 'resize', columns: 100, rows: 30})
    const acted = keys(run(open, {type: 'resize', columns: 100, rows: 30}), cards, ...pressed)
    expect(acted.decisions.size).toBeGreaterThan(open.decisions.size)
    expect(keys(back, cards, ...pressed).decisions).toEqual(acted.decisions)
  })
})

describe('the step view', () => {
  it('says why a call is unpriced: no price for its model, or no token usage in the log', () => {
    const loop = structuredClone(byId(cards, 'loop'))
    const llm = loop.steps.find(x => x.kind === 'llm')!
    llm.cost = {usd: null, source: 'unpriced'}
    const open = (): string => {
      let st = run(state([loop]), {type: 'openTrace', card: loop})
      st = keys(st, [loop], {return: true})
      expect(st.view).toBe('step')
      return stepDetailLines(st).map(lineText).join('\n')
    }
    expect(open()).toMatch(/Cost +unpriced no price known for \S+ \(not counted as \$0\)/)
    delete llm.tokens
    expect(open()).toMatch(/Cost +unpriced the log records no token usage for this call/)
  })

  it('wraps the Tokens line (an estimate says why at its end), gives a long label its space, and counts 1 step (trial 88)', () => {
    const loop = structuredClone(byId(cards, 'loop'))
    const llm = loop.steps.find(x => x.kind === 'llm')!
    llm.tokens = {input: 3, output: 1027, cacheRead: 12_345, cacheWrite: 14_000, reasoning: 0}
    llm.recordedOutput = 13
    llm.estimated = true
    llm.uncertainty = {meanOneMinusP: 0.01, entropy: 0.05} as NonNullable<typeof llm.uncertainty>
    let st = run(state([loop], {screen: {columns: 80, rows: 40}}), {type: 'openTrace', card: loop})
    st = keys(st, [loop], {return: true})
    const lines = stepDetailLines(st).map(lineText)
    const text = lines.join('\n')
    expect(text).toMatch(/Tokens +in 3 · cache read 12,345 · cache write 14,000 · out 1,027/)
    expect(text.replace(/\n +/g, ' ')).toMatch(/the log recorded 13 out, a streaming placeholder\)/)
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80)
    expect(text).toMatch(/Uncertainty mean 1−p 0\.010 · entropy 0\.05/)
    const one = {...structuredClone(loop), id: 'one', steps: [structuredClone(llm)]}
    one.totals = {...one.totals, steps: 1}
    const frame = frameLines(run(state([one]), {type: 'openTrace', card: one})).map(lineText)
    expect(frame.find(l => l.startsWith('‹ '))).toMatch(/ · 1 step · /)
  })

  it("shows a call's input the log does not record as unknown, not 0, in the step view and the timeline", () => {
    const loop = structuredClone(byId(cards, 'loop'))
    const llm = loop.steps.find(x => x.kind === 'llm')!
    llm.tokens = {input: 0, output: 1234, cacheRead: 0, cacheWrite: 0, reasoning: 0}
    llm.cost = {usd: 0.0185, source: 'computed', inputUsd: 0}
    const show = (): {step: string; timeline: string} => {
      let st = run(state([loop]), {type: 'openTrace', card: loop})
      const timeline = frameLines(st).map(lineText).join('\n')
      st = keys(st, [loop], {return: true})
      return {step: stepDetailLines(st).map(lineText).join('\n'), timeline}
    }
    const before = show().step
    expect(before).toMatch(/Tokens +in 0 · cache read 0 · cache write 0 · out 1,234\n/)
    // The prompt's part and the rest, the output (trial 123: "prompt $0.14" alone under a call of $0.15).
    expect(before).toMatch(/Cost +\$0\.02 computed[^\n]*\n +prompt \$0\.00 · output \$0\.02\n/)
    llm.inputUnrecorded = true
    const {step, timeline} = show()
    expect(step).toMatch(/Tokens +in — · cache read — · cache write — · out 1,234 · input not recorded \(not counted\)/)
    expect(step).toMatch(/its output alone: the prompt is not recorded/)
    expect(step).not.toMatch(/prompt \$/)
    expect(timeline).toMatch(/≥1\.2k/)
  })
})

describe('the rest', () => {
  it('fits every key in the body of an 80×24 terminal, so any key closes the help there (review 33)', () => {
    let s = keys(run(state(cards), {type: 'resize', columns: 80, rows: 24}), cards, '?')
    expect(helpScroll(s.decisionsPath, s.screen)).toBe(0)
    const shown = frameLines(s).map(lineText).join('\n')
    expect(shown).toMatch(/Anywhere\n +esc ← {2}\? {2}q +back/)
    expect(shown).toMatch(/1 2 3 4 +fine · needs stronger model · cheaper model ok · wasted\n/)
    expect(shown).toMatch(/any key closes this/)
    s = keys(s, cards, 'j')
    expect(s.overlay).toBeUndefined()
    // A long decisions path is cut from its start, not wrapped onto a line the body has no room for (review 34).
    const far = {...s, decisionsPath: '/home/someone/projects/a-rather-long-project-name/reviews/aco-decisions.json'}
    expect(helpScroll(far.decisionsPath, far.screen)).toBe(0)
    expect(
      frameLines(keys(far, cards, '?'))
        .map(lineText)
        .join('\n'),
    ).toMatch(/saved to …[^ ]*\/aco-decisions\.json as you make/)
  })

  it('scrolls the keys in a terminal too small for them, where other keys close them', () => {
    const small = run(state(cards), {type: 'resize', columns: 40, rows: 15})
    let s = keys(small, cards, '?')
    const shown = () => frameLines(s).map(lineText).join('\n')
    expect(shown()).toMatch(/^Traces$/m)
    expect(shown()).toMatch(/↑↓ scroll {2}other keys close this/)
    // Under each key, its words wrapped at the width (not cut).
    expect(shown()).toMatch(/ {2}c w d\n {4}sort by cost, waste, date \(again:\n {4}reverse\)/)
    s = keys(s, cards, 'G')
    expect(s.overlay).toEqual({kind: 'help', top: expect.any(Number)})
    expect(shown()).toMatch(/and resumed\./)
    expect(shown()).not.toMatch(/^Traces$/m)
    const bottom = (s.overlay as {top: number}).top
    s = keys(s, cards, {downArrow: true})
    expect((s.overlay as {top: number}).top).toBe(bottom)
    s = keys(s, cards, {upArrow: true}, 'g')
    expect(s.overlay).toEqual({kind: 'help', top: 0})
    // Larger again: no scroll left, and any key closes.
    s = run(s, {type: 'resize', columns: 100, rows: 40}, {type: 'move', by: 'end'})
    expect(s.overlay).toEqual({kind: 'help', top: 0})
    expect(shown()).toMatch(/any key closes this/)
    s = keys(s, cards, 'j')
    expect(s.overlay).toBeUndefined()
  })

  it('? shows the keys and any key closes them; q quits', () => {
    let s = keys(state(cards), cards, '?')
    expect(s.overlay?.kind).toBe('help')
    s = keys(s, cards, 'q')
    expect(s.overlay).toBeUndefined()
    expect(s.quit).toBe(false)
    s = keys(s, cards, 'q')
    expect(s.quit).toBe(true)
  })

  it('a message lasts until the next key, not through a resize', () => {
    let s = run(state(cards), {type: 'undo'})
    expect(s.message).toBeDefined()
    s = run(s, {type: 'resize', columns: 90, rows: 25})
    expect(s.message).toBeDefined()
    s = run(s, {type: 'move', by: 'down'})
    expect(s.message).toBeUndefined()
  })

  it('lists rows from index rows alone (no card is read until one is opened)', () => {
    const rows = rowsOf(cards)
    const s = state(cards)
    expect(s.rows).toEqual(rows)
    expect(s.trace).toBeUndefined()
  })
})

describe('the header line', () => {
  it('says "1 flag", not "1 flags"', () => {
    const one = cards.find(c => c.steps.filter(s => s.flags?.length).length === 1 && !c.children.length)!
    expect(lineText(headerLine(state([one])))).toMatch(/decided 0\/1 flag · /)
    expect(lineText(headerLine(state(cards)))).toMatch(/decided 0\/\d+ flags · /)
  })

  it('never shows $0 wasted for flags on calls with no price', () => {
    const one = cards.find(c => c.steps.filter(s => s.flags?.length).length === 1 && !c.children.length)!
    // The same trace, its model unknown to the catalog: its flag's dollars are not known.
    const unpriced: TraceCard = structuredClone(one)
    unpriced.totals = {...unpriced.totals, costUsd: 0, wastedUsd: 0, unpricedCalls: 1}
    for (const step of unpriced.steps)
      for (const f of step.flags ?? []) Object.assign(f, {wastedUsd: 0, unpriced: true})
    expect(rowsOf([unpriced])[0]!.unpricedFlags).toBe(1)
    expect(rowsOf([one])[0]!.unpricedFlags).toBeUndefined()
    expect(lineText(headerLine(state([unpriced])))).toMatch(
      /^aco review · 1 trace · — \(1 unpriced call\) · wasted — \(1 unpriced flag\) · /,
    )
    expect(lineText(headerLine(state([one, unpriced])))).toMatch(/ · wasted \$[\d.]+ \+ 1 unpriced/)
  })
})
