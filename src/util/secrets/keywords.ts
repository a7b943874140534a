/**
 * Which of many keywords occur in a text, in one pass (Aho–Corasick over
 * ASCII, case-insensitive). The secret rules each name keywords (gitleaks'
 * prefilter): a rule runs only on text holding one of its words, so most
 * text is read once here and by no pattern at all.
 */

/** Keywords are ASCII; any other character resets the automaton to its root. */
const ALPHABET = 128

export class KeywordScanner {
  /** next[(state << shift) | class]: the next state (failure links folded in), over the keywords' characters only. */
  private readonly next: Int32Array
  private readonly shift: number
  /** The class of each ASCII character (upper case as lower case); 0 for one in no keyword (it leads to the root). */
  private readonly classOf: Uint8Array
  /** 1 for the characters whose runs `longestRun` measures. */
  private readonly runChar: Uint8Array
  /** For each state, the keyword ids that end there (its own and its suffixes'). */
  private readonly ends: number[][]
  /** 1 for a state where a keyword ends. */
  private readonly final: Uint8Array
  /** done[state] === pass: the state's keywords were collected in this pass (one array for every pass). */
  private readonly done: Uint32Array
  private pass = 0
  /** The longest run of `runChars` in the text `found` read last (the same pass: the entropy rule's gate). */
  longestRun = 0

  /** `runChars`: characters (ASCII) whose longest run in a text `found` also measures. */
  constructor(
    readonly keywords: readonly string[],
    runChars = '',
  ) {
    // One column per character of the keywords (a few dozen instead of 128): a character in no keyword leads
    // every state to the root, so the table stays small enough for the cache. Upper case reads as lower case.
    const lower = keywords.map(word => word.toLowerCase())
    const inWords = new Uint8Array(ALPHABET)
    for (const word of lower)
      for (let i = 0; i < word.length; i++) {
        const c = word.charCodeAt(i)
        if (c >= ALPHABET) throw new Error(`keyword ${word}: only ASCII keywords are supported`)
        inWords[c] = 1
      }
    this.classOf = new Uint8Array(ALPHABET)
    let columns = 1
    for (let c = 0; c < ALPHABET; c++) if (inWords[c]) this.classOf[c] = columns++
    for (let c = 65; c <= 90; c++) this.classOf[c] = this.classOf[c | 32]!
    const shift = Math.ceil(Math.log2(columns))
    const width = 1 << shift
    this.shift = shift
    // The trie's edges are written straight into the goto table (0: no edge; the root is no one's child), with
    // each state's own columns listed; built at the first redaction of a run (cold code), so in flat typed arrays.
    let size = 1
    for (const word of lower) size += word.length
    const next = new Int32Array(size << shift)
    const cols: number[][] = [[]]
    const own: number[][] = [[]]
    lower.forEach((word, id) => {
      let s = 0
      for (let i = 0; i < word.length; i++) {
        const k = this.classOf[word.charCodeAt(i)]!
        let t = next[(s << shift) | k]!
        if (t === 0) {
          t = cols.length
          next[(s << shift) | k] = t
          cols.push([])
          own.push([])
          cols[s]!.push(k)
        }
        s = t
      }
      own[s]!.push(id)
    })
    const states = cols.length
    this.ends = own.map(o => [...o])
    this.done = new Uint32Array(states)
    const fail = new Int32Array(states)
    const queue: number[] = []
    for (const k of cols[0]!) queue.push(next[k]!)
    // Breadth first: a state's failure state is shallower, so its row is complete when the state's is filled.
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head]!
      const f = fail[s]!
      if (this.ends[f]!.length) this.ends[s]!.push(...this.ends[f]!)
      const row = s << shift
      const kids = cols[s]!.map(k => next[row | k]!)
      // Where s has no edge, it goes where its failure state goes.
      next.copyWithin(row, f << shift, (f << shift) + width)
      cols[s]!.forEach((k, i) => {
        const t = kids[i]!
        fail[t] = next[row | k]!
        next[row | k] = t
        queue.push(t)
      })
    }
    // Rows past the last state (one per keyword character that shares a prefix) stay unused: no copy.
    this.next = next
    this.final = Uint8Array.from(this.ends, e => (e.length ? 1 : 0))
    this.runChar = new Uint8Array(ALPHABET)
    for (const ch of runChars) this.runChar[ch.charCodeAt(0)] = 1
  }

  /** The ids of the keywords found in `text` (case-insensitive); sets `longestRun`. */
  found(text: string): number[] {
    const next = this.next
    const shift = this.shift
    const classOf = this.classOf
    const runChar = this.runChar
    const final = this.final
    const ends = this.ends
    const done = this.done
    if (++this.pass === 0xffffffff) {
      done.fill(0)
      this.pass = 1
    }
    const pass = this.pass
    const hits: number[] = []
    let s = 0
    let run = 0
    let longest = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c >= ALPHABET) {
        s = 0
        if (run > longest) longest = run
        run = 0
        continue
      }
      if (runChar[c] === 1) run++
      else {
        if (run > longest) longest = run
        run = 0
      }
      s = next[(s << shift) | classOf[c]!]!
      // A state's keywords are collected once: repeats of a common word cost nothing more.
      if (final[s] === 1 && done[s] !== pass) {
        done[s] = pass
        const e = ends[s]!
        for (let k = 0; k < e.length; k++) hits.push(e[k]!)
      }
    }
    this.longestRun = Math.max(run, longest)
    return hits
  }
}
