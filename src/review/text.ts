/**
 * Text as the review shows it: what traces contain is cleaned (escape
 * sequences and control characters removed, so a log cannot drive the
 * terminal), redacted, shortened and wrapped to the screen's columns (a
 * Chinese character or an emoji takes two: see ../util/width.ts).
 */
import {basename} from 'node:path'
import type {Step, TraceCard} from '../card/types.js'
import {joinedSecret, safeLine, stripControls, visiblePath} from '../util/control.js'
import {redactText} from '../util/redact.js'
import {fitWidth, graphemes, isNarrow, textWidth} from '../util/width.js'

/** One line of text safe to print: no escapes or control characters, tabs and newlines as spaces, secrets redacted. */
export function oneLine(text: string): string {
  return redactText(safeLine(text))
}

/**
 * A name a trace gives (a model, a tool) as the review shows it: its escapes and control characters written out
 * (`\x1b`), not dropped, as aco analyze shows them; dropped, `claude-opus-4-6\x1b[K` would read as the model it
 * imitates (trial 107). Secrets redacted, one cut in two by such a character too.
 */
export function nameLine(text: string): string {
  return joinedSecret(text, redactText) ?? redactText(visiblePath(text))
}

/** Text safe to print, keeping its lines (tabs as two spaces). */
export function cleanLines(text: string): string[] {
  return redactText(stripControls(text.replace(/\r\n?/g, '\n').replace(/\t/g, '  '))).split('\n')
}

/**
 * What a trace is called: its title (the first prompt), else its file's name, with its id where that is not the file's
 * name (a file of several traces: trial 85 saw two rows both named `agent.jsonl`), else its id.
 */
export function traceTitle(row: {title?: string; path: string; id: string}): string {
  const title = row.title ? oneLine(row.title).trim() : ''
  if (title) return title
  const file = basename(row.path)
  if (!file) return oneLine(row.id)
  return file.replace(/\.[^.]+$/, '') === row.id || file === row.id ? file : `${file} · ${oneLine(row.id)}`
}

/**
 * A card's name in the timeline and the breadcrumbs: a top-level trace's title, or which subagent it is; `withTask`
 * (the breadcrumbs, where the call that started it is not in sight) adds a subagent's task, which tells apart several
 * of one type.
 */
export function cardLabel(card: TraceCard, withTask = false): string {
  if (!card.parent) return fitWidth(traceTitle({title: card.title, path: card.source.path, id: card.id}), 60)
  // Which one, when a session ran several of a type: its first prompt (its task), else its id.
  const kind = oneLine(card.parent.agentType ?? card.parent.agentId ?? card.id.split('/').pop() ?? card.id)
  const task = withTask && card.title ? oneLine(card.title).trim() : ''
  return task ? `subagent ${kind}: ${fitWidth(task, 40)}` : `subagent ${kind}`
}

/** `claude-sonnet-4-20250514` → `claude-sonnet-4`; `openai/gpt-4o-2024-08-06` → `gpt-4o`. */
export function shortModel(model: string): string {
  const clean = nameLine(model)
  const name = clean.includes('/') ? clean.slice(clean.lastIndexOf('/') + 1) : clean
  return name.replace(/-(?:20\d{6}|20\d\d-\d\d-\d\d)$/, '').replace(/@\d{8}$/, '')
}

/** Models of a trace in a few characters: the first one and how many more. */
export function modelsSummary(models: readonly string[], width: number): string {
  if (models.length === 0) return '—'
  // A column of model names reads better without the vendor's prefix: sonnet-4-5, opus-4-6.
  const first = shortModel(models[0]!).replace(/^claude-/, '')
  const more = models.length > 1 ? ` +${models.length - 1}` : ''
  return fitWidth(first, Math.max(1, width - textWidth(more))) + more
}

/** What a tool call did in a few words: `Bash npm test`, `Read src/a.ts`. */
export function describeTool(step: Step): string {
  const tool = step.tool
  if (!tool) return step.model ? shortModel(step.model) : step.kind
  const detail = oneLine(toolDetail(tool.arguments).text).trim()
  return detail ? `${nameLine(tool.name)} ${detail}` : nameLine(tool.name)
}

/** The arguments that name a file a call works on, as the agents name them. */
const PATH_KEYS = new Set(['file_path', 'filePath', 'notebook_path', 'path'])

/** The argument that says what a call did (its file, command, pattern…), and whether it names a file. */
function toolDetail(raw: unknown): {text: string; path: boolean} {
  if (typeof raw === 'string') return {text: raw, path: false}
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {text: '', path: false}
  const args = raw as Record<string, unknown>
  const key =
    ['file_path', 'command', 'cmd', 'pattern', 'query', 'url', 'path', 'description'].find(k => args[k] != null) ??
    Object.keys(args)[0]
  const first = key === undefined ? undefined : args[key]
  if (typeof first === 'string') return {text: first, path: PATH_KEYS.has(key!)}
  if (Array.isArray(first))
    return {
      text: first.every(x => typeof x === 'string')
        ? first.join(' ')
        : `${first.length} item${first.length === 1 ? '' : 's'}`,
      path: false,
    }
  if (typeof first === 'number' || typeof first === 'boolean') return {text: String(first), path: false}
  return {text: '', path: false}
}

/**
 * A tool step as one row of at most `width` columns: as `describeTool` says it, but where what it names is a file, the
 * file relative to `cwd` where it lies below it, and, too long to fit, cut before its last part rather than after:
 * `Read …/references/claude-cycles.md` tells the rows apart where `Read /home/lhl/github/…` did not (a new user's trial).
 */
export function describeToolFit(step: Step, width: number, cwd: string | undefined): string {
  const detail = step.tool ? toolDetail(step.tool.arguments) : undefined
  if (!detail?.path || !oneLine(detail.text).trim()) return describeTool(step)
  const path = detail.text
  const name = nameLine(step.tool!.name)
  const base = cwd?.replace(/[\\/]+$/, '')
  // (Printed as every argument is: secrets redacted, control characters and line breaks taken out. A Windows folder's
  // files below it with either separator.)
  const below = base && (path.startsWith(`${base}/`) || path.startsWith(`${base}\\`))
  const shown = oneLine(below ? path.slice(base.length + 1) : path).trim()
  const text = `${name} ${shown}`
  if (textWidth(text) <= width) return text
  // As much of the path's end as fits.
  const room = width - textWidth(name) - 2
  if (room < 4) return text
  const tail = Array.from(graphemes(shown), g => g.segment)
  let kept = ''
  for (let k = tail.length - 1; k >= 0 && textWidth(tail[k]! + kept) <= room; k--) kept = tail[k]! + kept
  return `${name} …${kept}`
}

/** How many UTF-16 units of `text` (whole characters, at least one) fit in `columns`. */
function fitsWithin(text: string, columns: number): number {
  if (isNarrow(text)) return Math.max(1, Math.min(text.length, columns))
  let used = 0
  let end = 0
  for (const {segment, index} of graphemes(text)) {
    used += textWidth(segment)
    if (used > columns) return end > 0 ? end : segment.length
    end = index + segment.length
  }
  return end
}

/** Wraps text to `width` columns, breaking at spaces where it can; at most `maxLines` lines (the last ends with … when cut). */
export function wrap(text: string, width: number, maxLines = Number.POSITIVE_INFINITY): string[] {
  const out: string[] = []
  const w = Math.max(1, width)
  for (const paragraph of text.split('\n')) {
    let rest = paragraph
    if (rest === '') out.push('')
    while (rest.length > 0) {
      const fits = fitsWithin(rest, w)
      if (fits >= rest.length) {
        out.push(rest)
        break
      }
      // At the last space that fits (or just after it), unless that leaves the line less than a third full.
      let cut = rest.lastIndexOf(' ', fits)
      if (cut <= 0 || textWidth(rest.slice(0, cut)) <= w / 3) cut = fits
      out.push(rest.slice(0, cut).trimEnd())
      rest = rest.slice(cut).replace(/^ /, '')
    }
    if (out.length > maxLines) break
  }
  if (out.length > maxLines) {
    const kept = out.slice(0, maxLines)
    kept[maxLines - 1] = fitWidth(`${kept[maxLines - 1]!} …`, w)
    return kept
  }
  return out
}

/**
 * A tool call's arguments as readable lines: JSON, indented, strings cleaned,
 * redacted and shortened to `maxString` characters, at most `maxLines` lines.
 */
export function argumentLines(args: unknown, maxString: number, maxLines: number): string[] {
  if (args === undefined) return ['(none)']
  if (typeof args === 'string') return limitLines(cleanLines(args), maxLines)
  const json = JSON.stringify(shortenStrings(args, maxString), null, 2) ?? String(args)
  return limitLines(json.split('\n'), maxLines)
}

function shortenStrings(value: unknown, max: number, depth = 0): unknown {
  if (typeof value === 'string') return fitWidth(oneLine(value), max)
  if (value === null || typeof value !== 'object') return value
  if (depth > 5) return '…'
  if (Array.isArray(value)) {
    const items = value.slice(0, 12).map(v => shortenStrings(v, max, depth + 1))
    if (value.length > 12) items.push(`… ${value.length - 12} more`)
    return items
  }
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[oneLine(k)] = shortenStrings(v, max, depth + 1)
  return out
}

function limitLines(lines: string[], max: number): string[] {
  if (lines.length <= max) return lines
  return [...lines.slice(0, max - 1), `… ${lines.length - max + 1} more lines`]
}

/** A date-time as `2025-09-03 00:52` (UTC, the way the cards hold it). */
export function shortTime(iso: string | undefined): string {
  if (!iso) return ''
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)/.exec(iso)
  return m ? `${m[1]} ${m[2]}` : iso.slice(0, 16)
}

/** 4375 → `4.4s`, 37 → `37ms`, 125000 → `2m05s`. */
export function duration(ms: number | undefined): string {
  if (ms === undefined) return ''
  if (ms < 1000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`
  const s = Math.round(ms / 1000)
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
}
