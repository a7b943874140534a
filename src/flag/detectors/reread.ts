/**
 * Re-reads of what the context already holds: every line a read (or a
 * search in one file) showed was shown before, in the same context, by a
 * read or by the agent's own whole-file write, and nothing that could change
 * the file happened since. A write to another file does not count; a command
 * aco cannot read counts as a change.
 */
import type {Step} from '../../card/types.js'
import type {FlagContext} from '../context.js'
import {displayPath} from '../effects.js'
import {stepList, toolFinding, type Detector} from '../finding.js'
import {carriedBy, copiesRead, copySources, lookFindings} from './coverage.js'

export const rereadUnchanged: Detector = ctx =>
  lookFindings(ctx)
    .filter(f => f.kind === 'reread')
    .map(f => {
      // Whole-content writes only: an edit's printed snippet is lines shown, not a file written whole.
      const wrote = f.by.every(b => ctx.writes[b.index]?.writes.some(w => w.content !== undefined) ?? false)
      const steps = stepList(f.by)
      // `cat a b`, `head -20 a b`: every file it shows, named.
      const reads = ctx.actions[f.step.index]?.reads ?? []
      // (Each file once: `sed -n 1,80p f && sed -n 170,240p f` reads one file.)
      const files = [...new Set(reads.map(r => r.path))]
      // The files it reads that a copy carried the lines into (`cp a a.bak`, then `sed -n 5,9p a a.bak`), and the files
      // those were copied from.
      const copied = f.copies ? copiesRead(ctx, f.copies, files) : []
      const many = files.length > 1 && (!f.copies || copied.length > 0)
      const names = many ? files.map(path => displayPath(path, ctx.card.cwd)) : [displayPath(f.subject, ctx.card.cwd)]
      const file = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0]!
      const it = many ? 'them' : 'it'
      // Unchanged as its own lines show, where the session sat idle, a build wrote or a command aco cannot read ran.
      const though =
        f.readsSameAfter === 'absence'
          ? `the session sat idle in between, and nothing changed ${it}`
          : f.readsSameAfter === 'build'
            ? `a build wrote in the project in between, not to ${it}`
            : f.readsSameAfter === 'unseen'
              ? `a command that might have changed ${it} ran in between, and did not`
              : undefined
      return toolFinding(
        ctx,
        'reread-unchanged',
        f.step,
        f.stub
          ? `reads ${file} again, and the tool answered that it is unchanged since ${steps} ${f.by.some(b => ctx.actions[b.index]?.kind === 'write') ? 'wrote' : 'read'} it`
          : f.copies && many
            ? `reads ${file}: every line they show was shown at ${steps}, ${copiedLines(ctx, f.copies, copied)}, and nothing changed them since`
            : f.copies
              ? `reads ${file}, which ${stepList(f.copies)} ${carriedBy(ctx, f.copies)} from ${copySources(ctx, f.copies, f.subject)} unchanged since ${steps} showed it: every line it shows was shown there, and nothing changed the copy since`
              : wrote
                ? `reads ${file} again, whose whole content${many ? 's' : ''} the agent itself wrote at ${steps}; ${though ? `every line reads as written: ${though}` : `nothing changed ${it} since`}`
                : `reads ${file} again: every line it shows was shown at ${steps}${though ? ` and reads as it did then: ${though}` : `, and nothing changed ${many ? 'them' : 'the file'} since`}`,
        0.9,
        f.by.map(b => b.id),
      )
    })

/** "those of a.bak in a, which step 7 copied to it": where a copy's lines were shown. */
function copiedLines(
  ctx: FlagContext,
  copies: readonly Step[],
  copied: readonly {path: string; from: string}[],
): string {
  const name = (p: string) => displayPath(p, ctx.card.cwd)
  const each = copied.map(c => `those of ${name(c.path)} in ${name(c.from)}`).join(' and ')
  return `${each}, which ${stepList(copies)} ${carriedBy(ctx, copies)} to ${copied.length > 1 ? 'them' : 'it'}`
}
