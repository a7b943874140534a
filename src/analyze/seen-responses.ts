/**
 * The responses a run has counted, each with the trace that counted it first, for telling a response read again (a
 * session copied, resumed, or replayed by a subagent's progress records) from a new one. A run keeps one entry per
 * response it counts, for its whole length, so the entries are small: a 64-bit digest of the response's key and the
 * number of its trace, in an open-addressing table of typed arrays (12 bytes an entry, kept under 70% full). A Map of
 * the keys as built held ~250 bytes a response, a Map of 16-character digests ~80 (12 MB over the 1.2 GB bench folder).
 * Two different keys with one digest (odds of about 1 in 370,000 over ten million responses) would drop the later
 * response as a repeat.
 */
import {sha1Hex} from '../util/hash.js'

/** Slots hold three words: the digest's low and high halves, and the trace's number plus one (0: empty). */
const WORDS = 3

export class SeenResponses {
  private slots = new Uint32Array(WORDS * 1024)
  private used = 0
  private readonly traces: string[] = []
  private readonly traceNumbers = new Map<string, number>()

  /** The trace that counted the response with this key first: `trace` when none did (it is now). */
  claim(key: string, trace: string): string {
    const at = this.find(key)
    const counted = this.slots[at + 2]!
    if (counted !== 0) return this.traces[counted - 1]!
    let number = this.traceNumbers.get(trace)
    if (number === undefined) {
      this.traces.push(trace)
      number = this.traces.length
      this.traceNumbers.set(trace, number)
    }
    this.slots[at] = digestLow
    this.slots[at + 1] = digestHigh
    this.slots[at + 2] = number
    if (++this.used * 10 > (this.slots.length / WORDS) * 7) this.grow()
    return trace
  }

  /** The slot of the key's digest, or the empty slot where it would go (the digest is left in digestLow/High). */
  private find(key: string): number {
    digest(key)
    const mask = this.slots.length / WORDS - 1
    for (let i = digestLow & mask; ; i = (i + 1) & mask) {
      const at = i * WORDS
      if (this.slots[at + 2] === 0 || (this.slots[at] === digestLow && this.slots[at + 1] === digestHigh)) return at
    }
  }

  private grow(): void {
    const old = this.slots
    this.slots = new Uint32Array(old.length * 2)
    const mask = this.slots.length / WORDS - 1
    for (let from = 0; from < old.length; from += WORDS) {
      if (old[from + 2] === 0) continue
      let i = old[from]! & mask
      while (this.slots[i * WORDS + 2] !== 0) i = (i + 1) & mask
      this.slots.set(old.subarray(from, from + WORDS), i * WORDS)
    }
  }
}

let digestLow = 0
let digestHigh = 0

/** The first 64 bits of the key's SHA-1, into digestLow and digestHigh. */
function digest(key: string): void {
  const hex = sha1Hex(key)
  digestLow = Number.parseInt(hex.slice(0, 8), 16) >>> 0
  digestHigh = Number.parseInt(hex.slice(8, 16), 16) >>> 0
}
