import {afterEach, describe, expect, it} from 'vitest'
import {redactText, redactValue} from '../../src/util/redact.js'
import {excerpt, setExcerptRedaction} from '../../src/util/text.js'

describe('redaction', () => {
  afterEach(() => setExcerptRedaction(true))

  it('replaces the credentials agents echo, and leaves ordinary text alone', () => {
    expect(redactText('ANTHROPIC_API_KEY=sk-ant-api03-abcdefghijklmnopqrstuv')).toBe(
      'ANTHROPIC_API_KEY=[REDACTED:api-key]',
    )
    expect(redactText('export GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123')).toMatch(/\[REDACTED/)
    expect(redactText('curl -H "Authorization: Bearer abcdefghijklmnop1234"')).toBe(
      'curl -H "Authorization: Bearer [REDACTED]"',
    )
    expect(redactText('password: hunter2hunter2')).toBe('password: [REDACTED]')
    expect(redactText('aws AKIAABCDEFGHIJKLMNOP done')).toBe('aws [REDACTED:aws-key] done')
    expect(redactText('-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----')).toBe(
      '[REDACTED:private-key]',
    )
    for (const plain of ['the token is fine', 'tokenize(input)', 'key = 1', 'const secret_sauce = recipe'])
      expect(redactText(plain)).toBe(plain)
    expect(redactValue({a: ['sk-proj-abcdefghijklmnopqrstuvwx'], b: 2})).toEqual({a: ['[REDACTED:api-key]'], b: 2})
  })

  it('redacts an excerpt before cutting it, so a key cut in half is still hidden', () => {
    const text = `${'x'.repeat(290)} sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789 and more`
    const cut = excerpt(text, 300)
    expect(cut).not.toMatch(/sk-ant/)
    expect(cut).toMatch(/… \[\+\d+ chars\]$/)
    setExcerptRedaction(false)
    expect(excerpt(text, 300)).toMatch(/sk-ant-ap…/)
  })
})
