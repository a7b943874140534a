/**
 * The line numbers an output shows (`card/output-facts.ts`): ripgrep's stand-ins for long lines show a line's number,
 * not its text, so they place no line; the same words elsewhere in a line are the line's own text.
 */
import {describe, expect, it} from 'vitest'
import {omittedLine, outputText, programsNotFound, shownOf} from '../../src/card/output-facts.js'

const numbered = (from: number, to: number): string[] => {
  const out: string[] = []
  for (let n = from; n <= to; n++) out.push(`${n}:  value_${n} = compute(${n})`)
  return out
}

describe("ripgrep's long-line stand-ins", () => {
  it('leave out the line whose text ripgrep did not print, and only it', () => {
    const lines = numbered(1, 20)
    lines[4] = '5:[Omitted long matching line]'
    lines[9] = '10:  prefix of a long line[... omitted end of long line]'
    lines[14] = '15:  prefix of a long line[... omitted end of long line]\r'
    const shown = shownOf(lines.join('\n'))
    expect(shown?.numbered).toEqual([
      [1, 5],
      [6, 10],
      [11, 15],
      [16, 21],
    ])
  })

  it('are no stand-ins in the middle of a line or past its number', () => {
    expect(omittedLine('12:[Omitted long matching line]')).toBe(true)
    expect(omittedLine('   12\t[Omitted long line with 3 matches]')).toBe(true)
    expect(omittedLine('12:const s = "[... omitted end of long line]";')).toBe(false)
    expect(omittedLine(`12:${'x'.repeat(20)}[Omitted long matching line]`)).toBe(false)
    expect(omittedLine('12:[... omitted end of long line] and more text')).toBe(false)
    expect(omittedLine('12:abc[... omitted end of long line]')).toBe(true)
  })

  it('are looked for line by line in a long numbered output', () => {
    // (20,000 numbered lines: looking for the markers through the rest of the text from each line took ~3 s.)
    const shown = shownOf(numbered(1, 20_000).join('\n'))
    expect(shown?.numbered).toEqual([[1, 20_001]])
  })
})

describe('programs a shell could not find', () => {
  it("names them as the call's line named them, from bash, dash, zsh and cmd; not a script's own lines", () => {
    expect(programsNotFound('/usr/bin/bash: line 3: pg_isready: command not found\nnot reachable')).toEqual([
      'pg_isready',
    ])
    expect(programsNotFound('bash: cargo: command not found')).toEqual(['cargo'])
    expect(programsNotFound('bash: line 1: THOUGHT:: command not found')).toEqual(['THOUGHT:'])
    expect(programsNotFound('sh: 1: jq: not found')).toEqual(['jq'])
    expect(programsNotFound('zsh:1: command not found: search\n15:### x')).toEqual(['search'])
    expect(programsNotFound("'copy' is not recognized as an internal or external command,")).toEqual(['copy'])
    expect(programsNotFound('./ops/backup.sh: line 4: dirname: command not found')).toBeUndefined()
    expect(programsNotFound('error: package `x` not found')).toBeUndefined()
    // A program named by its path: not there, or not to be run.
    expect(programsNotFound('zsh:1: no such file or directory: .specify/scripts/bash/setup-plan.sh')).toEqual([
      '.specify/scripts/bash/setup-plan.sh',
    ])
    expect(programsNotFound('/bin/bash: line 1: tools/gen.sh: Permission denied')).toEqual(['tools/gen.sh'])
    expect(programsNotFound('./scripts/build.sh: line 3: out/lib.rs: No such file or directory')).toBeUndefined()
  })
})

describe("Copilot CLI's view, which numbers a file's lines `12. text`", () => {
  it('reads as the tab-numbered lines other tools print, a cut included, so its lines are placed', () => {
    expect(outputText('1. {\n2.   "hooks": {}\n3. }', 'view')).toBe('1\t{\n2\t  "hooks": {}\n3\t}')
    // A blank line is `12.` alone; a Windows file keeps its CR; a view cut short ends with Copilot's note.
    expect(outputText('7. a\r\n8.\r\n9. b', 'view')).toBe('7\ta\r\n8\t\r\n9\tb')
    const cut = '1. import x\n2. import y\n\n[Output truncated. Use view_range=[3, ...] to continue reading.]'
    expect(outputText(cut, 'view')).toBe(
      '1\timport x\n2\timport y\n\n[Output truncated. Use view_range=[3, ...] to continue reading.]',
    )
    expect(shownOf(outputText('40. a\n41. b\n42. c', 'view'))?.numbered).toEqual([[40, 43]])
    expect(outputText('1.\n2. b', 'view')).toBe('1\t\n2\tb')
  })

  it("numbers from 0 (Claude Code 2.0's Read asked for offset 0) are each one place further: no file has a line 0", () => {
    expect(shownOf('     0→export const t = {\n     1→  zh: {\n     2→  },')?.numbered).toEqual([[1, 4]])
    expect(shownOf('     1→export const t = {\n     2→  zh: {')?.numbered).toEqual([[1, 3]])
  })

  it('is no Markdown list among other lines, nor numbers out of order', () => {
    const list = '1. Install\n2. Run\nThen open the page.'
    expect(outputText(list, 'view')).toBe(list)
    expect(outputText('1. a\n3. b', 'view')).toBe('1. a\n3. b')
    expect(outputText('2026. A year', 'view')).toBe('2026. A year')
    // Another tool's output numbered so is a list's text (review 61: a `cat` of a list-only Markdown file).
    expect(outputText('1. Install\n2. Run', 'Bash')).toBe('1. Install\n2. Run')
    expect(outputText('1. Install\n2. Run')).toBe('1. Install\n2. Run')
  })
})

describe("Codex's cut of an output to its byte limit, `[... output truncated to fit 10240 bytes ...]`", () => {
  it('is a cut: the lines before it whole, the one it broke left out, and what follows it (when anything does) a tail', () => {
    const head = 'Total output lines: 113\n\nline 1\nline 2\nline 3\nline thr'
    const onlyHead = shownOf(`${head}\n[... output truncated to fit 10240 bytes ...]\n\n`)
    expect(onlyHead).toEqual({elided: true, headLines: 3, empty: false})
    const withTail = shownOf(`${head}\n[... output truncated to fit 10240 bytes ...]\n\nee\nline 112\nline 113\n`)
    expect(withTail).toEqual({elided: true, headLines: 3, empty: false, tailLines: 2})
  })
})
