/**
 * Near-identical looks: a read whose lines were mostly (not wholly) shown
 * already, or a search or listing whose hits can only be a subset of an
 * earlier one's over a tree nothing changed since (the same pattern in a
 * sub-folder or one file, a narrower name glob, fewer context lines; a Glob
 * after a listing of the whole tree). Only the overlapping part counts as
 * waste for a read. Tests run again whose every result an earlier run of
 * them printed, nothing they run having changed (`test-reruns.ts`). A `git diff` of some files that an earlier
 * `git diff` of more printed whole (`diff-within.ts`).
 */
import {harnessHeaderEnd} from '../../card/output-facts.js'
import type {Step} from '../../card/types.js'
import type {FlagContext} from '../context.js'
import {displayPath} from '../effects.js'
import {describeCall, toolFinding, type Detector} from '../finding.js'
import {carriedBy, copySources, lookFindings} from './coverage.js'
import {diffsWithin} from './diff-within.js'
import {stillHolds} from './duplicate-call.js'
import {type GitAnswer, gitAnswers} from './git-answers.js'
import {goCacheWords, passingReruns, testReruns} from './test-reruns.js'

export const nearDuplicate: Detector = ctx => [
  ...lookFindings(ctx)
    .filter(f => f.kind === 'partial' || (f.kind === 'search' && !f.same))
    .map(f => {
      const at = f.by.map(b => b.index).join(', ')
      if (f.kind === 'partial' && f.pastEnd !== undefined)
        return toolFinding(
          ctx,
          'near-duplicate',
          f.step,
          `reads ${displayPath(f.subject, ctx.card.cwd)} past its end: step ${at} showed it has ${f.pastEnd} line${f.pastEnd === 1 ? '' : 's'}, and nothing changed the file since, so it could only print nothing`,
          0.8,
          f.by.map(b => b.id),
          f.covered,
        )
      if (f.kind === 'partial')
        return toolFinding(
          ctx,
          'near-duplicate',
          f.step,
          f.copies
            ? `reads ${displayPath(f.subject, ctx.card.cwd)}, which step ${f.copies.map(c => c.index).join(', ')} ${carriedBy(ctx, f.copies)} from ${copySources(ctx, f.copies, f.subject)} unchanged since step ${at} showed it: ${Math.round(f.covered * 100)}% of these lines were shown there and nothing changed the copy since`
            : `reads ${displayPath(f.subject, ctx.card.cwd)} again: ${Math.round(f.covered * 100)}% of these lines were shown at step ${at} and nothing changed the file since`,
          0.8,
          f.by.map(b => b.id),
          f.covered,
        )
      const earlier = f.by[f.by.length - 1]!
      const asks = ctx.actions[f.step.index]?.searches.find(s => s.output === 'status' && s.names.length === 1)
      return toolFinding(
        ctx,
        'near-duplicate',
        f.step,
        f.byListing && asks
          ? `asks whether ${displayPath(`${asks.scopes[0]}/${asks.names[0]}`, ctx.card.cwd)} exists, which the listing at step ${at} (${describeCall(earlier, ctx.redact)}) already told, and nothing changed that folder since`
          : f.byListing && (ctx.failed[f.step.index] === 1 || ctx.foundNothing(f.step))
            ? `looks for ${lookedFor(ctx, f.step)}, which the listing at step ${at} (${describeCall(earlier, ctx.redact)}) showed not there, and nothing changed that folder since`
            : f.byPaths
              ? `lists only files the listing at step ${at} (${describeCall(earlier, ctx.redact)}) already showed, and no file was made there since`
              : f.byListing
                ? `looks for files the listing at step ${at} (${describeCall(earlier, ctx.redact)}) already showed, and nothing it lists changed in that tree since`
                : ctx.failed[f.step.index] === 1 && ctx.actions[f.step.index]?.reads.length === 1
                  ? `looks for ${lookedFor(ctx, f.step)}, which the search at step ${at} (${describeCall(earlier, ctx.redact)}) would have found and did not, and nothing changed that folder since`
                  : `searches again within what step ${at} searched (${describeCall(earlier, ctx.redact)}): its hits can only be some of those, and ${f.readsSameAfter === 'build' ? 'only a build wrote there since (its outputs), and it shows the lines that search did' : 'nothing it searches changed there since'}`,
        0.85,
        f.by.map(b => b.id),
      )
    }),
  ...passingReruns(ctx)
    .filter(r => !r.same)
    .map(r =>
      after(
        ctx,
        r,
        `runs tests that passed at step ${r.earlier.index} (${describeCall(r.earlier, ctx.redact)}) again, or fewer of them: ${r.byCache ? goCacheWords(ctx, r.step, ctx.actions[r.step.index]!) : 'nothing they run changed since'}, so they pass again, whatever part of their output it shows`,
        0.75,
      ),
    ),
  ...diffsWithin(ctx).map(d =>
    after(
      ctx,
      d,
      d.empty
        ? `diffs files the diff at step ${d.earlier.index} (${describeCall(d.earlier, ctx.redact)}) showed no change in, so it could only print nothing: nothing changed those files or git's state since`
        : `shows a part of the diff step ${d.earlier.index} printed (${describeCall(d.earlier, ctx.redact)}), line for line: nothing changed those files or git's state since`,
      0.85,
    ),
  ),
  ...gitAnswers(ctx, stillHolds(ctx))
    .filter(r => !r.same)
    .map(r =>
      after(
        ctx,
        r,
        `asks git what step ${r.earlier.index} (${describeCall(r.earlier, ctx.redact)}${r.byCommit ? ', a commit that found nothing staged and printed the status' : ''}) already told: ${told(ctx, r)}, and nothing changed those files or git's state since`,
        0.8,
      ),
    ),
  ...testReruns(ctx).map(r =>
    after(
      ctx,
      r,
      `runs tests that step ${r.earlier.index} ran (${describeCall(r.earlier, ctx.redact)}): every result it prints, that run printed, and no code they run changed since`,
      0.8,
    ),
  ),
]

/** A near-duplicate of a step that one earlier step's result foretold. */
function after(ctx: FlagContext, r: {step: Step; earlier: Step}, reason: string, confidence: number) {
  return toolFinding(ctx, 'near-duplicate', r.step, reason, confidence, [r.earlier.id])
}

/** The names a failed look asked for (`Dockerfile*`, `.eslintrc*`), for its flag's reason. */
function lookedFor(ctx: FlagContext, step: Step): string {
  const s = ctx.actions[step.index]?.searches[0]
  const names = s?.names ?? []
  if (names.length) return names.join(', ')
  // (A path listed that is not there: `ls ops`.)
  const scope = s?.listing && s.scopes.length === 1 ? s.scopes[0]! : undefined
  if (scope !== undefined && ctx.missingIn(step).includes(scope)) return displayPath(scope, ctx.card.cwd)
  // (A file read that is not there: `cat go.sum`.)
  const read = ctx.actions[step.index]?.reads
  if (read?.length === 1 && ctx.missingIn(step).includes(read[0]!.path)) return displayPath(read[0]!.path, ctx.card.cwd)
  return describeCall(step, ctx.redact)
}

/** What a git question's earlier answer told, for its flag's reason. */
function told(ctx: FlagContext, r: GitAnswer): string {
  const out = ctx.outputOf(r.step)
  const empty = out === undefined || out.slice(harnessHeaderEnd(out)).trim() === ''
  return empty
    ? 'it showed no change to these files, so this could only print nothing'
    : 'it showed each of these files with its change'
}
