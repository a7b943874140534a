/**
 * One line of a cards file (`aco analyze --out`) read back as a card: JSON, and a TraceCard by
 * schemas/tracecard.schema.json (children included). A line cut short, or JSON of another shape (`{}`, a card edited
 * by hand), is no card: every reader of cards says so with its line, rather than failing on it later (`card.steps is
 * not iterable`) or counting without it in silence.
 */
import {check} from '../util/schemas.js'
import type {TraceCard} from './types.js'
import {parseJson} from '../util/json-parse.js'

export type CardLine = {card: TraceCard; problem?: undefined} | {card?: undefined; problem: string}

export function parseCardLine(line: string): CardLine {
  let value: unknown
  try {
    value = parseJson(line)
  } catch (error) {
    return {problem: `not JSON (${(error as Error).message}): cut short, or not written by aco analyze --out`}
  }
  const problem = check('tracecard', value)
  return problem ? {problem: `not a TraceCard: ${problem}`} : {card: value as TraceCard}
}
