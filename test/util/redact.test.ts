import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {readTraceFile} from '../../src/read/read-file.js'
import {redactText, redactValue} from '../../src/util/redact.js'
import {excerpt} from '../../src/util/text.js'

describe('redaction', () => {
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
    expect(excerpt(text, 300, false)).toMatch(/sk-ant-ap…/)
  })

  it('is decided per read, never inherited from an earlier read in the same thread', async () => {
    const key = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789'
    const file = join(mkdtempSync(join(tmpdir(), 'aco-redact-')), 'session.jsonl')
    writeFileSync(
      file,
      `${[
        {
          type: 'user',
          uuid: 'u1',
          sessionId: 's',
          timestamp: '2026-01-01T00:00:00Z',
          message: {role: 'user', content: 'go'},
        },
        {
          type: 'assistant',
          uuid: 'a1',
          parentUuid: 'u1',
          sessionId: 's',
          requestId: 'r1',
          timestamp: '2026-01-01T00:00:01Z',
          message: {
            id: 'm1',
            role: 'assistant',
            model: 'claude-sonnet-4-5-20250929',
            content: [{type: 'tool_use', id: 't1', name: 'Bash', input: {command: `export KEY=${key}`}}],
            usage: {input_tokens: 10, output_tokens: 5},
          },
        },
      ]
        .map(r => JSON.stringify(r))
        .join('\n')}\n`,
    )
    const args = async (redact?: boolean): Promise<string> => {
      const result = await readTraceFile(file, redact === undefined ? {} : {redact})
      return JSON.stringify(result.cards[0]!.steps.find(s => s.kind === 'tool')!.tool!.arguments)
    }
    expect(await args(false)).toContain(key)
    // a reader that says nothing gets the default (redacted), whatever the read before asked for
    expect(await args()).not.toContain(key)
    expect(await args(false)).toContain(key)
    expect(await args(true)).not.toContain(key)
  })
})
