/**
 * The one writer of a cards folder: `cards.ndjson` (one TraceCard a line) and
 * its index `cards.index.ndjson` (a row per card, with the card's byte offset),
 * each written atomically, secrets redacted unless asked otherwise. `aco
 * analyze --out` writes through it, and so does `aco review` into its cache.
 */
import {join} from 'node:path'
import type {TraceCard} from '../card/types.js'
import {openLinesAtomic, removeAbandonedTemps} from '../util/atomic.js'
import {escapeJsonText} from '../util/control.js'
import {withFileLockSync} from '../util/lock.js'
import {redactValue} from '../util/redact.js'
import {CARDS_FILE, INDEX_FILE, indexRow} from './card-index.js'

export interface CardsWriterOptions {
  /** Redact secrets from every card written (default true). */
  redact?: boolean
  /** Write the index beside the cards (default true). */
  index?: boolean
}

export interface CardsWriter {
  /** The cards file (`<dir>/cards.ndjson`). */
  readonly path: string
  write(cards: readonly TraceCard[]): void
  /** Renames both files into place; nothing shows in the folder before. */
  commit(): void
  /** Drops what was written; the folder is left as it was. */
  abort(): void
}

/** Opens `dir/cards.ndjson` (and its index) for writing; `dir` is created if missing. */
export function openCardsWriter(dir: string, options: CardsWriterOptions = {}): CardsWriter {
  const redact = options.redact ?? true
  removeAbandonedTemps(dir, [CARDS_FILE, INDEX_FILE])
  const cards = openLinesAtomic(join(dir, CARDS_FILE), {own: true})
  const index = options.index === false ? undefined : openLinesAtomic(join(dir, INDEX_FILE), {own: true})
  return {
    path: cards.path,
    write(batch) {
      for (const card of batch) {
        const shown = redact ? redactValue(card) : card
        // (Escaped as --json is: the same values parsed, nothing a terminal acts on when the file is shown.)
        const at = cards.write(escapeJsonText(JSON.stringify(shown)))
        index?.write(escapeJsonText(JSON.stringify(indexRow(shown, at.offset, at.bytes))))
      }
    },
    commit() {
      // Both on the disk before either replaces what the folder held: the index's offsets are the cards file's. The two
      // renames under the folder's lock: two runs writing one --out at once left one's cards beside the other's index
      // (trial 127; aco review rebuilt it, a reader of the index alone would not have).
      cards.flush()
      index?.flush()
      withFileLockSync(cards.path, () => {
        cards.commit()
        index?.commit()
      })
    },
    abort() {
      cards.abort()
      index?.abort()
    },
  }
}
