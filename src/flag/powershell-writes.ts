/**
 * What a PowerShell script writes, when it is plain enough to tell: every command it runs is a cmdlet (or alias) that
 * reads, filters or prints (`Get-Content`, `Get-ChildItem`, `Test-Path`, `Where-Object`, `Measure-Object`,
 * `Format-Table`…), or writes a file it names (`Set-Content`, `Add-Content`, `Out-File`, `[IO.File]::WriteAllText`)
 * by a literal path or a variable holding one (`$path = 'a.md'; … Set-Content $path $content`), between PowerShell's
 * own keywords, variables, literals and script blocks; no redirection into a file, no call operator, no method whose
 * name says it writes elsewhere (`.Delete()`, `.Save(`), no subexpression inside a string. What it reads is not told
 * (a loop over `Get-ChildItem` reads every file it lists). Agents on Windows write such scripts to count a
 * checklist's boxes, or to read a file, replace a block and write it back; a shell's reading of them (bash's) sees a
 * subshell, braces and unknown words that may write anything.
 */
/** Cmdlets and aliases that only read, filter, or print (lower case). */
const READERS = new Set([
  'get-content',
  'get-childitem',
  'get-item',
  'get-itemproperty',
  'get-location',
  'get-date',
  'get-filehash',
  'get-member',
  'get-command',
  'new-object',
  'get-random',
  'test-path',
  'select-object',
  'select-string',
  'where-object',
  'foreach-object',
  'measure-object',
  'sort-object',
  'group-object',
  'compare-object',
  'format-table',
  'format-list',
  'format-wide',
  'out-string',
  'out-host',
  'out-null',
  'write-output',
  'write-host',
  'write-warning',
  'write-error',
  'convertto-json',
  'convertfrom-json',
  'join-path',
  'split-path',
  'resolve-path',
  'set-location',
  'push-location',
  'pop-location',
  'gc',
  'gci',
  'gi',
  'ls',
  'dir',
  'cat',
  'type',
  'select',
  'sls',
  'where',
  'foreach',
  'sort',
  'measure',
  'group',
  'ft',
  'fl',
  'echo',
  'cd',
  'pwd',
  'sl',
])

/** PowerShell's keywords that can stand where a command does. */
const KEYWORDS = new Set([
  'if',
  'else',
  'elseif',
  'foreach',
  'for',
  'while',
  'do',
  'until',
  'switch',
  'return',
  'break',
  'continue',
  'in',
  'try',
  'catch',
  'finally',
  'true',
  'false',
  'null',
  'throw',
  'exit',
])

/** Cmdlets that change the location relative paths resolve from (lower case). */
const MOVES = new Set(['set-location', 'push-location', 'pop-location', 'cd', 'sl', 'chdir', 'pushd', 'popd'])

/** Cmdlets that write the file their path names (lower case). */
const WRITERS = new Set(['set-content', 'add-content', 'out-file', 'sc', 'ac'])

/** Static calls that write the file their first argument names. */
const FILE_WRITES = /^(?:WriteAllText|WriteAllLines|WriteAllBytes|AppendAllText|AppendAllLines)$/

/**
 * A method or static call whose name says it changes something outside the script (`.Delete()`, `.Save(`,
 * `[IO.File]::Move(`); a list's own `.Add(`, `.Insert(`, `.Remove(` change only the script's values.
 */
const WRITING_METHOD =
  /^(?:write|delete|move|copy|create|save|append|open|start|kill|invoke|execute|run|send|upload|download|rename|replacefile|encrypt|decrypt|setaccesscontrol)/i

/** The files a PowerShell script writes, as it names them (none: it only reads); undefined when aco cannot tell. */
export function powershellWrites(script: string): string[] | undefined {
  const s = script
  const vars = literalVariables(s)
  const writes: string[] = []
  let commandAt = true
  /** The script changed its location (`Set-Location docs`): its relative paths are no longer the call's. */
  let moved = false
  for (let i = 0; i < s.length; ) {
    const c = s[i]!
    if (c === ' ' || c === '\t' || c === '\r') {
      i++
      continue
    }
    if (c === '\n' || c === ';' || c === '|' || c === '{' || c === '(' || c === '}') {
      commandAt = c !== '}'
      i++
      continue
    }
    if (c === '#') {
      const end = s.indexOf('\n', i)
      i = end < 0 ? s.length : end
      continue
    }
    // Here-strings and strings: skipped whole; an expandable one may run a subexpression.
    if (c === '@' && (s[i + 1] === "'" || s[i + 1] === '"') && (s[i + 2] === '\n' || s[i + 2] === '\r')) {
      const close = `\n${s[i + 1]}@`
      const end = s.indexOf(close, i + 2)
      if (end < 0 || (s[i + 1] === '"' && s.slice(i, end).includes('$('))) return undefined
      i = end + close.length
      commandAt = false
      continue
    }
    if (c === "'" || c === '"') {
      const end = stringEnd(s, i)
      if (end < 0) return undefined
      i = end
      commandAt = false
      continue
    }
    // Redirection into anything but $null (`2>$null`, `2>&1` write nothing).
    if (c === '>') {
      const head = s.slice(i, i + 64)
      if (!/^\$null\b/i.test(head.replace(/^>>?\s*/, '')) && !/^>&[12]/.test(head)) return undefined
      i += s[i + 1] === '>' ? 2 : 1
      continue
    }
    // What an assignment takes may be a command's output (`$x = Get-Content f`).
    if (c === '=' && s[i + 1] !== '=') {
      commandAt = true
      i++
      continue
    }
    // The call operator; dot-sourcing, or a program run by its path (`.\\gen.ps1`, `..\\tools\\x.exe`), where a
    // command stands.
    if (c === '&' && s[i + 1] !== '&') return undefined
    if (commandAt && (c === '.' || c === '\\' || c === '/' || c === '~' || /^\d+[A-Za-z_]/.test(s.slice(i, i + 32))))
      return undefined
    // A method or static call.
    if ((c === '.' || c === ':') && /[A-Za-z]/.test(s[i + 1] ?? '')) {
      const m = /^[.:]([A-Za-z_]\w*)\s*\(/.exec(s.slice(i))
      // `.ForEach('Delete')`, `.Where(…)` with a method's name: what runs is the string's.
      if (m && /^(?:ForEach|Where)$/i.test(m[1]!) && !/^[.:]\w+\s*\(\s*\{/.test(s.slice(i))) return undefined
      if (m && c === ':' && FILE_WRITES.test(m[1]!)) {
        if (moved) return undefined
        const path = pathOf(statement(s, i + m[0].length).tokens.slice(0, 1), vars)
        if (path === undefined) return undefined
        writes.push(path)
      } else if (m && WRITING_METHOD.test(m[1]!)) return undefined
      i++
      continue
    }
    if (/[A-Za-z]/.test(c) || (c === '%' && commandAt) || (c === '?' && commandAt)) {
      const word = /^[A-Za-z_%?][\w-]*/.exec(s.slice(i))![0]
      i += word.length
      if (commandAt) {
        const name = word.toLowerCase()
        // A hashtable's key or a variable's property (`Name = $_.Name`): no command.
        const assigned = /^\s*=(?!=)/.test(s.slice(i))
        if (MOVES.has(name)) moved = true
        if (WRITERS.has(name)) {
          // A relative path after the script changed its location is not where the call ran.
          if (moved) return undefined
          const {tokens, end} = statement(s, i)
          const path = pathOf(tokens, vars)
          if (path === undefined) return undefined
          writes.push(path)
          i = end
        } else if (!assigned && !READERS.has(name) && !KEYWORDS.has(name) && name !== '%' && name !== '?')
          return undefined
      }
      commandAt = false
      continue
    }
    // Anything else (variables, numbers, operators, `[type]`, `@{`, `@(`) stands where a value does.
    if (c === '@' && (s[i + 1] === '{' || s[i + 1] === '(')) {
      i++
      continue
    }
    commandAt = false
    i++
  }
  return writes
}

/**
 * Where the string starting at `i` ends (past its closing quote), -1 when it does not, or when an expandable one
 * runs a subexpression other than a variable's value (`"$($lines[$i])"` reads one).
 */
function stringEnd(s: string, i: number): number {
  const q = s[i]!
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j]!
    if (q === '"' && c === '`') j++
    else if (q === '"' && c === '$' && s[j + 1] === '(') {
      const value = /^\$\(\$\w+(?:\[[^\]()"]*\]|\.\w+)*\)/.exec(s.slice(j))
      if (!value) return -1
      j += value[0].length - 1
    } else if (c === q) {
      if (s[j + 1] === q) j++
      else return j + 1
    }
  }
  return -1
}

interface Token {
  kind: 'string' | 'variable' | 'word'
  text: string
}

/** The words of a command from `i` to the end of its statement (`;`, `|`, a closing brace or parenthesis, a line's end). */
function statement(s: string, i: number): {tokens: Token[]; end: number} {
  const tokens: Token[] = []
  let j = i
  while (j < s.length) {
    const c = s[j]!
    if (c === ';' || c === '|' || c === '}' || c === ')' || c === '\n') break
    if (/\s/.test(c)) {
      j++
      continue
    }
    // A list of values (`-Path a, b`): no one path.
    if (c === ',') {
      tokens.push({kind: 'word', text: ','})
      j++
      continue
    }
    // A value computed in parentheses (`(Join-Path $dir 'a.json')`): not a path aco can read.
    if (c === '(' || (c === '$' && s[j + 1] === '(')) {
      let depth = 0
      for (; j < s.length; j++) {
        if (s[j] === '(') depth++
        else if (s[j] === ')' && --depth === 0) break
      }
      tokens.push({kind: 'word', text: '\0'})
      j++
      continue
    }
    if (c === '@' && (s[j + 1] === "'" || s[j + 1] === '"') && (s[j + 2] === '\n' || s[j + 2] === '\r')) {
      // A here-string's text: a value, never the path.
      const close = `\n${s[j + 1]}@`
      const end = s.indexOf(close, j + 2)
      if (end < 0 || (s[j + 1] === '"' && s.slice(j, end).includes('$(')))
        return {tokens: [{kind: 'word', text: '\0'}], end: s.length}
      tokens.push({kind: 'word', text: '\0'})
      j = end + close.length
      continue
    }
    if (c === "'" || c === '"') {
      const end = stringEnd(s, j)
      if (end < 0) return {tokens: [{kind: 'word', text: '\0'}], end: s.length}
      const body = s.slice(j + 1, end - 1)
      tokens.push(c === '"' && /[$`]/.test(body) ? {kind: 'word', text: '\0'} : {kind: 'string', text: body})
      j = end
      continue
    }
    const m = /^[^\s;|})\n,(]+/.exec(s.slice(j))
    if (!m) break
    tokens.push(m[0].startsWith('$') ? {kind: 'variable', text: m[0].slice(1)} : {kind: 'word', text: m[0]})
    j += m[0].length
  }
  return {tokens, end: j}
}

/** Parameters of the writing cmdlets that take a value (`-Encoding utf8`); the others are switches. */
const VALUE_PARAMS = /^-(?:Value|Encoding|Width|Stream|InputObject|Delimiter|Filter|Include|Exclude|Credential)$/i

/** The path a writing command names (`-Path p`, `-FilePath p`, or its first positional word), resolved; undefined when it cannot be read. */
function pathOf(tokens: readonly Token[], vars: ReadonlyMap<string, string>): string | undefined {
  let token: Token | undefined
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!
    if (t.kind === 'word' && /^-(?:Path|FilePath|LiteralPath)$/i.test(t.text)) {
      token = tokens[k + 1]
      break
    }
    if (t.kind === 'word' && t.text.startsWith('-')) {
      if (VALUE_PARAMS.test(t.text)) k++
      continue
    }
    token ??= t
  }
  if (!token || tokens[tokens.indexOf(token) + 1]?.text === ',') return undefined
  if (token.kind === 'string') return token.text || undefined
  if (token.kind === 'variable') return vars.get(token.text.toLowerCase())
  // (Splatting, `Add-Content @params`, names its parameters in a table.)
  return token.text === '\0' || /[$`*?@]/.test(token.text) ? undefined : token.text
}

/**
 * Variables the script sets once, to a literal string alone (`$path = 'specs/plan.md'`), by lower-case name; any other
 * assignment of one (`$p += '.md'`, `$p = 'a' + 'b'`, a second `=`) leaves it unknown.
 */
function literalVariables(s: string): Map<string, string> {
  const out = new Map<string, string>()
  const unknown = new Set<string>()
  for (const m of s.matchAll(/\$(\w+)\s*([-+*/%?]?=)(?!=)\s*/g)) {
    const name = m[1]!.toLowerCase()
    const rest = s.slice(m.index + m[0].length)
    const literal = m[2] === '=' ? /^(?:'((?:[^']|'')*)'|"([^"`$]*)")\s*(?:;|\r?\n|\}|$)/.exec(rest) : null
    if (!literal || out.has(name) || unknown.has(name)) {
      out.delete(name)
      unknown.add(name)
      continue
    }
    out.set(name, literal[1] !== undefined ? literal[1].replace(/''/g, "'") : literal[2]!)
  }
  return out
}
