/**
 * Review 21's inputs (`fixtures/review21/`, notes in `test/corpus/waste-labels/REVIEW21.md`): the shell model's
 * writes added on 2026-12-03 as a reviewer tried to break them. Each fixture gave a wrong flag before its mend; each is
 * pinned here with the model's reading of the line that caused it (P12, P13 and P14 are left: see the notes).
 */
import {describe, expect, it} from 'vitest'
import {codeEffects} from '../../src/flag/code.js'
import {classifyShell} from '../../src/flag/commands.js'
import {withHome} from '../../src/flag/effects.js'
import {fixtureFlags} from '../helpers.js'

const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review21/${name}`)
const at = (line: string) => classifyShell(line, '/r')
const written = (line: string) => at(line).writes.map(w => w.path)

describe('review 21', () => {
  it('P1: sed -Ei, -ri, -ni edit in place; w and e under -i, -f scripts, backups and addressed w are writes', async () => {
    expect(await flagsOf('sed-in-place-clusters.jsonl')).toEqual({})
    for (const flag of ['-Ei', '-ri', '-ni', '-si', '-zi'])
      expect(written(`sed ${flag} 's/a/b/' f.txt`)).toEqual(['/r/f.txt'])
    expect(written("sed -i.bak 's/a/b/' f.txt")).toEqual(['/r/f.txt', '/r/f.txt.bak'])
    expect(written("sed -i '' 's/a/b/' f.txt")).toEqual(['/r/f.txt'])
    for (const line of [
      "sed -i 's/a/b/w changes.log' f.txt",
      "sed -i '1e date' f.txt",
      'sed -i -f fix.sed f.txt',
      'sed -f script.sed f.txt',
      "sed --expression='s/a/b/w o.txt' f",
      "sed '/x/s/a/b/w out.txt' f.txt",
      "sed '1,5s/a/b/w out.txt' f.txt",
      "sed -n '/start/,/end/w out.txt' f",
      "sed 'e touch y' f",
    ])
      expect(at(line).writesAny, line).toBe(true)
    for (const line of ["sed 's/we/us/g' f.md", "sed 's/the e x/y/' f.md", "sed -n '10,20p' f.md"])
      expect(at(line).writesAny, line).toBe(false)
  })

  it('P2: a brace list beside a sequence is no list of names aco can spell', async () => {
    expect(await flagsOf('brace-list-and-sequence.jsonl')).toEqual({})
    expect(at("sed -i 's/a/b/' conf/{dev,prod}/part{1..2}.ini").writesUnder).toEqual(['/r/conf'])
    expect(at('touch f{1..3}.txt').writesUnder).toEqual(['/r'])
  })

  it('P3: $HOME and ~ under a line that sets HOME (for a nested shell too) or runs as another user', async () => {
    expect(await flagsOf('home-set-for-nested-shell.jsonl')).toEqual({})
    const home = (line: string) => withHome('/home/ana/app', () => classifyShell(line, '/home/ana/app'))
    for (const line of [
      "HOME=/home/ana/app/.h bash -c 'echo x > $HOME/a.py'",
      "env HOME=/home/ana/app/.h sh -c 'echo x > $HOME/.toolrc'",
      "HOME=$PWD/.h bash -c 'mkdir -p ~/.config && echo {} > ~/.config/a.json'",
      'HOME=/tmp/h; echo x > ~/a.py',
      "sudo bash -c 'echo x > ~/a'",
    ])
      expect(home(line).writesAny, line).toBe(true)
    expect(home('echo x > ~/a.py').writes.map(w => w.path)).toEqual(['/home/ana/a.py'])
  })

  it('P4: a quote inside an awk regular expression hides none of its writes; the program may follow --', async () => {
    expect(await flagsOf('awk-quote-in-regex.jsonl')).toEqual({})
    expect(written(`awk '{gsub(/"/, ""); print > "clean.csv"}' data.csv`)).toEqual(['/r/clean.csv'])
    expect(written(`awk -- '{print > "o.txt"}' f.txt`)).toEqual(['/r/o.txt'])
    for (const line of [
      `awk '{gsub(/"/, "")} {system("rm -rf build")}' f.txt`,
      "awk -i lib.awk '{f()}' f.txt",
      `awk '@include "lib.awk"; {f()}' f.txt`,
      'gawk -E prog.awk f.txt',
    ])
      expect(at(line).writesAny, line).toBe(true)
    expect(written("awk -i inplace.awk '{print}' f.txt")).toEqual(['/r/f.txt'])
    // A division is no regular expression, and a `/` inside a string opens none: the program is read whole.
    expect(at(`awk '/^class W/ {print "    a, b / c \\"x\\""} {print}' f.py`).writesAny).toBe(false)
    expect(at(`awk '{ n = $1 / 2; print n > "half.txt" }' f.txt`).writes.map(w => w.path)).toEqual(['/r/half.txt'])
  })

  it("P5: curl's -o joined to its file, --output-dir for -o, its own URL globs, a config", async () => {
    expect(await flagsOf('curl-joined-output.jsonl')).toEqual({})
    expect(written('curl -sSo./src/schema.ts https://example.com/schema.ts')).toEqual(['/r/src/schema.ts'])
    expect(written('curl -oout.zip https://x.com/a.zip')).toEqual(['/r/out.zip'])
    expect(written('curl --output-dir dl -o a.zip https://x.com/b')).toEqual(['/r/dl/a.zip'])
    expect(at("curl -O 'https://x.com/{a,b}.zip'").writesUnder).toEqual(['/r'])
    expect(at('curl -K cfg.txt https://x.com').writesAny).toBe(true)
  })

  it("P6: eslint's --ext takes a value; a report to a file is a write", async () => {
    expect(await flagsOf('eslint-ext-value.jsonl')).toEqual({})
    expect(at('npx eslint src --ext .ts,.tsx --fix')).toMatchObject({writesAny: true})
    expect(written('npx eslint src --ext .ts,.tsx --fix')).not.toContain('/r/.ts,.tsx')
    expect(written('npx eslint . -o report.json')).toEqual(['/r/report.json'])
  })

  it("P7: folders removed through an import's other name, fs-extra or rimraf", async () => {
    expect(await flagsOf('folder-removed-by-code.jsonl')).toEqual({})
    expect(codeEffects('python', "from shutil import rmtree; rmtree('build')").under).toEqual(['build'])
    expect(codeEffects('python', "import shutil as sh; sh.rmtree('build')").under).toEqual(['build'])
    expect(codeEffects('python', "from shutil import copytree as ct; ct('src', 'dst')").under).toEqual(['dst'])
    expect(codeEffects('python', "zipfile.ZipFile('a.zip').extractall('out')").writesAny).toBe(true)
    expect(codeEffects('node', "require('fs-extra').removeSync('build')").under).toEqual(['build'])
    expect(codeEffects('node', "require('rimraf').sync('dist')").writesAny).toBe(true)
    expect(codeEffects('node', "fs.symlinkSync('a', 'b')").writes).toEqual(['b'])
  })

  it('P8: `mkdir -p out && cd out` enters the folder: no folder made again', async () => {
    expect(await flagsOf('mkdir-then-cd.jsonl')).toEqual({})
  })

  it('P9: a git diff naming paths before -- (two files compared) is no diff of the work tree', async () => {
    expect(await flagsOf('diff-no-index-untracked.jsonl')).toEqual({})
  })

  it("P12, P13: npm version's scripts and workspaces, yarn version; yq --split-exp", () => {
    expect(at('npm version patch').writesAny).toBe(true)
    expect(at('npm version patch --ignore-scripts').writesAny).toBe(false)
    expect(at('npm version patch -w packages/a --ignore-scripts').writesAny).toBe(true)
    expect(written('yarn version --patch')).toContain('/r/package.json')
    expect(at("yq --split-exp '.name' f.yaml").writesUnder).toEqual(['/r'])
  })

  it('(found beside it) a browser installed for end-to-end tests changes the environment; it runs no test', () => {
    for (const line of ['playwright install chromium', 'npx playwright install --with-deps', 'npx cypress install'])
      expect(at(line), line).toMatchObject({env: true, tests: false})
    expect(at('npx playwright test').tests).toBe(true)
  })

  it('P10, P11: perl code that reaches out; Invoke-WebRequest -OutFile:x and -OutF', () => {
    expect(at(`perl -pi -e 'readpipe("touch x")' f.txt`).writesAny).toBe(true)
    expect(at("perl -pi -e 's/^(.*)$/$1/ee' f.txt").writesAny).toBe(true)
    expect(at("perl -pi -e 's/a/b/g' f.txt").writesAny).toBe(false)
    expect(written('Invoke-WebRequest -Uri https://x.com/a.zip -OutFile:a.zip')).toEqual(['/r/a.zip'])
    expect(written('Invoke-WebRequest -Uri https://x.com/a.zip -OutF a.zip')).toEqual(['/r/a.zip'])
  })
})
