/**
 * The review screen shows no secret, even over cards written with
 * `--no-redact`: every step of a session that carries a secret of every
 * shape (in its prompt, a tool's arguments and output, an error, the
 * response's text) is opened and its screen searched for any 12 characters
 * of any of them.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {analyze} from '../../src/analyze/analyze.js'
import {frameLines} from '../../src/review/lines/frame.js'
import {lineText} from '../../src/review/lines/line.js'
import {reduce} from '../../src/review/state/reduce.js'
import {forbidden, leak, plantedSecrets} from '../support/planted.js'
import {claudeSession} from '../support/traces.js'
import {state} from './fixtures.js'

describe('the review screen', () => {
  it('shows no planted secret on any step, from cards that were not redacted', async () => {
    const planted = plantedSecrets(7)
    const all = planted.map(p => p.text).join('\n')
    const dir = mkdtempSync(join(tmpdir(), 'aco-review-secrets-'))
    const path = join(dir, 'session.jsonl')
    const lines = claudeSession({
      prompt: `${planted[0]!.text}\n${all}`,
      calls: [
        ...planted.map(p => ({
          text: `Looking at it: ${p.text}`,
          tools: [
            {name: 'Bash', input: {command: `echo '${p.text}'`}, output: p.text, isError: p.kind.length % 2 === 0},
          ],
        })),
        {text: `Done. ${all}`},
      ],
    })
    writeFileSync(path, `${lines.join('\n')}\n`)
    const run = await analyze({paths: [path], home: dir, env: {}, keepCards: true, threads: 1, redact: false})
    const card = run.cards[0]!
    // the cards themselves hold the secrets (--no-redact): the screen must hide them on its own
    expect(leak(JSON.stringify(card), planted.find(p => p.kind === 'stripe-live')!.secret)).toBeDefined()
    let s = reduce(state([card], {screen: {columns: 160, rows: 60}}), {type: 'openTrace', card, openStep: false})
    const shown: string[] = []
    const look = (): void => {
      shown.push(frameLines(s).map(lineText).join('\n'))
    }
    look()
    for (let i = 0; i < card.steps.length; i++) {
      s = reduce(s, {type: 'enter'})
      look()
      s = reduce(s, {type: 'back'})
      s = reduce(s, {type: 'move', by: 'down'})
    }
    const screen = shown.join('\n')
    expect(shown.length).toBe(card.steps.length + 1)
    // the steps were opened: their arguments and outputs are on screen, with the secrets replaced
    expect(screen).toMatch(/echo '/)
    expect(screen.match(/\[REDACTED:/g)?.length ?? 0).toBeGreaterThan(planted.length)
    const found = planted.flatMap(p =>
      forbidden(p).flatMap(x => (leak(screen, x) ? [`${p.kind}: ${leak(screen, x)}`] : [])),
    )
    expect(found).toEqual([])
  })
})
