/** What may reach a terminal of a trace's text: no escape sequence, no control or invisible character, no secret. */
import {describe, expect, it} from 'vitest'
import {safeLine, safeStrings, stripControls, visiblePath, withVisibleNames} from '../../src/util/control.js'
import {redactText} from '../../src/util/redact.js'

// A key in the AWS shape, cut in two by what a terminal would swallow.
const KEY = ['AKIA4HAF', 'CFGWPBBBW65J'] as const

describe('stripControls', () => {
  it('removes escape sequences, controls, bidirectional overrides and zero-width characters; keeps tabs and lines', () => {
    expect(stripControls('a\u001b]0;title\u0007b\u001b[2Jc\u0000d\u0008e')).toBe('abcde')
    expect(stripControls('invoice\u202Etxt.exe')).toBe('invoicetxt.exe')
    expect(stripControls('x\u2066y\u2069z\u200bw\u200dv\ufeffu')).toBe('xyzwvu')
    expect(stripControls('a\tb\nc')).toBe('a\tb\nc')
    expect(safeLine('a\tb\r\nc')).toBe('a b c')
  })
})

describe('safeStrings with a recheck', () => {
  it('redacts a secret that stripping made whole again, and leaves other strings alone', () => {
    for (const cut of ['\u001b]0;x\u0007', '\u200b', '\u2060']) {
      const text = `boom ${KEY[0]}${cut}${KEY[1]}`
      // Redacted before an escape sequence is removed, nothing looks like a key yet; a zero-width character
      // redaction drops itself (the key is found whole where it would have been missed).
      if (cut.startsWith('\u001b')) expect(redactText(text)).toContain(KEY[0])
      else expect(redactText(text)).toBe('boom [REDACTED:aws-access-token]')
      const shown = safeStrings({excerpt: text, other: 'plain text'}, 1000, redactText)
      expect(shown.excerpt).toBe('boom [REDACTED:aws-access-token]')
      expect(shown.other).toBe('plain text')
    }
    // Without a recheck (--no-redact), the text is only made printable.
    expect(safeStrings(`boom ${KEY[0]}\u200b${KEY[1]}`, 1000)).toBe(`boom ${KEY.join('')}`)
  })
})

describe('visiblePath', () => {
  it('writes out what stripping would drop, so a path shown is the file it names (trial 78)', () => {
    expect(visiblePath('/tmp/evil\u001b]0;pwn\u0007\u001b[2Jname.jsonl')).toBe(
      '/tmp/evil\\x1b]0;pwn\\x07\\x1b[2Jname.jsonl',
    )
    expect(visiblePath('/tmp/a\u202eb.jsonl')).toBe('/tmp/a\\u202eb.jsonl')
    expect(visiblePath('/tmp/plain é 日本.jsonl')).toBe('/tmp/plain é 日本.jsonl')
    // Nothing of it is an escape sequence any more: stripping leaves it whole.
    const shown = visiblePath('/x/\u001b[31mred\u001b[0m.jsonl')
    expect(stripControls(shown)).toBe(shown)
    const result = withVisibleNames({skipped: [{path: 'a\u0007b', reason: 'r\u0007'}], n: 1})
    expect(result).toEqual({skipped: [{path: 'a\\x07b', reason: 'r\u0007'}], n: 1})
  })

  it('writes out the names rows go by, a tool and a model, so one with an escape is no second row of the same name (trial 84)', () => {
    const rows = withVisibleNames({byTool: [{tool: 'Bash'}, {tool: 'Bash\u001b[2J'}], byModel: [{model: 'm\u0007'}]})
    expect(rows).toEqual({byTool: [{tool: 'Bash'}, {tool: 'Bash\\x1b[2J'}], byModel: [{model: 'm\\x07'}]})
    // A `--by` row's key (a model, a session's path): written out as the model's own row, so the two still match.
    expect(withVisibleNames({groups: {rows: [{key: 'm\u001b[2J'}]}, byModel: [{model: 'm\u001b[2J'}]})).toEqual({
      groups: {rows: [{key: 'm\\x1b[2J'}]},
      byModel: [{model: 'm\\x1b[2J'}],
    })
    // A key cut in two by an escape is whole without it: such a name is shown without the escape, redacted.
    const key = ['AKIA', 'QYLPMN5HHHFPZAM2'].join('')
    const cut = `${key.slice(0, 8)}\u001b[2J${key.slice(8)}`
    const hide = (text: string): string => text.split(key).join('[REDACTED]')
    expect(withVisibleNames({model: cut}, hide)).toEqual({model: '[REDACTED]'})
    expect(withVisibleNames({model: 'plain\u0007'}, hide)).toEqual({model: 'plain\\x07'})
    // An ESC before a letter: a sequence to stripControls, which takes the letter; the key is found all the same.
    expect(withVisibleNames({model: `${key.slice(0, 8)}\u001b${key.slice(8)}`}, hide)).toEqual({model: '[REDACTED]'})
  })
})
