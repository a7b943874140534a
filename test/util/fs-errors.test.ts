import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {AcoError} from '../../src/errors.js'
import {readInputText, readInputTextSync} from '../../src/util/fs-errors.js'

describe('reading a file the user named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aco-read-'))
  const file = join(dir, 'prices.json')
  writeFileSync(file, '{"models": []}')

  it('returns its text', async () => {
    expect(await readInputText(file, 'the prices file')).toBe('{"models": []}')
    expect(readInputTextSync(file, 'the prices file')).toBe('{"models": []}')
  })

  it('fails with a usage error in words, never errno text', async () => {
    const missing = join(dir, 'missing.json')
    const cases: Array<[() => unknown, RegExp]> = [
      [
        () => readInputTextSync(missing, 'the router', 'Train one.'),
        /^Cannot read the router .*missing\.json: no such file or folder\.$/,
      ],
      [() => readInputTextSync(dir, 'the decisions file'), /^Cannot read the decisions file .*: it is a folder\.$/],
      // A device would never end (`/dev/zero`), a FIFO block forever: refused before any read.
      [
        () => readInputTextSync('/dev/zero', 'the router'),
        /^Cannot read the router \/dev\/zero: it is not a regular file/,
      ],
    ]
    for (const [read, message] of cases) {
      let error: unknown
      try {
        read()
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(AcoError)
      expect((error as AcoError).exit).toBe(2)
      expect((error as AcoError).message).toMatch(message)
      expect((error as AcoError).message).not.toMatch(/ENOENT|EISDIR|errno/)
    }
    await expect(readInputText('/dev/zero', 'the policy')).rejects.toThrow(/not a regular file/)
    await expect(readInputText(missing, 'the outcomes file', 'Check the path.')).rejects.toMatchObject({
      code: 'usage',
      hint: 'Check the path.',
      message: expect.stringMatching(/: no such file or folder\.$/),
    })
  })
})
