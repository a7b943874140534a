/**
 * Keys answered on the first frame while Ink loads (src/review/early.ts):
 * the terminal's bytes read as Ink reads them, navigation answered with the
 * app's own reducer and painted, and a key that decides or quits left, with
 * all typed after it, for the app.
 */
import {PassThrough} from 'node:stream'
import {describe, expect, it} from 'vitest'
import {answerEarlyKeys, parseKeys} from '../../src/review/early.js'
import {frameLines} from '../../src/review/lines/frame.js'
import {paintFrame} from '../../src/review/screen.js'
import {reduce} from '../../src/review/state/reduce.js'
import {byId, fixtureCards, state} from './fixtures.js'

describe('parseKeys', () => {
  it('reads letters, Enter, arrows, page keys and a lone Escape as Ink reports them', () => {
    const {presses, rest} = parseKeys('jN\r\u001b[B\u001bOA\u001b[6~ \u001b')
    expect(presses.map(p => [p.input, p.key])).toEqual([
      ['j', {}],
      ['N', {shift: true}],
      ['', {return: true}],
      ['', {downArrow: true}],
      ['', {upArrow: true}],
      ['', {pageDown: true}],
      [' ', {}],
      ['', {escape: true, meta: true}],
    ])
    expect(rest).toBe('')
  })

  it('stops at a control key or an escape sequence it does not know: the rest is the app’s', () => {
    expect(parseKeys('j\u0003k')).toMatchObject({presses: [{input: 'j'}], rest: '\u0003k'})
    expect(parseKeys('j\u001b[15~k')).toMatchObject({presses: [{input: 'j'}], rest: '\u001b[15~k'})
  })
})

/** A terminal whose keyboard is a stream the test types into, and whose screen records what is written. */
function terminal() {
  const stdin = new PassThrough()
  const written: string[] = []
  const stdout = {write: (s: string) => written.push(s) > 0}
  return {stdin, stdout, written, term: {stdin, stdout} as never}
}

const tick = () => new Promise(resolve => setImmediate(resolve))

describe('answerEarlyKeys', () => {
  it('moves and opens a trace at once, painting what the app would show', async () => {
    const cards = await fixtureCards()
    const initial = state(cards)
    const t = terminal()
    const early = answerEarlyKeys(t.term, initial, {color: false, load: id => byId(cards, id)})
    t.stdin.write('j')
    await tick()
    const moved = reduce(initial, {type: 'move', by: 'down'})
    expect(t.written.at(-1)).toBe(paintFrame(frameLines(moved), false))
    t.stdin.write('\r')
    await tick()
    const final = early.stop()
    expect(final.view).toBe('trace')
    expect(final.trace?.model.root.id).toBe(moved.rows[moved.list.order[moved.list.cursor]!]!.id)
    expect(t.written.at(-1)).toBe(paintFrame(frameLines(final), false))
    expect(t.stdin.read()).toBeNull()
  })

  it('leaves a decision, and all typed after it, for the app', async () => {
    const cards = await fixtureCards()
    const initial = state(cards)
    const t = terminal()
    const early = answerEarlyKeys(t.term, initial, {color: false, load: id => byId(cards, id)})
    t.stdin.write('\ruj')
    await tick()
    const final = early.stop()
    expect(final.view).toBe('trace')
    expect(String(t.stdin.read())).toBe('uj')
  })
})
