/**
 * Re-reads of a file that no step changed in between: every line asked for
 * was already read in this turn, by a call with other arguments (an identical
 * call is a duplicate-call). Writes, edits and shell commands that may touch
 * files count as changes.
 */
import {toolFinding, type Detector} from '../finding.js'
import {readCoverage} from './coverage.js'

export const rereadUnchanged: Detector = ctx =>
  readCoverage(ctx)
    .filter(c => c.covered >= 0.999 && !c.identical)
    .map(c =>
      toolFinding(
        ctx,
        'reread-unchanged',
        c.step,
        `reads ${c.file} again, unchanged since step ${c.by.map(b => b.index).join(', ')} read ${c.by.length === 1 ? 'it' : 'these lines'}`,
        0.9,
        c.by.map(b => b.id),
      ),
    )
