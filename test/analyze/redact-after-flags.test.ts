/**
 * Redaction once a card is flagged (issue 18): the waste detectors read a card's text as it is, the text a card keeps
 * past its unit is redacted after they ran, and a lean card (its text dropped) is never redacted at all, which spares
 * the summary runs ~10% of their CPU. What must hold: no secret, nor a part of one, leaves in either kind of card or
 * in a flag's reason, and the flags do not depend on which kind of card was asked for.
 */
import {mkdtempSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {processUnit} from '../../src/analyze/process-unit.js'
import type {Unit} from '../../src/analyze/units.js'
import {CardBuilder, redactKept} from '../../src/card/build.js'
import {PriceBook} from '../../src/price/book.js'
import {clip} from '../../src/util/text.js'
import {leak, plantedSecrets} from '../support/planted.js'

const key = plantedSecrets(11).find(p => p.kind === 'github-classic')!.secret

/** A Claude Code session that runs one search twice (a duplicate call), a key in its text, command and output. */
function session(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aco-redact-after-'))
  const file = join(dir, 'session.jsonl')
  // The key crosses the 60th character of the command (a reason's cut) and the 300th of the output (an excerpt's, where
  // its marker fits).
  const command = `grep -rn "release token ${key}" src/deploy/`
  const output = `${'x'.repeat(260)} ${key} found in src/deploy/run.sh\n`
  const records: object[] = [
    {
      type: 'user',
      uuid: 'u1',
      sessionId: 's',
      timestamp: '2026-01-01T00:00:00Z',
      message: {role: 'user', content: 'find where the release token is used'},
    },
  ]
  for (let k = 1; k <= 2; k++) {
    records.push(
      {
        type: 'assistant',
        uuid: `a${k}`,
        parentUuid: k === 1 ? 'u1' : `r${k - 1}`,
        sessionId: 's',
        requestId: `req${k}`,
        timestamp: `2026-01-01T00:00:0${2 * k}Z`,
        message: {
          id: `m${k}`,
          role: 'assistant',
          model: 'claude-sonnet-4-5-20250929',
          content: [
            {type: 'text', text: `Searching for the token ${key} now.`},
            {type: 'tool_use', id: `t${k}`, name: 'Bash', input: {command}},
          ],
          usage: {input_tokens: 1000 * k, output_tokens: 50},
        },
      },
      {
        type: 'user',
        uuid: `r${k}`,
        parentUuid: `a${k}`,
        sessionId: 's',
        timestamp: `2026-01-01T00:00:0${2 * k + 1}Z`,
        message: {role: 'user', content: [{type: 'tool_result', tool_use_id: `t${k}`, content: output}]},
      },
    )
  }
  writeFileSync(file, `${records.map(r => JSON.stringify(r)).join('\n')}\n`)
  return file
}

function unitOf(path: string): Unit {
  const size = statSync(path).size
  return {files: [{path, size}], bytes: size} as Unit
}

describe('redaction after the flags', () => {
  it('leaves no secret in kept or lean cards, and the same flags in both', async () => {
    const path = session()
    const book = new PriceBook()
    const kept = await processUnit(unitOf(path), book, {lean: false})
    const lean = await processUnit(unitOf(path), book, {lean: true})
    const shown = await processUnit(unitOf(path), book, {lean: false, redact: false})
    for (const result of [kept, lean]) {
      expect(result.cards).toHaveLength(1)
      expect(leak(JSON.stringify(result.cards), key)).toBeUndefined()
    }
    const flags = (r: typeof kept) => r.cards[0]!.steps.flatMap(s => s.flags ?? [])
    expect(flags(kept).map(f => f.kind)).toEqual(['duplicate-call'])
    expect(flags(lean)).toEqual(flags(kept))
    // The reason names the call, the key in it hidden whole though it crossed the reason's cut.
    expect(flags(kept)[0]!.reason).toContain('grep -rn "release token [REDACTED:')
    // The kept card shows redacted text where the raw text was read: its excerpts and its copy of the arguments.
    const tool = kept.cards[0]!.steps.find(s => s.kind === 'tool')!
    expect(tool.tool!.excerpt).toContain('[REDACTED:')
    expect(JSON.stringify(tool.tool!.arguments)).toContain('[REDACTED:')
    expect(kept.cards[0]!.steps[0]!.text).toContain('[REDACTED:')
    // --no-redact keeps the text as it is, in the reasons too (the same flags: the detectors read the same text).
    expect(JSON.stringify(shown.cards)).toContain(key)
    expect(flags(shown)[0]!.reason).toContain(key.slice(0, 20))
    expect(flags(shown).map(f => [f.kind, f.evidence, f.wastedUsd])).toEqual(
      flags(kept).map(f => [f.kind, f.evidence, f.wastedUsd]),
    )
  })

  it("keeps the raw text for the detectors until redactKept, in 'after-flags' mode; titles at once", () => {
    const b = new CardBuilder('claude-code', '/x.jsonl', 'after-flags')
    const llm = b.addLlm({id: 'm1', text: `use ${key}`})
    const call = b.addToolCall(llm, 'c1', 'Bash', {command: `echo ${key}`})
    b.resolveTool('c1', {status: 'ok', output: `token ${key}`})
    const card = b.build({id: 't', title: `deploy with ${key}`})
    expect(card.title).not.toContain(key)
    expect(llm.text).toContain(key)
    expect(call.tool!.excerpt).toContain(key)
    expect(JSON.stringify(call.tool!.arguments)).toContain(key)
    redactKept(card)
    expect(leak(JSON.stringify(card), key)).toBeUndefined()
    // Called again, or on a card of another mode, it changes nothing.
    const before = JSON.stringify(card)
    redactKept(card)
    expect(JSON.stringify(card)).toBe(before)
  })

  it('redacts a secret used as a key of the arguments too (review 11: it had reached the cache of --out runs)', () => {
    for (const mode of [true, 'after-flags'] as const) {
      const b = new CardBuilder('claude-code', '/x.jsonl', mode)
      const llm = b.addLlm({id: 'm1'})
      b.addToolCall(llm, 'c1', 'WebFetch', {url: 'https://api.example.com', headers: {[key]: 'set'}})
      const card = b.build({id: 't'})
      redactKept(card)
      expect(leak(JSON.stringify(card), key)).toBeUndefined()
    }
  })

  it('keeps the pending redactions through a snapshot of the builder (a file read on from the cache)', () => {
    const b = new CardBuilder('claude-code', '/x.jsonl', 'after-flags')
    const llm = b.addLlm({id: 'm1', text: `use ${key}`})
    b.addToolCall(llm, 'c1', 'Bash', {command: `echo ${key}`})
    const revived = CardBuilder.revive(structuredClone(b), b.details())
    revived.resolveTool('c1', {status: 'ok', output: `token ${key}`})
    const card = revived.build({id: 't'})
    expect(JSON.stringify(card)).toContain(key)
    redactKept(card)
    expect(leak(JSON.stringify(card), key)).toBeUndefined()
  })

  it("keeps the text as it is in 'dropped' mode (a lean card drops it), titles and warnings redacted", () => {
    const b = new CardBuilder('claude-code', '/x.jsonl', 'dropped')
    const llm = b.addLlm({id: 'm1', text: `use ${key}`})
    b.warn(`a line with ${key} was skipped`)
    const card = b.build({id: 't', title: `deploy with ${key}`})
    expect(llm.text).toContain(key)
    expect(card.title).not.toContain(key)
    expect(leak(card.warnings[0]!.message, key)).toBeUndefined()
  })

  it('clips a reason after redacting it: a key across the cut leaves no part', () => {
    const text = `push to https://${key}@github.com/o/r`
    for (const max of [20, 30, 40, 50]) {
      const cut = clip(text, max)
      expect(cut.length).toBeLessThanOrEqual(max)
      expect(leak(cut, key)).toBeUndefined()
      expect(cut).not.toMatch(/\[REDACTED:[\w-]*…/)
    }
    // A marker cut before its colon is dropped too.
    expect(clip(`${'x'.repeat(20)} ${key}`, 28)).toBe(`${'x'.repeat(20)} …`)
    expect(clip('a  b\n c', 10, {oneLine: true})).toBe('a b c')
    // --no-redact: cut as it is.
    expect(clip(`${'x'.repeat(20)} ${key}`, 28, {redact: false})).toBe(`${'x'.repeat(20)} ${key.slice(0, 6)}…`)
    expect(clip('short', 10)).toBe('short')
  })
})
