/**
 * Keys answered on the first frame, while Ink and React load (issue 18: the
 * review answers its first key within half a second). The first frame is
 * painted before Ink has loaded (screen.ts); keys typed then move through
 * the list, open traces and steps, filter and sort at once, with the same
 * pure functions the app uses (keyToIntent, reduce, frameLines), repainted
 * in plain escape codes. A key that decides, undoes or quits, or one not
 * read here, is left for the app with everything typed after it: the app
 * saves decisions and ends the review. No React here.
 */
import type {TraceCard} from '../card/types.js'
import {keyToIntent, type KeyPress} from './keys.js'
import {frameLines} from './lines/frame.js'
import {stepDetailLines} from './lines/step.js'
import {paintFrame, type Terminal} from './screen.js'
import {reduce} from './state/reduce.js'
import type {ReviewState} from './state/types.js'

/** The state with the open step's view measured, when it is not yet (a step just opened, another width). */
export function measured(state: ReviewState): ReviewState {
  const step = state.step
  if (!step || step.length !== undefined) return state
  const length = stepDetailLines(state).length
  return reduce(state, {type: 'measured', key: step.key, columns: state.screen.columns, length})
}

interface Press {
  input: string
  key: KeyPress
  /** The bytes as typed, handed to the app when it is the app's key. */
  raw: string
}

const SEQUENCES: Record<string, KeyPress> = {
  '[A': {upArrow: true},
  '[B': {downArrow: true},
  '[C': {rightArrow: true},
  '[D': {leftArrow: true},
  OA: {upArrow: true},
  OB: {downArrow: true},
  OC: {rightArrow: true},
  OD: {leftArrow: true},
  '[5~': {pageUp: true},
  '[6~': {pageDown: true},
  '[H': {home: true},
  '[F': {end: true},
  OH: {home: true},
  OF: {end: true},
  '[1~': {home: true},
  '[4~': {end: true},
  '[Z': {tab: true, shift: true},
}

/** The key presses in what the terminal sent, as Ink reports them, up to the first bytes not read here (`rest`). */
export function parseKeys(text: string): {presses: Press[]; rest: string} {
  const presses: Press[] = []
  let i = 0
  while (i < text.length) {
    const ch = text[i]!
    if (ch === '\u001b') {
      const seq = Object.keys(SEQUENCES).find(s => text.startsWith(s, i + 1))
      if (seq) {
        presses.push({input: '', key: SEQUENCES[seq]!, raw: `\u001b${seq}`})
        i += 1 + seq.length
        continue
      }
      // A lone Escape (nothing follows it in this read): a longer sequence not known here is the app's.
      if (i + 1 === text.length) {
        presses.push({input: '', key: {escape: true, meta: true}, raw: ch})
        i++
        continue
      }
      break
    }
    const code = text.codePointAt(i)!
    const one = String.fromCodePoint(code)
    if (one === '\r' || one === '\n') presses.push({input: '', key: {return: true}, raw: one})
    else if (one === '\t') presses.push({input: '', key: {tab: true}, raw: one})
    else if (one === '\u007f' || one === '\b') presses.push({input: '', key: {backspace: true}, raw: one})
    else if (code < 32) break
    else presses.push({input: one, key: one !== one.toLowerCase() ? {shift: true} : {}, raw: one})
    i += one.length
  }
  return {presses, rest: text.slice(i)}
}

/** Actions the first frame does not take: the app saves decisions and ends the review. */
const APP_ONLY = new Set(['decide', 'undo', 'quit'])

export interface EarlyKeys {
  /** Stops answering; what was typed and not answered is put back for the app. The state to start the app in. */
  stop(): ReviewState
}

export interface EarlyKeysOptions {
  color: boolean
  load: (rootId: string) => TraceCard
  now?: () => string
}

/** Answers keys on the painted first frame of `initial` until `stop()`. */
export function answerEarlyKeys(term: Terminal, initial: ReviewState, options: EarlyKeysOptions): EarlyKeys {
  const now = options.now ?? (() => new Date().toISOString())
  let state = measured(initial)
  /** What the app gets: once a key is the app's, everything after it too. */
  let forApp = ''
  const answer = (press: Press): boolean => {
    const intent = keyToIntent(state, press.input, press.key, now)
    if (!intent) return true
    if (APP_ONLY.has(intent.type)) return false
    if (intent.type === 'load') {
      let card: TraceCard
      try {
        card = options.load(intent.rootId)
      } catch {
        // The app says why when the key reaches it.
        return false
      }
      state = measured(reduce(state, {type: 'openTrace', card}))
    } else state = measured(reduce(state, intent))
    return true
  }
  const onReadable = (): void => {
    let changed = false
    for (let chunk = term.stdin.read(); chunk !== null; chunk = term.stdin.read()) {
      const text = typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8')
      if (forApp) {
        forApp += text
        continue
      }
      const {presses, rest} = parseKeys(text)
      let at = 0
      for (; at < presses.length; at++) {
        const before = state
        if (!answer(presses[at]!)) break
        if (state !== before) changed = true
      }
      forApp = presses
        .slice(at)
        .map(p => p.raw)
        .join('')
        .concat(rest)
    }
    if (changed) term.stdout.write(paintFrame(frameLines(state), options.color))
  }
  term.stdin.on('readable', onReadable)
  return {
    stop() {
      term.stdin.off('readable', onReadable)
      // Anything still buffered is read by the app as it starts, after what this gives back.
      if (forApp) term.stdin.unshift(Buffer.from(forApp, 'utf8'))
      return state
    },
  }
}
