/**
 * The waste detectors against the hand labels of every tool call in 22 real
 * traces (test/corpus/waste-labels/). Issue 16's goal is precision ≥ 90% and
 * recall ≥ 70% per detector. The detectors were tuned on the dev part only; the
 * held-out part (fixed by file-name hash, see isHeldOut) gates at what it
 * measured when the work was done, so a change that loses ground there fails.
 * The tables are printed: `npx tsx test/corpus/waste-eval.ts held-out --list`
 * shows the misses and wrong flags.
 */
import {describe, expect, it} from 'vitest'
import {hasCorpus, skipNoCorpus} from '../helpers.js'
import {
  type DetectorRow,
  formatTable,
  isHeldOut,
  loadLabels,
  type ScoredCall,
  type ScoredGrowth,
  scoreFile,
  table,
  traceAvailable,
} from './waste-eval.js'

/** Floors per part: [precision, recall]; a detector with fewer than MIN_COUNT flags (labels) is not gated on precision (recall). */
const FLOORS: Record<'dev' | 'held-out', Record<string, [number, number]>> = {
  dev: {
    'failed-repeat': [0.9, 0.7],
    'duplicate-call': [0.9, 0.7],
    'reread-unchanged': [0.9, 0.7],
    'near-duplicate': [0.9, 0.7],
    'context-growth': [0.9, 0],
  },
  'held-out': {
    'failed-repeat': [0.9, 0.6],
    'reread-unchanged': [0.9, 0.7],
    'near-duplicate': [0.9, 0.3],
    'context-growth': [0.9, 0],
  },
}
const MIN_COUNT = 3

describe.skipIf(!hasCorpus)(
  `corpus: waste detectors against hand labels (${hasCorpus ? 'labels' : skipNoCorpus})`,
  () => {
    const labels = loadLabels().filter(traceAvailable)

    for (const part of ['dev', 'held-out'] as const) {
      it(`${part}: precision and recall per detector`, async () => {
        const chosen = labels.filter(l => (part === 'held-out') === isHeldOut(l, labels))
        const calls: ScoredCall[] = []
        const growth: ScoredGrowth[] = []
        for (const l of chosen) {
          const s = await scoreFile(l)
          expect(s.unjoined, `${l.name}: labels that match no tool step`).toEqual([])
          calls.push(...s.calls)
          growth.push(...s.growth)
        }
        const rows = table(calls, growth)
        console.log(`waste labels, ${part}: ${chosen.length} traces, ${calls.length} calls\n${formatTable(rows)}`)
        const byKind = new Map<string, DetectorRow>(rows.map(r => [r.kind, r]))
        for (const [kind, [precision, recall]] of Object.entries(FLOORS[part])) {
          const row = byKind.get(kind)!
          if (row.flagged >= MIN_COUNT)
            expect(row.precision, `${part} ${kind} precision`).toBeGreaterThanOrEqual(precision)
          if (row.positives >= MIN_COUNT) expect(row.recall, `${part} ${kind} recall`).toBeGreaterThanOrEqual(recall)
        }
      }, 120_000)
    }
  },
)
