/**
 * Names from data placed into the Markdown aco writes (evaluation.md, PR.md) read as the text they are:
 * no HTML, no link, no broken table, while ordinary names stay as they are in the file.
 */
import {describe, expect, it} from 'vitest'
import {markdownStrings, markdownText} from '../../src/util/markdown.js'

describe('markdownText', () => {
  it.each([
    ['<img src=x onerror=alert(1)>', '\\<img src=x onerror=alert(1)\\>'],
    ['a|b', 'a\\|b'],
    ['[click](https://evil.example)', '[click\\](https://evil.example)'],
    ['**bold** and `code`', '\\*\\*bold\\*\\* and \\`code\\`'],
    ['_private_', '\\_private\\_'],
    ['&lt;b&gt;', '\\&lt;b\\&gt;'],
    ['# heading', '\\# heading'],
    ['1. first', '1\\. first'],
    ['C:\\Users\\me', 'C:\\\\Users\\\\me'],
  ])('escapes %s', (raw, escaped) => {
    expect(markdownText(raw)).toBe(escaped)
  })

  it.each([
    'claude-sonnet-4-5',
    'gpt-4o-mini',
    'eval_name',
    'openrouter/meta-llama/llama-3.1-70b',
    'ANTHROPIC_API_KEY=[REDACTED:anthropic-key]',
    'a & b',
    '95% interval (0.4–0.9)',
  ])('leaves %s as it is', name => {
    expect(markdownText(name)).toBe(name)
  })
})

describe('markdownStrings', () => {
  it('escapes every string of a result, and keeps numbers, typed arrays and the shape', () => {
    const typed = new Float64Array([1, 2])
    const out = markdownStrings({models: ['a|b', 'c'], best: {model: '<x>', quality: 0.5}, typed, none: null})
    expect(out).toEqual({models: ['a\\|b', 'c'], best: {model: '\\<x\\>', quality: 0.5}, typed, none: null})
    expect(out.typed).toBe(typed)
  })
})

describe('mentions and issue references', () => {
  it('link nothing GitHub would link, and read as they were; addresses and versions are as they are (trial 107)', () => {
    const out = markdownText('echo @octocat please see #1; npm i @types/node')
    expect(out).toBe('echo @\u2060octocat please see #\u20601; npm i @\u2060types/node')
    expect(out.replace(/\u2060/g, '')).toBe('echo @octocat please see #1; npm i @types/node')
    for (const kept of ['git@github.com:o/r.git', 'pkg@1.2.3', 'C# and F#', 'a#b'])
      expect(markdownText(kept)).toBe(kept)
    // After a backquote (escaped: no code span), a dot, a dash or a slash GitHub links them too (review 109).
    expect(markdownText('`@octocat` x-@team a.@b see/#12')).toBe(
      '\\`@\u2060octocat\\` x-@\u2060team a.@\u2060b see/#\u206012',
    )
  })
})
