/**
 * What a pipeline of plain text filters (`grep`, `head`, `tail`, `wc -l`, `sort`, `uniq`) prints from a given text:
 * for telling whether a command run again with a filter printed only what its earlier output already held, in the
 * very lines the filter makes of it. A filter aco cannot run exactly (an option it does not know, a pattern it
 * cannot read) answers undefined.
 */
import type {SimpleCommand} from './shell.js'
import {escapeRegExp} from '../util/text.js'

/** The lines the filters print from `lines`, or undefined when one of them is not one aco runs. */
export function applyFilters(lines: readonly string[], filters: readonly SimpleCommand[]): string[] | undefined {
  let out: string[] = [...lines]
  for (const f of filters) {
    if (f.redirects.length || f.dynamic.some(Boolean) || f.assigns.length) return undefined
    const next = applyOne(out, f.words)
    if (next === undefined) return undefined
    out = next
  }
  return out
}

function applyOne(lines: string[], words: readonly string[]): string[] | undefined {
  const [name, ...args] = words
  if (name === 'grep' || name === 'egrep' || name === 'fgrep' || name === 'rg') return grep(lines, name, args)
  if (name === 'head' || name === 'tail') {
    const n = keptLines(args)
    if (n === undefined) return undefined
    return name === 'head' ? lines.slice(0, n) : n === 0 ? [] : lines.slice(-n)
  }
  if (name === 'wc') return args.length === 1 && args[0] === '-l' ? [String(lines.length)] : undefined
  if (name === 'sort') {
    if (args.some(a => a !== '-u')) return undefined
    const sorted = [...lines].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    return args.length ? sorted.filter((l, k) => k === 0 || l !== sorted[k - 1]) : sorted
  }
  if (name === 'uniq') return args.length ? undefined : lines.filter((l, k) => k === 0 || l !== lines[k - 1])
  return undefined
}

/** `head`'s and `tail`'s line count: `-5`, `-n 5`, `-n5`, `--lines=5` (10 when none is given). */
export function keptLines(args: readonly string[]): number | undefined {
  if (args.length === 0) return 10
  const joined = args.join(' ')
  const m = /^(?:-(\d+)|-n ?(\d+)|--lines=(\d+))$/.exec(joined)
  return m ? Number(m[1] ?? m[2] ?? m[3]) : undefined
}

/**
 * grep's (or rg's) lines: one pattern, matched case-sensitively or not (`-i`), as a basic or extended expression or a
 * fixed string, whole words (`-w`), inverted (`-v`), counted (`-c`), with context (`-A`, `-B`, `-C`, groups apart
 * parted by `--`); not numbered lines (`-n` prints numbers the earlier output had not) nor only the matches (`-o`).
 */
function grep(lines: string[], name: string, args: readonly string[]): string[] | undefined {
  let fold = false
  let invert = false
  let countOnly = false
  let words = false
  let kind: 'basic' | 'extended' | 'fixed' =
    name === 'egrep' || name === 'rg' ? 'extended' : name === 'fgrep' ? 'fixed' : 'basic'
  let after = 0
  let before = 0
  let pattern: string | undefined
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!
    const ctxArg = /^-([ABC])(\d*)$/.exec(a)
    if (ctxArg) {
      const n = Number(ctxArg[2] || args[++k])
      if (!Number.isInteger(n)) return undefined
      if (ctxArg[1] !== 'B') after = n
      if (ctxArg[1] !== 'A') before = n
    } else if (a === '-e' || a === '--regexp') {
      if (pattern !== undefined) return undefined
      pattern = args[++k]
    } else if (/^-[ivcwEF]+$/.test(a)) {
      for (const c of a.slice(1)) {
        if (c === 'i') fold = true
        else if (c === 'v') invert = true
        else if (c === 'c') countOnly = true
        else if (c === 'w') words = true
        else if (c === 'E') kind = 'extended'
        else kind = 'fixed'
      }
    } else if (a.startsWith('-')) return undefined
    else if (pattern === undefined) pattern = a
    // (A file named: it does not read the pipe.)
    else return undefined
  }
  if (pattern === undefined) return undefined
  const re = toRegExp(pattern, kind, fold, words)
  if (!re) return undefined
  const hit = lines.map(l => re.test(l) !== invert)
  if (countOnly) return after || before ? undefined : [String(hit.filter(Boolean).length)]
  if (!after && !before) return lines.filter((_, k) => hit[k])
  const out: string[] = []
  let last = -1
  for (let k = 0; k < lines.length; k++) {
    if (!hit[k]) continue
    const from = Math.max(0, k - before, last + 1)
    if (last >= 0 && from > last + 1) out.push('--')
    const to = Math.min(lines.length - 1, k + after)
    for (let j = from; j <= to; j++) out.push(lines[j]!)
    last = Math.max(last, to)
  }
  return out
}

/** A grep pattern as a JavaScript one (basic expressions' `\|`, `\(`, `\)`, `\{`, `\}` made extended ones). */
function toRegExp(
  pattern: string,
  kind: 'basic' | 'extended' | 'fixed',
  fold: boolean,
  words: boolean,
): RegExp | undefined {
  let source =
    kind === 'fixed'
      ? escapeRegExp(pattern)
      : kind === 'basic'
        ? pattern.replace(/\\([|(){}])|([|(){}+?])/g, (_m, escaped: string | undefined, plain: string | undefined) =>
            escaped ? escaped : `\\${plain}`,
          )
        : pattern
  // (POSIX classes JavaScript has no name for.)
  if (/\[\[:|\\[<>]/.test(source)) return undefined
  if (words) source = `\\b(?:${source})\\b`
  try {
    return new RegExp(source, fold ? 'i' : '')
  } catch {
    return undefined
  }
}
