/**
 * What a PowerShell script writes, when it is plain enough to tell (powershell-writes.ts): nothing for a script that
 * only reads, the files a writing cmdlet names by a literal path or a variable set once to one, and "cannot tell"
 * (undefined) for anything else a script might do.
 */
import {describe, expect, it} from 'vitest'
import {powershellWrites} from '../../src/flag/powershell-writes.js'

describe('powershellWrites', () => {
  it('a script that only reads, filters and prints writes nothing', () => {
    // Spec Kit's checklist count, as Codex wrote it on Windows.
    const checklists =
      '$dir = "C:\\x\\checklists"; if (Test-Path $dir) { Get-ChildItem -Path $dir -File | ForEach-Object { $content = Get-Content $_.FullName; $total = ($content | Where-Object { $_ -match \'^- \\[[ xX]\\]\' }).Count; [PSCustomObject]@{ Name = $_.Name; Total = $total } } | Format-Table -AutoSize }'
    expect(powershellWrites(checklists)).toEqual([])
    expect(powershellWrites('$files = gci src -r; $files | % { $_.FullName }')).toEqual([])
    expect(powershellWrites('Get-Content a.txt 2>$null')).toEqual([])
    expect(powershellWrites('[IO.File]::ReadAllText("a")')).toEqual([])
    expect(
      powershellWrites('$l = Get-Content f; for($i=0;$i -lt $l.Count;$i++){ Write-Output "$i:$($l[$i])" }'),
    ).toEqual([])
  })

  it('a file written by a literal path, or by a variable set once to one', () => {
    expect(powershellWrites('Get-Content a.txt | Set-Content b.txt')).toEqual(['b.txt'])
    expect(powershellWrites('[IO.File]::WriteAllText("a.md", "b")')).toEqual(['a.md'])
    expect(powershellWrites('Set-Content -Encoding UTF8 -Path "docs\\a.md" -Value $x')).toEqual(['docs\\a.md'])
    const replace =
      "$path = '.specify/templates/plan-template.md'; $content = Get-Content -Raw $path; $content = $content.Replace('a','b'); Set-Content $path $content"
    expect(powershellWrites(replace)).toEqual(['.specify/templates/plan-template.md'])
    expect(
      powershellWrites("$path = 'spec.md';\nSet-Content -Path $path -Value @'\n# Spec\n'@ -Encoding UTF8"),
    ).toEqual(['spec.md'])
    const list =
      '$lines = [System.Collections.Generic.List[string]]::new(); Get-Content f | ForEach-Object {$lines.Add($_)}; $lines | Set-Content f'
    expect(powershellWrites(list)).toEqual(['f'])
  })

  it('cannot tell: other cmdlets and programs, redirection, the call operator, writing methods, computed paths', () => {
    for (const script of [
      '$x = Remove-Item foo',
      'Get-ChildItem | Remove-Item',
      'Write-Output "hi" > out.txt',
      '"$(Remove-Item x)"',
      'npm install',
      '& ./build.ps1',
      '. ./env.ps1',
      'if (-not (Test-Path x)) { New-Item -ItemType Directory x }',
      '$c = Get-Content f; $c.Delete()',
      "$p = 'a.md'; $p = 'b.md'; Set-Content $p x",
      '$content | Out-File -FilePath $out',
      "Set-Content -Path (Join-Path $dir 'a.json') -Value 1",
      "@'\nhello\n'@ | Out-File -FilePath (Get-Location)",
      // Review 6: a program by its path; a method named in a string; a location changed before a relative write; a
      // list of paths; splatting; a variable changed after it was set.
      '.\\scripts\\generate-client.ps1',
      '.\\node_modules\\.bin\\eslint.cmd --fix src',
      "(Get-ChildItem build -Filter *.log).ForEach('Delete')",
      'Set-Location docs; $c = Get-Content -Raw CHANGELOG.md; Set-Content -Path CHANGELOG.md -Value $c',
      'if ($true) { Add-Content -Path CHANGELOG.md, docs\\CHANGELOG.md -Value $entry }',
      "$params = @{ Path = 'docs\\faq.md'; Value = 'x' }; Add-Content @params",
      "$p = 'docs\\guide'; $p += '.md'; Add-Content -Path $p -Value x",
      "$p = 'docs\\guide' + '.md'; Add-Content -Path $p -Value x",
    ])
      expect(powershellWrites(script), script).toBeUndefined()
  })

  it('reads any white space as PowerShell does (a no-break space between arguments), without failing', () => {
    expect(
      powershellWrites('$c = Get-Content -Raw notes.md; Set-Content -Path notes.md -Value\u00a0$c -NoNewline'),
    ).toEqual(['notes.md'])
    expect(powershellWrites('$l = Get-Content f; for($i=0;$i -lt $l.Count;$i++){ $l[$i] }')).toEqual([])
  })
})
