/**
 * `aco merge`: the `--json` results of `aco analyze --shard i/n`, put
 * together into the result a single run over the whole input gives, to the
 * byte. Every figure is a sum or a count (dollars in whole nano-dollars, see
 * exact.ts), traces concatenate in shard order (shards are contiguous in the
 * walk's order), and rows sort by figures and names, never by arrival.
 */
import {AcoError} from '../errors.js'
import {MAX_WARNINGS, SummaryBuilder} from './aggregate.js'
import {MAX_LISTED} from './analyze.js'
import {GroupBuilder} from './group.js'
import {SETTINGS_PARTS} from './shard.js'
import type {AnalyzeResult} from './result.js'
import {WarningGroups} from './warning-groups.js'

/** What two parts' results differ in that makes them parts of different runs, in words (none: parts of one run). */
function differences(a: AnalyzeResult, b: AnalyzeResult): string[] {
  const out: string[] = []
  const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y)
  const shown = (v: unknown): string => (v === undefined ? 'none' : String(v))
  if (!same(a.groups?.by, b.groups?.by)) out.push(`--by (${shown(a.groups?.by)} against ${shown(b.groups?.by)})`)
  // (The zone a shard read dates in, recorded with --tz, the window or --by; trial 72 merged a Tokyo shard with one run
  // without --tz. A shard of an older aco recorded it with --by alone.)
  const zoneA = a.shard?.timeZone ?? a.groups?.timeZone
  const zoneB = b.shard?.timeZone ?? b.groups?.timeZone
  // (With --by on one part alone, its zone differs by --by: said once; two zones both parts recorded are two --tz, said
  // beside a --by that differs too, trial 84.)
  const bothZoned = a.shard?.timeZone !== undefined && b.shard?.timeZone !== undefined
  const sameWindow = same(a.window?.since, b.window?.since) && same(a.window?.until, b.window?.until)
  // (A window on one part alone is why it recorded a zone and left out files older than it: said once, as the window;
  // trial 108 read "--tz (none against UTC)" and "the files found" for a --since given to one part.)
  if ((bothZoned || (same(a.groups?.by, b.groups?.by) && sameWindow)) && !same(zoneA, zoneB))
    out.push(`--tz (${shown(zoneA)} against ${shown(zoneB)})`)
  if (!sameWindow) out.push('the window (--since, --until)')
  if (!same(a.searched, b.searched)) out.push('the default folders searched')
  if (!same(a.outcomes?.given, b.outcomes?.given)) out.push('--task-results')
  if (a.shard?.settings !== b.shard?.settings) {
    const pa = a.shard?.settingsParts
    const pb = b.shard?.settingsParts
    const named =
      pa && pb
        ? (Object.keys(SETTINGS_PARTS) as Array<keyof typeof SETTINGS_PARTS>).filter(
            k => pa[k] !== pb[k] && (k !== 'files' || sameWindow),
          )
        : []
    if (named.length) out.push(named.map(k => SETTINGS_PARTS[k]).join('; '))
    else if (sameWindow)
      out.push(
        'their settings (--prices, --format, --mapping, --task-results, --no-redact), paths, files or build of aco',
      )
  }
  return [...new Set(out)]
}

/** A trace id read by two shards (a copy of a session in another folder): its responses may be counted twice. */
export interface Overlap {
  id: string
  path: string
  /** The shards (1-based) that read it. */
  shards: [number, number]
}

/** Merges shard results; checks they are the n parts of one run, each once, with the same settings. */
export function mergeResults(parts: readonly AnalyzeResult[]): {
  result: AnalyzeResult
  overlaps: Overlap[]
  /** The zone the shards read and showed dates in, when they needed one: the merged result is shown in it. */
  timeZone?: string
} {
  if (!parts.length)
    throw new AcoError('usage', 'Nothing to merge.', 'Name the --json results of aco analyze --shard i/n.')
  const count = parts[0]!.shard?.count ?? 1
  const byIndex = new Map<number, AnalyzeResult>()
  for (const p of parts) {
    const shard = p.shard ?? {index: 1, count: 1}
    if (shard.count !== count)
      throw new AcoError(
        'usage',
        `Shards of different runs: one says n = ${count}, another n = ${shard.count}.`,
        'Merge the parts of one run.',
      )
    if (byIndex.has(shard.index))
      throw new AcoError(
        'usage',
        p.shard
          ? `Shard ${shard.index}/${count} is given twice.`
          : 'These are results of whole runs, not parts of one: only the results of aco analyze --shard i/n merge.',
        p.shard
          ? 'Name each part once.'
          : 'Run aco analyze --shard 1/n … --shard n/n over the same paths, or one aco analyze over every path.',
      )
    byIndex.set(shard.index, p)
  }
  const missing = Array.from({length: count}, (_, i) => i + 1).filter(i => !byIndex.has(i))
  if (missing.length)
    throw new AcoError(
      'usage',
      `Shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count} missing.`,
      'Merge every part of the run.',
    )
  const ordered = Array.from({length: count}, (_, i) => byIndex.get(i + 1)!)
  const head = ordered[0]!
  for (const r of ordered.slice(1)) {
    const differ = differences(head, r)
    if (differ.length)
      throw new AcoError(
        'usage',
        `The shards are not the parts of one run: shard ${r.shard!.index}/${count} differs from shard 1/${count} in ${differ.join('; ')}.`,
        'Run every shard with the same flags and paths, over the same files, with the same aco.',
      )
  }

  const summary = new SummaryBuilder()
  const groups = head.groups ? new GroupBuilder(head.groups.by, head.groups.timeZone ?? 'UTC') : undefined
  const files = {read: 0, withTraces: 0, skipped: 0, empty: 0, ignored: 0, companions: 0, repeats: 0}
  let repeatedResponses = 0
  const seen = new Map<string, number>()
  const overlaps: Overlap[] = []
  // Traces joined from parts (spans in several files) come last in a run: each shard's come after every shard's others.
  const tails: Array<{traces: AnalyzeResult['traces']; warnings: AnalyzeResult['warnings']['first']}> = []
  for (const [i, r] of ordered.entries()) {
    summary.addSummary(r)
    const tail = r.shard?.tail ?? {traces: 0, warnings: 0}
    const headTraces = r.traces.length - tail.traces
    const headWarnings = Math.max(0, r.warnings.first.length - tail.warnings)
    summary.addListed(r.traces.slice(0, headTraces), r.warnings.first.slice(0, headWarnings))
    tails.push({traces: r.traces.slice(headTraces), warnings: r.warnings.first.slice(headWarnings)})
    groups?.addRows(r.groups?.rows ?? [])
    for (const k of Object.keys(files) as Array<keyof typeof files>) files[k] += r.files[k]
    repeatedResponses += r.repeatedResponses
    // A trace id in two shards: a single run would have told the two apart (id~2) and counted responses they share once.
    for (const t of r.traces) {
      const other = seen.get(t.id)
      if (other !== undefined && other !== i) overlaps.push({id: t.id, path: t.path, shards: [other + 1, i + 1]})
      else seen.set(t.id, i)
    }
  }
  for (const t of tails) summary.addListed(t.traces, t.warnings)
  const result: AnalyzeResult = {
    schemaVersion: '1.0',
    ...summary.build(ordered.flatMap(r => r.skipped)),
    files,
    repeatedResponses,
    // The first files of each list, in walk order, as a single run lists them.
    repeatedFiles: ordered.flatMap(r => r.repeatedFiles ?? []).slice(0, MAX_LISTED),
    nothingToCount: ordered.flatMap(r => r.nothingToCount ?? []).slice(0, MAX_LISTED),
  }
  // Said in the result too (a warning each, counted), not only on stderr: the figures are not a single run's.
  if (overlaps.length) {
    const groups = new WarningGroups()
    groups.addGroups(result.warnings.groups ?? [])
    for (const o of overlaps) groups.addTrace([{message: overlapMessage(o)}])
    result.warnings.groups = groups.list()
  }
  for (const o of overlaps) {
    result.warnings.count++
    if (result.warnings.first.length < MAX_WARNINGS)
      result.warnings.first.push({
        traceId: o.id,
        path: o.path,
        message: overlapMessage(o),
      })
  }
  if (head.searched) result.searched = head.searched
  if (head.outcomes)
    result.outcomes = {given: head.outcomes.given, joined: ordered.reduce((n, r) => n + (r.outcomes?.joined ?? 0), 0)}
  if (groups) result.groups = groups.build()
  if (head.window) {
    result.window = {...head.window, filesSkipped: 0, stepsOutside: 0}
    for (const r of ordered) {
      result.window.filesSkipped += r.window?.filesSkipped ?? 0
      result.window.stepsOutside += r.window?.stepsOutside ?? 0
    }
  }
  // (Each part says what the run was asked: the same notes, once.)
  const notes = [...new Set(ordered.flatMap(r => r.notes ?? []))]
  if (notes.length) result.notes = notes
  const timeZone = head.shard?.timeZone ?? head.groups?.timeZone
  return {result, overlaps, ...(timeZone !== undefined ? {timeZone} : {})}
}

function overlapMessage(o: Overlap): string {
  return `trace ${o.id} was read by shards ${o.shards[0]} and ${o.shards[1]} (a copy of a session in another folder): responses both copies hold are counted twice here, once in a single run`
}
