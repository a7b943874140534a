/**
 * What a card keeps for the flag stage only (the whole arguments of a cut call, the output the model saw):
 * large ones are kept packed while the card is read, and read back exactly, whatever they hold (lone
 * surrogates, -0, undefined, non-Latin text), also from a snapshot of the builder (an appended session
 * read on from the cache).
 */
import {deserialize, serialize} from 'node:v8'
import {describe, expect, it} from 'vitest'
import {type BuilderDetails, CardBuilder, toolArguments, toolOutput, toolOutputFacts} from '../../src/card/build.js'

/** A builder past the point where details are packed (the first 2 MB of a file's are kept as they are). */
const packing = (): CardBuilder => new CardBuilder('claude-code', '/x.jsonl', true, {chars: 1e15})

const big = (n: number): string => `${'λ'.repeat(3)}\ud800 ${'tail of a long output; '.repeat(n)}\udfff end`

describe('tool details', () => {
  it('are kept as they are for the first 2 MB of a file', () => {
    const b = new CardBuilder('claude-code', '/x.jsonl')
    const args = {content: big(400)}
    const step = b.addToolCall(undefined, 't1', 'Write', args)
    b.resolveTool('t1', {status: 'ok', output: big(800)})
    expect(toolArguments(step.tool!)!.args).toBe(args)
    expect(toolOutput(step.tool!)).toBe(big(800))
  })

  it('come back exactly, large (packed) and small alike', () => {
    const b = packing()
    const llm = b.addLlm({id: 'm1', model: 'claude-sonnet-4-5'})
    const largeArgs = {file_path: '/a.py', content: big(400), list: [0, -0, undefined, null], nested: {deep: 'é'}}
    const smallArgs = {command: `echo ${'x'.repeat(500)}`}
    const large = b.addToolCall(llm, 't1', 'Write', largeArgs)
    const small = b.addToolCall(llm, 't2', 'Bash', smallArgs)
    const plain = b.addToolCall(llm, 't3', 'Read', {file_path: '/b.py'})
    b.resolveTool('t1', {status: 'ok', output: big(1000)})
    b.resolveTool('t2', {status: 'ok', output: 'short'})
    b.resolveTool('t3', {status: 'ok', output: big(300), seen: big(200)})
    expect(toolArguments(large.tool!)!.args).toStrictEqual(largeArgs)
    expect(Object.is((toolArguments(large.tool!)!.args as typeof largeArgs).list[1], -0)).toBe(true)
    expect(toolArguments(small.tool!)!.args).toBe(smallArgs)
    expect(toolArguments(plain.tool!)!.args).toBe(plain.tool!.arguments)
    expect(toolOutput(large.tool!)).toBe(big(1000))
    expect(toolOutput(small.tool!)).toBe('short')
    expect(toolOutput(plain.tool!)).toBe(big(200))
    // Read again after others were read (the last few unpacked are kept): the same.
    for (let i = 0; i < 40; i++) b.addToolCall(llm, `u${i}`, 'Bash', {command: 'ls'})
    for (let i = 0; i < 40; i++) b.resolveTool(`u${i}`, {status: 'ok', output: big(300 + i)})
    for (let i = 0; i < 40; i++) expect(toolOutput(b.toolStep(`u${i}`)!.tool!)).toBe(big(300 + i))
    expect(toolOutput(large.tool!)).toBe(big(1000))
    // Small ones, packed together when the card is built: the same.
    b.addToolCall(llm, 'v1', 'Bash', {command: `echo ${'y'.repeat(700)}`})
    b.resolveTool('v1', {status: 'ok', output: 'z'.repeat(300)})
    b.build({id: 'card'})
    expect(toolOutput(b.toolStep('v1')!.tool!)).toBe('z'.repeat(300))
    expect(toolArguments(b.toolStep('v1')!.tool!)!.args).toStrictEqual({command: `echo ${'y'.repeat(700)}`})
    expect(toolOutput(small.tool!)).toBe('short')
  })

  it('a second result of a call replaces the first', () => {
    const b = packing()
    const step = b.addToolCall(undefined, 't1', 'Bash', {command: 'make'})
    b.resolveTool('t1', {status: 'error', output: big(500)})
    b.resolveTool('t1', {status: 'ok', output: 'done'})
    expect(toolOutput(step.tool!)).toBe('done')
    b.resolveTool('t1', {status: 'ok', output: big(600)})
    expect(toolOutput(step.tool!)).toBe(big(600))
  })

  it('survive a snapshot of the builder', () => {
    const b = packing()
    const args = {content: big(400)}
    b.addToolCall(undefined, 't1', 'Write', args)
    b.resolveTool('t1', {status: 'ok', output: big(800)})
    const copy = CardBuilder.revive(
      deserialize(serialize(b)) as object,
      deserialize(serialize(b.details())) as BuilderDetails,
    )
    const tool = copy.toolStep('t1')!.tool!
    expect(toolArguments(tool)!.args).toStrictEqual(args)
    expect(toolOutput(tool)).toBe(big(800))
    // What the flag stage reads instead of unpacking the output, too.
    expect(toolOutputFacts(tool)).toBeDefined()
    expect(toolOutputFacts(tool)).toStrictEqual(toolOutputFacts(b.toolStep('t1')!.tool!))
  })
})
