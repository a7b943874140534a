/**
 * A check script run again, reworded: code fed to an interpreter (`python - <<'PY'`, `python -c`, `node -e`) that
 * does nothing an earlier script of the same turn did not do (its statements, and the expressions its prints show,
 * are among that one's), and prints only values that one printed (the text its prints carry around them aside), with
 * nothing changed in between and nothing outside files read (no network, clock, processes or chance). Agents re-run a
 * check this way with new labels, fewer prints, other comments: the same result, already on screen.
 */
import {harnessHeaderEnd} from '../../card/output-facts.js'
import type {Step} from '../../card/types.js'
import type {FlagContext} from '../context.js'
import {type Action, mutates, readsNoGit} from '../effects.js'

/** A script run and the earlier one it repeats. */
export interface ScriptRerun {
  step: Step
  earlier: Step
}

/** How many earlier script runs a run is compared with. */
const COMPARED = 8

/** What a script does and what it printed, as compared. */
interface Run {
  step: Step
  /** Its statements, less prints, string literals and comments. */
  statements: Set<string>
  /** The lines it printed, less the text its string literals carry (labels), and whether any is left. */
  values: string[]
  output: string
}

export function scriptReruns(ctx: FlagContext): ScriptRerun[] {
  const out: ScriptRerun[] = []
  const runs: Run[] = []
  for (let ti = 0; ti < ctx.tools.length; ti++) {
    const i = ctx.tools[ti]!
    const action = ctx.actions[i]
    if (!isScript(action) || ctx.failed[i] === 1) continue
    const step = ctx.steps[i]!
    const raw = ctx.outputOf(step)
    if (raw === undefined) continue
    // (Not the harness's header: Codex names each run's chunk and wall time.)
    const output = raw.slice(harnessHeaderEnd(raw))
    const run = runOf(step, action!, output)
    for (let k = runs.length - 1; k >= 0; k--) {
      const e = runs[k]!
      if (repeats(ctx, e, run, action!)) {
        out.push({step, earlier: e.step})
        break
      }
    }
    runs.push(run)
    if (runs.length > COMPARED) runs.shift()
  }
  return out
}

/**
 * One pipeline that feeds code to an interpreter and changes nothing aco can see, whose result depends on nothing but
 * files (no network, clock, processes or chance: a poll of a job's status asks again).
 */
function isScript(action: Action | undefined): boolean {
  return (
    action?.inline !== undefined &&
    action.parts?.length === 1 &&
    !mutates(action) &&
    !action.unreadable &&
    !action.volatile &&
    !OUTSIDE.test(action.inline.code)
  )
}

const OUTSIDE =
  /\b(?:urllib|requests|httpx|aiohttp|http\.client|socket|websocket|fetch|axios|time\.(?:time|monotonic|perf_counter)|datetime\.(?:now|utcnow|today)|date\.today|Date\.now|new Date|subprocess|os\.(?:system|popen)|child_process|random|uuid|psutil)\b/

function repeats(ctx: FlagContext, e: Run, l: Run, action: Action): boolean {
  const a = e.step
  const b = l.step
  if (ctx.actions[a.index]!.inline!.lang !== action.inline!.lang) return false
  if (ctx.batch[a.index]! >= ctx.batch[b.index]! || ctx.compaction[a.index] !== ctx.compaction[b.index]) return false
  // A person may have asked for it again; elsewhere it may read other files.
  if (a.turn !== b.turn || ctx.cwdOf(a) !== ctx.cwdOf(b)) return false
  if (ctx.timeline.anyChanged(ctx.epochAfter[a.index]!, ctx.epochBefore[b.index]!, readsNoGit(action))) return false
  if (l.statements.size < 2) return false
  for (const s of l.statements) if (!e.statements.has(s)) return false
  if (l.values.length === 0) return l.output.trim() !== '' && l.output.trim() === e.output.trim()
  const had = new Set(e.values)
  return l.values.every(v => had.has(v))
}

function runOf(step: Step, action: Action, output: string): Run {
  const {lang, code} = action.inline!
  const labels: string[] = []
  const bare = withoutStrings(code, lang, labels)
  const print = lang === 'python' ? /^print\s*\(/ : /^console\.(?:log|info|error|warn)\s*\(/
  const comment = lang === 'python' ? /#.*$/ : /\/\/.*$/
  const statements = new Set<string>()
  for (const line of bare.split('\n')) {
    const s = line.replace(comment, '').replace(/\s+/g, ' ').trim()
    if (s === '') continue
    // A print is what it prints: each expression it shows, whatever the text around it.
    if (print.test(s)) for (const e of printed(s)) statements.add(`print ${e}`)
    else statements.add(s)
  }
  // Longest labels first: one label may hold another.
  labels.sort((x, y) => y.length - x.length)
  const values: string[] = []
  for (const line of output.split('\n')) {
    let v = line
    for (const label of labels) if (v.includes(label)) v = v.split(label).join(' ')
    v = v.replace(/\s+/g, ' ').trim()
    if (v !== '') values.push(v)
  }
  return {step, statements, values, output}
}

/**
 * The expressions a print line shows (its literals already reduced to their placeholders, `"{x}{y}"`): those
 * placeholders, and its other arguments but keyword ones (`sep=`, `end=`).
 */
function printed(line: string): string[] {
  const open = line.indexOf('(')
  const inner = line.slice(open + 1, line.lastIndexOf(')') > open ? line.lastIndexOf(')') : undefined)
  const out: string[] = []
  let depth = 0
  let start = 0
  let quoted = false
  const arg = (a: string): void => {
    const t = a.trim()
    if (t === '' || /^\w+\s*=[^=]/.test(t)) return
    if (t.startsWith('"')) for (const m of t.matchAll(/\{([^{}]*)\}/g)) out.push(m[1]!.trim())
    else out.push(t)
  }
  for (let k = 0; k < inner.length; k++) {
    const c = inner[k]!
    if (c === '"') quoted = !quoted
    else if (quoted) continue
    else if (c === '(' || c === '[' || c === '{') depth++
    else if (c === ')' || c === ']' || c === '}') depth--
    else if (c === ',' && depth === 0) {
      arg(inner.slice(start, k))
      start = k + 1
    }
  }
  arg(inner.slice(start))
  return out
}

/**
 * The code with the string literals of its print lines emptied (`"…"`, `'…'`, Python's triple-quoted and prefixed
 * ones, JavaScript's template literals), collecting the text each holds outside its placeholders (`{x}`, `${x}`, `%s`)
 * in `labels`. Other literals are code: `parse('1')` and `parse('2')` differ.
 */
function withoutStrings(code: string, lang: 'python' | 'node', labels: string[]): string {
  const literal =
    lang === 'python'
      ? /(?:\b[rRbBuUfF]{1,2})?(?:'''[\s\S]*?'''|"""[\s\S]*?"""|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*")/g
      : /`(?:\\.|[^`\\])*`|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"/g
  const print = lang === 'python' ? /^\s*print\s*\(/ : /^\s*console\.(?:log|info|error|warn)\s*\(/
  return code.replace(literal, (m: string, at: number) => {
    const q = m.search(/['"`]/)
    const quote = m.startsWith("'''", q) || m.startsWith('"""', q) ? 3 : 1
    const body = m.slice(q + quote, m.length - quote).replace(/\\(["'`\\])/g, '$1')
    // Code, whichever quotes it took.
    if (!print.test(code.slice(code.lastIndexOf('\n', at) + 1, at))) return `${m.slice(0, q).toLowerCase()}"${body}"`
    for (const piece of body.split(/\$?\{[^{}]*\}|%[-\d.]*[sdfr]|\\n/))
      for (const line of piece.split('\n')) if (line.trim().length >= 2) labels.push(line.trim())
    // What it shows: its placeholders (`{x!r}`, `{y:.2f}`, `${z}` as `{x}`, `{y}`, `{z}`).
    const shows = [...body.matchAll(/\$?\{([^{}]*)\}/g)].map(
      p => `{${p[1]!.replace(/(?:![rsa])?(?::[^:]*)?$/, '').trim()}}`,
    )
    return `"${shows.join('')}"`
  })
}
