/**
 * What a tool's output showed the model (see card/output-facts.ts, where the
 * facts every detector asks of an output are read), how two outputs compare
 * (their hit lines, a failure's signature), and what a failure is about.
 */
import {harnessHeaderEnd, lineNumberAt, noHits, outputBody} from '../card/output-facts.js'

export {
  missingPaths,
  noHits,
  reportsCaughtFailure,
  reportsCommandNotFound,
  showsFailure,
  shownOf,
} from '../card/output-facts.js'

/** The result lines of a search output, stripped of file and line-number prefixes, for comparing hits. */
export function hitLines(text: string): string[] {
  const out: string[] = []
  for (const raw of text.split('\n')) {
    const line = raw
      .replace(/^(?:[^\s:]+:)?\d+[:-]/, '')
      .replace(/^[^\s:]+:/, '')
      .trim()
      // (OpenCode's grep numbers a hit `Line 25: text` under its file's path.)
      .replace(/^Line \d+: /, '')
    // (Not a search tool's count of what it found, `Found 4 matches`: a narrower search finds fewer of the same.)
    if (line && line !== '--' && !FOUND_COUNT.test(line)) out.push(line)
  }
  return out
}

/** A search tool's count of its hits above them (OpenCode's grep, Claude Code's Grep and Glob). */
const FOUND_COUNT = /^Found \d+ (?:match(?:es)?|files?)$/

/**
 * A failure's signature for comparing two failures: its last error line (or first line), trimmed. Lines in `noise`
 * (see `noiseLines`: what the session's commands print when they succeed too) are no failure's.
 */
export function errorSignature(text: string | undefined, noise?: ReadonlySet<string>): string {
  if (!text) return ''
  // Not the harness's header (Codex's `Command: …` would make every failure of one command the same).
  const body = text.slice(harnessHeaderEnd(text))
  const tail = body.length > 6000 ? body.slice(-6000) : body
  // The time a run took is no part of its failure, unless it failed for taking too long: then another run may not.
  const elapsed = TIME_BOUND.test(tail) ? undefined : ELAPSED
  let lines = tail
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean)
  if (noise?.size) lines = lines.filter(l => !noise.has(noiseKey(l)))
  let marked: string | undefined
  for (let i = lines.length - 1; i >= 0 && i >= lines.length - 40; i--) {
    const l = lines[i]!
    // A package manager's closing line about the script it ran (`ELIFECYCLE  Command failed.`, `npm error Lifecycle
    // script …`): the script's own error is above it, what tells one failure from another.
    if (SCRIPT_RUNNER_LINE.test(l)) {
      marked ??= l
      continue
    }
    if (marked === undefined && FAILED_MARK.test(l) && !ERROR_WORDS.test(l)) marked = l
    // A wrapper's line that points at the error above it (conda's "`conda run …` failed. (See above for error)"): the
    // error the program it ran printed last, right above it, when that line is one; else the wrapper's own line, which
    // names the command (a footer printed at exit, wandb's, or a message of no error words says nothing alike, and an
    // error further up may be a warning printed before it: triton's).
    if (SEE_ABOVE.test(l)) {
      const above = lines[i - 1]
      return signatureLine(
        above !== undefined && ERROR_WORDS.test(above) && !SEE_ABOVE.test(above) ? above : l,
        elapsed,
      )
    }
    if (
      (ERROR_WORDS.test(l) || ZSH_NO_MATCH.test(l)) &&
      !DOCS_POINTER.test(l) &&
      !STATEMENT_ECHO.test(l) &&
      !RUN_TALLY.test(l)
    )
      return signatureLine(l, elapsed)
  }
  if (marked !== undefined) return signatureLine(marked, elapsed)
  const first = lines[0] ?? ''
  return withoutShellLine((elapsed ? first.replace(elapsed, 'N$1') : first).replace(/\s+/g, ' '))
}

/** What npm, pnpm and yarn print below a script that failed, about the script (not its error). */
const SCRIPT_RUNNER_LINE =
  /^(?:ELIFECYCLE\s+(?:Command failed\.?(?: with exit code \d+\.?)?|Test failed\..*)|npm (?:ERR!|error) (?:code \S+$|errno \d+|Lifecycle script .* failed|Exit status \d+|Failed at the .* script|This is probably not a problem|A complete log of this run|command failed$|command sh -c|path \S|workspace \S|location \S|in workspace:)|error Command failed with exit code \d+\.?$|info Visit https:\/\/yarnpkg\.com\/)/

/**
 * A time a run took, as a runner's summary states it (`3 errors in 0.25s`, Go's `FAIL pkg 0.012s` at the line's end,
 * `Time: 1.2 s`, `(0.25s)`): no other failure for taking longer. (Not a time the failure itself is about, `render took
 * 1.07s`: a performance test failing by another margin may pass next time.)
 */
const ELAPSED = /(?<=\bin |\bTime: |\(|\t)\d+(?:\.\d+)?( ?(?:ms|s|secs?|seconds))\b(?=\)|\s*$|\s*[=!(])/gm
/**
 * A failure for taking too long (`TimeoutError: upload did not finish in 2.0s`, `timed out after 30s`): a run that may
 * end otherwise. (Not a word of an option, `unrecognized arguments: --timeout=60`.)
 */
const TIME_BOUND =
  /\b(?:\w*Timeout(?:Error|Exception|Expired)\b|timed out\b|deadline exceeded\b|time ?out (?:after|of|expired|exceeded|reached)\b)/i

/** Whether a failure's signature (see `errorSignature`) says it took too long. */
export function timedOut(signature: string): boolean {
  return TIME_BOUND.test(signature)
}

/**
 * An error line as a failure's signature: spaces, tool tags and random path parts made even, and the time a run took
 * where `elapsed` finds it.
 */
function signatureLine(l: string, elapsed?: RegExp): string {
  const even = (elapsed ? l.replace(elapsed, 'N$1') : l)
    .replace(/\s+/g, ' ')
    .replace(/<\/?tool_use_error>/g, '')
    .replace(PATH_SEGMENT, evenSegment)
  const line = withoutShellLine(even)
  // A program's own report of an exception (`Import error: KeyError: 'x'`) is that exception; one it printed in
  // brackets (`[TypeError: generate is not a function]`, Node's way of logging an error) without the closing one.
  const reported = REPORTED_EXCEPTION.exec(line)?.[1]
  if (reported === undefined) return line
  const closer = CLOSER[line[line.length - reported.length - 1]!]
  return closer && reported.endsWith(closer) ? reported.slice(0, -1) : reported
}

/** The bracket that closes each opening one. */
const CLOSER: Record<string, string> = {'[': ']', '(': ')', '{': '}'}

/**
 * A line that only points at documentation about the error (SQLAlchemy's `(Background on this error at:
 * https://sqlalche.me/e/20/gkpj)`, `For more information, see https://…`): the same for every error of its class, so
 * no error's signature.
 */
const DOCS_POINTER =
  /^\W*(?:background on this error at|(?:for )?(?:more|further) (?:info(?:rmation)?|details)(?: (?:about|on) this error)?,?(?: see| at| visit)?|see|learn more(?: at)?):? *https?:\/\/\S+\W*$/i
/** The statement and values a database library prints under its error (SQLAlchemy's `[SQL: …]`, `[parameters: …]`). */
const STATEMENT_ECHO = /^\[(?:SQL|parameters): /
/**
 * A test run's tally of how it ended (pytest's `=== 1 failed, 3 errors in 0.25s ===`, `!!! Interrupted: 1 error during
 * collection !!!`): the same for failures of every kind, so no failure's signature; the error above it is.
 */
const RUN_TALLY =
  /^(?:=*\s*(?:\d+ (?:passed|failed|errors?|skipped|deselected|xfailed|xpassed|warnings?)(?:, |\s+(?=in )))+in \d+(?:\.\d+)?s\b.*|!+ Interrupted: \d+ errors? during collection !+)$/

/** A line that says the error was printed before it. */
const SEE_ABOVE = /\(see above\b[^)]*\)|\bsee (?:the )?(?:errors?|output|log|messages?) above\b/i

const ERROR_WORDS =
  /(?:error|exception|not found|no such file|denied|invalid|failed|cannot|refused|unable|must|not read yet|^fatal:|could not)/i
/**
 * A line a script marked as failed (`❌ Port 9999 is already in use`, `✗ typecheck`): the failure's line where no line
 * says it in words (a summary's `✗ typecheck` below the compiler's `error TS2322` is not).
 */
const FAILED_MARK = /[❌✗✘✖⛔]/
/** zsh refusing a word it took for a pattern that matched nothing (`(eval):1:` under Claude Code's Bash on macOS). */
const ZSH_NO_MATCH = /^(?:zsh(?::\d+)?|\(eval\):\d+): no matches found: /
/** Words of a refusal too, for what successful outputs print (`Operation not permitted`). */
const NOISE_WORDS =
  /(?:error|exception|not found|no such file|denied|invalid|failed|cannot|refused|unable|not permitted)/i

/**
 * The lines of successful outputs that read like errors (a login shell's profile refused by the sandbox on every
 * command: `/opt/homebrew/…/shellenv.sh: line 18: /bin/ps: Operation not permitted`): printed when nothing failed,
 * they are no failure's signature. `texts` are the successful outputs (their first lines suffice).
 */
export function noiseLines(texts: Iterable<string>): Set<string> {
  const seen = new Map<string, number>()
  for (const text of texts) {
    // (Its first 12 lines, found without splitting the rest; most hold none of the words, tested on them at once.)
    const start = harnessHeaderEnd(text)
    let end = start
    for (let k = 0; k < 12 && end !== -1; k++) {
      end = text.indexOf('\n', end)
      if (end !== -1) end++
    }
    const head = end === -1 ? text.slice(start) : text.slice(start, end)
    if (!NOISE_WORDS.test(head)) continue
    const mine = new Set<string>()
    for (const raw of head.split('\n', 12)) {
      const l = raw.trim()
      // (A shell's or harness's line is short: a long one is the command's own output, and testing it costs the most.)
      if (l && l.length <= NOISE_LINE && NOISE_WORDS.test(l) && !l.startsWith('Traceback')) mine.add(noiseKey(l))
    }
    for (const l of mine) seen.set(l, (seen.get(l) ?? 0) + 1)
  }
  // Printed by two successful commands at least: what the shell or the harness prints, not one command's own report.
  const out = new Set<string>()
  for (const [l, n] of seen) if (n >= 2) out.add(l)
  return out
}

/**
 * Whether a search found nothing once the lines the session prints around every command are left out (`noise`, see
 * `noiseLines`): a grep or rg that exits 1 under a login shell whose profile the sandbox refuses prints only that
 * refusal.
 */
export function noHitsBeside(text: string, noise: ReadonlySet<string>): boolean {
  if (noise.size === 0) return false
  let rest = ''
  for (const raw of outputBody(text).split('\n')) {
    const l = raw.trim()
    if (l && !noise.has(noiseKey(l))) rest += `${l}\n`
  }
  return noHits(rest)
}

/**
 * A ripgrep output less its reports of ignore-file globs it could not parse (`rg: /repo/.gitignore: line 1: error
 * parsing glob '\\': dangling '\\'`), when it holds one and no other `rg:` report: ripgrep exits 2 for them, and
 * searches all the same, with the file's other globs. Undefined for any other output.
 */
export function lessIgnoreGlobErrors(text: string): string | undefined {
  if (!text.includes(': error parsing glob ')) return undefined
  let rest = ''
  let found = false
  for (const line of outputBody(text).split('\n')) {
    if (IGNORE_GLOB_ERROR.test(line)) found = true
    // (Any other report: ripgrep's own, `rg: …`, or, before ripgrep 14, one with no prefix but its OS error.)
    else if (line.startsWith('rg: ') || OS_ERROR.test(line)) return undefined
    else rest += `${line}\n`
  }
  return found ? rest : undefined
}

/**
 * ripgrep's report of a glob it could not parse in an ignore file: the folder's (`.gitignore`, `.ignore`, `.rgignore`),
 * git's global one (`~/.config/git/ignore`) or the repository's own (`.git/info/exclude`); `rg: ` before it since
 * ripgrep 14.
 */
const IGNORE_GLOB_ERROR =
  /^(?:rg: )?(?:[^\n]*[\\/])?(?:\.gitignore|\.ignore|\.rgignore|git[\\/]ignore|info[\\/]exclude): line \d+: error parsing glob /

/** An operating system's error as ripgrep reports it (`…: No such file or directory (os error 2)`). */
const OS_ERROR = /\(os error \d+\)\s*$/

/**
 * An output less the errors its shell reported from its own start-up files (`/c/Users/me/.bashrc: line 1:
 * $'\377\376eval': command not found` from a profile saved as UTF-16, `~/.zshrc:12: command not found: pyenv`): they
 * were the shell's before it ran the command, whatever the command then did. The output itself where it has none.
 */
export function withoutStartupErrors(text: string): string {
  // (The files' names end so, right before the colon of the shell's report: a cheap look before the pattern's.)
  if (!STARTUP_NAME_END.test(text)) return text
  return STARTUP_ERROR_LINE.test(text) ? text.replace(STARTUP_ERROR_LINES, '') : text
}

const STARTUP_NAME_END = /(?:rc|profile|zshenv|zlogin|bash_login):/
/** A shell's report of an error in one of its start-up files: bash's `FILE: line N: …`, zsh's `FILE:N: …`. */
const STARTUP_FILE = String.raw`(?:[^\s:]*[/\\])?(?:\.bashrc|\.bash_profile|\.bash_login|\.profile|\.zshrc|\.zprofile|\.zshenv|\.zlogin|bash\.bashrc|profile)`
const STARTUP_ERROR_LINE = new RegExp(String.raw`^${STARTUP_FILE}:(?: line)? ?\d+: [^\n]*$`, 'm')
const STARTUP_ERROR_LINES = new RegExp(String.raw`^${STARTUP_FILE}:(?: line)? ?\d+: [^\n]*(?:\n|$)`, 'gm')

/** The longest line taken for what a shell or harness prints around every command. */
const NOISE_LINE = 400

/** A line as noise is compared: Codex's `failed in sandbox: ` before a failed command's first line left out. */
function noiseKey(line: string): string {
  return line.replace(/^failed in sandbox: /, '').replace(/\s+/g, ' ')
}

/**
 * A failure of how the call was written rather than of what it met (the shell never ran it, the tool could not read
 * it), as a class two such failures share whatever they were about: zsh taking a path's brackets or parentheses for
 * a pattern (`no matches found: src/(app)/[id]/page.tsx`), bash meeting an unclosed quote or block, apply_patch a body line
 * without its `+`, a search tool an option it does not have (a pattern starting with `-` before `--`). Undefined for
 * any other failure.
 */
export function formError(failure: string, output = '', command = ''): string | undefined {
  // A tool the harness does not have (Claude Code's `No such tool available: mcp__x__y`): called again, the same.
  const tool = missingTool(output)
  if (tool) return `no such tool: ${tool}`
  // (Codex's sandbox wraps what the shell said: `failed in sandbox MacosSeatbelt with execution error: …, stderr: bash: …`.)
  const signature = failure.replace(SANDBOX_WRAPPER, '').replace(/^failed in sandbox: /, '')
  // (zsh's own name, or `(eval)` where Claude Code's Bash runs it on macOS.) A path's `*` or `?` matching nothing is an
  // answer (no such file); an option's or a URL's, a mistake in how the word was written.
  const glob = /^(?:zsh(?::\d+)?|\(eval\):\d+): no matches found: (\S+)/.exec(signature)
  if (glob) {
    const word = glob[1]!
    if (/[[(]/.test(word) && !/[*?]/.test(word)) return UNQUOTED_ZSH
    // (A word of the call's own line: not a line a file or a page it printed quotes.)
    if (command && !command.includes(word)) return undefined
    if (/^--?[\w-]+=/.test(word)) return 'zsh: an option with a pattern in it unquoted'
    return /:\/\/|\?[\w.-]*=/.test(word) ? 'zsh: a URL with ? unquoted' : undefined
  }
  // zsh reading a path's `(group)` as glob qualifiers (`app/(protected)`: `o` starts a sort, `p` a file type).
  if (ZSH_QUALIFIER_ERROR.test(signature)) return UNQUOTED_ZSH
  // zsh unable to parse the line (Claude Code's Bash on macOS runs it as `(eval)`): the line ran no further. Near the
  // line's end (`\n`) it only says a construct was left open, which one unknown, but for a heredoc it would not take.
  const parse = /^(?:zsh|\(eval\))(?::\d+)?: parse error near `([^`']{0,20})'$/.exec(signature)
  if (parse && parse[1] !== '\\n') return `zsh: parse error near \`${parse[1]}'`
  if (parse && HEREDOC.test(command)) return ZSH_HEREDOC
  // bash meeting a path's `(group)` unquoted (`ls app/(tabs)`) on the command's first line, before anything ran (bash
  // runs a script's lines as it reads them: at a later line, the lines before it ran).
  if (/^\w*sh: (?:-c: )?(?:line \d+: )?syntax error near unexpected token `\('$/.test(signature)) {
    const at = /(?:^|\n|stderr: )\w*sh: (?:-c: )?line (\d+): syntax error near unexpected token `\('/.exec(
      `${failure}\n${output}`,
    )
    return at === null || Number(at[1]) <= 1 ? 'shell: an unquoted ( in a word' : undefined
  }
  if (
    /^\w*sh: (?:-c: )?(?:line \d+: )?(?:syntax error: unexpected end of file|unexpected EOF while looking for matching)/.test(
      signature,
    )
  )
    return 'shell: a quote or block left open'
  // A word the program takes for an option it does not have (a search pattern starting with `-`, as `rg "-x" f`).
  const option =
    /^(rg|grep|egrep|ugrep|ag): (?:unrecognized (?:flag|option) '?([^'\s]+)'?|invalid option -- '?([^'])'?)/.exec(
      signature,
    )
  if (option) return `${option[1]}: unknown option ${option[2] ?? `-${option[3]}`}`
  // A search pattern that is no regular expression in the program's syntax (`grep "a\)"`: grep's basic syntax takes
  // `\)` for a group's end; rg's `(` left open): it fails before reading a file, whatever it was run on.
  const grepRegex =
    /^(grep|egrep|ugrep): (Unmatched [^\n]*|Invalid (?:regular expression|preceding regular expression|back reference|range end|character class name|content of \\\{\\\})|Trailing backslash)\s*$/.exec(
      signature,
    )
  if (grepRegex) return `${grepRegex[1]}: ${grepRegex[2]}`
  if (/^(?:(?:rg: )?regex parse error:|error: )/.test(signature)) {
    const kind = /(?:^|\n)(?:rg: )?regex parse error:\n[\s\S]*?\nerror: ([^\n]+)/.exec(head(output))
    if (kind) return `rg: regex parse error: ${kind[1]!.trim()}`
  }
  // Python echoing its `-c` code cut at the code's first double quote (`print(` of `python -c 'print("x")'`): Windows
  // PowerShell passed the quote to the program unescaped, which ended the argument there.
  if (/^SyntaxError: /.test(signature) && cutAtQuote(output, command)) return QUOTE_CUT
  // OpenHands' bash, sent a command while the one before still ran (waiting on input): it ran nothing. Its own note,
  // the output's last line (not a test's output quoting those words).
  if (BUSY_NOTE.test(output.slice(-2000))) return BUSY_SHELL
  // OpenHands' bash echoing the command's first lines and waiting (no new output): a line left open (a quote, a block),
  // whose rest the shell waits for; nothing of it ran.
  if (NO_NEW_OUTPUT.test(output) && echoesCommand(output, command) && leftOpen(command)) return WAITS_FOR_REST
  const hunk = /invalid hunk at line (\d+), .* is not a valid hunk header/.exec(signature)
  if (hunk) return `apply_patch: invalid hunk at line ${hunk[1]}: not a valid hunk header`
  // PowerShell's parser, before anything ran: a here-string never closed; bash's heredoc, which it does not have; a
  // quote escaped with a backslash inside a double-quoted string (PowerShell escapes with a backtick), where the
  // line it echoes shows one.
  // (PowerShell reports a parse error at the start of its output: only that part is read.)
  const start = head(output)
  // A word after a `|` inside quotes that PowerShell ran as a command (`rg -n "a|b"` reached it unquoted): the quotes
  // were lost on the way, and the `|` became a pipe.
  const term = /^(\S+) : The term '([^'\n]+)' is not recognized as the name of a cmdlet/.exec(start)
  if (term && term[1] === term[2] && quotedAfterBar(command, term[2]!)) return 'powershell: a quoted | taken for a pipe'
  if (!start.includes('ParserError')) return undefined
  if (/^The string is missing the terminator: ['"]@\./m.test(start)) return 'powershell: a here-string left open'
  if (/^Missing file specification after redirection operator\./m.test(start) && /<<\s*['"]?\w/.test(start))
    return "powershell: bash's heredoc (<<)"
  // `a && b`, `a || b`: Windows PowerShell has neither (PowerShell 7 does).
  if (/^The token '(?:&&|\|\|)' is not a valid statement separator in this version\./m.test(start))
    return 'powershell: && or || between commands'
  if (/^\+ .*\\"/m.test(start) && !/^\+ .*`"/m.test(start)) return ESCAPED_QUOTE
  // A string left open where the command as written closes every one: its quotes reached PowerShell escaped (`\"`).
  // (Not one a script or module the command ran left open, `At C:\…\build.ps1:14 char:12`: its own mistake.)
  if (
    /^The string is missing the terminator: "\./m.test(start) &&
    !/^At (?!line:).+:\d+ char:\d+/m.test(start) &&
    balancedDoubleQuotes(command)
  )
    return ESCAPED_QUOTE
  return undefined
}

const WAITS_FOR_REST = 'openhands: a line left open, the shell waiting for the rest of it'

/** OpenHands' bash's note on a command that has printed nothing for a while and still runs. */
const NO_NEW_OUTPUT = /\[The command has no new output after \d+ seconds\./

/** OpenHands' bash's note on a command it did not run, as the output's last line. */
const BUSY_NOTE =
  /(?:^|\n)\[Your command "[\s\S]*" is NOT executed\. The previous command is still running\b[^\n]*\]?\s*$/

/**
 * Whether a command line leaves something open that a shell waits for the rest of: a quote, a heredoc without its end
 * word on a line of its own. (Backslash escapes count outside single quotes.)
 */
function leftOpen(command: string): boolean {
  const heredoc = HEREDOC.exec(command)
  if (heredoc && !new RegExp(`\\n\\s*${heredoc[2]}\\s*(?:\\n|$)`).test(command.slice(heredoc.index))) return true
  // (A heredoc's body is no shell syntax: the line is read up to the heredoc's first line.)
  const end = heredoc ? command.indexOf('\n', heredoc.index) : -1
  const line = end === -1 ? command : command.slice(0, end)
  let quote: string | undefined
  for (let k = 0; k < line.length; k++) {
    const c = line[k]!
    if (c === '\\' && quote !== "'") k++
    else if (quote === undefined && (c === '"' || c === "'")) quote = c
    else if (c === quote) quote = undefined
  }
  return quote !== undefined
}

/** Whether an output starts with the command's own first line (at least 20 characters of it), as a shell echoes it. */
function echoesCommand(output: string, command: string): boolean {
  const first = command.trimStart().split('\n', 1)[0]!.trimEnd()
  return first.length >= 20 && output.trimStart().startsWith(first)
}

/** OpenHands' bash refusing a command while the one before it still runs. */
const BUSY_SHELL = 'openhands: a command sent while the one before it still ran'

/** A heredoc on a command line (`<<'PY'`, `<< EOF`, `<<-END`), not a here-string (`<<<`); its end word is group 2. */
export const HEREDOC = /(?:^|[^<])<<-?\s*(['"]?)([A-Za-z_]\w*)\1/

export const ZSH_HEREDOC = "zsh: parse error near `\\n' in a line with a heredoc"

const ESCAPED_QUOTE = 'powershell: \\" inside a double-quoted string'

const QUOTE_CUT = 'powershell: a " inside an argument to a program, which ended it there'

/**
 * Whether every double quote of a command (bar those escaped with PowerShell's backtick) has its pair; not told for a
 * command with a here-string (`@"`), whose quotes pair otherwise.
 */
function balancedDoubleQuotes(command: string): boolean {
  if (command.includes('@"') || command.includes('"@')) return false
  const quotes = command.replaceAll('`"', '').split('"').length - 1
  return quotes > 0 && quotes % 2 === 0
}

/**
 * Whether Python's echo of the code it could not compile (`File "<string>", line 1` and the line) is the command's
 * `-c` code cut right before a double quote inside it: code in single quotes, which a shell passes whole (double-quoted
 * code ends in its closing quote, whatever the error).
 */
function cutAtQuote(output: string, command: string): boolean {
  const echo = /File "<string>", line 1\r?\n {4}([^\r\n]+)/.exec(output)?.[1]?.trimEnd()
  if (!echo || echo.length < 4) return false
  const at = command.indexOf(echo)
  return at !== -1 && command[at + echo.length] === '"' && command.lastIndexOf("'", at) > command.lastIndexOf('"', at)
}

/** The start of an output, where programs report a parse error (PowerShell's, rg's): its first 4,000 characters. */
function head(output: string): string {
  return output.length > 4000 ? output.slice(0, 4000) : output
}

/** Whether `word` follows a `|` inside a quoted string of `command` (`"a|word"`, `"x|y|word…"`). */
function quotedAfterBar(command: string, word: string): boolean {
  for (const m of command.matchAll(/\\?"([^"\n]*)\\?"|'([^'\n]*)'/g)) {
    const inner = m[1] ?? m[2] ?? ''
    if (
      inner
        .split('|')
        .slice(1)
        .some(part => part.trimStart().startsWith(word))
    )
      return true
  }
  return false
}

/** Codex's sandbox's words around what a command printed to stderr when it failed there. */
const SANDBOX_WRAPPER = /^failed in sandbox \w+ with execution error: .*?\bstderr: /

/** What zsh says of a word's `(…)` it read as glob qualifiers (`(protected)`, `(auth)`, `(home)`: its letters as flags). */
const ZSH_QUALIFIER_ERROR =
  /^(?:zsh(?::\d+)?|\(eval\):\d+): (?:unknown sort specifier|unknown file attribute(?:: .)?|number expected|missing delimiter for '.' glob qualifier|invalid mode specification)$/

/** The mistake of a path with `(` or `[` left unquoted for zsh, however zsh reports it. */
const UNQUOTED_ZSH = 'zsh: a path with ( or [ unquoted'

/** A path's segment: what follows a slash up to the next one, a space or a quote (`ry1fzx2tyam4ymju_file`). */
const PATH_SEGMENT = /(?<=[\\/])[^\s'"`\\/]+/g
/** A word of a segment, at its start or after a dash or a dot (`x.timestamp-1771040360865-a9dc26a9f.mjs`). */
const SEGMENT_WORD = /(?:^|(?<=[.-]))\w{10,}/g

/**
 * A path's segment with the parts made up for one run as `*` (see `randomPart`); a time since 1970 only beside such a
 * part (vite's `vite.config.ts.timestamp-1771040360865-a9dc26a9faf398.mjs`), not alone (`db-1712345678.sql`,
 * golang-migrate's `1704067200_add_users.up.sql` are names).
 */
function evenSegment(segment: string): string {
  const words = segment.match(SEGMENT_WORD)
  if (!words) return segment
  const madeUp = words.some(w => randomPart(w) === '*')
  return segment.replace(SEGMENT_WORD, w => (randomPart(w) === '*' || (madeUp && EPOCH_TIME.test(w)) ? '*' : w))
}

/**
 * A part of a path made up for one run (a temporary file's `ry1fzx2tyam4ymju_file`, a hash), as `*`: two failures
 * that differ only there are the same failure. Made up: letters and digits change places three times or more between
 * two underscores (`report2023`, `0003_auto_20240101` are names, `c3rvgs0huk8zhzj` is not).
 */
function randomPart(part: string): string {
  // Counted within each run between underscores: `0003_auto_20240101_1234.py`, `test_utf8_v2` are names.
  for (const chunk of part.split('_')) {
    let switches = 0
    for (let k = 1; k < chunk.length; k++)
      if (isDigit(chunk.charCodeAt(k)) !== isDigit(chunk.charCodeAt(k - 1))) switches++
    if (switches >= 3) return '*'
  }
  return part
}

/** Seconds or milliseconds since 1970, from 2014 to 2033. */
const EPOCH_TIME = /^1[4-9]\d{8}(?:\d{3})?$/

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

/** The shell's own line number (`bash: line 2: x: command not found`, `bash: -c: line 3: …`) does not make another failure. */
function withoutShellLine(line: string): string {
  return line.replace(/^([\w/.-]*sh): (?:-c: )?(?:line )?\d+: /, '$1: ')
}

/**
 * Where bash stopped at a syntax error in a command: the line it names, and whether a quote never closed there, or
 * the text of that line as bash printed it back.
 */
export interface SyntaxStop {
  line: number
  unclosedQuote: boolean
  /** The line as bash echoed it (`bash: -c: line 1: \`THOUGHT: …'`), for a syntax error other than a quote. */
  text?: string
  /** Per line, the word bash reported as no command there (`bash: line 2: @@: command not found`), before it stopped. */
  notFound?: ReadonlyMap<number, string>
}

/**
 * Where bash stopped at a syntax error, when an output says so: `bash: -c: line 3: unexpected EOF while looking for
 * matching \`''` (the line the quote opened on), or `syntax error near unexpected token` followed by the line it
 * could not read, echoed. A shell the command started prints the same (an npm script's `sh`, `bash -c "$X"`): the
 * caller checks the quote or the echoed line against the command itself before believing it.
 */
export function syntaxError(output: string | undefined): SyntaxStop | undefined {
  if (output === undefined || !/syntax error|unexpected EOF/.test(output)) return undefined
  // (Also after Codex's sandbox's words, `… stderr: bash: -c: line 0: …`; bash 3.2 numbers a `-c` line 0; bash named by
  // its path, `/bin/bash: -c: line 1: …`, as Codex's `bash -lc` reports it.)
  const quote =
    /(?:^|stderr: )(?:\/[\w./-]*\/)?bash: (?:-c: )?line (\d+): unexpected EOF while looking for matching/m.exec(output)
  if (quote) return {line: Math.max(1, Number(quote[1])), unclosedQuote: true}
  const token =
    /(?:^|stderr: )((?:\/[\w./-]*\/)?bash): (?:-c: )?line (\d+): syntax error near unexpected token .*\n\1: (?:-c: )?line \2: `(.*)'$/m.exec(
      output,
    )
  if (!token) return undefined
  const notFound = new Map<number, string>()
  for (const m of output.matchAll(NOT_FOUND_LINE)) notFound.set(Number(m[1]), m[2]!)
  const stop: SyntaxStop = {line: Math.max(1, Number(token[2])), unclosedQuote: false, text: token[3]}
  if (notFound.size) stop.notFound = notFound
  return stop
}

/** bash's report that a line of a script ran no command (`bash: line 3: @@: command not found`). */
const NOT_FOUND_LINE = /(?:^|stderr: )(?:\/[\w./-]*\/)?bash: (?:-c: )?line (\d+): ([^\n]*): command not found$/gm

/**
 * The tool a harness said it does not have, from the head of an output: Claude Code's `No such tool available:
 * mcp__x__y`, Gemini CLI's `Tool "run_shell_command" not found. Did you mean one of: …` (a tool its mode left out).
 */
export function missingTool(output: string | undefined): string | undefined {
  if (!output) return undefined
  const head = output.slice(0, 400)
  return (
    /^(?:<tool_use_error>)?(?:Error: )?No such tool available: (\S+?)(?:<\/tool_use_error>)?\s*$/.exec(head)?.[1] ??
    /^(?:Error: )?Tool "([\w.-]+)" not found(?: in registry)?(?:\.|$)/.exec(head)?.[1]
  )
}

/**
 * The files a `git merge` or `git pull` says it changed (paths from the repository's top folder), from its diffstat
 * after `Fast-forward` or `Merge made by …`: `[]` for `Already up to date.`; undefined where the output does not tell
 * them all (no such summary, more than one merge, a conflict, a submodule, a rename, a name git quoted, a name cut to
 * `.../x` that no `create mode` line alone names whole, fewer lines than its `N files changed`).
 */
export function mergedPaths(output: string): string[] | undefined {
  const merges = output.match(MERGE_RESULT)?.length ?? 0
  const upToDate = output.match(UP_TO_DATE)?.length ?? 0
  if (merges + upToDate !== 1 || /^CONFLICT\b|^Automatic merge failed/m.test(output)) return undefined
  // A submodule fetched or checked out moves files the diffstat does not list (its folder alone, or nothing).
  if (/submodule/i.test(output)) return undefined
  if (upToDate) return []
  const total = /^ (\d+) files? changed\b/m.exec(output)
  if (!total) return undefined
  const whole = [...output.matchAll(/^ (?:create|delete) mode \d+ (.+)$/gm)].map(m => m[1]!)
  const listed: string[] = []
  const cut: string[] = []
  for (const line of output.split('\n')) {
    // ` path | 12 +-` (or `Bin 0 -> 120 bytes`): the path before the last ` | `, read without a pattern that backtracks.
    if (!line.startsWith(' ') || line.charCodeAt(1) === 32) continue
    const bar = line.lastIndexOf(' | ')
    if (bar === -1 || !/^ +(?:\d+|Bin\b)/.test(line.slice(bar + 2))) continue
    const path = line.slice(1, bar).trimEnd()
    // (A rename, or a name git quoted for its bytes, `"docs/caf\303\251.md"`: not read.)
    if (path.includes(' => ') || path.startsWith('"')) return undefined
    if (path.startsWith('.../')) cut.push(path.slice(3))
    else listed.push(path)
  }
  // A name cut to `.../x` is the one file created or deleted whose path ends so and no other line names whole.
  for (const tail of cut) {
    const named = whole.filter(w => w.endsWith(tail) && !listed.includes(w))
    if (named.length !== 1) return undefined
    listed.push(named[0]!)
  }
  return listed.length === Number(total[1]) ? listed : undefined
}

/** How git says a merge or a pull changed the work tree. */
const MERGE_RESULT = /^(?:Fast-forward|Merge made by (?:the )?'?[\w-]+'? strategy\.)$/gm
/** How git says a merge or a pull had nothing to do. */
const UP_TO_DATE = /^Already up[ -]to[ -]date\.?$/gm

/**
 * A call the harness never started, from the head of its output: the program could not be spawned (Codex's `execution
 * error: Io(…)`, `exec_command failed: CreateProcess …`), or a person declined it (`exec command rejected by user`,
 * Claude Code's "The user doesn't want to proceed with this tool use", without words of theirs, and "… to take this action
 * right now" for the calls it had not started when the person stopped it). It wrote nothing.
 * (Not Codex's `Sandbox(Signal(…))` nor `failed in sandbox …`: the program ran until the sandbox stopped it.)
 */
export function neverStarted(output: string | undefined): boolean {
  if (output === undefined || !NEVER_STARTED.test(output.slice(0, 200))) return false
  // (Declined with the person's words, "I installed it myself, just rerun the tests": they may have done what it would.)
  return !PERSON_SAID.test(output.slice(0, 600))
}

/**
 * Claude Code's Bash whose shell could not source the snapshot of the person's shell it starts from (the file gone from
 * the temporary folder, the session resumed days later): `zsh:source:1: no such file or directory: /var/folders/…/T/
 * claude-shell-snapshot-7597`. The command after it never ran, whatever it was.
 */
export const SHELL_SNAPSHOT_GONE =
  /^\s*(?:zsh:source:\d+: no such file or directory: |(?:\/bin\/)?(?:ba|z)?sh: (?:line \d+: )?)\S*\/claude-shell-snapshot-[\w.-]+(?:: [Nn]o such file or directory)?\s*$/

/**
 * A person declined the call (Codex's `exec command rejected by user` and `patch rejected by user`, Claude Code's "The
 * user doesn't want to …").
 */
const DECLINED_FORMS = String.raw`(?:exec command |patch )?rejected by user|The user doesn't want to (?:proceed with this tool use|take this action right now)`
const DECLINED = new RegExp(String.raw`^\s*(?:${DECLINED_FORMS})`)

/** How a harness answers a call it did not start (see `neverStarted`). */
const NEVER_STARTED = new RegExp(
  // (And Codex's own refusal, `exec command rejected: dangerous command detected`: no person's.)
  String.raw`^\s*(?:execution error: Io\(|exec_command failed(?: for \`[^\`\n]*\`)?: CreateProcess\b|exec command rejected|${DECLINED_FORMS})|${SHELL_SNAPSHOT_GONE.source}`,
)

/**
 * Whether a call's output says a person declined it, with or without words of theirs: no failure of the tool's (the
 * cost by tool counts these apart from its errors).
 */
export function declinedByPerson(output: string | undefined): boolean {
  return output !== undefined && DECLINED.test(output.slice(0, 200))
}

/** Claude Code's rejection carrying what the person said instead. */
const PERSON_SAID = /the user said:|reason for the rejection:/i

/**
 * The words zsh took for patterns that matched nothing (`zsh:1: no matches found: app/(tabs)/x.tsx`, or `(eval):1:` under
 * Claude Code's Bash on macOS): a path through a
 * folder named in parentheses or brackets, unquoted. zsh did not run the command that held it; the word itself is a
 * path, not a subshell or a pattern. Undefined when the output reports none.
 */
export function unmatchedWords(output: string | undefined): string[] | undefined {
  if (output === undefined || !output.includes('no matches found: ')) return undefined
  const head = output.length > 4000 ? output.slice(0, 4000) : output
  const words: string[] = []
  for (const m of head.matchAll(/^(?:zsh(?::\d+)?|\(eval\):\d+): no matches found: ([^\s*?]*[[(][^\s*?]*)[ \t]*$/gm))
    words.push(m[1]!)
  return words.length ? words : undefined
}

/** An exception named inside a longer line, after something of the program's own (`Failed: ValueError: bad`). */
const REPORTED_EXCEPTION = /^.*?[^\w.]((?:[a-z_][\w]*\.)*[A-Z]\w*(?:Error|Exception): .{8,})$/

/**
 * Whether a failure is about the environment (a module, package or command
 * that is not installed, a sandbox that does not permit the operation): only
 * an install, or something aco cannot see, changes its outcome, whatever
 * command meets it.
 */
export function isEnvironmentError(signature: string): boolean {
  return /No module named |ModuleNotFoundError|: command not found$|Operation not permitted|\bEPERM\b|Cannot find (?:module|package) ['"](?![./\\])|is not installed|must be installed|not recognized as an internal or external command|cannot import name '[^']+' from '[^']+' \([^)]*(?:site|dist)-packages[\\/]/.test(
    signature,
  )
}

/** One frame of a stack trace: the file and line of code a failure passed through. */
export interface Frame {
  file: string
  line: number
}

/**
 * The frames of the last stack trace in an output, outermost first: Python's
 * `File "x.py", line 12` and Node's `at f (/x.js:12:3)`. Empty when the output
 * has none (or it was cut from the part kept).
 */
export function stackFrames(text: string | undefined): Frame[] {
  if (!text) return []
  const tail = text.length > 20_000 ? text.slice(-20_000) : text
  const start = tail.lastIndexOf('Traceback (most recent call last):')
  const frames: Frame[] = []
  if (start !== -1) {
    for (const m of tail.slice(start).matchAll(/^\s*File "([^"]+)", line (\d+)/gm))
      frames.push({file: m[1]!, line: Number(m[2])})
    return frames
  }
  // Node and Rust (`at ./src/api.rs:411:16`, relative to where it ran): innermost first; reversed to outermost first.
  for (const m of tail.matchAll(/^\s+at (?:[^\n(]*\()?((?:\/|[A-Za-z]:\\|\.{1,2}\/)[^\n():]+):(\d+):\d+\)?$/gm))
    frames.push({file: m[1]!, line: Number(m[2])})
  return frames.reverse()
}

/** Lines of an output that are a harness's, not the file's: cut markers, Codex's exec header, reminders. */
const HARNESS_LINE =
  /^(?:<\/?(?:output_head|output_tail|elided_chars|returncode|output|warning)>|Chunk ID: |Wall time: |Process exited with code |Original token count: |Output:$|Exit code: |\[?\.\.\. ?\d+ (?:lines|characters|chars) (?:truncated|elided))/

/**
 * The lines an output showed, as text: line-number prefixes (`12:`, `12-`, `   12\t`, `12→`) and surrounding
 * space removed, blank lines and harness lines left out, at most `max`. For outputs that print a file's lines without their
 * numbers (`grep -A 50`, `sed -n`, a script printing source), whose lines can then only be placed by their text.
 */
export function textLines(text: string, max = 5000): string[] {
  const reminder = text.indexOf('<system-reminder>')
  const body = reminder === -1 ? text : text.slice(0, reminder)
  const out: string[] = []
  let i = 0
  while (i < body.length && out.length < max) {
    let j = body.indexOf('\n', i)
    if (j === -1) j = body.length
    const n = lineNumberAt(body, i, j)
    let from = i
    if (n >= 0) {
      // Skip the number and the one separator after it.
      while (body.charCodeAt(from) === 32 || body.charCodeAt(from) === 9) from++
      while (body.charCodeAt(from) >= 48 && body.charCodeAt(from) <= 57) from++
      from++
    }
    const line = body.slice(from, j).trim()
    if (line && !HARNESS_LINE.test(line)) out.push(line)
    i = j + 1
  }
  return out
}
