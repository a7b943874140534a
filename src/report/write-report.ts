/**
 * Writing `--report`: the Markdown file and its charts, each written
 * atomically; and the small keeper of the costliest traces the report charts,
 * so analyze need not hold every card.
 */
import {basename, dirname, join} from 'node:path'
import {rollupTotals} from '../card/build.js'
import type {TraceCard} from '../card/types.js'
import {writeFileAtomic} from '../util/atomic.js'

/** How many of the costliest traces the report charts. */
export const REPORT_TRACES = 5

/** `report.md` → `report-assets`. */
export function assetsDirName(reportPath: string): string {
  return `${basename(reportPath).replace(/\.(md|markdown)$/i, '')}-assets`
}

export async function writeReport(
  path: string,
  markdown: string,
  assets: ReadonlyArray<{name: string; content: string}>,
): Promise<void> {
  const dir = join(dirname(path), assetsDirName(path))
  for (const asset of assets) await writeFileAtomic(join(dir, asset.name), asset.content)
  await writeFileAtomic(path, markdown)
}

/** Keeps the `size` costliest top-level cards seen (cost including subagents). */
export class CostliestCards {
  private kept: Array<{cost: number; card: TraceCard}> = []

  constructor(private readonly size: number) {}

  add(cards: readonly TraceCard[]): void {
    for (const card of cards) {
      if (card.parent?.traceId) continue
      const cost = rollupTotals(card).costUsd
      if (this.kept.length < this.size || cost > this.kept[this.kept.length - 1]!.cost) {
        this.kept.push({cost, card})
        this.kept.sort((a, b) => b.cost - a.cost)
        if (this.kept.length > this.size) this.kept.pop()
      }
    }
  }

  cards(): TraceCard[] {
    return this.kept.map(k => k.card)
  }
}
