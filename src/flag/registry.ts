/**
 * The waste detectors, one row each: the function that finds the waste, what
 * it finds in one line (reports, help), and a short name for narrow columns.
 * The order of the rows is the priority order: a step keeps the flag of the
 * first detector that finds it. Adding a detector is adding a row here (and
 * its name to `DetectorKind`); the compiler says what else needs it.
 */
import {contextGrowth} from './detectors/context-growth.js'
import {duplicateCall} from './detectors/duplicate-call.js'
import {failedRepeat} from './detectors/failed-repeat.js'
import {loop} from './detectors/loop.js'
import {nearDuplicate} from './detectors/near-duplicate.js'
import {rereadUnchanged} from './detectors/reread.js'
import {unusedOutput} from './detectors/unused-output.js'
import type {Detector, DetectorKind} from './finding.js'

export interface DetectorInfo {
  detect: Detector
  /** What it finds, in one line. */
  description: string
  /** A name of a few letters for narrow columns (the review's timeline). */
  short: string
}

export const DETECTORS: Readonly<Record<DetectorKind, DetectorInfo>> = {
  // A loop explains its steps better than "a repeat" would: it goes first.
  loop: {
    detect: loop,
    description: 'the agent cycles through the same few actions with the same results, three times or more',
    short: 'loop',
  },
  'failed-repeat': {
    detect: failedRepeat,
    description: 'a failed call repeated, alone or in another form that changes nothing, failing the same way',
    short: 'retry',
  },
  'duplicate-call': {
    detect: duplicateCall,
    description: 'the same tool call with the same arguments while its earlier result still held',
    short: 'dup',
  },
  'reread-unchanged': {
    detect: rereadUnchanged,
    description: 'a file read again, though no step changed it since it was read',
    short: 'reread',
  },
  'near-duplicate': {
    detect: nearDuplicate,
    description: 'a read mostly overlapping an earlier one, or a search repeated with a trivially different pattern',
    short: 'overlap',
  },
  'unused-output': {
    detect: unusedOutput,
    description: 'a large tool result no later step referred to, carried as context in every later call',
    short: 'unused',
  },
  'context-growth': {
    detect: contextGrowth,
    description: 'a run of calls whose context grew while every tool call repeated earlier work or failed',
    short: 'stall',
  },
}

/** The detectors' names, in priority order. */
export const DETECTOR_KINDS = Object.keys(DETECTORS) as DetectorKind[]
