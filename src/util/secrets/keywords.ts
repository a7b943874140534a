/**
 * Which of many keywords occur in a text, in one pass (Aho–Corasick over
 * ASCII, case-insensitive). The secret rules each name keywords (gitleaks'
 * prefilter): a rule runs only on text holding one of its words, so most
 * text is read once here and by no pattern at all.
 */

/** Keywords are ASCII; any other character resets the automaton to its root. */
const ALPHABET = 128

export class KeywordScanner {
  /** goto[state * 128 + char]: the next state (failure links folded in). */
  private readonly next: Int32Array
  /** For each state, the keyword ids that end there (its own and its suffixes'). */
  private readonly ends: number[][]

  constructor(readonly keywords: readonly string[]) {
    // The trie's edges are written straight into the goto table (0: no edge; the root is no one's child), with
    // each state's own characters listed; built at the first redaction of a run, so in flat typed arrays.
    let size = 1
    for (const word of keywords) size += word.length
    const next = new Int32Array(size * ALPHABET)
    const chars: number[][] = [[]]
    const own: number[][] = [[]]
    keywords.forEach((word, id) => {
      let s = 0
      for (const ch of word.toLowerCase()) {
        const c = ch.charCodeAt(0)
        if (c >= ALPHABET) throw new Error(`keyword ${word}: only ASCII keywords are supported`)
        let t = next[s * ALPHABET + c]!
        if (t === 0) {
          t = chars.length
          next[s * ALPHABET + c] = t
          chars.push([])
          own.push([])
          chars[s]!.push(c)
        }
        s = t
      }
      own[s]!.push(id)
    })
    const states = chars.length
    this.next = next.subarray(0, states * ALPHABET)
    this.ends = own.map(o => [...o])
    const fail = new Int32Array(states)
    const queue: number[] = []
    for (const c of chars[0]!) queue.push(next[c]!)
    // Breadth first: a state's failure state is shallower, so its row is complete when the state's is filled.
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head]!
      const f = fail[s]!
      if (this.ends[f]!.length) this.ends[s]!.push(...this.ends[f]!)
      const row = s * ALPHABET
      const kids = chars[s]!.map(c => next[row + c]!)
      // Where s has no edge, it goes where its failure state goes.
      next.copyWithin(row, f * ALPHABET, f * ALPHABET + ALPHABET)
      chars[s]!.forEach((c, i) => {
        const t = kids[i]!
        fail[t] = next[row + c]!
        next[row + c] = t
        queue.push(t)
      })
    }
  }

  /** The ids of the keywords found in `text` (case-insensitive). */
  found(text: string): number[] {
    const next = this.next
    const ends = this.ends
    const done = new Uint8Array(ends.length)
    const hits: number[] = []
    let s = 0
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i)
      if (c >= ALPHABET) {
        s = 0
        continue
      }
      if (c >= 65 && c <= 90) c |= 32
      s = next[s * ALPHABET + c]!
      // A state's keywords are collected once: repeats of a common word cost nothing more.
      if (done[s] === 0) {
        done[s] = 1
        const e = ends[s]!
        for (let k = 0; k < e.length; k++) hits.push(e[k]!)
      }
    }
    return hits
  }
}
