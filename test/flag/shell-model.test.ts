/**
 * The shell-command model: what a command line reads, shows, searches and
 * writes. Each case is a command agents really run (mini-swe-agent, Claude
 * Code's Bash, Codex's exec_command), with the answer a careful reader gives.
 */
import {describe, expect, it} from 'vitest'
import {codeEffects} from '../../src/flag/code.js'
import {classifyShell, coreDir} from '../../src/flag/commands.js'
import {matchesLine, narrower} from '../../src/flag/patterns.js'
import {
  displayPath,
  floatingPath,
  foreignTo,
  homeOf,
  mayBeUnder,
  normalisePath,
  withHome,
} from '../../src/flag/effects.js'
import {endsInJsStack, gitAborted, harnessHeaderEnd, regexFailed} from '../../src/card/output-facts.js'
import {
  errorSignature,
  isEnvironmentError,
  missingPaths,
  formError,
  mergedPaths,
  missingTool,
  neverStarted,
  reportsCaughtFailure,
  reportsCommandNotFound,
  showsFailure,
  shownOf,
  syntaxError,
  timedOut,
  unmatchedWords,
} from '../../src/flag/output.js'
import {expandBraces, parseShell} from '../../src/flag/shell.js'
import {untrackedIn} from '../../src/flag/untracked.js'

const at = (line: string) => classifyShell(line, '/r')
const written = (line: string) => at(line).writes.map(w => w.path)
/** Commands answered by another machine or a device: volatile, and no file here written. */
function answeredElsewhere(lines: readonly string[]): void {
  for (const line of lines) {
    const a = at(line)
    expect(a.writesAny, line).toBe(false)
    expect(a.writes, line).toEqual([])
    expect(a.writesUnder, line).toEqual([])
    expect(a.volatile, line).toBe(true)
  }
}

describe('shell parser', () => {
  it('splits simple commands on operators outside quotes, and knows which read through a pipe', () => {
    const cmds = parseShell(`cd src && grep -n "a && b" x.ts | head -5; echo 'x;y'`)
    expect(cmds.map(c => c.words)).toEqual([
      ['cd', 'src'],
      ['grep', '-n', 'a && b', 'x.ts'],
      ['head', '-5'],
      ['echo', 'x;y'],
    ])
    expect(cmds.map(c => c.piped)).toEqual([false, false, true, false])
  })

  it('stops where bash said a quote never closed, when it finds the same quote: from that command on, nothing ran', () => {
    const prose = "echo a\nTHOUGHT: it's late; echo b\necho c"
    expect(parseShell(prose, 0, 2).map(c => c.words)).toEqual([['echo', 'a']])
    expect(parseShell("THOUGHT: I'll look.\n\ncat x.py", 0, 1)).toEqual([])
    // Not on bash's word, or not the quote bash named: the commands as they are (the unclosed word runs to the end).
    expect(parseShell(prose).length).toBe(2)
    expect(parseShell(prose, 0, 3).length).toBe(2)
    // A heredoc's body may hold any quote.
    expect(parseShell("cat <<'EOF'\nit's\nEOF\necho done").map(c => c.words)).toEqual([['cat'], ['echo', 'done']])
  })

  it("cuts only on the shell's own syntax error: a commit message's heredoc, PowerShell and Python strings stay whole", () => {
    const commit =
      "black a.py && git commit -am \"$(cat <<'EOF'\nFormat: don't keep long lines\nEOF\n)\"\nsed -i s/x/y/ b.py"
    expect(classifyShell(commit, '/repo').writes.map(w => w.path)).toEqual(['/repo/a.py', '/repo/b.py'])
    // `$(…)` ends past a comment and a heredoc body holding a quote, not at a shift in arithmetic.
    expect(classifyShell('x="$(ls # it\'s\n)"\nrm c.txt', '/repo').writes.map(w => w.path)).toEqual(['/repo/c.txt'])
    const shifted = 'v=$(( 1 << 2 ))\ncat <<EOF > out.txt\n2\nEOF\ntouch b.txt'
    expect(classifyShell(shifted, '/repo').writes.map(w => w.path)).toEqual(['/repo/out.txt', '/repo/b.txt'])
    expect(classifyShell('v=$(echo ${line%% #*}) ; touch b.txt', '/repo').writes.map(w => w.path)).toEqual([
      '/repo/b.txt',
    ])
    const shift = 'echo "$((1 << 2))" > a.txt\nsed -i s/x/y/ b.py'
    expect(classifyShell(shift, '/repo').writes.map(w => w.path)).toEqual(['/repo/a.txt', '/repo/b.py'])
    const ps = 'Set-Content -Path src/a.ts -Value "export const a = 1;`nexport const b = 3;"'
    expect(classifyShell(ps, '/repo').writes.map(w => w.path)).toEqual(['/repo/src/a.ts'])
    // bash said so: line 2's quote never closed, so `sed` (line 3) never ran and `echo` (line 1) did.
    const stopped = classifyShell("echo hi > a.txt\nTHOUGHT: it's done\nsed -i s/x/y/ b.py", '/repo', 0, {
      line: 2,
      unclosedQuote: true,
    })
    expect(stopped.writes.map(w => w.path)).toEqual(['/repo/a.txt'])
    // A syntax error elsewhere, bash echoing the line: the lines before it ran.
    const prose = "echo hi > a.txt\nTHOUGHT: use .only('pk') here\nsed -i s/x/y/ b.py"
    const named = {line: 2, unclosedQuote: false, text: "THOUGHT: use .only('pk') here"}
    expect(classifyShell(prose, '/repo', 0, named).writes.map(w => w.path)).toEqual(['/repo/a.txt'])
    // Another shell's error (an npm script's, `bash -c "$X"`): the line it echoed or the quote is not the command's.
    const other = {line: 2, unclosedQuote: false, text: 'echo "broken'}
    expect(classifyShell(prose, '/repo', 0, other).writes.map(w => w.path)).toEqual(['/repo/a.txt', '/repo/b.py'])
    const nested = classifyShell('sed -i s/a/b/ f.py && npm test', '/repo', 0, {line: 1, unclosedQuote: true})
    expect(nested.writes.map(w => w.path)).toEqual(['/repo/f.py'])
    expect(
      syntaxError(
        "bash: -c: line 3: unexpected EOF while looking for matching `''\nbash: -c: line 5: syntax error: unexpected end of file",
      ),
    ).toEqual({line: 3, unclosedQuote: true})
    expect(syntaxError("bash: -c: line 1: syntax error near unexpected token `('\nbash: -c: line 1: `f(x)'")).toEqual({
      line: 1,
      unclosedQuote: false,
      text: 'f(x)',
    })
    // bash named by its path, as Codex's `bash -lc` reports it (fresh260 #27: a backtick left open; nothing ran).
    expect(syntaxError("/bin/bash: -c: line 1: unexpected EOF while looking for matching ``'\n")).toEqual({
      line: 1,
      unclosedQuote: true,
    })
    expect(
      syntaxError(
        "/usr/bin/bash: -c: line 2: syntax error near unexpected token `('\n/usr/bin/bash: -c: line 2: `f(x)'",
      ),
    ).toEqual({line: 2, unclosedQuote: false, text: 'f(x)'})
    // dash names the line it reached, not the quote's; only a shell the command started prints it (`sh -c`, npm).
    expect(syntaxError('sh: 4: Syntax error: Unterminated quoted string')).toBeUndefined()
    expect(syntaxError('SyntaxError: invalid syntax')).toBeUndefined()
  })

  it('reads redirections, fd duplications and heredoc bodies', () => {
    const [cat, py] = parseShell("cat > fix.py << 'EOF'\nprint(1)\nEOF\npython fix.py 2>&1 >> log.txt")
    expect(cat!.redirects).toEqual([
      {op: '>', fd: 1, target: 'fix.py', dynamic: false},
      {op: '<<', fd: 0, target: 'EOF', dynamic: false, body: 'print(1)'},
    ])
    expect(py!.words).toEqual(['python', 'fix.py'])
    expect(py!.redirects.map(r => [r.op, r.fd, r.target])).toEqual([
      ['>&', 2, '1'],
      ['>>', 1, 'log.txt'],
    ])
  })

  it('marks words it cannot know (variables, substitutions, globs) and parses the commands inside substitutions', () => {
    const [cmd] = parseShell('rm -f $(find . -name "*.pyc") src/*.tmp "$OUT"')
    expect(cmd!.dynamic).toEqual([false, false, true, true, true])
    expect(cmd!.substitutions.map(s => s.words[0])).toEqual(['find'])
  })

  it('skips the keywords of compound commands and continues a line after && and |', () => {
    const cmds = parseShell('for f in a b; do\n  grep -q x "$f" &&\n  echo "$f"\ndone')
    expect(cmds.map(c => c.words[0])).toEqual(['grep', 'echo'])
    expect(cmds[1]!.after).toBe('&&')
    expect(cmds.every(c => c.nested)).toBe(true)
  })

  it('reads a command in a for loop over known words as what its runs do together; not over a glob or a variable', () => {
    const cmds = parseShell('for f in a.py "b c.py"; do\n  grep -n x "$f"\n  cp "$f" "$f.bak"\ndone')
    expect(cmds[0]!.words).toEqual(['grep', '-n', 'x', 'a.py', 'b c.py'])
    expect(cmds[0]!.dynamic).toEqual([false, false, false, false, false])
    // Two uses of the variable in one command are not a list: left as they are.
    expect(cmds[1]!.words).toEqual(['cp', '$f', '$f.bak'])
    expect(parseShell('for f in *.py; do cat "$f"; done')[0]!.dynamic).toEqual([false, true])
    expect(parseShell('for f in $FILES; do cat "$f"; done')[0]!.dynamic).toEqual([false, true])
    // After the loop, the name is no longer the loop's.
    expect(parseShell('for f in a; do :; done; cat "$f"').at(-1)!.words).toEqual(['cat', '$f'])
  })
})

describe('what a command shows', () => {
  it('a quiet grep of files: a search that shows only whether anything matched', () => {
    const [s] = at('grep -q L060 a.py b.py').searches
    expect(s).toMatchObject({pattern: 'L060', scopes: ['/r/a.py', '/r/b.py'], output: 'status'})
    expect(at('cat a.py | grep -q x').searches).toEqual([])
  })

  it('what runs after `||`, or in a subshell or `{ …; }` group opened there, ran only if what came before failed: no read or search shown', () => {
    // (fresh361: a python summary's `|| cat s.json | head -30` fallback never ran; review 73: the same in a subshell, and
    // a search.)
    for (const line of [
      `cat s.json | python3 -c 'import json,sys; print(1)' || cat s.json | head -30`,
      `python3 -c 'print(3)' || (echo fallback && cat s.json)`,
      `python3 -c 'print(3)' || { echo fallback; cat s.json; }`,
    ]) {
      const a = at(line)
      expect(a.reads, line).toEqual([])
      expect(a.deps, line).toContain('/r/s.json')
    }
    expect(at(`python3 -c 'print(3)' || grep -rn TODO src`).searches).toEqual([])
    // Its parts are said as such: no proof they ran (duplicate-call had matched `grep -rn TODO src` against one).
    expect(at(`python3 -c 'print(3)' || grep -rn TODO src`).fallbackParts).toEqual(['@/r grep -rn TODO src'])
    expect(at('ls x || (echo no && ls y)').fallbackParts).toEqual(['@/r ls y'])
    expect(at('grep -rn TODO src || true').fallbackParts).toBeUndefined()
    // A `{ …; }` group run whether or not: what it reads is shown.
    expect(at('{ echo start; cat s.json; } && echo done').reads).toEqual([{path: '/r/s.json'}])
    // Unless the group's output goes to a file, written where the group began (review 75: a `cd` inside it had moved it).
    const sent = at('{ echo "# Notes"; cat s.json; } > notes.md')
    expect(sent.reads).toEqual([])
    expect(sent.writes.map(w => w.path)).toEqual(['/r/notes.md'])
    expect(at('{ cd web; cat a.txt; } > out.txt').writes.map(w => w.path)).toEqual(['/r/out.txt'])
    const tests = at('(cd web && npm test) > test.log 2>&1')
    expect(tests.writes.map(w => [w.path, w.partial])).toEqual([['/r/test.log', undefined]])
    expect(at('{ cat a.txt; cat s.json; } 2>/dev/null | head -3').reads).toEqual([])
    expect(at('(cat s.json) 2>&1 | head -3').reads).toEqual([{path: '/r/s.json', range: [1, 4]}])
    // A group's output piped: what the pipe let through is not told, unless one command alone prints in it.
    expect(at('{ cat a.txt; cat s.json; } | grep foo').reads).toEqual([])
    expect(at('(cat a.txt; cat s.json) | head -5').reads).toEqual([])
    expect(at('(cd x && cat a.txt) | head -5').reads).toEqual([{path: '/r/x/a.txt', range: [1, 6]}])
    // What runs whether or not: before `||`, and after `&&` once the `||` list is done.
    expect(at('test -f s.json && cat s.json || echo none').reads).toEqual([{path: '/r/s.json'}])
    expect(at('cat missing.json || echo none && cat s.json').reads.map(r => r.path)).toEqual([
      '/r/missing.json',
      '/r/s.json',
    ])
  })

  it('file content with its line range, through pipes', () => {
    expect(at(`sed -n '10,40p' src/a.py`).reads).toEqual([{path: '/r/src/a.py', range: [10, 41]}])
    // An end before the start prints the start line alone.
    expect(at(`sed -n '1251,1140p' src/a.py`).reads).toEqual([{path: '/r/src/a.py', range: [1251, 1252]}])
    expect(at(`nl -ba src/a.py | sed -n '280,760p'`).reads).toEqual([{path: '/r/src/a.py', range: [280, 761]}])
    expect(at('cat -n pydicom/jsonrep.py | head -250').reads).toEqual([
      {path: '/r/pydicom/jsonrep.py', range: [1, 251]},
    ])
    expect(at('cat README.md').reads).toEqual([{path: '/r/README.md'}])
    expect(at('cd lib && cat x.ex').reads).toEqual([{path: '/r/lib/x.ex'}])
    // Past the longest path a system allows, a `cd` failed: where the shell stayed is not known, so a file read
    // after it is no named file (and thousands of `cd y &&` in one line read in linear time).
    const deep = `cd x${' && cd y'.repeat(3000)} && cat x.ex`
    expect(at(deep).reads.map(r => r.path)).not.toContain(`/r/x${'/y'.repeat(3000)}/x.ex`)
    expect(at(`cd x${' && cd y'.repeat(100)} && cat x.ex`).reads).toEqual([{path: `/r/x${'/y'.repeat(100)}/x.ex`}])
    expect(at('head -n 50 a.txt').reads).toEqual([{path: '/r/a.txt', range: [1, 51]}])
  })

  it('several files shown in turn: each read as alone, unless a pipe consumes them', () => {
    expect(at('cat a.py b.py').reads).toEqual([{path: '/r/a.py'}, {path: '/r/b.py'}])
    expect(at('head -20 a.py b.py').reads).toEqual([
      {path: '/r/a.py', range: [1, 21]},
      {path: '/r/b.py', range: [1, 21]},
    ])
    expect(at('cat a.py b.py | head -5')).toMatchObject({reads: [], opaque: true})
    expect(at('tail -5 a.py b.py')).toMatchObject({reads: [], opaque: true})
  })

  it("a loop's reads, each file by a run of its own: a filter in the loop cuts each file's lines", () => {
    const loop = `for f in a.md b.md; do echo "--- $f ---"; nl -ba "$f" | sed -n '1,260p'; done`
    expect(at(loop)).toMatchObject({
      kind: 'read',
      reads: [
        {path: '/r/a.md', range: [1, 261]},
        {path: '/r/b.md', range: [1, 261]},
      ],
    })
    expect(at(loop).opaque).toBeFalsy()
    // Outside a loop the filter cuts the files' lines together: where each file's end falls is unknown.
    expect(at(`nl -ba a.md b.md | sed -n '1,260p'`)).toMatchObject({reads: [], opaque: true})
    // A filter that keeps the last lines of each run: not placed.
    expect(at(`for f in a.md b.md; do cat "$f" | tail -5; done`)).toMatchObject({reads: [], opaque: true})
  })

  it('no file content when a pipe transforms it or the lines cannot be placed', () => {
    expect(at(`sed -n '1221p' a.py | cat -A`).reads).toEqual([])
    expect(at('cat a.py | wc -l').reads).toEqual([])
    expect(at('tail -n 20 a.py | grep x').reads).toEqual([])
  })

  it("a file's last lines, which only its length places", () => {
    expect(at('tail -n 20 a.py')).toMatchObject({reads: [{path: '/r/a.py', last: 20}], deps: ['/r/a.py']})
    expect(at('tail -c 200 a.py').reads).toEqual([])
  })

  it('searches: pattern, place, depth, name filters and what they print', () => {
    // A cut keeps its count; a filter after it leaves unknown whether it took anything.
    expect(at('grep -n import f.py | head -5').searches[0]!.cut).toBe(5)
    expect(at('grep -n import f.py | head -5 | grep -v json').searches[0]!.cut).toBeNaN()
    expect(at('grep -n import f.py | grep -v json').searches[0]!.cut).toBeUndefined()
    expect(at(`grep -rn "def parse" src --include='*.py' -A 3`).searches[0]).toMatchObject({
      mode: 'content',
      pattern: 'def parse',
      scopes: ['/r/src'],
      depth: Number.POSITIVE_INFINITY,
      names: ['*.py'],
      output: 'lines',
      context: [0, 3],
    })
    expect(at('grep -il TODO a.ts').searches[0]).toMatchObject({
      pattern: 'todo',
      flags: 'i',
      scopes: ['/r/a.ts'],
      depth: 1,
      output: 'files',
    })
    expect(at('rg foo').searches[0]).toMatchObject({scopes: ['/r'], hidden: false})
    // rg with no path searches what is piped into it: `find d -type f | rg x` filters find's names (no deeper than it).
    expect(at(`find d -maxdepth 2 -type f | rg '\\.pdf$'`).searches[0]).toMatchObject({
      mode: 'name',
      scopes: ['/r/d'],
      depth: 2,
      filters: ['-type f', 're:\\.pdf$'],
    })
    // find -exec grep and find | xargs grep are content searches over what find found
    expect(at(`find ./test -name "*.py" -exec grep -l "L060" {} \\;`).searches[0]).toMatchObject({
      mode: 'content',
      pattern: 'L060',
      scopes: ['/r/test'],
      names: ['*.py'],
      output: 'files',
    })
    expect(at('find src -name "*.ts" | xargs grep -n useState').searches[0]).toMatchObject({
      mode: 'content',
      scopes: ['/r/src'],
    })
    // output cut downstream: not every hit was shown
    expect(at('grep -rn foo . | head -20').searches[0]!.limited).toBe(true)
    // `cat f | grep x` searches f
    expect(at('cat a.py | grep -n x').searches[0]).toMatchObject({mode: 'content', scopes: ['/r/a.py']})
  })

  it('listings: ls one level, ls -R and tree the whole tree, find without filters too', () => {
    expect(at('ls -la src').searches[0]).toMatchObject({
      mode: 'name',
      scopes: ['/r/src'],
      depth: 1,
      listing: true,
      hidden: true,
    })
    expect(at('tree src -I node_modules').searches[0]).toMatchObject({
      depth: Number.POSITIVE_INFINITY,
      otherFilters: true,
    })
    expect(at('find . -type f -name "*.ts"').searches[0]).toMatchObject({
      names: ['*.ts'],
      filters: ['-type f'],
      listing: false,
    })
  })
})

describe('what a command writes', () => {
  it('redirections, heredocs (with the content), tee, sed -i', () => {
    expect(at("cat > fix.py << 'EOF'\nprint(1)\nEOF").writes).toEqual([{path: '/r/fix.py', content: 'print(1)'}])
    expect(at('echo hi >> log.txt').writes).toEqual([{path: '/r/log.txt', partial: true}])
    expect(written('npm test 2>&1 | tee out.log')).toEqual(['/r/out.log'])
    expect(written("sed -i 's/a/b/' f.txt g.txt")).toEqual(['/r/f.txt', '/r/g.txt'])
    expect(written('ls > /dev/null && echo x > /tmp/scratch')).toEqual([])
  })

  it('a page captured by playwright into the file it names (not a test run)', () => {
    expect(written('npx playwright screenshot --viewport-size=390,844 http://localhost:3000 shots/home.png')).toEqual([
      '/r/shots/home.png',
    ])
    expect(at('npx playwright pdf http://localhost:3000 /tmp/page.pdf').scratch).toEqual([{path: '/tmp/page.pdf'}])
    expect(at('npx playwright screenshot http://localhost:3000 shots/home.png').tests).toBe(false)
    // An option's value that could be the file: anything may have been written; one after the file is no file.
    expect(at('npx playwright screenshot http://localhost:3000 --wait-for-timeout 500').writesAny).toBe(true)
    expect(written('npx playwright screenshot http://localhost:3000 shot.png -b webkit')).toEqual(['/r/shot.png'])
    expect(at('npx playwright test').tests).toBe(true)
  })

  it('file operations: mv, cp, rm, mkdir, touch', () => {
    expect(at('rm -rf build').writesUnder).toEqual(['/r/build'])
    expect(written('mv a.py b.py')).toContain('/r/a.py')
    expect(written('mv a.py b.py')).toContain('/r/b.py')
    expect(written('cp pydicom/jsonrep.py.backup pydicom/jsonrep.py')).toContain('/r/pydicom/jsonrep.py')
    expect(written('touch a.txt')).toEqual(['/r/a.txt'])
    expect(at('rm -f src/*.pyc').writesUnder).toEqual(['/r/src'])
  })

  it("PowerShell's environment variables set to values run nothing; anything else assigned is read as unknown", () => {
    for (const line of [
      '$env:JAVA_HOME=D:/jbr',
      '$env:Path = "$env:JAVA_HOME/bin;$env:Path"',
      "$env:NODE_ENV = 'test'",
    ])
      expect(at(line), line).toMatchObject({writesAny: false, writes: [], depsAny: false})
    for (const line of ['$env:V = Get-Date', '$env:X = ./build.ps1', '$env:T = @"', '$x = 3', '$x=$(rm -rf /)'])
      expect(at(line).writesAny, line).toBe(true)
  })

  it("Gradle's tasks by what they do: tests, builds (their outputs), anything else unknown", () => {
    expect(at('./gradlew testDebugUnitTest')).toMatchObject({tests: true, writesAny: false, writesUnder: []})
    expect(at('./gradlew.bat :app:testDebugUnitTest --no-daemon')).toMatchObject({tests: true, writesAny: false})
    expect(at('gradle :app:assembleDebug :core:compileKotlin')).toMatchObject({writesUnder: ['/r'], outputs: ['/r']})
    expect(at('./gradlew clean assembleDebug').writesAny).toBe(true)
    expect(at('./gradlew test assembleDebug')).toMatchObject({writesAny: false, writesUnder: ['/r']})
    expect(at('./gradlew assembleDebug -x lint').writesAny).toBe(true)
    expect(at('./gradlew installDebug').writesAny).toBe(true)
  })

  it("Node's own test runner is a test run; chmod and touch change no file's content", () => {
    expect(at('node --test unit_tests/*.test.js')).toMatchObject({writesAny: false, writes: []})
    expect(at('chmod +x run_tests.sh').writes).toEqual([{path: '/r/run_tests.sh', partial: true, metaOnly: true}])
    expect(at('touch a.py').writes[0]!.metaOnly).toBe(true)
    expect(at('sed -i s/a/b/ a.py').writes[0]!.metaOnly).toBeUndefined()
  })

  it('git: what changes the tree, what only looks', () => {
    expect(at('git status').writesAny).toBe(false)
    expect(at('git diff -- src/a.py').deps).toContain('(git)')
    expect(at('git checkout -- src/a.py').writesUnder).toEqual(['/r/src/a.py'])
    // A branch switch or a stash changes files anywhere in the work tree: a known command's writes, below '/'.
    expect(at('git checkout main')).toMatchObject({writesAny: false, writesUnder: ['/']})
    expect(at('git stash')).toMatchObject({writesAny: false, writesUnder: ['/']})
    expect(at('git add -A').writesAny).toBe(false)
    // A new branch at HEAD changes git's state, not the tree; from another start point it may change any file.
    expect(at('git checkout -b issue/42')).toMatchObject({writesAny: false, git: true})
    expect(at('git switch -c feat')).toMatchObject({writesAny: false, git: true})
    expect(at('git checkout -b x origin/main').writesUnder).toEqual(['/'])
  })

  it("git: what a look depends on (git's state alone, or the working tree too)", () => {
    expect(at('git log --oneline -4').deps).toEqual(['(git)'])
    expect(at('git show HEAD:src/a.py').deps).toEqual(['(git)'])
    expect(at('git branch --show-current').deps).toEqual(['(git)'])
    // `git branch` lists with a commit to compare with or patterns; a name makes a branch (`--sort` alone lists nothing).
    for (const line of [
      'git branch --merged origin/main',
      'git branch --contains HEAD -a',
      "git branch --list 'feat*'",
    ])
      expect(at(line), line).toMatchObject({git: false, deps: ['(git)']})
    for (const line of [
      'git branch feat',
      'git branch --sort=-committerdate feat',
      'git branch -D old',
      'git branch -u o/x',
    ])
      expect(at(line).git, line).toBe(true)
    // rtk runs the command after it (its readers as cat), printing a condensed output: its effects, none of its lines.
    expect(at('rtk git status --short')).toMatchObject({
      writesAny: false,
      git: false,
      deps: ['(git)', '/'],
      opaque: true,
    })
    expect(at('rtk read src/a.py')).toMatchObject({writesAny: false, reads: [], deps: ['/r/src/a.py']})
    expect(at('rtk err git commit -m x')).toMatchObject({git: true})
    expect(at('rtk gain').writesAny).toBe(true)
    expect(at('git diff --cached --stat').deps).toEqual(['(git)'])
    expect(at('git diff -- src/a.py tests').deps).toEqual(['(git)', '/r/src/a.py', '/r/tests'])
    // The whole repository, wherever it runs: its root is not known (a folder may lie below it), so any write.
    expect(at('git status --short').deps).toEqual(['(git)', '/'])
    expect(at('cd web && git diff').deps).toEqual(['(git)', '/'])
    // a pathspec aco cannot resolve: the whole repository
    expect(at('git diff -- "$F"').deps).toEqual(['(git)', '/'])
    // A range of commits compares commits alone: no working-tree file (fresh222 #94); a path with `..` is a path.
    expect(at('git diff --name-status origin/main...HEAD').deps).toEqual(['(git)'])
    expect(at('git diff HEAD~3.. -- src/a.py').deps).toEqual(['(git)'])
    expect(at('git diff ../lib/a.py').deps).toEqual(['(git)', '/'])
    expect(at('git diff --no-index a..b c').deps).toEqual(['(git)', '/'])
    // `..` alone is the parent folder, as git reads it (review 62).
    expect(at('git diff ..').deps).toEqual(['(git)', '/'])
    expect(at('git diff ...').deps).toEqual(['(git)', '/'])
    expect(at('git diff ..main').deps).toEqual(['(git)'])
    // (Other looks at the tree: the folder they run in.)
    expect(at('cd web && git ls-files').deps).toEqual(['(git)', '/r/web'])
  })

  it('builds write inside the project, neither git nor the environment; other scripts may write anything', () => {
    const b = at('cd frontend && npm run build')
    expect([b.writesUnder, b.writesAny, b.git, b.env]).toEqual([['/r'], false, false, false])
    expect(at('npm --prefix web run build:prod').writesUnder).toEqual(['/r'])
    expect(classifyShell('npm --prefix /srv/web run build', '/r').writesUnder).toEqual(['/srv/web'])
    expect(at('pnpm -C web install').writesUnder).toEqual(['/r/web/node_modules'])
    expect(at('cargo build --release').writesUnder).toEqual(['/r'])
    expect(at('go build -o /usr/local/bin/app .').writesAny).toBe(true)
    expect(at('npm run deploy').writesAny).toBe(true)
    expect(at('cd "$APP" && npm run build').writesAny).toBe(true)
  })

  it("checks, builds and test runs of one language's code depend on that code; end-to-end runs and unknown scripts on anything", () => {
    const code = (line: string) => [at(line).depsCode, at(line).depsAny]
    expect(code('cd web && npx tsc --noEmit')).toEqual([['js'], false])
    expect(code('npm run lint')).toEqual([['js'], false])
    expect(code('mypy . && ruff check')).toEqual([['python'], false])
    expect(code('npx hardhat compile')).toEqual([['js', 'solidity'], false])
    expect(code('cargo clippy')).toEqual([['rust'], false])
    expect(code('npx tsc --noEmit && ./check.sh')).toEqual([['js'], true])
    expect(code('pytest -q')).toEqual([['python'], false])
    expect(code('python -m unittest discover')).toEqual([['python'], false])
    // A package script's contents are unknown: a Hardhat `npm test` compiles Solidity.
    expect(code('npm test')).toEqual([undefined, true])
    expect(code('npx vitest run')).toEqual([['js'], false])
    expect(code('go test ./...')).toEqual([['go'], false])
    expect(code('cargo test')).toEqual([['rust'], false])
    expect(code('npm run test:e2e')).toEqual([undefined, true])
    expect(code('npx playwright test')).toEqual([undefined, true])
    expect(code('tox -e py311')).toEqual([undefined, true])
    expect(code('npx hardhat test')).toEqual([undefined, true])
    expect(code('mvn package')).toEqual([undefined, true])
    expect(code('codespell')).toEqual([undefined, true])
    // a type-checker of one file follows its imports; a per-file linter reads that file
    expect(code('mypy src/a.py')).toEqual([['python'], false])
    expect([at('ruff check src/a.py').depsCode, at('ruff check src/a.py').deps]).toEqual([undefined, ['/r/src/a.py']])
    // a build's writes are its outputs
    expect(at('npx vite build').outputs).toEqual(['/r/dist'])
    expect(at('npx tsc').outputs).toEqual(['/r'])
    expect(at('black .').outputs).toBeUndefined()
  })

  it("uv run / poetry run / pipenv run / conda run X: X, in the project's environment", () => {
    expect(at('uv run python fix.py').scripts).toEqual([{lang: 'python', path: '/r/fix.py', cwd: '/r'}])
    expect(at('uv run fix.py').scripts).toEqual([{lang: 'python', path: '/r/fix.py', cwd: '/r'}])
    expect([at('uv run pytest -q').depsCode, at('uv run pytest -q').env]).toEqual([['python'], true])
    expect([at('poetry run mypy .').depsCode, at('poetry run mypy .').env]).toEqual([['python'], false])
    expect(at('uv run --directory api python fix.py').scripts).toEqual([
      {lang: 'python', path: '/r/api/fix.py', cwd: '/r/api'},
    ])
    expect(at('pipenv run ./manage.sh').scripts).toEqual([{lang: 'shell', path: '/r/manage.sh', cwd: '/r'}])
    expect(at('uv run --frozen').writesAny).toBe(true)
  })

  it('docker compose config, past global options, reads its files and writes nothing', () => {
    expect(at('docker compose -f deploy/compose.yml --env-file deploy/.env config')).toMatchObject({
      writesAny: false,
      volatile: false,
      deps: ['/r/deploy/compose.yml', '/r/deploy/.env'],
    })
    expect(at('docker compose config')).toMatchObject({writesAny: false, deps: ['/r']})
    expect(at('docker compose -f deploy/compose.yml up -d').writesAny).toBe(true)
    expect(at('kubectl -n shop get pods')).toMatchObject({writesAny: false, volatile: true})
    expect(at('kubectl -n shop apply -f k8s/').writesAny).toBe(true)
  })

  it('docker compose looks as docker does', () => {
    expect(at('docker compose ps').writesAny).toBe(false)
    expect(at('docker-compose logs api').writesAny).toBe(false)
    expect(at('docker compose up -d --build').writesAny).toBe(true)
    // Global options before the subcommand are skipped (this was read as an unknown subcommand, writing anything).
    expect(at('docker compose -f dev.yml ps').writesAny).toBe(false)
    expect(at('docker compose -f dev.yml up').writesAny).toBe(true)
    // Images are built, pulled or pushed: no file of the host is written.
    expect(at('docker compose build').writesAny).toBe(false)
    expect(at('docker compose -f dev.yml pull api').writesAny).toBe(false)
  })

  it("which files another language's tools cannot read", () => {
    expect(foreignTo(['js'], '/r/backend/main.py')).toBe(true)
    expect(foreignTo(['js'], '/r/pyproject.toml')).toBe(true)
    expect(foreignTo(['js'], '/r/web/src/App.tsx')).toBe(false)
    expect(foreignTo(['python'], '/r/web/package.json')).toBe(true)
    expect(foreignTo(['python'], '/r/data/cases.json')).toBe(false)
    expect(foreignTo(['python'], '/r/templates/index.html')).toBe(false)
    expect(foreignTo(['js', 'solidity'], '/r/contracts/Token.sol')).toBe(false)
    expect(foreignTo(['rust'], '/r/native/lib.c')).toBe(false)
  })

  it('patches: apply_patch in a shell and patch with a named file', () => {
    const patch =
      "apply_patch <<'EOF'\n*** Begin Patch\n*** Update File: src/app.py\n@@\n-a\n+b\n*** Add File: src/new.py\n+x = 1\n*** End Patch\nEOF"
    // (The update replaced a line without context: what it now reads is in the patch.)
    expect(at(patch).writes).toEqual([
      {path: '/r/src/app.py', partial: true, replaced: ['b\n']},
      {path: '/r/src/new.py', content: 'x = 1\n'},
    ])
    const withContext = patch.replace('@@\n-a\n+b\n', '@@\n def f():\n-a\n+b\n')
    expect(at(withContext).writes[0]).toEqual({path: '/r/src/app.py', partial: true})
    expect(written('patch -p1 src/a.py < fix.diff')).toEqual(['/r/src/a.py'])
    // A diff file applied: what it writes is what its headers name, once the session shows its content (context.ts);
    // in another directory (`-d`), or from a file aco cannot name, anything.
    expect(at('patch -p1 < fix.diff')).toMatchObject({
      writesAny: false,
      scripts: [{lang: 'patch', path: '/r/fix.diff'}],
    })
    expect(at('patch -p0 -i ../fix.diff').scripts).toEqual([{lang: 'patch', path: '/fix.diff', cwd: '/r'}])
    expect(at('git apply --whitespace=fix a.patch').scripts).toEqual([{lang: 'patch', path: '/r/a.patch', cwd: '/r'}])
    expect(at('patch -d sub -p1 < fix.diff').writesAny).toBe(true)
    expect(at('patch -p1 < $PATCH').writesAny).toBe(true)
    expect(at('patch --dry-run -p1 < fix.diff')).toMatchObject({writesAny: false, scripts: []})
  })

  it('wrappers: a Windows program by path, PowerShell -Command, programs under node_modules, cd from an unknown place', () => {
    expect(at('"C:/Program Files/Git/bin/bash.exe" -c "cd /c/p && npx vitest run"')).toMatchObject({writesAny: false})
    const ps = at('powershell -Command "Set-Location \'c:\\p\'; npm install 2>&1"')
    expect(ps.writesAny).toBe(false)
    expect(ps.writesUnder).toEqual(['/c/p/node_modules'])
    expect(at('powershell -File build.ps1').writesAny).toBe(true)
    // Its backslashes are path separators, not escapes.
    expect(written('powershell -Command "Remove-Item .\\src\\config.ts"')).toEqual(['/r/src/config.ts'])
    expect(at('node node_modules/.bin/vitest run')).toMatchObject({writesAny: false, depsAny: false, depsCode: ['js']})
    expect(at('node node_modules/typescript/bin/tsc --noEmit').writesAny).toBe(false)
    expect(at('node node_modules/some-tool/index.js').writesAny).toBe(true)
    // An unknown starting place: `cd x && ls` is not `ls`.
    expect(classifyShell('cd YudaiV3 && ls -la', undefined).core).not.toBe(classifyShell('ls -la', undefined).core)
  })

  it('containers write the host only through what they mount', () => {
    const run = at(
      'docker run --rm -v "$(pwd):/app" -w /app node:20 sh -c "npm ci && npx vitest run && echo x > /tmp/y"',
    )
    expect(run.writesAny).toBe(false)
    expect(run.writesUnder).toEqual(['/r/node_modules'])
    expect(at('docker run --rm -v c:/w:/src alpine sh -c "echo hi > /src/out.txt"').writes.map(w => w.path)).toEqual([
      '/c/w/out.txt',
    ])
    // A command aco does not read may write anything under the mount; a named volume is not the host's files.
    expect(at('docker run -v /data:/data img ./migrate').writesUnder).toEqual(['/data'])
    expect(at('docker run --rm -v cache:/var/lib img touch /var/lib/x')).toMatchObject({
      writesAny: false,
      writesUnder: [],
    })
    // `-t` (a terminal) takes no value: the `-v` after it is still a mount.
    expect(at('docker run -t -v /h:/app img sh -c "touch /app/x"').writes.map(w => w.path)).toEqual(['/h/x'])
    expect(at('docker run --privileged img sh').writesAny).toBe(true)
    // An option aco does not know may take a value that would pass for the image: anything.
    expect(at('docker run -h box -v /h:/app img sh -c "echo"').writesAny).toBe(true)
    expect(at('docker run -v /var/run/docker.sock:/var/run/docker.sock img').writesAny).toBe(true)
    expect(at('docker build -t app .').writesAny).toBe(false)
    expect(at('docker compose up -d').writesAny).toBe(true)
  })

  it('an assignment whose value is quoted is an assignment; a cd inside $(…) moves only what follows it there', () => {
    expect(at('ROOT="$(git rev-parse --show-toplevel)"').writesAny).toBe(false)
    expect(at('DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"').writesAny).toBe(false)
    expect(at('X="$(cd a && touch b)"').writes.map(w => w.path)).toEqual(['/r/a/b'])
    // A quoted name is a command's name, not an assignment.
    expect(at('"X=1" rm -rf a').writesAny).toBe(true)
  })

  it('builtins that change only shell variables write nothing', () => {
    for (const line of ['let "n = n - 1"', 'declare -a xs', 'local x=1', 'shift 2', 'readonly A=1'])
      expect(at(line)).toMatchObject({writesAny: false, writes: [], writesUnder: []})
  })

  it('runners: tests and checkers read, installs change the environment, builds write inside the project, unknown commands anything', () => {
    // A project's own test runner by its conventional name: a test run (Django's, SymPy's); another script anything.
    for (const line of ['python tests/runtests.py serializers --parallel 1', './runtests.py x', 'python bin/test x'])
      expect(at(line)).toMatchObject({writesAny: false, writes: [], depsCode: ['python']})
    expect(at('./bin/test sympy/polys')).toMatchObject({writesAny: false, writes: [], depsAny: true})
    expect(at('python tests/run_all.py').scripts).toHaveLength(1)
    // A script named as a shell builtin is not that builtin: `./test` may do anything; `/usr/bin/test` is `test`.
    expect(at('./test').writesAny).toBe(true)
    expect(at('/usr/bin/test -f x')).toMatchObject({writesAny: false, depsAny: false})
    expect(at('/opt/homebrew/bin/echo hi')).toMatchObject({writesAny: false})
    // sqlfluff's lint, parse and render read (the project's own linter in SWE-bench's sqlfluff tasks); fix and format write.
    expect(at('echo "select 1;;" | sqlfluff lint - 2>&1 | tail -20').writesAny).toBe(false)
    // Run in its own repository it reads its rules too: it depends on Python code, not on the file named alone.
    expect(at('python -m sqlfluff lint test.sql')).toMatchObject({
      writesAny: false,
      depsAny: false,
      depsCode: ['python'],
    })
    expect(written('sqlfluff fix test.sql')).toEqual(['/r/test.sql'])
    expect(at('python -m pytest tests/ -x 2>&1 | tail -50')).toMatchObject({
      writesAny: false,
      depsAny: false,
      depsCode: ['python'],
    })
    expect(at('node --check app.js')).toMatchObject({writesAny: false, depsAny: false, deps: ['/r/app.js']})
    expect(at('python -m py_compile x.py')).toMatchObject({writesAny: false, deps: ['/r/x.py']})
    // rtk's `proxy` runs the command as it is: a read (fresh77 #68-#70); its other subcommands print their own summary.
    expect(at("rtk proxy nl -ba README.md | sed -n '1,220p'").reads).toEqual([{path: '/r/README.md', range: [1, 221]}])
    expect(at('rtk git status').reads).toEqual([])
    // `mise exec -- x` runs x with the project's pinned tools: x's own effects (fresh221 #45); a task of the project's
    // file, or a runner that injects secrets (`doppler run -- x`: a live database's tests), stays unknown.
    expect(at('mise exec -- go test ./...')).toMatchObject({tests: true, depsCode: ['go'], writesAny: false})
    expect(at('mise x -- go test ./...').core).toBe(at('go test ./...').core)
    // A runner's own words choosing a toolchain, a dev shell or another folder's environment make another run: the
    // line stays the runner's (review 62: `mise exec go@1.21 --` and `go@1.22 --` were one call).
    expect(at('mise exec go@1.22 -- go test ./...').core).not.toBe(at('mise exec go@1.21 -- go test ./...').core)
    expect(at('mise exec go@1.22 -- go test ./...').writesAny).toBe(true)
    expect(at('nix develop .#go121 -c go test ./...').writesAny).toBe(true)
    expect(at('direnv exec ./env/pg go test ./...').writesAny).toBe(true)
    expect(at("nix develop -c sed -n '1,20p' a.rs").reads).toEqual([{path: '/r/a.rs', range: [1, 21]}])
    expect(at('direnv exec . cat a.py').reads).toEqual([{path: '/r/a.py'}])
    expect(at('mise run test')).toMatchObject({tests: false, writesAny: true})
    expect(at('doppler run -- go test ./...')).toMatchObject({tests: false, writesAny: true})
    // `bash -n`: the shell reads the script and runs none of it; the same script run is a script run.
    expect(at('bash -n deploy.sh')).toMatchObject({
      writesAny: false,
      depsAny: false,
      scripts: [],
      deps: ['/r/deploy.sh'],
    })
    expect(at('sh -xn deploy.sh').scripts).toEqual([])
    expect(at('bash deploy.sh').scripts).toMatchObject([{lang: 'shell', path: '/r/deploy.sh'}])
    // A check of named files is the same run from any folder; a test run is not.
    expect(classifyShell('cd app && python3 -m py_compile main.py', '/r').core).toBe(
      classifyShell('python3 -m py_compile app/main.py', '/r').core,
    )
    expect(classifyShell('cd app && npm test', '/r').core).not.toBe(classifyShell('npm test', '/r').core)
    expect(at('npx tsc --noEmit').writesAny).toBe(false)
    expect(at('eslint src/a.ts').writesAny).toBe(false)
    expect(at('eslint --fix src/a.ts').writesUnder).toEqual(['/r/src/a.ts'])
    expect(at('black src/')).toMatchObject({writesUnder: ['/r/src']})
    expect(at('pip install -e .')).toMatchObject({env: true, writesAny: false})
    expect(at('npm install lodash').writesUnder).toEqual(['/r/node_modules'])
    // A package named: package.json changes; none: only the lock file (`npm ci`: not even that).
    const npmWrites = (line: string) => at(line).writes.map(w => w.path.slice(3))
    expect(npmWrites('npm install lodash')).toContain('package.json')
    expect(npmWrites('npm i -D vitest')).toContain('package.json')
    expect(npmWrites('npm install --legacy-peer-deps')).toEqual([
      'package-lock.json',
      'pnpm-lock.yaml',
      'yarn.lock',
      'bun.lockb',
    ])
    expect(npmWrites('npm ci')).toEqual([])
    expect(at('npx create-next-app@latest todo-app --typescript').writesUnder).toEqual(['/r/todo-app'])
    expect(at('npm run build').writesUnder).toEqual(['/r'])
    expect(at('make').writesAny).toBe(true)
    expect(at('frobnicate --all').writesAny).toBe(true)
    expect(at('cd "$(mktemp -d)" && touch x').writesAny).toBe(true)
  })

  it('scripts are judged later by their content; inline code now', () => {
    expect(at('python reproduce.py').scripts).toEqual([{lang: 'python', path: '/r/reproduce.py', cwd: '/r'}])
    expect(at(`python -c "print(open('a.txt').read())"`).writesAny).toBe(false)
    expect(written(`python -c "open('out.txt', 'w').write('x')"`)).toEqual(['/r/out.txt'])
    expect(at('python - <<EOF\nimport os\nos.system(cmd)\nEOF').writesAny).toBe(true)
  })
})

describe('what an install changes', () => {
  it('names the packages of a plain install; a requirements file, a local path, a URL or a glob cannot be named', () => {
    expect(at('pip install -q asgiref "pytz>=2020" PyYAML').installs).toEqual(['asgiref', 'pytz', 'pyyaml'])
    expect(at('python -m pip install scikit_learn && uv pip install numpy').installs).toEqual(['scikitlearn', 'numpy'])
    expect(at('apt-get install -y python3-numpy').installs).toEqual(['python3numpy'])
    for (const line of [
      'pip install -r requirements.txt',
      'pip install -e .',
      'pip install ./dist/x.whl',
      'pip install git+https://github.com/a/b',
      'pip install x[extra]',
      'pip install --index-url=https://example.test/simple x',
      'pip install a && conda activate env',
      'python setup.py develop',
    ]) {
      expect(at(line).env, line).toBe(true)
      expect(at(line).installs, line).toBeUndefined()
    }
    expect(at('python -m django --version').writesAny).toBe(false)
    expect(at('python manage.py migrate').writesAny).toBe(true)
  })
})

describe('git log printing hashes alone', () => {
  it('`git log --pretty=%H` of named commits is `git rev-list` of them; not of HEAD alone, nor with another format', () => {
    const core = (line: string) => classifyShell(line, '/r').core
    expect(core("git log --all --pretty=format:'%H' -- a.ts")).toBe(core('git rev-list --all -- a.ts'))
    expect(core('git log --format=%H main -n 3')).toBe(core('git rev-list main -n 3'))
    expect(core('git log --pretty=%H -n 3')).not.toBe(core('git rev-list -n 3'))
    expect(core('git log --all --pretty=%H --stat')).not.toBe(core('git rev-list --all --stat'))
  })
})

describe("a program asked a subcommand's usage", () => {
  it('prints it and writes nothing; not through a program or subcommand that runs what follows, nor a script', () => {
    const writesNothing = (line: string): boolean => {
      const a = classifyShell(line, '/p')
      return !a.writesAny && a.writes.length === 0 && a.writesUnder.length === 0 && !a.env
    }
    for (const line of ['entire collab --help', 'git worktree add --help', 'cargo build --help', 'gh pr create --help'])
      expect(writesNothing(line), line).toBe(true)
    // (`npm run build --help` may run the script, `npx tool --help` runs the tool; so does anything after `exec`.)
    for (const line of ['npm run build --help', 'npx some-tool --help', 'yarn build --help', 'kubectl exec pod --help'])
      expect(writesNothing(line), line).toBe(false)
    expect(writesNothing('mytool a b c d --help')).toBe(false)
  })
})

describe('the same command, compared', () => {
  it('a command run in the same directory is the same whatever cd or output filter leads to it', () => {
    expect(classifyShell('cd /testbed && python -m pytest t.py 2>&1 | tail -50', '/').core).toBe(
      classifyShell('python -m pytest t.py', '/testbed').core,
    )
  })

  it('a wrapper is compared by what it runs', () => {
    const core = at('pip install y').core
    expect(at(`python -c "import subprocess; subprocess.run(['pip', 'install', 'y'])"`).core).toBe(core)
    expect(at(`bash -c 'pip install y'`).core).toBe(core)
  })

  it('awk printing lines by number, and the tail of a head, read known line ranges', () => {
    expect(at("awk 'NR>=10 && NR<=20' a.py").reads).toEqual([{path: '/r/a.py', range: [10, 21]}])
    expect(at("awk 'NR>9 && NR<21 {print}' a.py").reads).toEqual([{path: '/r/a.py', range: [10, 21]}])
    expect(at("awk 'NR==5' a.py").reads).toEqual([{path: '/r/a.py', range: [5, 6]}])
    expect(at("cat -n a.py | awk 'NR>=3 && NR<=4'").reads).toEqual([{path: '/r/a.py', range: [3, 5]}])
    expect(at('head -20 a.py | tail -5').reads).toEqual([{path: '/r/a.py', range: [16, 21]}])
    expect(at('cat a.py | head -500 | tail -100').reads).toEqual([{path: '/r/a.py', range: [401, 501]}])
    // Each line with its number beside it, as `nl` would print it (fresh213 #17, #37-#41: `printf "%6d\t%s\n", NR, $0`).
    expect(at(`awk 'NR>=40 && NR<=120 {printf "%6d\\t%s\\n", NR, $0}' a.go`).reads).toEqual([
      {path: '/r/a.go', range: [40, 121]},
    ])
    expect(at(`awk 'NR>=4 && NR<=6 {print NR": "$0}' a.go`).reads).toEqual([{path: '/r/a.go', range: [4, 7]}])
    expect(at(`awk 'NR==7 {print NR, $0}' a.go`).reads).toEqual([{path: '/r/a.go', range: [7, 8]}])
    // other awk programs are not reads of known lines: the numbers alone, another field, a computation
    expect(at("awk 'NR>=4 && NR<=6 {print NR}' a.go").reads).toEqual([])
    expect(at("awk 'NR>=4 && NR<=6 {print $2}' a.go").reads).toEqual([])
    expect(at('awk \'NR>=4 && NR<=6 {printf "%d", length($0)}\' a.go').reads).toEqual([])
    expect(at("awk '{print $2}' a.py").reads).toEqual([])
    expect(at("awk 'NR>=10 && NR<=20' a.py b.py").reads).toEqual([])
  })

  it('a tool run as a Python module is the tool (`python -m pip` is `pip`, `pip3` is `pip`)', () => {
    const core = at('pip install y').core
    expect(at('python -m pip install y').core).toBe(core)
    expect(at('python3.11 -m pip install y').core).toBe(core)
    expect(at('pip3 install y').core).toBe(core)
    expect(at('python -m pytest t.py').core).toBe(at('pytest t.py').core)
    expect(at('python -m json.tool x').core).not.toBe(at('json.tool x').core)
  })

  it('environment assignments are set apart, so a command can be compared without those already in effect', () => {
    const plain = at('pip install y').core
    const prefixed = at('A=1 pip install y')
    expect(prefixed.core).not.toBe(plain)
    expect(prefixed.bareCore).toBe(plain)
    expect(prefixed.assigns).toEqual(['A=1'])
    const exported = at('export A=1 && pip install y')
    expect(exported.bareCore).toBe(plain)
    expect(exported.exports).toEqual(['A=1'])
    expect(at('env A=1 pip install y').assigns).toEqual(['A=1'])
    expect(at('pip install y').assigns).toBeUndefined()
  })

  it('the parts of a compound command can be found again', () => {
    expect(at('ls -la types/ && find types/ | wc -l').parts).toContain(at('ls -la types/').parts![0])
  })

  it('submitting the final answer is never a repeat', () => {
    expect(at('echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && cat patch.txt').kind).toBe('other')
  })
})

describe('paths', () => {
  it('resolves against the directory a call ran in; ".", "..", Windows and home', () => {
    expect(normalisePath('./src/../lib/a.ts/', '/home/x')).toBe('/home/x/lib/a.ts')
    expect(normalisePath('src/a.ts', '.')).toBe('/(cwd)/src/a.ts')
    // Shown to people: below the session's folder relative to it, the home folder's as `~/…`.
    expect(displayPath(normalisePath('~/.config/app.json'), '/work/app')).toBe('~/.config/app.json')
    expect(displayPath('/work/app/src/a.ts', '/work/app')).toBe('src/a.ts')
    expect(normalisePath('C:\\Users\\a\\x.py')).toBe(normalisePath('c:/Users/a/x.py'))
  })

  it('a relative path from a folder aco cannot name is a folder written below, wherever it lies', () => {
    const unplaced = (line: string) => classifyShell(line, undefined)
    expect(floatingPath('./src/../lib/a.py')).toBe('/(anywhere)/lib/a.py')
    expect(floatingPath('../../lib/')).toBe('/(anywhere)/lib')
    expect(floatingPath('.')).toBeUndefined()
    expect(floatingPath('/abs/a.py')).toBeUndefined()
    expect(unplaced('sed -i s/a/b/ src/a.py')).toMatchObject({writesAny: false, writesUnder: ['/(anywhere)/src/a.py']})
    expect(unplaced('rm -rf build/*.o && mkdir -p out')).toMatchObject({
      writesAny: false,
      writesUnder: ['/(anywhere)/build', '/(anywhere)/out'],
    })
    expect(unplaced('cp a.py ../lib/')).toMatchObject({writesAny: false, writesUnder: ['/(anywhere)/lib']})
    // The folder itself, or a glob in it: anything.
    expect(unplaced('rm -f *.pyc').writesAny).toBe(true)
    expect(unplaced('rm -rf .').writesAny).toBe(true)
    expect(mayBeUnder('/repo/src/a.py', '/(anywhere)/src/a.py')).toBe(true)
    expect(mayBeUnder('/repo/src/a.py', '/(anywhere)/src')).toBe(true)
    expect(mayBeUnder('/repo/src/a.pyc', '/(anywhere)/src/a.py')).toBe(false)
    expect(mayBeUnder('/repo/xsrc/a.py', '/(anywhere)/src')).toBe(false)
  })

  it('a path through a variable may lie in any folder, not only below the one the command ran in', () => {
    expect(at('echo x > $OUT/a.py').writesAny).toBe(true)
    expect(at('echo x > build/$NAME.txt')).toMatchObject({writesAny: false, writesUnder: ['/r/build']})
  })
})

describe('script code', () => {
  it('names the files a Python script writes, and says when it cannot tell', () => {
    expect(codeEffects('python', "with open('pydicom/jsonrep.py', 'w') as f:\n    f.write(s)").writes).toEqual([
      'pydicom/jsonrep.py',
    ])
    expect(codeEffects('python', "print(open('a.txt').read())")).toEqual({
      writes: [],
      under: [],
      writesAny: false,
      commands: [],
    })
    expect(codeEffects('python', "p = Path('x.json')\np.write_text('{}')").writes).toEqual(['x.json'])
    // (On one line, as `python -c` runs: the assignment ends at its `;`.)
    expect(codeEffects('python', "from pathlib import Path; p = Path('x.json'); p.write_text('{}')")).toMatchObject({
      writes: ['x.json'],
      writesAny: false,
    })
    expect(codeEffects('python', 'open(name, mode)').writesAny).toBe(true)
    expect(codeEffects('python', "text = text.replace('a', 'b')").writesAny).toBe(false)
    // temporary files are not project files
    expect(
      codeEffects(
        'python',
        "with tempfile.NamedTemporaryFile(mode='w', delete=False) as f:\n    p = f.name\nos.unlink(p)",
      ).writesAny,
    ).toBe(false)
    expect(codeEffects('python', "subprocess.run(['git', 'apply', 'x.diff'])").commands).toEqual(['git apply x.diff'])
  })

  it('JavaScript too', () => {
    expect(codeEffects('node', "fs.writeFileSync('out.json', data)").writes).toEqual(['out.json'])
    expect(codeEffects('node', "const re = /x/; re.exec('y')").writesAny).toBe(false)
    expect(codeEffects('node', "execSync('npm test')").commands).toEqual(['npm test'])
  })

  it('a folder removed, moved or copied into: anything below it changed; a copy does not write its source', () => {
    expect(codeEffects('python', "shutil.rmtree('build')")).toMatchObject({writes: ['build'], under: ['build']})
    expect(codeEffects('python', "shutil.copytree('a', 'b')")).toMatchObject({writes: ['b'], under: ['b']})
    expect(codeEffects('python', "os.rename('old', 'new')").under).toEqual(['old', 'new'])
    expect(codeEffects('python', "Path('old').rename('new')").under).toEqual(['old', 'new'])
    expect(codeEffects('python', "os.remove('a.txt')").under).toEqual([])
    expect(codeEffects('node', "fs.rmSync('dist', {recursive: true})").under).toEqual(['dist'])
    expect(codeEffects('node', "fs.copyFileSync('a.txt', 'b.txt')")).toMatchObject({writes: ['b.txt'], under: []})
    // From the shell: a read below the folder comes after a change to it.
    expect(at(`python -c "import shutil; shutil.rmtree('build')"`).writesUnder).toEqual(['/r/build'])
  })
})

describe('git -C', () => {
  it('reads paths from the folder it names', () => {
    expect(classifyShell('git -C repo diff -- src/x.py', '/p').deps).toContain('/p/repo/src/x.py')
    expect(classifyShell('git -C repo mv a.py lib/a.py', '/p').writes.map(w => w.path)).toContain('/p/repo/lib/a.py')
  })
})

describe('filters and loops', () => {
  it('sort and uniq pass a search on only when they merge no distinct lines', () => {
    expect(classifyShell('rg -n x src | sort -u', '/p').searches).toHaveLength(1)
    expect(classifyShell('rg -n x src | sort -t: -k1,1 -u', '/p').searches).toHaveLength(0)
    expect(classifyShell('rg -n x src | uniq -c', '/p').searches).toHaveLength(0)
  })

  it('a loop that sleeps in its body polls; a loop then a sleep does not', () => {
    expect(classifyShell('until grep -q Started app.log; do sleep 1; done', '/p').volatile).toBe(true)
    expect(classifyShell('while read l; do echo "$l"; done < f; sleep 2', '/p').volatile).toBe(false)
  })
})

describe('patterns compared', () => {
  it('a pattern is narrower when it holds, in order, the literal pieces of an alternative of the other', () => {
    expect(narrower('replace.*encode_ascii', 'encode_ascii')).toBe(true)
    expect(narrower('_legacy_decode', 'def decode\\|_legacy_decode', true, true)).toBe(true)
    expect(narrower('_legacy_decode', 'def decode|_legacy_decode')).toBe(true)
    expect(narrower('PVSystem.*arrays=x', 'PVSystem.*arrays=')).toBe(true)
    expect(narrower('a.*b', 'b.*a')).toBe(false)
    // `.` is one character: the same `.` in both patterns stands for the same character. A letter against the other's
    // `.` is left uncompared (false, the safe answer); a `.` against the other's letter is rightly false.
    expect(narrower('from marshmallow.compat import', 'from marshmallow.compat', true, true)).toBe(true)
    expect(narrower('from marshmallowXcompat', 'from marshmallow.compat')).toBe(false)
    expect(narrower('from marshmallow.compat', 'from marshmallowXcompat')).toBe(false)
    expect(narrower('encode', 'encode_ascii')).toBe(false)
    // A class of a few characters is spelled out; a negated one is not compared.
    expect(narrower('foo', 'fo[o]')).toBe(true)
    expect(narrower('foo', 'fo[^x]')).toBe(false)
    expect(narrower('x\\|y', 'x', true, true)).toBe(false)
    // Every line `x.y` matches holds an `x` (a `.` was not compared before; it is one character now).
    expect(narrower('x.y', 'x')).toBe(true)
    expect(narrower('x', 'x.y')).toBe(false)
  })

  it('an earlier alternative aco cannot read is left out of the comparison, not the whole earlier pattern', () => {
    const earlier = 'interface ViewConfig|tabs\\s*:\\s*List<String>|StartApplyingSection|Course\\.Athena'
    expect(narrower('StartApplyingSection\\(', earlier)).toBe(true)
    expect(narrower('Course\\.Athena', earlier)).toBe(true)
    // What only the unread alternative would match is not known to be among its hits; nor is a later one it cannot read.
    expect(narrower('tabs: List', earlier)).toBe(false)
    expect(narrower('tabs\\s+List', earlier)).toBe(false)
    expect(narrower('Course\\.Athena|Other', earlier)).toBe(false)
    // Bars inside a group or a class do not cut the pattern; grep's basic syntax cuts at `\|` only.
    expect(narrower('ab', '(x|y)\\s+|ab')).toBe(true)
    expect(narrower('ab', '[|]\\s+|ab')).toBe(true)
    expect(narrower('a|b', 'a|b\\s+', true, true)).toBe(false)
    expect(narrower('ab', 'x\\s+\\|ab', true, true)).toBe(true)
    expect(narrower('ab', 'x\\s+')).toBe(false)
  })

  it("reads each pattern in its own syntax: grep's basic one takes ( ) { } + ? | as plain characters", () => {
    // pvlib-1854: `grep -n "PVSystem(arrays="` after `grep -n "PVSystem.*arrays="` in the same file.
    expect(narrower('PVSystem(arrays=', 'PVSystem.*arrays=', true, true)).toBe(true)
    expect(narrower('PVSystem(arrays=', 'PVSystem.*arrays=', false, true)).toBe(false)
    expect(narrower('a|b', 'a', true, false)).toBe(true)
    expect(narrower('a', 'a|b', true, true)).toBe(false)
    expect(narrower('a', 'a|b', false, false)).toBe(true)
    expect(narrower('base64\\.b64encode', 'b64encode')).toBe(true)
    expect(narrower('x\\(y', 'x', true, true)).toBe(false)
    expect(narrower('x\\(y', 'x(y', false, true)).toBe(true)
    expect(narrower('\\bfoo', 'foo')).toBe(false)
  })

  it('reads anchors at the ends of an alternative, and small groups and classes as the alternatives they stand for', () => {
    expect(narrower('^- \\[ \\]', '^- \\[( |x|X)\\]')).toBe(true)
    expect(narrower('^- \\[(x|X)\\]', '^- \\[( |x|X)\\]')).toBe(true)
    expect(narrower('^- \\[[xX]\\]', '^- \\[( |x|X)\\]')).toBe(true)
    // Unanchored within anchored is not narrower; anchored within unanchored is.
    expect(narrower('- \\[x\\]', '^- \\[x\\]')).toBe(false)
    expect(narrower('^- \\[x\\]', '- \\[x\\]')).toBe(true)
    expect(narrower('foo$', 'foo')).toBe(true)
    expect(narrower('foo', 'foo$')).toBe(false)
    // grep's basic syntax groups with \\( \\| \\); a quantified group or a wide class is not compared.
    expect(narrower('import \\(a\\|b\\)', 'import', true, true)).toBe(true)
    expect(narrower('(ab)+', 'ab')).toBe(false)
    expect(narrower('x[a-z]', 'x')).toBe(false)
    expect(narrower('x[0-3]', 'x')).toBe(true)
    expect(narrower('(?:a|b)c', 'c')).toBe(true)
    expect(narrower('(?i)a', 'a')).toBe(false)
  })

  it('tells which lines a pattern matches, as it reads it', () => {
    expect(matchesLine('^- \\[ \\]', false, '- [ ] open item')).toBe(true)
    expect(matchesLine('^- \\[ \\]', false, '  - [ ] indented')).toBe(false)
    expect(matchesLine('from.*check', true, 'from x import (')).toBe(false)
    expect(matchesLine('a.c', false, 'abc')).toBe(true)
    expect(matchesLine('done$', false, 'done.')).toBe(false)
    expect(matchesLine('foo', false, 'FOO', true)).toBe(true)
    expect(matchesLine('\\bfoo', false, 'foo')).toBeUndefined()
  })
})

describe('compilers, npm pkg, Windows drives', () => {
  it('a compiler through npx writes its build folders, not its sources; npm pkg set writes package.json', () => {
    const hardhat = classifyShell('npx hardhat compile', '/p/contracts')
    expect(hardhat.writesAny).toBe(false)
    expect(hardhat.writesUnder).toEqual([
      '/p/contracts/artifacts',
      '/p/contracts/cache',
      '/p/contracts/typechain-types',
    ])
    expect(classifyShell('npx next build', '/p/web').writesUnder).toContain('/p/web/tsconfig.json')
    expect(classifyShell('npx some-tool build', '/p').writesAny).toBe(true)
    const pkg = classifyShell('npm pkg set type=module', '/p')
    expect(pkg.writesAny).toBe(false)
    expect(pkg.writes.map(w => w.path)).toEqual(['/p/package.json'])
    expect(classifyShell('npm pkg get version', '/p').writes).toEqual([])
  })

  it("a Windows drive is one folder however it is written (a tool's C:\\a or c:/a, Git Bash's /c/a)", () => {
    expect(normalisePath('C:\\Users\\dev\\app.ts')).toBe('/c/Users/dev/app.ts')
    expect(normalisePath('c:/Users/dev/app.ts')).toBe('/c/Users/dev/app.ts')
    expect(normalisePath('app.ts', 'C:\\Users\\dev')).toBe('/c/Users/dev/app.ts')
  })
})

describe('formatters that correct in place', () => {
  it("write what they check: rubocop's -a/-A/--autocorrect-all, codespell's --write-changes (review 66)", () => {
    expect(classifyShell('rubocop -A app/models/user.rb', '/r').writes.map(w => w.path)).toEqual([
      '/r/app/models/user.rb',
    ])
    expect(classifyShell('rubocop --autocorrect-all', '/r').writesAny).toBe(true)
    expect(classifyShell('codespell --write-changes README.md', '/r').writes.map(w => w.path)).toEqual(['/r/README.md'])
    expect(classifyShell('rubocop app/models/user.rb', '/r').writes).toEqual([])
    expect(classifyShell('codespell README.md', '/r').writes).toEqual([])
  })
})

describe("a command's canonical text", () => {
  it('keeps its folder one word, spaces and all, and gives the folder back whole', () => {
    const core = classifyShell('docker compose up -d', '/home/dev/Eagle Point AI/app').core!
    // (Every pattern that reads the command after its folder, `^@\S* docker`, held only for folders without spaces.)
    expect(core).toMatch(/^@\S* docker compose up -d$/)
    expect(coreDir(/^@(\S+) /.exec(core)![1]!)).toBe('/home/dev/Eagle Point AI/app')
  })
})

describe('failures an exit code of 0 hides', () => {
  it("a shell's command not found, in bash, dash and zsh words; the shell's line number is no part of the failure", () => {
    expect(reportsCommandNotFound('bash: line 1: bashndocker: command not found\nDone\n')).toBe(true)
    expect(reportsCommandNotFound('sh: 1: pytest: not found\n')).toBe(true)
    expect(reportsCommandNotFound('zsh: command not found: rg\n')).toBe(true)
    expect(reportsCommandNotFound('grep: no match found in 3 files\n')).toBe(false)
    expect(reportsCommandNotFound('The page was not found\n')).toBe(false)
    expect(errorSignature('bash: line 2: bashndocker: command not found\n')).toBe(
      errorSignature('bash: line 1: bashndocker: command not found\n'),
    )
  })

  it('an exception a program logged in brackets is named without the closing one (trial 123: "function]")', () => {
    expect(errorSignature('Generating...\n[TypeError: generate is not a function]\n')).toBe(
      'TypeError: generate is not a function',
    )
    expect(errorSignature('Import error: KeyError: missing_key_name\n')).toBe('KeyError: missing_key_name')
    // (A bracket the message itself closes stays.)
    expect(errorSignature('failed: ValueError: bad shape [3, 4]\n')).toBe('ValueError: bad shape [3, 4]')
  })

  it("a package manager's closing line is no script's failure: the error above it is (fresh116 #38, #77)", () => {
    const pnpm =
      '\n> app@0.1.0 lint /home/me/app\n> eslint .\n\nsh: line 1: eslint: command not found\n ELIFECYCLE  Command failed.\n'
    expect(errorSignature(pnpm)).toBe('sh: eslint: command not found')
    const npm =
      "> app@0.1.0 build\n> tsc -p .\n\nsrc/a.ts(3,1): error TS2304: Cannot find name 'x'.\nnpm error Lifecycle script `build` failed with error:\nnpm error code 2\nnpm error path /home/me/app\nnpm error workspace app@0.1.0\nnpm error location /home/me/app\nnpm error command failed\nnpm error command sh -c tsc -p .\n"
    expect(errorSignature(npm)).toMatch(/error TS2304: Cannot find name 'x'/)
    // Two different scripts' failures under one closing line are two failures.
    expect(errorSignature(pnpm)).not.toBe(
      errorSignature(pnpm.replace('eslint: command not found', 'tsc: command not found')),
    )
    // With nothing above it, the closing line is all there is.
    expect(errorSignature(' ELIFECYCLE  Command failed with exit code 1.\n')).toMatch(/ELIFECYCLE/)
  })

  it('a line marked as failed (❌, ✗) is the failure, not the banner above it (fresh342 #114)', () => {
    const banner = 'Starting HelloWorld Agent...\n==================\n'
    const inUse = errorSignature(`${banner}\u001b[0;31m❌ Port 9999 is already in use\u001b[0m\n   Try: lsof -i:9999\n`)
    const silent = errorSignature(
      `${banner}✅ Port 9999 is available\n\u001b[0;31m❌ Server started but not responding\u001b[0m\n`,
    )
    expect(inUse).toMatch(/Port 9999 is already in use/)
    expect(silent).toMatch(/Server started but not responding/)
    expect(errorSignature(`${banner}✗ 3 checks did not pass\n`)).toMatch(/3 checks did not pass/)
    // A summary's mark below the error in words is not the failure: the error is (review 70).
    const summary = (error: string) => errorSignature(`${error}\n✗ typecheck\n✓ lint\n`)
    expect(summary("src/a.ts(3,7): error TS2322: Type 'string' is not assignable")).not.toBe(
      summary("src/b.ts(9,1): error TS2304: Cannot find name 'x'"),
    )
  })

  it('the files a git merge or pull says it changed; none where it had nothing to do; undefined where it does not tell', () => {
    const ff = (stat: string, total: string) => `Updating 2e73599..29710ec\nFast-forward\n${stat}\n ${total}\n`
    expect(mergedPaths(ff(' a/b.md | 2 +-\n c.py   | 1 +', '2 files changed, 2 insertions(+), 1 deletion(-)'))).toEqual(
      ['a/b.md', 'c.py'],
    )
    expect(mergedPaths('From github.com:x/y\n * branch main -> FETCH_HEAD\nAlready up to date.\n')).toEqual([])
    const cut = ' .../27c2ff15.jsonl | 431 +++\n'
    expect(
      mergedPaths(`${ff(cut, '1 file changed, 431 insertions(+)')} create mode 100644 transcripts/27c2ff15.jsonl\n`),
    ).toEqual(['transcripts/27c2ff15.jsonl'])
    expect(mergedPaths(ff(cut, '1 file changed, 431 insertions(+)'))).toBeUndefined()
    expect(mergedPaths(ff(' a.md | 2 +-', '2 files changed, 2 insertions(+)'))).toBeUndefined()
    expect(mergedPaths(ff(' {a => b}/c.md | 0', '1 file changed'))).toBeUndefined()
    // (Review 69: a name git quoted; a cut name whose file another line names whole; a submodule moved.)
    expect(mergedPaths(ff(' "docs/caf\\303\\251.md" | 2 +-', '1 file changed'))).toBeUndefined()
    const created = ` .../parse/parse.py | 4 ++--\n src/parse/parse.py | 9 +++++++++`
    expect(mergedPaths(`${ff(created, '2 files changed')} create mode 100644 src/parse/parse.py\n`)).toBeUndefined()
    expect(
      mergedPaths(
        "Fetching submodule vendor/lib\nAlready up to date.\nSubmodule path 'vendor/lib': checked out 'abc'\n",
      ),
    ).toBeUndefined()
    expect(mergedPaths(ff(`${' '.repeat(30_000)}| 1 +`, '1 file changed'))).toBeUndefined()
    expect(
      mergedPaths('Auto-merging a.py\nCONFLICT (content): Merge conflict in a.py\nAutomatic merge failed\n'),
    ).toBeUndefined()
    expect(
      mergedPaths(
        "Merge made by the 'ort' strategy.\n x.ts | 3 ++-\n 1 file changed, 2 insertions(+), 1 deletion(-)\n",
      ),
    ).toEqual(['x.ts'])
  })

  it('a call the harness never started: it could not spawn it, or a person declined it; not one the sandbox stopped', () => {
    for (const head of [
      'execution error: Io(Custom { kind: Other, error: "windows sandbox: setup refresh failed with status exit code: 1" })',
      'execution error: Io(Os { code: 2, kind: NotFound, message: "No such file or directory" })',
      'exec_command failed for `/bin/zsh -lc pwd`: CreateProcess { message: "Codex(Sandbox(Denied',
      'exec command rejected by user',
      "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file).",
      // (Claude Code, to the calls it had not started when the person stopped it: fresh324's `git commit`, after which
      // `git log` shows no new commit.)
      "The user doesn't want to take this action right now. STOP what you are doing and wait for the user to tell you how to proceed.",
    ])
      expect(neverStarted(head)).toBe(true)
    for (const head of [
      'execution error: Sandbox(Signal(10))',
      'failed in sandbox MacosSeatbelt with execution error: exit 1, stderr: bash: x: Operation not permitted',
      'Exit code: 1\nexecution error: Io(…) quoted by a program',
      '',
    ])
      expect(neverStarted(head)).toBe(false)
  })

  it("the time a failing run took is no part of its failure, nor a test run's tally: the error above it is", () => {
    const run = (summary: string) =>
      `E   ModuleNotFoundError: No module named 'sqlalchemy'\nERROR tests/a.py\n${summary}\n`
    expect(errorSignature(run('=== 3 errors in 0.25s ==='))).toBe('ERROR tests/a.py')
    expect(errorSignature(run('!!!! Interrupted: 1 error during collection !!!!\n1 error in 0.07s'))).toBe(
      'ERROR tests/a.py',
    )
    expect(errorSignature('FAIL\tgithub.com/x/y\t0.012s\n')).toBe(errorSignature('FAIL\tgithub.com/x/y\t1.5s\n'))
    // Not where it failed for taking too long: another run may not.
    expect(timedOut(errorSignature('E   TimeoutError: upload did not finish in 2.0s\n'))).toBe(true)
    expect(timedOut(errorSignature('requests.exceptions.ReadTimeout: read timed out. (read timeout=10)\n'))).toBe(true)
    expect(timedOut(errorSignature('pytest: error: unrecognized arguments: --timeout=60\n'))).toBe(false)
  })

  it('a JavaScript error ending the output is a failure; a Node module or package not found is the environment; the temporary names and times a tool made up are no part of a failure', () => {
    // (fresh332 #84 and #88: vite's bundled config, named by the time in ms and a hash, the same error twice.)
    const vite = (stamp: string) =>
      `failed to load config from /w/client/vite.config.ts\nerror during build:\nError [ERR_MODULE_NOT_FOUND]: Cannot find package 'vite' imported from /w/node_modules/.vite-temp/vite.config.ts.timestamp-${stamp}.mjs\n    at Object.getPackageJSONURL (node:internal/modules/package_json_reader:301:9)\n    at packageResolve (node:internal/modules/esm/resolve:768:81)\n`
    expect(endsInJsStack(vite('1771040360865-a9dc26a9faf398'))).toBe(true)
    expect(errorSignature(vite('1771040360865-a9dc26a9faf398'))).toBe(
      errorSignature(vite('1771040372081-f4259918f3a5f8')),
    )
    expect(errorSignature(vite('1771040360865-a9dc26a9faf398'))).not.toContain('1771040360865')
    // Node's end of a program an error stopped: its fields and its version after the frames.
    expect(
      endsInJsStack(
        "file:///w/a.mjs:3\nthrow new TypeError('x is not a function')\n^\n\nTypeError: x is not a function\n    at file:///w/a.mjs:3:7\n    at ModuleJob.run (node:internal/modules/esm/module_job:195:25)\n\nNode.js v20.11.0\n",
      ),
    ).toBe(true)
    // A stack in the middle of a run that went on (a test's logged error, then its tally) is none.
    expect(endsInJsStack('Error: boom\n    at f (a.js:1:1)\n    at g (a.js:2:2)\nTests: 4 passed, 4 total\n')).toBe(
      false,
    )
    expect(isEnvironmentError("Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'vite' imported from /w/x.mjs")).toBe(
      true,
    )
    expect(isEnvironmentError("Error: Cannot find package './local' imported from /w/x.mjs")).toBe(false)
    // A migration's name, a date and time, is a name; so is a time since 1970 alone, with no made-up part beside it
    // (golang-migrate's migrations, a dated backup: review of 2026-12-06).
    expect(errorSignature('Error: /w/db/migrate/20240101123456_add_users.rb failed\n')).toContain('20240101123456')
    expect(errorSignature('error: /w/migrations/1704067200_add_users.up.sql: syntax error\n')).not.toBe(
      errorSignature('error: /w/migrations/1704067300_add_orders.up.sql: syntax error\n'),
    )
    expect(errorSignature('Error: ENOENT: /var/backups/db-1712345678.sql\n')).not.toBe(
      errorSignature('Error: ENOENT: /var/backups/db-1712999999.sql\n'),
    )
  })

  it("zsh's no match for a word no file name was meant to match, as zsh or as Claude Code's `(eval)` writes it", () => {
    for (const prefix of ['zsh:1', '(eval):1']) {
      expect(reportsCommandNotFound(`src/a.rs\n${prefix}: no matches found: --include=*.rs\n`)).toBe(true)
      expect(reportsCommandNotFound(`${prefix}: no matches found: http://localhost:8080/q?id=7\n`)).toBe(true)
      expect(reportsCommandNotFound(`${prefix}: no matches found: app/(tabs)/index.tsx\n`)).toBe(true)
      // A path's pattern that matched nothing is an answer: there is no such file.
      expect(reportsCommandNotFound(`${prefix}: no matches found: docs/*.md\n`)).toBe(false)
      const option = `Exit code 1\n${prefix}: no matches found: --include=*.rs`
      expect(formError(errorSignature(option), option)).toBe('zsh: an option with a pattern in it unquoted')
      const url = `${prefix}: no matches found: repos/o/r/contents/p?ref=main`
      expect(formError(errorSignature(url), url)).toBe('zsh: a URL with ? unquoted')
      const path = `${prefix}: no matches found: /tmp/voice-*.mp3`
      expect(formError(errorSignature(path), path)).toBeUndefined()
      expect(unmatchedWords(`${prefix}: no matches found: app/(tabs)/index.tsx`)).toEqual(['app/(tabs)/index.tsx'])
      // Only a word of the call's own line: a file or a page it printed may quote zsh (review 65).
      const quoted = `Unquoted, it fails:\n${prefix}: no matches found: --include=*.rs\n`
      expect(reportsCommandNotFound(quoted, () => 'cat docs/zsh-notes.md')).toBe(false)
      expect(reportsCommandNotFound(quoted, () => 'grep -rn x src --include=*.rs')).toBe(true)
      expect(formError(errorSignature(option), option, 'cat docs/zsh-notes.md')).toBeUndefined()
      // A file glob after `--` that starts with a dash is no option.
      const dash = `${prefix}: no matches found: -*.tmp`
      expect(formError(errorSignature(dash), dash, 'rm -f -- -*.tmp')).toBeUndefined()
    }
  })

  it('a search pattern grep or rg refused is a failure, and the same mistake when it comes again', () => {
    expect(regexFailed('grep: Unmatched ) or \\)\n')).toBe(true)
    const rg =
      'Exit code: 1\nWall time: 1.6 seconds\nOutput:\nrg: regex parse error:\n    (?:a|createHash\\(\\)\n    ^\nerror: unclosed group\n'
    expect(regexFailed(rg)).toBe(true)
    // A match that merely mentions such words is no refusal.
    expect(regexFailed('src/a.py:3:    # grep: Unmatched ) or \\) is what grep says\n')).toBe(false)
    expect(regexFailed('src/x.rs:9: error: unclosed group\n')).toBe(false)
    expect(formError('grep: Unmatched ) or \\)', 'grep: Unmatched ) or \\)\n')).toBe('grep: Unmatched ) or \\)')
    expect(formError(errorSignature(rg)!, rg)).toBe('rg: regex parse error: unclosed group')
    // `grep … || true` exits 0: its refusal still fails it.
    const card = {at: classifyShell('grep -R "\\.only(\\\'pk\\\'\\)" -n || true', '/r')}
    expect(card.at.searches.length).toBeGreaterThan(0)
  })

  it('a folder given to a program that reads files (`nl: pkg: Is a directory` through a pipe) is a failure', () => {
    expect(showsFailure('nl: pkg: Is a directory\n')).toBe(true)
    expect(showsFailure("head: error reading 'src': Is a directory\n")).toBe(true)
    expect(showsFailure('pkg/a.py:3: # Is a directory here?\nother\n')).toBe(false)
  })

  it("git's fatal abort near the end of the output (`git ls-remote … | grep … || true`); not one further up", () => {
    const dns = 'ssh: Could not resolve hostname github.com: Temporary failure in name resolution\n'
    const fatal = `${dns}fatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n`
    expect(gitAborted(fatal)).toBe(true)
    // Claude Code keeps no newline after the last line.
    expect(gitAborted('fatal: not a git repository (or any of the parent directories): .git')).toBe(true)
    expect(gitAborted(`fatal: bad revision 'x'\n${'a line of the log after it\n'.repeat(10)}`)).toBe(false)
    expect(gitAborted('Fixed the fatal: error in the parser\n')).toBe(false)
    // Not a failure of any command line by the text alone: the flag context asks that the line ran git alone.
    expect(showsFailure(fatal)).toBe(false)
    expect(errorSignature(fatal)).toBe('fatal: Could not read from remote repository.')
  })

  it("ripgrep's word for a path that is not there names it missing", () => {
    expect(
      missingPaths('rg: arguments: IO error for operation on arguments: No such file or directory (os error 2)\n'),
    ).toEqual(['arguments'])
    expect(missingPaths('rg: src/x: No such file or directory (os error 2)\n')).toEqual(['src/x'])
  })

  it("a module not found is the environment's, not a file of the project's own that an import names by its path", () => {
    expect(isEnvironmentError("Error: Cannot find module 'express'")).toBe(true)
    // (fresh317 #59: each build after an edit met a new missing file, not the same missing package.)
    expect(
      isEnvironmentError("Type error: Cannot find module './DataTable' or its corresponding type declarations."),
    ).toBe(false)
    expect(isEnvironmentError("Error: Cannot find module '/app/dist/server.js'")).toBe(false)
  })

  it("BSD tools' word for a file they could not open names the file, not `open` (macOS `wc`: fresh316 #49)", () => {
    expect(missingPaths('wc: optimcore/src/lib.rs: open: No such file or directory\n')).toEqual([
      'optimcore/src/lib.rs',
    ])
    expect(missingPaths('tail: optimcore/src/lib.rs: No such file or directory\n')).toEqual(['optimcore/src/lib.rs'])
  })

  it('a caught exception reported on the last line; not a traceback the program went past', () => {
    const tb =
      'Traceback (most recent call last):\n  File "t.py", line 3, in <module>\n    import x\nImportError: cannot import name y from x\n'
    expect(reportsCaughtFailure(`${tb}Import failed: ImportError: cannot import name y from x\n`)).toBe(true)
    expect(reportsCaughtFailure(`${tb}Retrying with the fallback\nAll 12 checks passed\n`)).toBe(false)
    expect(reportsCaughtFailure(tb)).toBe(false)
    expect(errorSignature(`${tb}Import failed: ImportError: cannot import name y from x\n`)).toBe(
      'ImportError: cannot import name y from x',
    )
  })
  it("a wrapper's line pointing at the error above it (conda run) is not the error: the one above is", () => {
    const conda = (code: string) =>
      `Traceback (most recent call last):\n  File "<string>", line 1, in <module>\nModuleNotFoundError: No module named 'torch'\nERROR conda.cli.main_run:execute(142): \`conda run python3 -c ${code}\` failed. (See above for error)\n`
    expect(errorSignature(conda('import torch'))).toBe("ModuleNotFoundError: No module named 'torch'")
    expect(errorSignature(conda('import torch; import torchvision'))).toBe(errorSignature(conda('import torch')))
    // Alone, it is all there is.
    expect(errorSignature('make: *** [all] Error 2\n')).toBe('make: *** [all] Error 2')
  })
})

describe('how a failure reads', () => {
  it("a line that only points at documentation about the error is no error's signature", () => {
    const sqla = (column: string) =>
      `sqlalchemy.exc.IntegrityError: (sqlite3.IntegrityError) NOT NULL constraint failed: ${column}\n[SQL: INSERT INTO t (a) VALUES (?)]\n[parameters: (1,)]\n(Background on this error at: https://sqlalche.me/e/20/gkpj)\n`
    expect(errorSignature(sqla('t.a'))).toBe(
      'sqlalchemy.exc.IntegrityError: (sqlite3.IntegrityError) NOT NULL constraint failed: t.a',
    )
    expect(errorSignature(sqla('t.a'))).not.toBe(errorSignature(sqla('t.b')))
    // pydantic's footer: the same under every validation error.
    const pydantic = (what: string) =>
      `pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings\n  Value error, ${what} [type=value_error]\n    For further information visit https://errors.pydantic.dev/2.13/v/value_error\n`
    expect(errorSignature(pydantic('unknown toolset: all'))).not.toBe(
      errorSignature(pydantic('auth_mode=apikey needs keys')),
    )
    // A line that says more than where to read is kept.
    expect(errorSignature('Error: see https://x.dev/e1 for the fix of bad config in app.yml\n')).toContain('bad config')
  })

  it('a heredoc zsh would not take is its own mistake; a here-string is no heredoc, nor a quote closed in its body', () => {
    const error = "zsh:6: parse error near `\\n'"
    expect(formError(error, '', "python3 - <<'PY'\nprint('x')\nPY")).toBe(formError(error, '', 'cat <<EOF\na\nEOF'))
    expect(formError(error, '', "python3 - <<'PY'\nprint('x')\nPY")).toBeDefined()
    // (Another construct left open, or a here-string: zsh does not say which; no mistake told.)
    expect(formError(error, '', 'for f in *; do echo $f')).toBeUndefined()
    expect(formError(error, '', 'wc -w <<< "a b c"')).toBeUndefined()
    // OpenHands' bash echoing a line and waiting: left open only where the line leaves a quote or a heredoc open.
    const waiting = (command: string, echo: string) =>
      formError('', `${echo}\n[The command has no new output after 10 seconds. You may wait longer]`, command)
    const open = 'cd /workspace/app && git commit -am "fix: the message\n\n- more'
    expect(waiting(open, 'cd /workspace/app && git commit -am "fix: the message')).toBeDefined()
    const closed = "cd /workspace/app && python3 - <<'EOF'\nprint(\"it's\")\nEOF"
    expect(waiting(closed, "cd /workspace/app && python3 - <<'EOF'")).toBeUndefined()
    expect(
      waiting('cd /workspace/app && wc -w <<<hello && sleep 60', 'cd /workspace/app && wc -w <<<hello && sleep 60'),
    ).toBeUndefined()
  })

  it('a path with ( left unquoted is one mistake however the shell reports it, inside the sandbox too', () => {
    const zsh = formError('zsh:1: no matches found: app/(protected)/page.tsx')
    expect(zsh).toBeDefined()
    expect(formError('zsh:1: unknown sort specifier')).toBe(zsh)
    expect(formError('zsh:1: no matches found: src/*.tsx')).toBeUndefined()
    const bash = formError("bash: -c: line 1: syntax error near unexpected token `('")
    expect(bash).toBeDefined()
    // At a later line, the lines before it ran: not a mistake made before anything ran.
    expect(formError("bash: -c: line 3: syntax error near unexpected token `('")).toBeUndefined()
    expect(
      formError(
        "failed in sandbox MacosSeatbelt with execution error: sandbox denied exec error, exit code: 2, stdout: , stderr: bash: -c: line 0: syntax error near unexpected token `('",
      ),
    ).toBe(bash)
  })

  it("Codex's exec header ends after its Output line, however many lines its Command has", () => {
    const header =
      'Command: /bin/zsh -lc "python - <<\'PY\'\nprint(1)\nPY"\nChunk ID: c1\nWall time: 0.0000 seconds\nProcess exited with code 0\nOriginal token count: 1\nOutput:\n'
    expect(harnessHeaderEnd(`${header}1\n`)).toBe(header.length)
    // Text that only starts like a header is the output's own.
    expect(harnessHeaderEnd('Command: make all\nmake: Nothing to be done\n')).toBe(0)
  })

  it("OpenCode's read header ends at `<content>`, its first line after it (1.14) or on the same line (1.2)", () => {
    const head = '<path>/home/dev/a.ts</path>\n<type>file</type>\n<content>'
    expect(harnessHeaderEnd(`${head}\n1: x\n`)).toBe(head.length + 1)
    expect(harnessHeaderEnd(`${head}1: x\n`)).toBe(head.length)
    const output = `${head}1: x\n2: y\n3: \n\n(End of file - total 3 lines)\n</content>`
    expect(shownOf(output)?.numbered).toEqual([[1, 4]])
  })
})

describe('commands that do nothing', () => {
  it('true, :, exit 0 and a comment are one call in effect; echo and exit 1 are not', () => {
    const core = (c: string) => classifyShell(c, '/t').core
    expect(new Set(['true', ':', 'exit 0', '# waiting', 'true && :'].map(core))).toEqual(new Set(['(nothing)']))
    expect(core('echo done')).not.toBe('(nothing)')
    expect(core('exit 1')).not.toBe('(nothing)')
    expect(classifyShell('exit 0', '/t').writesAny).toBe(false)
  })

  it('a builtin that prints nothing leaves what the call shows: `grep … || true`, `set -e; cat f`, `export A=1; …`', () => {
    expect(at('grep -R "window expression" -n tests || true')).toMatchObject({kind: 'search', opaque: false})
    expect(at('set -euo pipefail; cat a.py')).toMatchObject({kind: 'read', opaque: false})
    expect(at('export A=1; nl -ba a.py | sed -n 1,40p')).toMatchObject({kind: 'read', opaque: false})
    expect(at('shopt -s globstar; cat a.py; exit 0')).toMatchObject({kind: 'read', opaque: false})
    // `set -x` traces every later command into the output, `set -o` and `export -p` list what is set, a trap's handler
    // runs (and prints) at exit: not silent.
    for (const line of [
      'set -x; cat a.py',
      'set -o; cat a.py',
      'export -p; cat a.py',
      'declare -f; cat a.py',
      "trap 'cat run.log' EXIT; cat a.py",
    ])
      expect(at(line).opaque).toBe(true)
  })
})

describe('PowerShell as Codex runs it on Windows', () => {
  it('Get-Content -TotalCount N reads the first N lines, -Tail N the last N, | Out-String passes the text on', () => {
    expect(at('Get-Content -Path specs/plan.md -TotalCount 80 | Out-String').reads).toEqual([
      {path: '/r/specs/plan.md', range: [1, 81]},
    ])
    expect(at('Get-Content a.md -Raw').reads).toEqual([{path: '/r/a.md'}])
    expect(at('Get-Content -Path a.md -Tail 20')).toMatchObject({
      reads: [{path: '/r/a.md', last: 20}],
      deps: ['/r/a.md'],
      writesAny: false,
    })
    expect(at('Get-Content a.md b.md').reads.map(r => r.path)).toEqual(['/r/a.md', '/r/b.md'])
  })

  it('a path through a folder named in parentheses (a Next.js route group) is one word to PowerShell', () => {
    expect(at(`powershell -NoLogo -Command "Get-Content src/app/(dashboard)/page.tsx"`).reads).toEqual([
      {path: '/r/src/app/(dashboard)/page.tsx'},
    ])
  })

  it('| Select-Object -First/-Skip/-Last keeps those lines of a file; | ForEach-Object { $_ } passes them on', () => {
    expect(at(`Get-Content -Path 'a.md' | Select-Object -Skip 164 -First 5`).reads).toEqual([
      {path: '/r/a.md', range: [165, 170]},
    ])
    expect(at('Get-Content a.md | Select-Object -First 20').reads).toEqual([{path: '/r/a.md', range: [1, 21]}])
    expect(at('Get-Content a.md | Select-Object -Last 3').reads).toEqual([{path: '/r/a.md', last: 3}])
    expect(at('Get-Content a.md | ForEach-Object { $_ }').reads).toEqual([{path: '/r/a.md'}])
    expect(at('Get-Content a.md | Select-Object -Property Length').reads).toEqual([])
  })

  it('a variable set to a literal is that literal where it is used alone; not where it is indexed or set twice', () => {
    expect(at("$p = 'specs/plan.md'; Get-Content -Path $p -TotalCount 10").reads).toEqual([
      {path: '/r/specs/plan.md', range: [1, 11]},
    ])
    expect(at("$p = 'a.md'; $p.Length").writesAny).toBe(true)
    expect(at("$p = 'a.md'; $p = 'b.md'; Get-Content $p").reads).toEqual([])
  })

  it('a literal here-string piped into powershell -Command - is its script; a counter numbering Get-Content is nl -ba', () => {
    const read = (file: string) =>
      `@'\n$i=1; Get-Content ${file} | ForEach-Object { '{0,4}: {1}' -f $i, $_; $i++ }\n'@ | powershell -NoProfile -Command -`
    expect(at(read('app/main.py'))).toMatchObject({kind: 'read', reads: [{path: '/r/app/main.py'}], writesAny: false})
    expect(at(read('app/main.py')).core).toBe(at('nl -ba app/main.py').core)
    const range = `@'\n$lines = Get-Content a.py\nfor($i=250; $i -le 520; $i++){ '{0,4}: {1}' -f $i, $lines[$i-1] }\n'@ | powershell -NoProfile -Command -`
    expect(at(range).reads).toEqual([{path: '/r/a.py', range: [250, 521]}])
    // Double quotes: the piping shell expands `$i` and `$_` first; not read.
    expect(at(`@"\nGet-Content a.py\n"@ | powershell -NoProfile -Command -`).writesAny).toBe(true)
  })

  it("a here-string given as Set-Content's -Value is the file whole, as one piped into it", () => {
    expect(at("Set-Content -Path 'docs/a.md' -Value @'\n# A\nline two\n'@ -Encoding UTF8").writes).toEqual([
      {path: '/r/docs/a.md', content: '# A\nline two'},
    ])
    expect(at("Set-Content -Path 'a.md' -Value @'\nx\n'@; Get-Content a.md").writes).toEqual(
      at("@'\nx\n'@ | Set-Content 'a.md'; Get-Content a.md").writes,
    )
    // Its lines are no commands of their own.
    expect(at("Set-Content -Path a.md -Value @'\n- rm -rf build\n'@").writesAny).toBe(false)
    // In double quotes `$total` expands: the text is not known. Add-Content appends to what was there.
    expect(at('Set-Content -Path docs/a.md -Value @"\nTotal: $total\n"@').writes).toEqual([{path: '/r/docs/a.md'}])
    expect(at("Add-Content -Path log.md -Value @'\nmore\n'@").writes).toEqual([{path: '/r/log.md', partial: true}])
  })

  it('a counter numbering Get-Content is nl -ba only when its first number is 1, and only when its block only counts and prints', () => {
    const core = (c: string) => at(c).core
    expect(core("$i=0; Get-Content a.ts | ForEach-Object { $i++; '{0,4}: {1}' -f $i, $_ }")).toBe(core('nl -ba a.ts'))
    expect(core('$n=1; gc a.ts | % { "$n: $_"; $n++ }')).toBe(core('nl -ba a.ts'))
    expect(
      at("$i=0; Get-Content a.ts | Select-Object -First 8 | ForEach-Object { $i++; '{0,4}: {1}' -f $i, $_ }").reads,
    ).toEqual([{path: '/r/a.ts', range: [1, 9]}])
    // Numbers from 0: not the file's. A block that does more may do anything.
    expect(at("$i=0; Get-Content a.ts | ForEach-Object { '{0,4}: {1}' -f $i, $_; $i++ }").reads).toEqual([])
    expect(at('$i=0; Get-Content a.ts | ForEach-Object { $i++; Remove-Item $_ }').writesAny).toBe(true)
  })

  it("Select-String's -Context is its context lines, not a place to search", () => {
    expect(at("Get-Content a.vue | Select-String -Pattern 'x|y' -Context 0,2").searches).toMatchObject([
      {scopes: ['/r/a.vue'], context: [0, 2]},
    ])
  })

  it('Windows launchers are their programs (npm.cmd, npx.cmd), unless named as a builtin', () => {
    expect(at('npm.cmd test').writesAny).toBe(at('npm test').writesAny)
    // Options between `run` and the script's name (`npm run -w backend test`): still the test script.
    expect(at('npm.cmd run -w backend test').writesAny).toBe(false)
    expect(at('npm run -w frontend build').writesUnder).toEqual(at('npm run build').writesUnder)
    expect(at('npx.cmd vitest run').core).toContain('vitest')
    expect(at('test.cmd').writesAny).toBe(true)
  })

  it("Codex's shell_command header (`Exit code: N`, `Wall time`, `Output:`) is no line of the output", () => {
    expect(shownOf('Exit code: 0\nWall time: 1.2 seconds\nOutput:\nline one\nline two\n')!.headLines).toBe(2)
  })

  it("Codex's exec_command header (`Command: …`) is no line of the output, nor a failure's signature", () => {
    const run = (body: string) =>
      `Command: /bin/bash -lc 'docker compose up -d'\nChunk ID: ee9edc\nWall time: 0.0 seconds\nProcess exited with code 1\nOriginal token count: 9\nOutput:\n${body}`
    expect(shownOf(run('a\nb\n'))!.headLines).toBe(2)
    expect(errorSignature(run('pulling layers\n'))).not.toBe(errorSignature(run('registry timeout\n')))
  })
})

describe("the shell's own line numbers", () => {
  it('do not make another failure: bash -c, bash and sh alike', () => {
    const eof = (n: number) => `bash: -c: line ${n}: unexpected EOF while looking for matching \`''`
    expect(errorSignature(eof(3))).toBe(errorSignature(eof(13)))
    expect(errorSignature('sh: 2: foo: not found')).toBe(errorSignature('sh: 9: foo: not found'))
  })
})

describe("Codex's cut outputs", () => {
  it('"…N tokens truncated…" in the middle of an exec output is a cut: the lines after it were not all shown', () => {
    const head = Array.from({length: 30}, (_, k) => `line ${k + 1}`).join('\n')
    const text = `Chunk ID: 2d8be6\nOriginal token count: 12696\nOutput:\nTotal output lines: 905\n\n${head}\nhalf a li…8696 tokens truncated…ne\nline 900\n`
    const shown = shownOf(text)!
    expect(shown.elided).toBe(true)
    expect(shown.headLines).toBeLessThan(40)
  })
})

describe("PowerShell's Get-ChildItem", () => {
  it('-Path names the folder, -File and -Directory keep files or folders, -ExpandProperty FullName keeps the listing', () => {
    const [s] = at('Get-ChildItem -Path src -File | Select-Object -ExpandProperty FullName').searches
    expect(s).toMatchObject({
      mode: 'name',
      scopes: ['/r/src'],
      depth: 1,
      filters: ['-type f'],
      listing: true,
      hidden: false,
    })
    expect(at('Get-ChildItem -Path src -Directory').searches[0]!.filters).toEqual(['-type d'])
    // Any other property (a file's length, its date) is not the listing's names.
    expect(at('Get-ChildItem src | Select-Object -ExpandProperty Length').searches).toEqual([])
    // `ForEach-Object { $_.Name }` is the same listing by name (fresh143 #56); `{ $_.Length }` is not.
    expect(at('Get-ChildItem src -File | ForEach-Object { $_.Name }').searches).toEqual(
      at('Get-ChildItem src -File | Select-Object -ExpandProperty Name').searches,
    )
    expect(at('Get-ChildItem src -File | ForEach-Object { $_.Length }').searches).toEqual([])
  })
})

describe('paths held in variables, and commands left running', () => {
  it('a look at a path held in a variable depends on it: below the folder its words name, else on anything', () => {
    expect(at('rg -c Task "$f"').depsAny).toBe(true)
    expect(at('wc -l "$f"').depsAny).toBe(true)
    expect(at('[ -f "$f" ]').depsAny).toBe(true)
    expect(at('[ -f "save/run1/$t.json" ]').deps).toContain('/r/save/run1')
    // Words that are no files: no dependency on any.
    expect(at('echo "$f"').depsAny).toBe(false)
    expect(at('[ -n "$f" ]').depsAny).toBe(false)
    // What a command substitution searched is what its command printed.
    expect(at('echo "$(rg -c Task "$f")"').depsAny).toBe(true)
    expect(at('echo "$(grep -c Task save/a.log)"').deps).toContain('/r/save/a.log')
  })

  it('`&`, nohup, tmux new-session -d, screen -dm and setsid leave a command running; && and 2>&1 do not', () => {
    expect(at('nohup ./run.sh > run.log 2>&1 &').detached).toBe(true)
    expect(at('npm run dev & sleep 2').detached).toBe(true)
    expect(at('tmux new-session -d -s eval "./run.sh"').detached).toBe(true)
    expect(at('screen -dmS eval ./run.sh').detached).toBe(true)
    expect(at('setsid ./run.sh').detached).toBeTruthy()
    expect(at('make && ./run.sh 2>&1 | tail').detached).toBeFalsy()
    expect(at('tmux ls').detached).toBeFalsy()
    // A wait for it, or a sleep alone in the background: nothing left running.
    expect(at('python train.py & python eval.py & wait').detached).toBeFalsy()
    expect(at('sleep 5 &').detached).toBeFalsy()
  })
})

describe("cmd's own commands", () => {
  it('cmd /c type, more, findstr and dir are cat, grep and ls; findstr matches any of its words', () => {
    expect(at('cmd /c type app.py').reads).toEqual([{path: '/r/app.py'}])
    expect(at('cmd /c more app.py').reads).toEqual([{path: '/r/app.py'}])
    expect(at('cmd /c findstr /n /i "def crop" app.py').searches[0]).toMatchObject({
      mode: 'content',
      pattern: 'def|crop',
      scopes: ['/r/app.py'],
    })
    expect(at('cmd /c findstr /c:"def crop" app.py').searches[0]!.pattern).toBe('def crop')
    expect(at('cmd /c dir /b src').searches[0]).toMatchObject({mode: 'name', scopes: ['/r/src']})
    // Options aco does not read, and commands that change things: what cmd runs is not known.
    expect(at('cmd /c dir /s /a src').searches).toEqual([])
    expect(at('cmd /c del app.py').writesAny).toBe(true)
  })
})

describe('untracked files a git status lists', () => {
  it('reads the short and the long format, folders and files, relative to where it ran', () => {
    expect(untrackedIn(' M src/a.py\n?? notes/\n?? b.md\n', '/r')).toEqual(['/r/notes', '/r/b.md'])
    const long =
      'On branch main\nChanges not staged for commit:\n\tmodified:   src/a.py\n\nUntracked files:\n  (use "git add <file>..." to include in what will be committed)\n\tnotes/\n\tb.md\n\nno changes added to commit\n'
    expect(untrackedIn(long, '/r/sub')).toEqual(['/r/sub/notes', '/r/sub/b.md'])
    // A name git quoted: without its quotes; one with C escapes, left out (never a path it wrote).
    expect(untrackedIn('?? "a b.md"\n?? "a\\tb.md"\n', '/r')).toEqual(['/r/a b.md'])
  })
})

describe('the home folder', () => {
  it("is the session's user's where the session ran in one; elsewhere `~` stays a folder of its own", () => {
    expect(homeOf('/Users/ana/src/app')).toBe('/Users/ana')
    expect(homeOf('/home/dev/app')).toBe('/home/dev')
    expect(homeOf('/root')).toBe('/root')
    expect(homeOf('C:\\Users\\ana\\app')).toBe('/c/Users/ana')
    for (const cwd of ['/tmp/x', '/testbed', '/Users/Shared/app', undefined]) expect(homeOf(cwd), cwd).toBeUndefined()
    // A write through `~` is a write of the file a read by its full path shows.
    expect(withHome('/Users/ana/app', () => written('echo x > ~/app/a.py'))).toEqual(['/Users/ana/app/a.py'])
    expect(withHome('/testbed', () => written('echo x > ~/app/a.py'))).toEqual(['/(home)/app/a.py'])
    expect(written('echo x > ~/app/a.py')).toEqual(['/(home)/app/a.py'])
    // `$HOME` too, unless the line sets HOME itself.
    expect(withHome('/Users/ana/app', () => written('cp a.py $HOME/app/b.py'))).toContain('/Users/ana/app/b.py')
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's own ${HOME}, not a template's
    expect(withHome('/Users/ana/app', () => at('rm -rf ${HOME}/app/build/*').writesUnder)).toEqual([
      '/Users/ana/app/build',
    ])
    expect(at('export HOME=/tmp/h; echo x > $HOME/a').writesAny).toBe(true)
  })
})

describe("bash's brace expansion", () => {
  it('expands a list of names into the words bash passes; a list among other expansions stays unknown', () => {
    expect(expandBraces('src/{a,b}.ts')).toEqual(['src/a.ts', 'src/b.ts'])
    expect(expandBraces('app.py{,.bak}')).toEqual(['app.py', 'app.py.bak'])
    expect(expandBraces('{a,b}/{x,y}')).toEqual(['a/x', 'a/y', 'b/x', 'b/y'])
    // Lists nested in an alternative expand in it (fresh168 #31: `mkdir -p it-1/{e1/{with,without}/out,e2/…}`).
    expect(expandBraces('{a,{b,c}}')).toEqual(['a', 'b', 'c'])
    expect(expandBraces('w/{e1/{with,without}/out,e2/out}')).toEqual(['w/e1/with/out', 'w/e1/without/out', 'w/e2/out'])
    expect(written('mkdir -p it/{e1/{a,b}/out,e2/{a,b}/out}')).toEqual([
      '/r/it/e1/a/out',
      '/r/it/e1/b/out',
      '/r/it/e2/a/out',
      '/r/it/e2/b/out',
    ])
    // Not a list: no closing brace, a brace closed before it opens, a sequence, nesting past 8 lists.
    expect(expandBraces('{a,b')).toBeUndefined()
    expect(expandBraces('a}{b,c}')).toBeUndefined()
    expect(expandBraces(`${'{a,'.repeat(9)}b${'}'.repeat(9)}`)).toBeUndefined()
    // Thousands of lists in one word: more words than are named, without overflowing the stack.
    expect(expandBraces('{a,b}'.repeat(8000))).toBeUndefined()
    expect(expandBraces('{a,b}'.repeat(6))).toHaveLength(64)
    expect(written('mkdir -p skill/{scripts,assets}')).toEqual(['/r/skill/scripts', '/r/skill/assets'])
    expect(written('cp app.py{,.bak}')[0]).toBe('/r/app.py.bak')
    expect(at('rm -rf {build,dist}').writesUnder).toEqual(['/r/build', '/r/dist'])
    // Quoted, or beside a variable or a glob: not expanded here.
    expect(parseShell('echo "{a,b}"')[0]!.words).toEqual(['echo', '{a,b}'])
    expect(at('touch $D/{a,b}.txt').writesAny).toBe(true)
    expect(at('ls *.{js,ts}').kind).toBe('list')
  })
})

describe('writes hidden in a program or an option cluster', () => {
  const any = (line: string) => at(line).writesAny
  it("perl and ruby -i: the files edited, a backup's copy, and code that reaches out may write anything", () => {
    expect(written("perl -i -pe 's/a/b/' f.md")).toEqual(['/r/f.md'])
    expect(any("perl -i -pe 's/a/b/' f.md")).toBe(false)
    expect(written("perl -pi -e 's/a/b/' f.md g.md")).toEqual(['/r/f.md', '/r/g.md'])
    expect(written("perl -0777 -i.bak -pe 's/a\\nb/c/g' f.md")).toEqual(['/r/f.md', '/r/f.md.bak'])
    expect(written('ruby -i.orig -pe \'$_.gsub!(/a/, "b")\' f.md')).toEqual(['/r/f.md', '/r/f.md.orig'])
    for (const line of [
      'perl -i -pe \'system("rm -rf src")\' f.md',
      "perl -i -pe 's/x/`date`/e' f.md",
      "perl -MFile::Copy -i -pe 's/a/b/' f.md",
      'perl -i fix.pl f.md',
      'perl -i -pe "$apply" f.md',
      // `-pie`: the backup suffix is "e", and the substitution is read as a script file's name.
      "perl -pie 's/a/b/' f.md",
    ])
      expect(any(line), line).toBe(true)
  })

  it('awk: in place, print to a file, and system, pipes or an unread program', () => {
    expect(written("awk -i inplace '{print}' f.txt")).toEqual(['/r/f.txt'])
    expect(written(`awk '{print > "out.txt"}' f.txt`)).toEqual(['/r/out.txt'])
    expect(any(`awk '{print > "out.txt"}' f.txt`)).toBe(false)
    for (const line of [
      `awk '{print $1 >> "log/" $2}' f.txt`,
      `awk 'BEGIN{system("rm -rf src")}'`,
      `awk '{print | "sort"}' f.txt`,
      `awk '"date" | getline d; {print d}' f.txt`,
      'awk -f prog.awk f.txt',
    ])
      expect(any(line), line).toBe(true)
    // Comparisons, and a ">" printed as text, write nothing.
    for (const line of [
      "awk '$3 > 10 {print $1}' f.txt",
      `awk '{printf "%s -> %s\\n", $1, $2}' f.txt`,
      "awk '{if ($2 > max) max=$2} END{print max}' f.txt",
    ]) {
      expect(any(line), line).toBe(false)
      expect(written(line), line).toEqual([])
    }
  })

  it('sed: a substitution that writes a file or runs its result', () => {
    for (const line of ["sed -e 's/a/b/w out.txt' f.md", "sed 's/a/b/gw out.txt' f.md", "sed 's/^/date /e' f.md"])
      expect(any(line), line).toBe(true)
    expect(any("sed 's/we/us/g' f.md")).toBe(false)
    expect(any("sed -n 's/a/b/gp' f.md")).toBe(false)
  })

  it('yq -i rewrites its files; without it yq only reads', () => {
    expect(written("yq -i '.a = 1' f.yaml")).toEqual(['/r/f.yaml'])
    expect(written("yq e -i '.a = 1' f.yaml")).toEqual(['/r/f.yaml'])
    expect(written("yq --inplace -o yaml '.a = 1' f.yaml g.yaml")).toEqual(['/r/f.yaml', '/r/g.yaml'])
    expect(written("yq '.a' f.yaml")).toEqual([])
  })

  it("curl and wget: the file a download goes to, in an option cluster or from the URL's name", () => {
    expect(written('curl -fsSLo out.sh https://x.org/i.sh')).toEqual(['/r/out.sh'])
    expect(written('curl -O https://x.org/a/f.zip')).toEqual(['/r/f.zip'])
    expect(written('curl -L --output-dir dl -O https://x.org/f.zip')).toEqual(['/r/dl/f.zip'])
    expect(written('curl -c cookies.txt https://x.org')).toEqual(['/r/cookies.txt'])
    // A name the server gives: any file of the folder.
    expect(at('curl -OJ https://x.org/dl').writesUnder).toEqual(['/r'])
    for (const line of [
      'curl -o - https://x.org',
      'curl -s -D - https://x.org',
      `curl -s -X POST -H 'Content-Type: application/json' -d '{"a":1}' http://localhost/api`,
      'wget -qO- https://x.org',
      'wget -q -O - https://x.org',
    ]) {
      expect(written(line), line).toEqual([])
      expect(at(line).writesUnder, line).toEqual([])
    }
    expect(written('wget --output-document=f.zip https://x.org')).toEqual(['/r/f.zip'])
    expect(at('wget -P dl https://x.org/f.zip').writesUnder).toEqual(['/r/dl'])
    expect(written('Invoke-WebRequest -Uri https://x.org/f.zip -OutFile f.zip')).toEqual(['/r/f.zip'])
  })

  it('openssl writes what -out and -keyout name and reads what -in, -key, -config name; a fresh key is news', () => {
    // (fresh16 #91: a self-signed certificate made under cmd/server/certs had been read as a write of anything.)
    const cert = at(
      'openssl req -x509 -nodes -days 365 -newkey rsa:2048 -keyout certs/key.pem -out certs/cert.pem -subj "/CN=localhost"',
    )
    expect(cert.writes.map(w => w.path)).toEqual(['/r/certs/key.pem', '/r/certs/cert.pem'])
    expect(cert).toMatchObject({writesAny: false, writesUnder: [], volatile: true})
    expect(at('openssl x509 -in certs/cert.pem -noout -text')).toMatchObject({
      writes: [],
      writesAny: false,
      volatile: false,
      deps: ['/r/certs/cert.pem'],
    })
    expect(at('openssl rand -hex 32').volatile).toBe(true)
    expect(
      at('openssl x509 -req -in a.csr -CA ca/ca.pem -CAkey ca/ca.key -CAcreateserial -out a.pem').writesUnder,
    ).toEqual(['/r/ca'])
  })

  it('a formatter or linter given a glob it expands itself writes and reads the files below its folder', () => {
    expect(at('prettier --write "src/**/*.ts"')).toMatchObject({writesUnder: ['/r/src'], writesAny: false})
    // Not a file named `src/**/*.{ts,tsx}`, which no edit would ever change: a re-run after an edit in src/ is no repeat.
    expect(at('npx eslint "src/**/*.{ts,tsx}"').deps).toEqual(['/r/src'])
    expect(at('npx prettier --write src/a.ts').writesUnder).toEqual(['/r/src/a.ts'])
  })

  it('npm version with a new version bumps package.json; alone it prints', () => {
    expect(written('npm version patch')).toContain('/r/package.json')
    expect(written('npm version')).toEqual([])
  })
})

describe('databases, devices and .NET reads', () => {
  it('sqlite3: a query reads the database; a change writes it; an output file, a shell escape or unread SQL may write anything', () => {
    const look = at(`sqlite3 ~/.claude/store.db "SELECT COUNT(*) FROM messages;"`)
    expect(look.writesAny).toBe(false)
    // Opened where there is none, the database is made, empty (review 37): a query may make the file, its content never.
    expect(look.writes).toEqual([{path: normalisePath('~/.claude/store.db'), metaOnly: true}])
    expect(look.deps).toEqual([normalisePath('~/.claude/store.db')])
    for (const sql of [
      '.tables',
      '.schema users',
      'PRAGMA table_info(users)',
      'PRAGMA user_version',
      'WITH t AS (SELECT 1) SELECT * FROM t',
    ])
      expect(at(`sqlite3 -header app.db "${sql}"`).writes, sql).toEqual([{path: '/r/app.db', metaOnly: true}])
    for (const sql of [
      'DELETE FROM users',
      'PRAGMA journal_mode=WAL',
      'PRAGMA optimize',
      "SELECT 1; UPDATE t SET a = ';'",
    ])
      expect(written(`sqlite3 app.db "${sql}"`), sql).toEqual([
        '/r/app.db',
        '/r/app.db-journal',
        '/r/app.db-wal',
        '/r/app.db-shm',
      ])
    expect(written(`sqlite3 -readonly app.db "DELETE FROM users"`)).toEqual([])
    expect(written(`sqlite3 'file:app.db?mode=ro' "SELECT 1"`)).toEqual([])
    for (const line of [
      `sqlite3 app.db ".output out.csv" "SELECT * FROM t"`,
      `sqlite3 app.db "SELECT writefile('x.bin', data) FROM blobs"`,
      'sqlite3 app.db ".shell rm -rf build"',
      'sqlite3 app.db < schema.sql',
      'sqlite3 -init setup.sql app.db "SELECT 1"',
    ])
      expect(at(line).writesAny, line).toBe(true)
    // The SQL from a here-document or a pipe is read as from the arguments.
    expect(at("sqlite3 app.db <<'EOF'\n.headers on\nSELECT * FROM t;\nEOF").writesAny).toBe(false)
    expect(at('echo "SELECT 1" | sqlite3 app.db').writesAny).toBe(false)
    // A database is written by what aco cannot see into (a server, a worker, a script through a library): a query's
    // answer is volatile, never a duplicate.
    expect(at(`sqlite3 app.db "SELECT datetime('now')"`).volatile).toBe(true)
    expect(look.volatile).toBe(true)
  })

  it('sqlite3 (review 36): comments and `;` only outside strings; files beside the database; options anywhere', () => {
    const dbWrites = ['/r/app.db', '/r/app.db-journal', '/r/app.db-wal', '/r/app.db-shm']
    // `--` and `/*` inside a string are text: the UPDATE and the DELETE after them are statements.
    expect(
      written(`sqlite3 app.db "SELECT count(*) FROM users WHERE email LIKE '%--%'; UPDATE users SET a = 1"`),
    ).toEqual(dbWrites)
    expect(
      written(`sqlite3 app.db "SELECT 1 WHERE p GLOB 'build/*'; DELETE FROM files WHERE p GLOB '*/node_modules/*'"`),
    ).toEqual(dbWrites)
    expect(written('sqlite3 app.db "SELECT 1; -- DELETE FROM t"')).toEqual(['/r/app.db'])
    // (Review 37.) Each argument runs on its own: a first one left open does not swallow the next.
    expect(
      written(`sqlite3 app.db "SELECT count(*) FROM users WHERE id > 3" "DELETE FROM users WHERE id > 3"`),
    ).toEqual(dbWrites)
    // A string or a comment goes on over lines; `[name]` quotes a name.
    expect(written(`sqlite3 app.db <<'EOF'\nSELECT 'a\n;b' FROM t;\nUPDATE t SET a = 1;\nEOF`)).toEqual(dbWrites)
    expect(written(`sqlite3 app.db <<'EOF'\nSELECT 1 /* note\nselect */ FROM t;\nDELETE FROM t;\nEOF`)).toEqual(
      dbWrites,
    )
    expect(written(`sqlite3 app.db "SELECT [it's] FROM t; DELETE FROM t"`)).toEqual(dbWrites)
    // A URI names its file.
    expect(written(`sqlite3 'file:app.db' "UPDATE t SET a = 1"`)).toEqual(dbWrites)
    for (const line of [
      'sqlite3 -csv app.db ".once --bom exports/orders.csv" "SELECT * FROM orders"',
      `sqlite3 app.db "VACUUM INTO 'backups/copy.db'"`,
      `sqlite3 -readonly app.db "VACUUM INTO 'x.db'"`,
      `sqlite3 app.db "ATTACH 'archive.db' AS a; INSERT INTO a.logs SELECT * FROM logs"`,
      'sqlite3 app.db -bail < migrate.sql',
      'sqlite3 app.db -init setup.sql "SELECT 1"',
      'sqlite3 app.db -Ax',
      'sqlite3 app.db <<< "$(cat q.sql)"',
      `sqlite3 app.db ".import '|curl -s x' t"`,
      // (Review 37.)
      `sqlite3 app.db ".mode csv" "SELECT 1" ".once users.csv" "SELECT * FROM users"`,
      `sqlite3 -cmd "PRAGMA foreign_keys=ON" app.db ".read migrations/001.sql"`,
      `echo -e ".headers on\\n.output users.csv\\nSELECT * FROM users;" | sqlite3 app.db`,
      `sqlite3 app.db 'VACUUM INTO "backups/app.db"'`,
      `sqlite3 app.db "VACUUM INTO printf('b-%d.db', 1)"`,
    ])
      expect(at(line).writesAny, line).toBe(true)
    // Options that take two values (`-lookaside SIZE N`) leave the database where it stands.
    expect(at('sqlite3 -lookaside 500 100 app.db "SELECT 1"').deps).toEqual(['/r/app.db'])
    expect(written('sqlite3 app.db ".import data.csv t"')).toEqual(dbWrites)
    // A line starting with `.` inside an open statement is SQL (`.5`), not a dot-command; after `;` it is one.
    expect(at("sqlite3 app.db <<'EOF'\nSELECT a,\n.5 FROM t;\n.tables\nEOF").writesAny).toBe(false)
    expect(at("sqlite3 app.db <<'EOF'\nSELECT 1;\n.shell rm -rf build\nEOF").writesAny).toBe(true)
    expect(at('sqlite3 app.db -header "SELECT 1"').writesAny).toBe(false)
  })

  it("adb: the device's state (volatile), no file here; pull, backup and keygen write theirs; an unknown subcommand anything", () => {
    answeredElsewhere([
      'adb devices',
      'adb -s emulator-5554 shell "rm -rf /sdcard/x"',
      'adb install app.apk',
      'adb logcat -d',
    ])
    expect(at('adb push a.apk /data/local/tmp/').deps).toEqual(['/r/a.apk'])
    expect(written('adb pull /sdcard/shot.png')).toEqual(['/r/shot.png'])
    expect(written('adb pull /sdcard/DCIM out/')).toEqual(['/r/out'])
    expect(written('adb backup -f all.ab -all')).toEqual(['/r/all.ab'])
    expect(at('adb frobnicate').writesAny).toBe(true)
    // (Review 36.) A folder pulled whole lands as a folder; `-z` takes a value; a key pair is two files; the
    // emulator's console may write here (`adb emu screenrecord screenshot ./shots`), but for `kill`.
    expect(at('adb pull /sdcard/Android/data/app/files/logs').writesUnder).toEqual(['/r/logs'])
    expect(at('adb pull -z brotli /sdcard/logs').writesUnder).toEqual(['/r/logs'])
    expect(written('adb keygen adbkey')).toEqual(['/r/adbkey', '/r/adbkey.pub'])
    expect(at('adb emu screenrecord screenshot ./shots').writesAny).toBe(true)
    expect(at('adb -s emulator-5554 emu kill').writesAny).toBe(false)
  })

  it('ssh runs its command on another machine: volatile, no file here but its log; scp writes a local destination alone', () => {
    answeredElsewhere([
      'ssh -i ~/.ssh/k -p 22 -o StrictHostKeyChecking=no u@10.0.0.5 "sudo rm -f /var/x/*.xml"',
      'scp -i ~/.ssh/k -P 22 ./rules/a.xml u@10.0.0.5:/tmp/',
      'scp -r dist/ deploy@web:/srv/app',
    ])
    expect(written('ssh -E ssh.log u@h uptime')).toEqual(['/r/ssh.log'])
    expect(written('ssh -Essh.log u@h uptime')).toEqual(['/r/ssh.log'])
    // This machine itself, or a host aco cannot read: what it runs may write here (review 70).
    expect(at("ssh localhost 'cp a.conf /etc/nginx.conf'").writesAny).toBe(true)
    expect(at('ssh dev@127.0.0.1 make').writesAny).toBe(true)
    expect(at('ssh "$HOST" make').writesAny).toBe(true)
    expect(written('ssh u@h "cat /etc/hosts" > hosts.txt')).toEqual(['/r/hosts.txt'])
    expect(at('scp u@h:/var/log/app.log ./logs/').writesUnder).toEqual(['/r/logs'])
    // A Windows drive is no host.
    expect(at('scp u@h:/var/log/app.log C:/logs/app.log').writesUnder).toEqual(['/c/logs/app.log'])
    expect(at('scp onlyone').writesAny).toBe(true)
  })

  it("uv's pip interface asks as pip does: `uv pip list`, `uv --quiet pip show x` change no environment (fresh350 #19)", () => {
    for (const line of ['uv pip list', 'uv --quiet pip show mkdocs', 'uv pip freeze']) {
      const a = at(line)
      expect(a.env, line).toBe(false)
      expect(a.deps, line).toEqual(['(env)'])
    }
    expect(at('uv pip install mkdocs-material').env).toBe(true)
  })

  it('xmllint checks the files it names and writes only its --output', () => {
    expect(at('xmllint --noout ./rules/a.xml')).toMatchObject({writesAny: false, writes: [], deps: ['/r/rules/a.xml']})
    expect(at("xmllint --xpath '//rule/@id' rules/a.xml").deps).toEqual(['/r/rules/a.xml'])
    expect(written('xmllint --format a.xml --output b.xml')).toEqual(['/r/b.xml'])
  })

  it('xargs kill signals processes; xargs of a looker reads; of anything else it may write', () => {
    expect(at("ps aux | grep emulator | awk '{print $2}' | xargs -r kill -9").writesAny).toBe(false)
    expect(at('git ls-files | xargs sha256sum').writesAny).toBe(false)
    expect(at('cat stale.txt | xargs rm').writesAny).toBe(true)
    // (Review 36.) A program that looks unless told otherwise writes by its options or operands: not read as a look.
    for (const line of [
      `git ls-files 'charts/*.yaml' | xargs yq -i '.image.tag="2.4.1"'`,
      'grep -rl old src | xargs gawk -i inplace \'{gsub(/old/,"new")}1\'',
      'cat pairs.txt | xargs uniq',
      'cat list | xargs env make',
    ])
      expect(at(line).writesAny, line).toBe(true)
  })

  it("xargs or find -exec running a shell's script: read by the shell model, the item in its placeholder's place", () => {
    // (fresh196 #49: every settings.json found, printed under a heading; fresh93 #36.)
    const looks = at(`find /p -name settings.json | head -10 | xargs -I{} sh -c 'echo "=== {} ==="; cat {}'`)
    expect(looks).toMatchObject({writesAny: false, writes: [], writesUnder: []})
    expect(looks.deps).toEqual(['/p'])
    expect(at(`ls *.json | xargs -I % bash -c 'echo %; head -5 %'`).writesAny).toBe(false)
    expect(at(`find . -name x -exec sh -c 'echo "$1"; cat "$1"' _ {} \\;`).writesUnder).toEqual([])
    // A script that writes, or runs what aco cannot read, may have changed what was found.
    expect(at(`find . -name '*.log' | xargs -I{} sh -c 'rm {}'`).writesUnder).toEqual(['/r'])
    expect(at(`find . -name '*.log' | xargs -I % bash -c 'cat % > %.bak'`).writesUnder).toEqual(['/r'])
    expect(at(`find . -type f | xargs -I{} sh -c 'python {}'`).writesUnder).toEqual(['/r'])
    expect(at(`cat list | xargs -I{} sh -c 'touch {}'`).writesAny).toBe(true)
  })

  it("PowerShell's head and tail (`Select-Object -First 60`, `-Last 20`), like grep's and sort's, are no part of the command run", () => {
    const core = (line: string) => classifyShell(line, '/w').core
    const ran = '@/w go test /w/store/... -run X -v'
    expect(core('go test ./store/... -run X -v 2>&1 | Select-Object -Last 60')).toBe(ran)
    expect(core('go test ./store/... -run X -v 2>&1 | Select-Object -First 60')).toBe(ran)
    expect(core('go test ./store/... -run X -v 2>&1 | Select-String FAIL | Sort-Object')).toBe(ran)
    expect(core('go test ./store/... -run X -v | tail -60')).toBe(ran)
  })

  it('a program aco does not know, asked only by a subcommand that asks (`status`, `list`, `current`…), writes nothing', () => {
    for (const line of [
      'entire session current',
      'entire status',
      'bd list --status=open',
      'tool auth status',
      'fly status --json',
      'entire trail list --status any --json -n 20',
    ]) {
      const a = at(line)
      expect(a.writesAny, line).toBe(false)
      // What it answers may change by itself (a deploy, a queue): asked again, no repeat (review 60).
      expect(a.volatile, line).toBe(true)
    }
    // Another subcommand, one that makes something before the asking word, an option that is not of the answer's form,
    // more operands: it may have written (review 60: `flutter create status`, `jj describe -m`, `git-crypt status -f`).
    for (const line of [
      'entire doctor',
      'entire hooks copilot-cli pre-tool-use',
      'tool status --fix',
      'git-crypt status -f',
      'tool list --output out.json',
      'flutter create status',
      'rails new info',
      'jj describe -m "wip"',
      'dbt ls',
      'tool a b c list',
      'tool list a b',
      '$TOOL status',
    ])
      expect(at(line).writesAny, line).toBe(true)
  })

  it("a `cd` to a Windows drive's folder or the home folder goes there whatever folder the line started in", () => {
    // (A subagent's card that names no folder: `cd C:/Users/x/board; go test ./...` still runs in board.)
    const run = classifyShell('cd C:/Users/x/board; go test ./...', undefined)
    expect(run.codeDirs).toEqual(['/c/Users/x/board'])
    expect(classifyShell('cd ~/proj && cat a.txt', undefined).reads[0]?.path).toMatch(/\/proj\/a\.txt$/)
    // A relative folder from one no record names is not placed.
    expect(classifyShell('cd proj && cat a.txt', undefined).reads).toEqual([])
  })

  it("PowerShell: Format-Hex and ConvertFrom-Json only look; .NET's ReadAllText and ReadAllLines are Get-Content", () => {
    const hex = at("Format-Hex -Path 'notes.md' | Select-Object -First 5")
    expect(hex.writesAny).toBe(false)
    expect(hex.deps).toEqual(['/r/notes.md'])
    const raw = at("[System.IO.File]::ReadAllText('lab/repro.ps1')")
    expect(raw.kind).toBe('read')
    expect(raw.reads).toEqual([{path: '/r/lab/repro.ps1'}])
    expect(at('[IO.File]::ReadAllLines("x.txt", [Text.Encoding]::UTF8) | Select-Object -First 5').reads).toEqual([
      {path: '/r/x.txt', range: [1, 6]},
    ])
    // Kept in a variable, the text is not shown: a statement aco does not read.
    expect(at('$t = [IO.File]::ReadAllText("x.txt")').kind).not.toBe('read')
    // (Review 37.) A ForEach-Object block that writes or runs what it is given may write anything; one that prints not.
    for (const line of [
      '[IO.File]::ReadAllLines("list.txt") | ForEach-Object { Remove-Item $_ }',
      'Get-Content list.txt | ForEach-Object { Add-Content notes.txt $_ }',
      'Get-ChildItem *.log | % { Move-Item $_ old/ }',
      'Get-Content cmds.txt | % { & $_ }',
    ])
      expect(at(line).writesAny, line).toBe(true)
    expect(at('Get-Content list.txt | ForEach-Object { $_.Trim() }').writesAny).toBe(false)
  })
})

describe("a Windows shell's line", () => {
  /** A Codex shell call on Windows. */
  const step = (command: string) =>
    ({
      index: 1,
      id: 's1',
      kind: 'tool',
      tool: {
        callId: 'c1',
        name: 'shell_command',
        arguments: {command, workdir: 'C:\\dev\\app'},
        argsHash: 'h',
        status: 'ok',
      },
    }) as never

  it('turns backslashes between names into folders, not a regular expression escape ending a word', async () => {
    const {classify} = await import('../../src/flag/actions.js')
    const a = classify(step('rg -n "FROM user\\b|\\d+ rows" src\\db'), {cwd: '/c/dev/app'})
    expect(a.searches[0]).toMatchObject({pattern: expect.stringContaining('user\\b'), scopes: ['/c/dev/app/src/db']})
    expect(a.searches[0]!.pattern).toContain('\\d+')
  })

  it("cmd's `dir` with any option only looks: no write anywhere (a layout of its own, not a listing of names)", async () => {
    const {classify} = await import('../../src/flag/actions.js')
    // (fresh281 #141: `cmd /c dir /a fullstack\node_modules\.bin` had counted as a write anywhere, hiding a repeated
    // failure after it.)
    for (const line of ['cmd /c dir /a fullstack\\node_modules\\.bin', 'cmd /c dir /s /o:d src']) {
      const a = classify(step(line), {cwd: '/c/dev/app'})
      expect([a.writesAny, a.writes.length, a.writesUnder.length, a.searches.length], line).toEqual([false, 0, 0, 0])
    }
    // `dir /b` prints bare names, as `ls` does: a listing.
    expect(classify(step('cmd /c dir /b src'), {cwd: '/c/dev/app'}).kind).toBe('list')
  })
})

describe('archives', () => {
  it('tar and unzip write below the folder they extract to; a listing writes nothing; a new archive writes its file', () => {
    const under = (line: string) => {
      const a = at(line)
      return {under: a.writesUnder, written: a.writes.map(w => w.path), any: a.writesAny}
    }
    // (fresh138 #26: a release's tarball extracted into the commands folder had counted as a write anywhere.)
    expect(under('curl -L https://x/a.tar.gz | tar -xz --strip-components=2 -C ~/.claude/commands a-main/cmd')).toEqual(
      {
        under: ['/(home)/.claude/commands'],
        written: ['/(home)/.claude/commands'],
        any: false,
      },
    )
    expect(under('tar xzf dist.tgz').under).toEqual(['/r'])
    expect(under('tar -C out -xf dist.tar').under).toEqual(['/r/out'])
    expect(under('tar --extract --file=dist.tar --directory vendor').under).toEqual(['/r/vendor'])
    expect(under('unzip -o data.zip -d data')).toEqual({under: ['/r/data'], written: ['/r/data'], any: false})
    expect(under('tar -czf /tmp/b.tgz src').any).toBe(false)
    expect(under('tar -czf backup.tgz src').written).toEqual(['/r/backup.tgz'])
    for (const line of ['tar tzf dist.tgz', 'tar -xOf dist.tar README', 'unzip -l data.zip', 'tar -czf - src | wc -c'])
      expect(under(line), line).toEqual({under: [], written: [], any: false})
    // What runs commands, or what tar cannot be read as: anything.
    for (const line of ['tar --to-command=sh -xf a.tar', 'tar -F next.sh -xf a.tar', 'tar', 'unzip'])
      expect(under(line).any, line).toBe(true)
  })
})

describe('a server asked through a formatter', () => {
  it('`curl … | python3 -m json.tool` asks the server as `curl` alone does: its answer may change by itself', () => {
    // (fresh293 #32, #80: the formatter's module had set the line's volatility back to false, and a health check
    // after a database reset and restart was called a duplicate.)
    expect(at('curl -s http://127.0.0.1:8000/api/summary | python3 -m json.tool').volatile).toBe(true)
    expect(at('python3 -m json.tool data.json').volatile).toBe(false)
    expect(at('python3 -m http.server 8000').volatile).toBe(true)
  })
})

describe('a tool the harness does not have', () => {
  it("is named from Claude Code's and Gemini CLI's words; a tool's own \"not found\" is none of them", () => {
    expect(missingTool('<tool_use_error>Error: No such tool available: mcp__figma__get_code</tool_use_error>')).toBe(
      'mcp__figma__get_code',
    )
    // (Gemini CLI in Plan Mode, which leaves its shell out: fresh102 #44, #109; trial 76.)
    expect(
      missingTool('Tool "run_shell_command" not found. Did you mean one of: "update_topic", "grep_search", "replace"?'),
    ).toBe('run_shell_command')
    expect(missingTool('Error: file "src/a.ts" not found')).toBeUndefined()
    expect(missingTool('npm ERR! Tool "tsc" not found in PATH')).toBeUndefined()
  })
})
