/**
 * A tool step's row in the review's list at 80 columns: the file it names relative to the session's folder, cut
 * before its last part rather than after (a new user's trial: every Read row read `Read /home/lhl/github/…`).
 */
import {describe, expect, it} from 'vitest'
import type {Step} from '../../src/card/types.js'
import {describeToolFit} from '../../src/review/text.js'
import {textWidth} from '../../src/util/width.js'

const read = (file_path: string): Step =>
  ({
    id: 's1',
    index: 21,
    kind: 'tool',
    tool: {callId: 'c1', name: 'Read', arguments: {file_path}, argsHash: 'h', status: 'ok'},
  }) as unknown as Step

describe('describeToolFit', () => {
  const cwd = '/home/lhl/github/lhl/claudecycles-revisited'

  it('names a file below the session folder relative to it, whole where it fits', () => {
    expect(describeToolFit(read(`${cwd}/references/claude-cycles.md`), 40, cwd)).toBe(
      'Read references/claude-cycles.md',
    )
  })

  it('cuts a path too long for the column before its last part, never after it', () => {
    const row = describeToolFit(read(`${cwd}/session-analysis/claude-sessions/4ee5a7fb-995b-49fc.jsonl`), 24, cwd)
    expect(row.startsWith('Read …')).toBe(true)
    expect(row.endsWith('995b-49fc.jsonl')).toBe(true)
    expect(textWidth(row)).toBeLessThanOrEqual(24)
    // Two files that differ only in their names stay apart.
    expect(describeToolFit(read(`${cwd}/a/very/long/folder/one.md`), 16, cwd)).not.toBe(
      describeToolFit(read(`${cwd}/a/very/long/folder/two.md`), 16, cwd),
    )
  })

  it('keeps a path outside the session folder whole where it fits, and a command as describeTool says it', () => {
    expect(describeToolFit(read('/etc/hosts'), 40, cwd)).toBe('Read /etc/hosts')
    const bash = {
      ...read('x'),
      tool: {callId: 'c2', name: 'Bash', arguments: {command: 'npm test -- --run'}, argsHash: 'h', status: 'ok'},
    } as unknown as Step
    expect(describeToolFit(bash, 40, cwd)).toBe('Bash npm test -- --run')
  })

  it('prints the file as every argument is: a secret redacted, control characters and line breaks taken out', () => {
    const key = `sk-ant-api03-${'a'.repeat(40)}`
    const row = describeToolFit(read(`${cwd}/${key}.md`), 80, cwd)
    expect(row).not.toContain(key)
    expect(row).toMatch(/REDACTED/)
    const escapes = describeToolFit(read(`${cwd}/a\u001b[31mred\u0007\nb.md`), 80, cwd)
    expect(escapes).not.toMatch(/[\u0000-\u001f]/)
  })

  it('names a notebook or a viewed path relative too, whatever key the agent names it by', () => {
    const call = (name: string, args: Record<string, unknown>): Step =>
      ({...read('x'), tool: {callId: 'c3', name, arguments: args, argsHash: 'h', status: 'ok'}}) as unknown as Step
    expect(
      describeToolFit(call('NotebookEdit', {notebook_path: `${cwd}/nb/music.ipynb`, new_source: 'x'}), 40, cwd),
    ).toBe('NotebookEdit nb/music.ipynb')
    expect(describeToolFit(call('view', {path: `${cwd}/src`}), 40, cwd)).toBe('view src')
    // A search names its pattern first: the folder it searched is not what the row says.
    expect(describeToolFit(call('Grep', {pattern: 'TODO', path: `${cwd}/src`}), 40, cwd)).toBe('Grep TODO')
  })

  it('names a file below a Windows folder relative to it, either separator', () => {
    expect(describeToolFit(read('C:\\work\\app\\src\\main.ts'), 40, 'C:\\work\\app')).toBe('Read src\\main.ts')
  })
})

describe('names a trace gives, as the review shows them', () => {
  it('write their escapes out rather than drop them: a model imitating another reads as itself (trial 107)', async () => {
    const {describeTool, shortModel} = await import('../../src/review/text.js')
    expect(shortModel('claude-opus-4-6\x1b[K')).toBe('claude-opus-4-6\\x1b[K')
    expect(shortModel('anthropic/claude-opus-4-6')).toBe('claude-opus-4-6')
    const step = read('/tmp/a.txt')
    step.tool!.name = 'Read\u202e'
    expect(describeTool(step)).toBe('Read\\u202e /tmp/a.txt')
  })
})
