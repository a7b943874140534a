/**
 * The review app: turns key presses into actions of the pure reducer,
 * reads a card when a trace is opened, follows the terminal's size, measures
 * a step's view when it opens (the reducer keeps its scroll inside), and
 * reports every new state to its owner (who saves the decisions). The state
 * lives in a ref as well as in React, so keys typed faster than a frame
 * (a paste, tmux send-keys) each see the state the previous one left.
 */
import {useApp, useInput, useStdout} from 'ink'
import {useEffect, useRef, useState, type ReactElement} from 'react'
import type {TraceCard} from '../../card/types.js'
import {measured} from '../early.js'
import {keyToIntent, type KeyPress} from '../keys.js'
import {reduce} from '../state/reduce.js'
import type {Action, ReviewState} from '../state/types.js'
import {ReviewScreen} from './components.js'

export interface ReviewAppProps {
  initial: ReviewState
  /** Reads the card of a top-level trace (throws an AcoError when it cannot). */
  load: (rootId: string) => TraceCard
  color: boolean
  /** Called with each new state, before it is drawn. */
  onChange?: (next: ReviewState, prev: ReviewState) => void
  now?: () => string
  /** Gives the owner a way to show a message (e.g. a failed save). */
  notifier?: (show: (text: string) => void) => void
}

export function ReviewApp({
  initial,
  load,
  color,
  onChange,
  notifier,
  now = () => new Date().toISOString(),
}: ReviewAppProps): ReactElement {
  const [first] = useState(() => measured(initial))
  const live = useRef(first)
  const [state, setState] = useState(first)
  const {exit} = useApp()
  const {stdout} = useStdout()

  const apply = (action: Action): void => {
    const prev = live.current
    const next = measured(reduce(prev, action))
    if (next === prev) return
    live.current = next
    onChange?.(next, prev)
    setState(next)
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: apply only reads refs and props that stay the same for the app's life
  useEffect(() => {
    const resized = (): void => {
      const columns = stdout.columns || live.current.screen.columns
      const rows = stdout.rows || live.current.screen.rows
      if (columns !== live.current.screen.columns || rows !== live.current.screen.rows)
        apply({type: 'resize', columns, rows})
    }
    stdout.on('resize', resized)
    // The terminal may have changed size while Ink was loading.
    resized()
    return () => {
      stdout.off('resize', resized)
    }
  }, [stdout])

  // biome-ignore lint/correctness/useExhaustiveDependencies: apply only reads refs and props that stay the same for the app's life
  useEffect(() => {
    notifier?.(text => apply({type: 'message', text, tone: 'warn'}))
  }, [notifier])

  useEffect(() => {
    if (state.quit) exit()
  }, [state.quit, exit])

  const handle = (input: string, key: KeyPress): void => {
    const intent = keyToIntent(live.current, input, key, now)
    if (!intent) return
    if (intent.type === 'load') {
      let card: TraceCard
      try {
        card = load(intent.rootId)
      } catch (error) {
        apply({type: 'message', text: (error as Error).message, tone: 'warn'})
        return
      }
      apply({type: 'openTrace', card})
      return
    }
    apply(intent)
  }

  useInput((input, key) => {
    // Keys typed faster than they are read (while the app loads, or a paste) arrive as one string: take them one by one.
    if (input.length > 1 && !key.ctrl && !key.meta) {
      for (const ch of input) {
        // (Ctrl-C among them, typed while the app loaded: Ink hears it only alone. It ends the review as q does, the keys
        // before it applied and saved, the rest not read: trial 88.)
        if (ch === '\u0003') {
          apply({type: 'quit'})
          return
        }
        if (ch === '\r' || ch === '\n') handle('', {return: true})
        else if (ch === '\t') handle('', {tab: true})
        else if (ch === '\u007f') handle('', {backspace: true})
        else handle(ch, {})
      }
      return
    }
    handle(input, key)
  })

  return <ReviewScreen state={state} color={color} />
}
