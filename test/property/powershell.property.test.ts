/**
 * `powershellWrites` over arbitrary text (PowerShell's tokens, quotes, here-strings, braces, white space of every kind,
 * unpaired anything): it never throws, and any file it says the script writes is named in the script.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {powershellWrites} from '../../src/flag/powershell-writes.js'
import {LIMIT_MS, runs} from './runs.js'

const PIECES = [
  'Get-Content ',
  'Set-Content ',
  'Out-File ',
  '-Path ',
  '$p',
  ' = ',
  "'a.md'",
  '"b.md"',
  '"$($x[1])"',
  '"$(Remove-Item x)"',
  "@'\n",
  "\n'@",
  '@"\n',
  '{',
  '}',
  '(',
  ')',
  ';',
  '|',
  ',',
  '>',
  '2>$null',
  '&',
  '.\\x.ps1',
  '[IO.File]::WriteAllText(',
  '.ForEach(',
  '\u00a0',
  '\u2028',
  '\t',
  '\n',
  '`',
  '#',
  ' ',
]

describe('powershellWrites over arbitrary text', () => {
  it(
    'never throws; every file it names is in the script',
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({maxLength: 6})), {maxLength: 40}),
          parts => {
            const script = parts.join('')
            const written = powershellWrites(script)
            if (written) for (const path of written) expect(script).toContain(path)
          },
        ),
        runs(2000, 100_000),
      )
    },
    LIMIT_MS,
  )

  it('reads a long script through (1.7 MB: no step of it copies the rest of the script)', () => {
    const line = "$p = 'a.md'; if (Test-Path $p) { Get-Content $p | Where-Object { $_ -gt 3 } > $null }\n"
    expect(powershellWrites(line.repeat(20_000))).toEqual([])
  })
})
