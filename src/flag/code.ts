/**
 * Which files a Python or JavaScript script may write, read from its source
 * (a script the agent wrote in the session, or inline code). Agents run many
 * scratch scripts that only print; a few rewrite a source file. The answer is
 * deliberately coarse: writes to literal paths are named, anything that
 * writes where aco cannot see (a computed path, a subprocess it cannot read,
 * `exec`) is `writesAny`. Writes to temporary files are not project writes.
 */

export interface CodeEffects {
  /** Literal paths written (as written in the code, unresolved). */
  writes: string[]
  /**
   * Of `writes`, the paths that may be folders it removed, copied into or moved (`shutil.rmtree`, `copytree`, `move`,
   * `os.rename`, `fs.rmSync`, `fs.cpSync`): anything below them may have changed too.
   */
  under: string[]
  writesAny: boolean
  /** Shell commands the code runs (`subprocess.run("…")`, `execSync("…")`), as command lines. */
  commands: string[]
}

/**
 * What each of PY_PATH_WRITERS does to its first and second argument: nothing, writes it, or writes it as a folder
 * anything below which may change (one removed, moved, or copied into). A copy writes only where it copies to.
 */
const PY_WRITER_ARGS: Record<string, readonly [Arg, Arg]> = {
  remove: ['write', 'none'],
  unlink: ['write', 'none'],
  rmdir: ['write', 'none'],
  makedirs: ['write', 'none'],
  mkdir: ['write', 'none'],
  truncate: ['write', 'none'],
  chmod: ['write', 'none'],
  symlink: ['write', 'write'],
  link: ['write', 'write'],
  removedirs: ['tree', 'none'],
  rmtree: ['tree', 'none'],
  renames: ['tree', 'tree'],
  rename: ['tree', 'tree'],
  replace: ['tree', 'tree'],
  move: ['tree', 'tree'],
  copyfile: ['none', 'write'],
  copy: ['none', 'tree'],
  copy2: ['none', 'tree'],
  copytree: ['none', 'tree'],
  copy_tree: ['none', 'tree'],
  unpack_archive: ['none', 'tree'],
}
type Arg = 'none' | 'write' | 'tree'

/** Python calls that write their arguments (see PY_WRITER_ARGS). */
const PY_PATH_WRITERS =
  /\b(?:os\.(remove|unlink|rmdir|removedirs|makedirs|mkdir|truncate|chmod|renames|rename|replace|symlink|link)|shutil\.(copy|copy2|copyfile|copytree|copy_tree|move|rmtree|unpack_archive))\s*\(/g
/** Python calls that write where aco cannot tell (an archive made or unpacked: its many files). */
const PY_WRITE_SOMEWHERE = /\bshutil\.make_archive\s*\(|\.extractall\s*\(|\.extract\s*\(/
/** The writing functions of `os` and `shutil` a script may import by name (`from shutil import rmtree`). */
const PY_IMPORTED_WRITERS =
  /^(?:remove|unlink|rmdir|removedirs|makedirs|mkdir|truncate|chmod|renames|rename|replace|symlink|link|copy|copy2|copyfile|copytree|move|rmtree|unpack_archive|make_archive|system|popen)$/
/** Methods of pathlib paths that write. */
const PY_PATHLIB_WRITERS =
  /\.(write_text|write_bytes|touch|unlink|mkdir|rmdir|rename|replace|symlink_to|hardlink_to|chmod)\s*\(/g
/** Methods that save to a path given as their first argument (numpy, pandas, matplotlib, PIL…). */
const PY_SAVERS =
  /(?:\bnp\.(?:save|savez|savetxt)|\.(?:savefig|save|to_csv|to_excel|to_json|to_parquet|to_pickle|to_hdf|to_feather|to_html|write_html|write_image|dump_model|save_pretrained))\s*\(/g
const PY_SUBPROCESS =
  /\b(?:subprocess\.(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput)|os\.(?:system|popen|exec\w*|spawn\w*)|pty\.spawn)\s*\(/g
/** Code that runs other code aco cannot see. */
/** Code whose effects aco cannot read: code run from text, and `fileinput`'s in-place rewrites of the files it reads. */
const PY_OPAQUE = /\b(?:exec\s*\(|runpy\.|execfile\s*\()|\bfileinput\b[\s\S]*\binplace\s*=\s*(?:True|1)\b/

const JS_WRITERS =
  /\b(?:writeFileSync|writeFile|appendFileSync|appendFile|rmSync|rm|unlinkSync|unlink|renameSync|rename|mkdirSync|mkdir|copyFileSync|copyFile|cpSync|cp|createWriteStream|truncateSync|truncate|symlinkSync|symlink|rmdirSync|rmdir|removeSync|remove|emptyDirSync|emptyDir|moveSync|move|copySync|outputFileSync|outputFile|outputJsonSync|outputJson|writeJsonSync|writeJson|ensureDirSync|ensureFileSync|mkdirpSync|rimrafSync|rimraf)\s*\(/g
const JS_SUBPROCESS = /\b(?:execSync|exec|execFileSync|execFile|spawnSync|spawn|fork)\s*\(/g
const JS_OPAQUE = /\b(?:eval\s*\(|new Function\s*\(|vm\.run)/

/** The effects of a script, from its source. */
export function codeEffects(lang: 'python' | 'node', code: string): CodeEffects {
  return lang === 'python' ? pythonEffects(code) : nodeEffects(code)
}

function pythonEffects(code: string): CodeEffects {
  const out: CodeEffects = {writes: [], under: [], writesAny: false, commands: []}
  const src = importedWriters(stripPythonComments(code))
  if (PY_WRITE_SOMEWHERE.test(src)) out.writesAny = true
  // What names hold (literals, paths, temporary files): read at the first call that needs them, as most scripts
  // that are run write nothing.
  let vars: Map<string, string> | undefined
  let pathVars: Map<string, string | undefined> | undefined
  let temps: Set<string> | undefined
  const varsOf = (): Map<string, string> => (vars ??= literalAssignments(src))
  const pathVarsOf = (): Map<string, string | undefined> => (pathVars ??= pathAssignments(src, varsOf()))
  const isTemp = (arg: string | undefined): boolean => {
    if (arg === undefined) return false
    temps ??= tempNames(src)
    return mentions(arg, temps)
  }
  if (PY_OPAQUE.test(src)) out.writesAny = true
  // open(path, mode)
  for (const m of src.matchAll(/(?<![\w.])(?:io\.|codecs\.)?open\s*\(/g)) {
    const args = callArgs(src, m.index! + m[0].length)
    const mode = keywordArg(args, 'mode') ?? args.positional[1]
    if (mode === undefined) continue
    const modeText = literal(mode, varsOf())
    if (modeText === undefined) {
      out.writesAny = true
      continue
    }
    if (!/[wax+]/.test(modeText)) continue
    const target = args.positional[0] ?? keywordArg(args, 'file')
    if (!isTemp(target)) addPath(out, target, varsOf(), pathVarsOf())
  }
  // Path(...).open('w')
  for (const m of src.matchAll(/\.open\s*\(/g)) {
    const receiver = receiverBefore(src, m.index!)
    if (!receiver || !/^(?:pathlib\.)?Path\s*\(|^\w+$/.test(receiver)) continue
    const path = pathOfReceiver(receiver, varsOf(), pathVarsOf())
    if (path === null) continue
    const args = callArgs(src, m.index! + m[0].length)
    const mode = literal(keywordArg(args, 'mode') ?? args.positional[0] ?? "'r'", varsOf())
    if (mode !== undefined && !/[wax+]/.test(mode)) continue
    if (path === undefined || mode === undefined) out.writesAny = true
    else out.writes.push(path)
  }
  for (const m of src.matchAll(PY_PATH_WRITERS)) {
    const args = callArgs(src, m.index! + m[0].length)
    // (An argument missing, as an archive unpacked with no folder named: any file.)
    PY_WRITER_ARGS[m[1] ?? m[2] ?? '']!.forEach((does, k) => {
      const arg = args.positional[k]
      if (does !== 'none' && !isTemp(arg)) addPath(out, arg, varsOf(), pathVarsOf(), does === 'tree')
    })
  }
  for (const m of src.matchAll(PY_PATHLIB_WRITERS)) {
    const receiver = receiverBefore(src, m.index!)
    // `os.unlink(…)` and `shutil.move(…)` are module functions (PY_PATH_WRITERS reads them).
    if (!receiver || isTemp(receiver) || /^(?:os|shutil|sys|pathlib|os\.path)$/.test(receiver)) continue
    const path = pathOfReceiver(receiver, varsOf(), pathVarsOf())
    // `text.replace(…)` is a string method: only a path's `.replace` / `.rename` writes.
    if (path === null) {
      if (m[1] === 'replace' || m[1] === 'rename') continue
      out.writesAny = true
      continue
    }
    if (path === undefined) out.writesAny = true
    else out.writes.push(path)
    if (m[1] === 'rename' || m[1] === 'replace') {
      // A path renamed may be a folder: both places, and what is below them.
      if (path !== undefined) out.under.push(path)
      const args = callArgs(src, m.index! + m[0].length)
      addPath(out, args.positional[0], varsOf(), pathVarsOf(), true)
    }
  }
  for (const m of src.matchAll(PY_SAVERS)) {
    const args = callArgs(src, m.index! + m[0].length)
    // `model.save()` with no path writes a database row, not a file.
    const first = args.positional[0] ?? keywordArg(args, 'path') ?? keywordArg(args, 'fname')
    if (first === undefined || isTemp(first)) continue
    addPath(out, first, varsOf(), pathVarsOf())
  }
  for (const m of src.matchAll(PY_SUBPROCESS)) {
    const args = callArgs(src, m.index! + m[0].length)
    const command = commandOf(args.positional[0], varsOf())
    if (command === undefined) out.writesAny = true
    else out.commands.push(command)
  }
  return out
}

/** JS_WRITERS' names that other objects have as methods too. */
const GENERIC_WRITERS = /^(?:rm|unlink|rename|mkdir|cp|truncate|symlink|rmdir|remove|move|copyFile|emptyDir)\s*\($/
/** What a file system module is called (`fs`, `fse`, `fsp`, `promises`, shelljs's `shell`). */
const FS_RECEIVERS = /^(?:fs|fse|fsp|fsPromises|promises|fsExtra|fs_extra|shell|sh|Deno|default)$/

function nodeEffects(code: string): CodeEffects {
  const out: CodeEffects = {writes: [], under: [], writesAny: false, commands: []}
  const src = code.replace(/^\s*\/\/.*$/gm, '')
  const vars = literalAssignments(src)
  // (rimraf removes what it is given however it is called: `rimraf.sync(d)`, `require('rimraf').sync(d)`.)
  if (JS_OPAQUE.test(src) || /\brimraf\b/.test(src)) out.writesAny = true
  for (const m of src.matchAll(JS_WRITERS)) {
    // A name of many objects' methods (`classList.remove('done')`, `list.move(…)`) writes files only on a file system
    // module (`fs.rm`, `fse.remove`, `require('fs').rmSync`) or imported by name (`rm(…)`).
    const receiver = /(\w+)\s*\??\.\s*$/.exec(src.slice(Math.max(0, m.index! - 40), m.index!))?.[1]
    if (receiver !== undefined && GENERIC_WRITERS.test(m[0]) && !FS_RECEIVERS.test(receiver)) continue
    const args = callArgs(src, m.index! + m[0].length)
    // Removes and renames may take a folder (`fs.rmSync('dist', {recursive: true})`); `cp`/`cpSync` copy into one.
    // (A symlink is made at its second argument; a copy writes only where it copies to.)
    if (!/^(?:copyFile|cp|copySync|symlink)/.test(m[0]))
      addPath(out, args.positional[0], vars, new Map(), /^(?:rm|rename|remove|emptyDir|move|rimraf)/.test(m[0]))
    if (/^(?:rename|copyFile|cp|copySync|move|symlink)/.test(m[0]))
      addPath(out, args.positional[1], vars, new Map(), /^(?:rename|cp|copySync|move)/.test(m[0]))
  }
  for (const m of src.matchAll(JS_SUBPROCESS)) {
    // `re.exec(…)` and `regex.exec` are not processes.
    const before = src.slice(Math.max(0, m.index! - 12), m.index!)
    if (/(?:\/|\w\.)$/.test(before) && !/child_process\.$|cp\.$/.test(before)) continue
    const args = callArgs(src, m.index! + m[0].length)
    const command = commandOf(args.positional[0], vars, args.positional[1])
    if (command === undefined) out.writesAny = true
    else out.commands.push(command)
  }
  return out
}

/**
 * Names that hold temporary files or directories: `with tempfile.X(…) as f`,
 * `d = tempfile.mkdtemp()`, `p = f.name`, `q = os.path.join(d, 'x')`.
 */
function tempNames(src: string): Set<string> {
  const temps = new Set<string>()
  for (const m of src.matchAll(
    /with\s+(?:tempfile\.)?(?:NamedTemporaryFile|TemporaryDirectory|TemporaryFile|SpooledTemporaryFile|mkdtemp)\s*\([^\n]*?\)\s+as\s+(\w+)/g,
  ))
    temps.add(m[1]!)
  const assignments = [...src.matchAll(/^\s*([A-Za-z_][\w, ]*?)\s*=\s*([^\n=][^\n]*)$/gm)]
  // Twice, so a name derived from a temp name derived from tempfile is caught.
  for (let pass = 0; pass < 2; pass++)
    for (const m of assignments) {
      const rhs = m[2]!
      if (
        /\btempfile\.|\bmkdtemp\s*\(|\bmkstemp\s*\(|\bgettempdir\s*\(|\btmp_path\b|\btmpdir\b/.test(rhs) ||
        mentions(rhs, temps)
      )
        for (const name of m[1]!.split(',')) if (name.trim()) temps.add(name.trim())
    }
  return temps
}

function mentions(text: string, names: ReadonlySet<string>): boolean {
  if (!names.size) return false
  for (const word of text.match(/[A-Za-z_]\w*/g) ?? []) if (names.has(word)) return true
  return false
}

/**
 * The code with `os`'s and `shutil`'s writing functions called by their module's name, however they were imported
 * (`import shutil as sh; sh.rmtree(d)`, `from shutil import rmtree as rt; rt(d)`, `from os import remove`).
 */
function importedWriters(src: string): string {
  if (!/\b(?:os|shutil)\b/.test(src)) return src
  let out = src
  for (const m of src.matchAll(/(?:^|;)[ \t]*import[ \t]+(os|shutil)[ \t]+as[ \t]+(\w+)[ \t]*(?=;|$)/gm))
    out = out.replace(new RegExp(`(?<![\\w.])${m[2]}\\.`, 'g'), `${m[1]}.`)
  for (const m of src.matchAll(/(?:^|;)[ \t]*from[ \t]+(os|shutil)[ \t]+import[ \t]+\(?([\w \t,]+)\)?[ \t]*(?=;|$)/gm))
    for (const part of m[2]!.split(',')) {
      const [name, alias] = part.trim().split(/\s+as\s+/)
      if (!name || !PY_IMPORTED_WRITERS.test(name)) continue
      out = out.replace(new RegExp(`(?<![\\w.])${alias ?? name}\\s*\\(`, 'g'), `${m[1]}.${name}(`)
    }
  return out
}

function stripPythonComments(code: string): string {
  return code.replace(/^\s*#.*$/gm, '')
}

/** `NAME = 'literal'` assignments (the last one wins; good enough for scratch scripts). */
function literalAssignments(src: string): Map<string, string> {
  const vars = new Map<string, string>()
  for (const m of src.matchAll(
    /(?:^|[\s;])(?:const |let |var )?([A-Za-z_]\w*)\s*=\s*(?:r|f|b)?(['"])((?:\\.|(?!\2)[^\\\n])*)\2\s*(?:;|$)/gm,
  ))
    vars.set(m[1]!, m[3]!)
  return vars
}

/** `NAME = Path('literal')` (or with `/` joins of literals). */
function pathAssignments(src: string, vars: Map<string, string>): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>()
  // (To the end of its statement: `p = Path('a.txt'); p.write_text(x)` on one line, as `python -c` runs.)
  for (const m of src.matchAll(/(?:^|[\s;])([A-Za-z_]\w*)\s*=\s*((?:pathlib\.)?Path\s*\([^\n;]*)(?:;|$)/gm)) {
    out.set(m[1]!, pathOfReceiver(m[2]!.trim(), vars, out) ?? undefined)
  }
  return out
}

interface Args {
  positional: string[]
  keywords: Map<string, string>
}

/** The arguments of a call whose `(` ends at `start`, split at top-level commas (raw text). */
function callArgs(src: string, start: number): Args {
  const positional: string[] = []
  const keywords = new Map<string, string>()
  let level = 0
  let current = ''
  let quote: string | undefined
  for (let i = start; i < src.length && i < start + 4000; i++) {
    const c = src[i]!
    if (quote) {
      current += c
      if (c === '\\') {
        current += src[++i] ?? ''
        continue
      }
      if (c === quote) quote = undefined
      continue
    }
    if (c === '"' || c === "'" || c === '`') {
      quote = c
      current += c
      continue
    }
    if (c === '(' || c === '[' || c === '{') level++
    if (c === ')' || c === ']' || c === '}') {
      if (level === 0) break
      level--
    }
    if (c === ',' && level === 0) {
      push(current)
      current = ''
      continue
    }
    current += c
  }
  push(current)
  return {positional, keywords}

  function push(raw: string): void {
    const text = raw.trim()
    if (!text) return
    const kw = /^([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]*)$/.exec(text)
    if (kw) keywords.set(kw[1]!, kw[2]!)
    else positional.push(text)
  }
}

function keywordArg(args: Args, name: string): string | undefined {
  return args.keywords.get(name)
}

/** The value of a string literal or of a variable holding one. */
function literal(text: string | undefined, vars: Map<string, string>): string | undefined {
  if (text === undefined) return undefined
  const t = text.trim()
  const m = /^(?:r|b|rb|br)?(['"`])((?:\\.|(?!\1)[^\\])*)\1$/.exec(t)
  if (m) return m[1] === '`' && m[2]!.includes('${') ? undefined : m[2]
  if (/^[A-Za-z_]\w*$/.test(t)) return vars.get(t)
  return undefined
}

/** The text of the receiver of a method call whose `.` is at `dot` (a name or a `Path(…)` call). */
function receiverBefore(src: string, dot: number): string | undefined {
  let i = dot - 1
  if (src[i] === ')') {
    let level = 0
    for (; i >= 0; i--) {
      if (src[i] === ')') level++
      else if (src[i] === '(') {
        level--
        if (level === 0) break
      }
    }
    let j = i - 1
    while (j >= 0 && /[\w.]/.test(src[j]!)) j--
    return src.slice(j + 1, dot)
  }
  let j = i
  while (j >= 0 && /[\w]/.test(src[j]!)) j--
  const name = src.slice(j + 1, dot)
  return name || undefined
}

/**
 * The path a receiver names: a string for `Path('lit')` or a variable set to
 * one, undefined for a path aco cannot tell, null when the receiver is not a
 * path at all (a string, a list).
 */
function pathOfReceiver(
  receiver: string,
  vars: Map<string, string>,
  pathVars: Map<string, string | undefined>,
): string | undefined | null {
  const call = /^(?:pathlib\.)?Path\s*\(([\s\S]*)\)$/.exec(receiver.trim())
  if (call) {
    const parts = call[1]!.split(/\s*,\s*/)
    const lits = parts.map(p => literal(p, vars))
    if (lits.some(l => l === undefined)) return undefined
    return lits.join('/') || '.'
  }
  if (/^\w+$/.test(receiver)) {
    if (pathVars.has(receiver)) return pathVars.get(receiver)
    return null
  }
  return undefined
}

function addPath(
  out: CodeEffects,
  arg: string | undefined,
  vars: Map<string, string>,
  pathVars: Map<string, string | undefined>,
  /** The path may be a folder the call removes, moves or copies into: anything below it changes too. */
  tree = false,
): void {
  if (arg === undefined) {
    out.writesAny = true
    return
  }
  const add = (path: string): void => {
    out.writes.push(path)
    if (tree) out.under.push(path)
  }
  const t = arg.trim()
  const lit = literal(t, vars)
  if (lit !== undefined) {
    add(lit)
    return
  }
  if (/^\w+$/.test(t) && pathVars.has(t)) {
    const p = pathVars.get(t)
    if (p === undefined) out.writesAny = true
    else add(p)
    return
  }
  const path = pathOfReceiver(t, vars, pathVars)
  if (typeof path === 'string') add(path)
  // A temporary file (`tempfile.mkstemp()`, `tmp.name`, `os.devnull`) is not a project file.
  else if (/\btemp|\btmp|devnull|^sys\.std/i.test(t)) return
  else out.writesAny = true
}

/** A command a subprocess call runs: a literal string, or a list of literal strings. */
function commandOf(arg: string | undefined, vars: Map<string, string>, second?: string): string | undefined {
  if (arg === undefined) return undefined
  const lit = literal(arg, vars)
  if (lit !== undefined) {
    // execFile('git', ['status']) / spawn('npm', ['test'])
    if (second?.trim().startsWith('[')) {
      const rest = listOfLiterals(second, vars)
      return rest === undefined ? undefined : [lit, ...rest].map(quoteWord).join(' ')
    }
    return lit
  }
  if (arg.trim().startsWith('[')) {
    const words = listOfLiterals(arg, vars)
    return words === undefined ? undefined : words.map(quoteWord).join(' ')
  }
  return undefined
}

/** The running interpreter, named in code that runs another copy of it: `[sys.executable, '-m', 'pytest']`. */
const INTERPRETERS: Record<string, string> = {'sys.executable': 'python', 'process.execPath': 'node'}

function listOfLiterals(text: string, vars: Map<string, string>): string[] | undefined {
  const inner = text.trim().replace(/^\[/, '').replace(/\]$/, '')
  const items = callArgs(`${inner})`, 0).positional
  const out: string[] = []
  for (const item of items) {
    const lit = INTERPRETERS[item.trim()] ?? literal(item, vars)
    if (lit === undefined) return undefined
    out.push(lit)
  }
  return out
}

function quoteWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}
