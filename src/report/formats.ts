/** `aco formats` on a terminal: the formats aco reads, or what a mapping read from a sample. */
import type {CheckedCard, FormatsResult} from '../analyze/formats.js'
import {compact, costText, usd} from '../util/format.js'

/** Wraps `text` at word boundaries to `width` columns, each line after the first indented by `indent`. */
function wrap(text: string, width: number, indent: string): string {
  const lead = /^\s*/.exec(text)![0]
  const words = text.trim().split(/\s+/)
  const lines: string[] = []
  let line = lead
  for (const word of words) {
    if (line.trim() && line.length + 1 + word.length > width) {
      lines.push(line)
      line = indent + word
    } else line = line.trim() ? `${line} ${word}` : line + word
  }
  if (line.trim()) lines.push(line)
  return lines.join('\n')
}

export function renderFormats(result: FormatsResult, width = 100): string {
  const w = Math.max(60, width)
  const out: string[] = []
  if (result.formats) {
    out.push(
      wrap(
        `aco reads ${result.formats.length} formats, recognised by their content (--format overrides, --mapping adds one):`,
        w,
        '',
      ),
      '',
    )
    for (const f of result.formats) {
      out.push(wrap(`${f.name} (${f.id})${f.definedBy === 'code' ? '' : ` [defined by ${f.definedBy}]`}`, w, '  '))
      for (const r of f.recognisedBy) out.push(wrap(`  recognised by: ${r}`, w, '    '))
      out.push(wrap(`  where: ${f.where}`, w, '    '))
      out.push(wrap(`  totals checked: ${f.totalsChecked}`, w, '    '), '')
    }
  }
  const d = result.detected
  if (d) {
    out.push(`sample ${d.sample}`)
    // (A companion first: Aider's LLM I/O log is a format of its own, read from the chat history beside it, review 125.)
    out.push(
      d.companion
        ? `  ${d.companion}: a companion of traces, not a trace (aco analyze counts it from there)`
        : d.format
          ? `  read as ${d.name ?? d.format} (${d.format}): aco analyze reads it so, by its content`
          : '  no format aco reads recognises it (below: why). Name it with --format if you know it, or describe it with a mapping: aco formats --check MAPPING SAMPLE tries one',
    )
    if (d.format && !d.companion && d.cards.length === 0) out.push('  no step read from it')
    for (const card of d.cards) out.push(...cardLines(card, w))
    out.push(...skippedText(d.skipped, w))
  }
  const c = result.check
  if (c) {
    out.push(`mapping ${c.mapping.name} (${c.mapping.path}), format ${c.mapping.format}`)
    out.push(`sample ${c.sample}`)
    out.push(
      c.mapping.hasDetect
        ? c.recognised
          ? '  detect rules: the sample is recognised (aco analyze --mapping reads such files with it)'
          : '  detect rules: the sample is NOT recognised; it was read with the mapping anyway, as below'
        : '  no detect rules: aco analyze --mapping reads every file with this mapping',
    )
    if (c.cards.length === 0) out.push('  no step read from the sample')
    for (const u of c.unmatched) out.push(wrap(`  ! ${u}`, w, '    '))
    for (const u of c.unconfirmed ?? []) out.push(wrap(`  ? ${u}`, w, '    '))
    for (const card of c.cards) out.push(...cardLines(card, w))
    out.push(...skippedText(c.skipped, w))
  }
  return out.join('\n')
}

/** A card as a check or a detection read it: its totals, models, recorded totals, first steps and warnings. */
function cardLines(card: CheckedCard, w: number): string[] {
  const out: string[] = []
  const t = card.tokens
  out.push(
    `  card ${card.id}${card.title ? ` "${card.title}"` : ''}: ${card.llmCalls} LLM call${card.llmCalls === 1 ? '' : 's'}, ${card.toolCalls} tool call${card.toolCalls === 1 ? '' : 's'}; tokens in ${compact(t.input)} · cache read ${compact(t.cacheRead)} · cache write ${compact(t.cacheWrite)} · out ${compact(t.output)}; ${costText(card.costUsd, card.unpricedCalls, false, 'call')}`,
  )
  if (card.models.length) out.push(`    models: ${card.models.join(', ')}`)
  if (card.recorded) {
    const r = card.recorded
    // As the card's line above has them, each count the records hold (trial 34: a double space, no cache read).
    const counts = [
      ['in', r.tokens?.input],
      ['cache read', r.tokens?.cacheRead],
      ['cache write', r.tokens?.cacheWrite],
      ['out', r.tokens?.output],
    ].flatMap(([name, n]) => (typeof n === 'number' ? [`${name} ${compact(n)}`] : []))
    const parts = [
      ...(r.costUsd !== undefined ? [usd(r.costUsd)] : []),
      ...(counts.length ? [`tokens ${counts.join(' · ')}`] : []),
    ]
    out.push(`    recorded totals: ${parts.join('; ')}`)
  }
  for (const s of card.firstSteps)
    out.push(
      `    ${s.kind === 'llm' ? 'llm ' : 'tool'} ${s.id}${s.model ? ` ${s.model}` : ''}${s.tokens ? ` in ${s.inputUnrecorded ? 'not recorded' : s.tokens.input}${s.tokens.cacheRead ? ` cache read ${s.tokens.cacheRead}` : ''}${s.tokens.cacheWrite ? ` cache write ${s.tokens.cacheWrite}` : ''} out ${s.tokens.output}` : ''}${s.tool ? ` ${s.tool} (${s.status})` : ''}`,
    )
  for (const warning of card.warnings) out.push(wrap(`    ! ${warning}`, w, '      '))
  return out
}

/** What a read of the sample skipped, each with its line where it has one. */
function skippedText(skipped: ReadonlyArray<{line?: number; reason: string}>, w: number): string[] {
  return skipped.map(s => wrap(`  skipped${s.line ? ` line ${s.line}` : ''}: ${s.reason}`, w, '    '))
}
