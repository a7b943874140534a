/**
 * Building TraceCards: a small builder the adapters share (steps, tool calls
 * paired with their results, ids kept unique), and the pure functions that
 * sum a card's totals.
 */
import {fromNano, toNano} from '../util/exact.js'
import {argsHash, hashText} from '../util/hash.js'
import {lazyModule} from '../util/lazy-module.js'
import {distinctiveTerms, redactedTerms} from '../util/terms.js'
import {excerpt, lineCount, shortenChecked, titleOf} from '../util/text.js'
import {EARLIEST_ISO, isoMs, msBetween, toIso} from '../util/time.js'
import {type OutputFacts, outputFacts, statedHeaderEnd, statesItsLines} from './output-facts.js'
import {
  SCHEMA_VERSION,
  type CardWarning,
  type FormatId,
  type Step,
  type StepCost,
  type Tokens,
  type ToolCall,
  type ToolStatus,
  type Totals,
  type TraceCard,
} from './types.js'

/**
 * What a card builder does with secrets in the text a card keeps (excerpts, its copy of a call's arguments,
 * titles, warnings):
 * - `true`: redacted as the card is built;
 * - `false`: kept as they are (`--no-redact`);
 * - `'after-flags'`: titles and warnings redacted as built; excerpts and arguments kept as they are while the
 *   waste detectors read them, their redacted copies (made now, from the whole text) put in place by `redactKept`
 *   once the card is flagged: what a detector decides never depends on redaction;
 * - `'dropped'`: titles and warnings redacted; excerpts and arguments kept as they are, for a card whose text is
 *   dropped once it is flagged (a lean card: see analyze/lean.ts), so nothing of them is ever shown or written.
 */
export type RedactMode = boolean | 'after-flags' | 'dropped'

/** The redacted copies of a step's text, waiting for `redactKept` (only where redaction changed something). */
interface Redacted {
  text?: string
  excerpt?: string
  arguments?: unknown
  terms?: string[]
}

/** Steps of cards built in 'after-flags' mode whose redacted text waits (few: only where a secret was found). */
const REDACT_LATER = new WeakMap<Step, Redacted>()

/**
 * Puts the redacted copies of a card's excerpts and arguments (and its subagents') in place: for cards built in
 * 'after-flags' mode, once they are flagged. Nothing to do for cards built otherwise.
 */
export function redactKept(card: TraceCard): void {
  forEachCard([card], c => {
    for (const step of c.steps) {
      const r = REDACT_LATER.get(step)
      if (!r) continue
      if (r.text !== undefined) step.text = r.text
      if (step.tool && r.excerpt !== undefined) step.tool.excerpt = r.excerpt
      if (step.tool && r.arguments !== undefined) step.tool.arguments = r.arguments
      if (step.tool && r.terms !== undefined) step.tool.terms = r.terms
      REDACT_LATER.delete(step)
    }
  })
}

/** Packing details needs zlib and v8's serializer: only sessions large enough to pack load them (see lazy-module.ts). */
const zlib = lazyModule<typeof import('node:zlib')>('node:zlib')
const v8 = lazyModule<typeof import('node:v8')>('node:v8')

export function emptyTokens(): Tokens {
  return {input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0}
}

/** Adds `b` into `a` (in place) and returns `a`. */
export function addTokens(a: Tokens, b: Tokens): Tokens {
  a.input += b.input
  a.output += b.output
  a.cacheRead += b.cacheRead
  a.cacheWrite += b.cacheWrite
  a.reasoning += b.reasoning
  if (b.cacheWrite1h !== undefined) a.cacheWrite1h = (a.cacheWrite1h ?? 0) + b.cacheWrite1h
  return a
}

/**
 * The prompt an LLM step sent: what its context held. Where its tokens sum several model turns of one call (a server
 * tool the model called, Claude's advisor), the last turn's (`Step.context`).
 */
export function promptTokens(step: Step): number {
  if (step.context !== undefined) return step.context
  const t = step.tokens
  return t ? t.input + t.cacheRead + t.cacheWrite : 0
}

/** Every token the call consumed or produced (prompt incl. cache, plus output). */
export function tokenSum(t: Tokens): number {
  return t.input + t.output + t.cacheRead + t.cacheWrite
}

export function emptyTotals(): Totals {
  return {costUsd: 0, tokens: emptyTokens(), steps: 0, llmCalls: 0, toolCalls: 0, wastedUsd: 0, unpricedCalls: 0}
}

/** Totals of a card's own steps (children are not included). */
/**
 * A card's totals. Dollars are summed as whole nano-dollars (see util/exact.ts), as the run's totals are: a trace's
 * cost is then the sum its steps show, to the nano-dollar, and no float residue (0.16244080000000002) reaches a report.
 */
export function computeTotals(steps: readonly Step[]): Totals {
  const totals = emptyTotals()
  let cost = 0
  let wasted = 0
  let recorded = 0
  let anyRecorded = false
  // An indexed loop: a for-of over 100,000 steps allocates an iterator result per step where it is not optimised.
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!
    totals.steps++
    const flags = step.flags
    if (flags) for (let f = 0; f < flags.length; f++) wasted += toNano(flags[f]!.wastedUsd)
    if (step.kind === 'tool') {
      totals.toolCalls++
      continue
    }
    totals.llmCalls++
    if (step.tokens) addTokens(totals.tokens, step.tokens)
    const c = step.cost
    if (c) {
      if (c.usd !== null) cost += toNano(c.usd)
      else totals.unpricedCalls++
      if (c.recordedUsd !== undefined) {
        recorded += toNano(c.recordedUsd)
        anyRecorded = true
      }
    }
  }
  totals.costUsd = fromNano(cost)
  totals.wastedUsd = fromNano(wasted)
  if (anyRecorded) totals.recordedCostUsd = fromNano(recorded)
  return totals
}

/** Adds totals `b` into `a` (in place), dollars in whole nano-dollars. */
export function addTotals(a: Totals, b: Totals): Totals {
  a.costUsd = fromNano(toNano(a.costUsd) + toNano(b.costUsd))
  addTokens(a.tokens, b.tokens)
  a.steps += b.steps
  a.llmCalls += b.llmCalls
  a.toolCalls += b.toolCalls
  a.wastedUsd = fromNano(toNano(a.wastedUsd) + toNano(b.wastedUsd))
  a.unpricedCalls += b.unpricedCalls
  if (b.recordedCostUsd !== undefined)
    a.recordedCostUsd = fromNano(toNano(a.recordedCostUsd ?? 0) + toNano(b.recordedCostUsd))
  return a
}

/** Totals of a card and all its descendants. */
export function rollupTotals(card: TraceCard): Totals {
  const totals = addTotals(emptyTotals(), card.totals)
  for (const child of card.children) addTotals(totals, rollupTotals(child))
  return totals
}

/** Calls `visit` on a card and each descendant, parents first. */
export function forEachCard(
  cards: readonly TraceCard[],
  visit: (card: TraceCard, depth: number) => void,
  depth = 0,
): void {
  for (const card of cards) {
    visit(card, depth)
    forEachCard(card.children, visit, depth + 1)
  }
}

export interface ToolResultInput {
  status: ToolStatus
  exitCode?: number
  output?: string
  /** What the model was shown, when it differs from `output` (a harness cut the middle out). */
  seen?: string
  /**
   * The part of `output` that identifies the result, when the output also carries what differs from run to run
   * (Codex's chunk id and wall time): two runs that printed the same thing then hash the same.
   */
  identity?: string
  endedAt?: string
  /** The duration the log records for the call (an exit event, "Wall time: …"): preferred to timestamps. */
  durationMs?: number
}

/**
 * What a card keeps of a tool call only in memory, for the flag stage: the
 * full arguments where the card's copy was shortened, and the output the
 * model saw. The waste detectors need a whole command to tell what it wrote
 * and a whole output to tell which lines it showed; neither belongs in a card
 * a person reads. A card read back from a file has neither: the detectors
 * then work from the shortened copy and assume the worst where it was cut.
 */
const DETAIL: unique symbol = Symbol('aco.toolDetail')

/**
 * Kept on the tool call under a symbol: JSON, structured clones (worker
 * threads) and schema checks see only string keys, so it never leaves the
 * process. (A WeakMap would do the same, but every garbage collection walks a
 * WeakMap's entries: with 100,000 calls that costs more than the detectors.)
 */
interface Detail {
  /** The whole arguments, only when the card's copy was shortened or redacted. */
  args?: unknown
  /** The output the model saw. */
  output?: string
  /** `args`, packed (see `Packed`). */
  packedArgs?: Packed
  /** `output`, packed. */
  packedOutput?: Packed
  /** What the flag stage asks of a packed output, read while its text was at hand (it then need not unpack it). */
  facts?: OutputFacts
  /** When the model saw a cut output: how many lines the whole one had (the cut's tail can then be placed). */
  outputLines?: number
}
type WithDetail = ToolCall & {[DETAIL]?: Detail}

/**
 * The details of a builder's tool steps by step index, for a snapshot of the
 * builder (structured clones leave symbol keys out).
 */
export type BuilderDetails = Array<Detail | undefined>

/** Outputs longer than this keep their head and tail only (enough to see which lines they showed). */
const DETAIL_OUTPUT_LIMIT = 512 * 1024

/**
 * Details are kept compressed until the flag stage reads them: they are most
 * of what a card holds while it is read (41 of 100 MB for a 100 MB session)
 * and shrink 3-4× with zlib's fastest setting. A large one (at least
 * `PACK_FROM` characters of output or bytes of serialised arguments) is
 * packed alone; smaller ones (from `BATCH_FROM`) are packed together, a batch
 * of `BATCH_SIZE` at a time (a call to zlib costs ~0.2 ms whatever the size,
 * and one context compresses better). Smaller still, they stay as they are.
 */
const PACK_FROM = 4096
const BATCH_FROM = 256

/**
 * The first this many characters of a trace's details stay as they are: packing pays only for a large session
 * (on the bench's 500 sessions of up to 0.9 MB it cost 4-9% more CPU and saved no memory at the peak).
 */
const PACK_AFTER = 2 << 20

/** The characters of details a trace's builders have kept as they are (shared by the builders of one file). */
export interface DetailsHeld {
  chars: number
}
const BATCH_SIZE = 64 * 1024

/** Small details packed together: the values as they are while the batch fills, then packed. */
interface Batch {
  values?: unknown[]
  packed?: Buffer
  size: number
}

/** A detail packed alone, or its place in a batch. */
type Packed = Buffer | {batch: Batch; slot: number}

/** A value packed: its structured clone (exact for any data: lone surrogates, -0, undefined), deflated. */
function pack(serialised: Uint8Array): Buffer {
  // Copied out: zlib's result is a view of its whole output buffer (16 KB or more, whatever the result's size).
  return Buffer.from(zlib().deflateRawSync(serialised, {level: 1}))
}

/**
 * The values unpacked last, least recently read first, up to `UNPACKED_CHARS` characters in all (a batch read slot
 * by slot is inflated once). Bounded by size, not count: a count let a few large outputs hold megabytes. Holding more
 * does not pay: the detectors read the steps in passes from the first to the last, so any cache smaller than the
 * session's outputs is emptied before a pass comes back (32 M characters: the same CPU, 150 MB more at the peak).
 * What saves the CPU is reading each output once: the flag context keeps what the detectors need of it (what it
 * showed, the paths it reports missing, whether a search found nothing) from the one read that tells whether the
 * call failed. `releaseUnpacked` empties the cache once a session is flagged.
 */
const unpacked = new Map<Buffer, {value: unknown; chars: number}>()
let unpackedChars = 0
const UNPACKED_CHARS = 1 << 20

function unpack(packed: Buffer): unknown {
  const hit = unpacked.get(packed)
  if (hit) {
    unpacked.delete(packed)
    unpacked.set(packed, hit)
    return hit.value
  }
  const value = v8().deserialize(zlib().inflateRawSync(packed))
  const chars = roughSize(value)
  unpacked.set(packed, {value, chars})
  unpackedChars += chars
  while (unpackedChars > UNPACKED_CHARS && unpacked.size > 1) {
    const [oldest, entry] = unpacked.entries().next().value!
    unpacked.delete(oldest)
    unpackedChars -= entry.chars
  }
  return value
}

/** Lets go of the values unpacked so far (a session's, once its detectors ran). */
export function releaseUnpacked(): void {
  unpacked.clear()
  unpackedChars = 0
}

function unpackDetail(packed: Packed): unknown {
  if (Buffer.isBuffer(packed)) return unpack(packed)
  const {batch, slot} = packed
  return batch.values ? batch.values[slot] : (unpack(batch.packed!) as unknown[])[slot]
}

/** About how many characters a value holds (its strings' lengths), without copying it. */
function roughSize(value: unknown, depth = 0): number {
  if (typeof value === 'string') return value.length
  if (!value || typeof value !== 'object' || depth > 8) return 8
  let n = 0
  for (const v of Array.isArray(value) ? value : Object.values(value)) n += roughSize(v, depth + 1)
  return n
}

/** A call's whole arguments as text (JSON): what a harness's note of the command's own words is looked for in. */
export function argumentsText(tool: ToolCall): string {
  return JSON.stringify(toolArguments(tool)?.args ?? tool.arguments) ?? ''
}

/** A tool call's whole arguments when the card was built in this process (undefined: only the card's copy is known). */
export function toolArguments(tool: ToolCall): {args: unknown} | undefined {
  const detail = (tool as WithDetail)[DETAIL]
  if (!detail) return undefined
  if (detail.packedArgs) return {args: unpackDetail(detail.packedArgs)}
  return {args: 'args' in detail ? detail.args : tool.arguments}
}

/** The output the model saw, when the card was built in this process. */
/** The number of lines of the whole output, when the model saw it cut and the trace keeps both (mini-swe-agent). */
export function toolOutputLines(tool: ToolCall): number | undefined {
  return (tool as WithDetail)[DETAIL]?.outputLines
}

/** The facts of an output the card holds packed (undefined for one held as it is: read them from its text). */
export function toolOutputFacts(tool: ToolCall): OutputFacts | undefined {
  return (tool as WithDetail)[DETAIL]?.facts
}

export function toolOutput(tool: ToolCall): string | undefined {
  const detail = (tool as WithDetail)[DETAIL]
  if (detail?.packedOutput) return unpackDetail(detail.packedOutput) as string
  return detail?.output
}

const TEXT_EXCERPT = 1000
const WARNING_CHARS = 500
/** How many warnings of one kind a card lists with their lines (see `warnFew`). */
const MAX_LIKE_WARNED = 3
const OUTPUT_EXCERPT = 300
/** Outputs at least this long (≈4k tokens, the unused-output threshold) get distinctive terms. */
const TERMS_FROM_CHARS = 16_000

/**
 * What a person's prompt says that bears on looking at files again (kept beside the card, never in it: the prompt's
 * text itself is not kept): that files changed (`I updated config.ts`, `the config has changed`), or a request to read
 * them again (`rescan`, `re-read`) or to be shown them (`let's see the final files`), and the files it names (then only
 * those are meant).
 */
export interface PromptNote {
  changed: boolean
  again: boolean
  /** It asks for a retry, or speaks of the network (`I've reconnected the VPN, run it again`). */
  retry?: boolean
  /** The file names the prompt mentions (`config.ts`), lower-cased; none: it meant the files in general. */
  names: readonly string[]
  /**
   * Where the change it tells of did not reach, as parts of paths (a session resumed at another commit: its own state
   * folder, `session-state/<id>/`, which the session restores, not the checkout).
   */
  unless?: readonly string[]
  /** The only folder the change it tells of reached (a resume at another commit: the repository's). */
  within?: string
  /**
   * It speaks of running or checking anything (`run the tests`, `make sure it builds`, `verify`, a template's steps):
   * a run of tests or checks in its turn may be what it asked for.
   */
  runs?: boolean
  /** It is a command of the person's own (Claude Code's `/release-check`), whose steps are in a file aco does not read. */
  command?: boolean
}

/**
 * What a card built in this process was told of its person, kept beside it (never in it): each turn's prompt's note,
 * by turn; the notes of the person's messages within a turn and the files changed outside the agent, by the index of
 * the first step after each.
 */
interface PersonNotes {
  prompts?: ReadonlyMap<number, PromptNote>
  asides?: ReadonlyMap<number, PromptNote>
  edits?: ReadonlyMap<number, readonly string[]>
}

const PERSON = new WeakMap<TraceCard, PersonNotes>()

/**
 * What a person's messages within a turn said (Claude Code's queued prompts), by the index of the first step after
 * each, for a card built in this process: a note as a turn's prompt has (see `PromptNote`).
 */
export function asidesOf(card: TraceCard): ReadonlyMap<number, PromptNote> | undefined {
  return PERSON.get(card)?.asides
}

/**
 * Files the harness told the agent were changed outside it (Claude Code's `edited_text_file`: a person's editor, a
 * formatter), by the index of the first step after the notice, for a card built in this process.
 */
export function outsideEdits(card: TraceCard): ReadonlyMap<number, readonly string[]> | undefined {
  return PERSON.get(card)?.edits
}

/** Whether a card built in this process has notes of its prompts (see `PromptNote`). */
export function hasPromptNotes(card: TraceCard): boolean {
  return PERSON.get(card)?.prompts !== undefined
}

/** The note of the prompt that opened `turn` of a card built in this process, when it said anything of the kind. */
export function promptNote(card: TraceCard, turn: number | undefined): PromptNote | undefined {
  return turn === undefined ? undefined : PERSON.get(card)?.prompts?.get(turn)
}

/**
 * A person saying files changed: `I (just) updated …`, `we changed …` (not `changed my mind`), or a file, the code,
 * the config… that `has (been) changed` (not `you have changed`, not a CI image or a runtime).
 */
const SAYS_CHANGED_PARTS: readonly RegExp[] = [
  /(?:I|we)(?:'ve| have| had)? (?:just |now |already |\w+ly )?(?:changed|updated|edited|modified|reworked|refactored|rewrote|rewritten|replaced|reverted|deleted|removed|renamed|moved|tweaked|adjusted|added|inserted|cleaned up|discarded|undid|undone|rolled back|stashed|threw away|wiped|redid|redone|re-?did|re-?done|re-?applied)(?! (?:my|our) minds?\b)/,
  /(?:I|we)(?:'ve| have| had)? (?:just |now |already |\w+ly )?(?:lost|reset|restored|pulled|merged|rebased|dropped) (?:(?:your|the|my|our|all|those|these|its|that|this) (?:\w+ )?)?(?:changes?|edits?|fix(?:es)?|code|files?|branch|work|main|master|latest|commits?|origin|[\w./-]+\.[A-Za-z]\w{0,5})\b/,
  /(?:I|we) (?:did|ran) (?:a )?git (?:reset|checkout|restore|stash|pull|rebase|merge)/,
  // (`ok i made some changes note them also`, trial 76: a re-read after it was flagged.)
  /(?:I|we)(?:'ve| have| had)? (?:just |now |already |\w+ly )?(?:made|did) (?:(?:some|a few|a couple of|several|more|minor|small|a lot of|lots of|the|my|our|few) )*(?:changes|edits|fixes|modifications|updates|tweaks)/,
  /(?:file|files|code|config|configuration|settings|repo|repository|project|branch|it|this|that|[\w-]+\.[A-Za-z]\w{0,5}) (?:has|have) (?:just |now )?(?:been )?(?:changed|updated|edited|modified|reverted|discarded|reset|lost)/,
  /(?:your|the|my|our|those|these) (?:changes|edits|fix|fixes) (?:are|were|is|was|got|have been|has been) (?:\w+ly )?(?:gone|lost|discarded|reverted|undone|reset|dropped|overwritten)/,
  /(?:wiped|blew away|overwrote|clobbered) (?:your|the|my|our|all) (?:\w+ )?(?:changes|edits|fix(?:es)?|work)/,
  /re-?appl(?:y|ied|ying)/,
  /re-?d(?:o|id|one) (?:the|this|that|your|my) (?:fix|change|changes|edit|edits)/,
]
const SAYS_CHANGED = new RegExp(`\\b(?:${SAYS_CHANGED_PARTS.map(r => r.source).join('|')})\\b`, 'gi')
/**
 * Each of SAYS_CHANGED's forms alone, for a first look: the whole matches somewhere only where one of them does, and
 * V8 runs each alone (a literal to start from) many times faster than their union (0.2 ms a prompt).
 */
const SAYS_CHANGED_EACH = SAYS_CHANGED_PARTS.map(r => new RegExp(`\\b(?:${r.source})\\b`, 'i'))
/**
 * A person asking to read files again: `rescan`, `re-read`, `check it again`, `review the files again` (not `look
 * again`, `think again`: a second thought, not a second read).
 */
const ASKS_AGAIN =
  /\b(?:re-?scan|re-?read|re-?check|re-?review|re-?examine|re-?verify|(?:check|read|scan|review|reload) (?:\w+ ){0,3}again)\b/gi
/**
 * A person asking to be shown files (`ok let's see all the final files`, `please show me the code`): a request that
 * opens its clause and ends with the files (not `I can see the code`, `the price display code`, `I want to see the code
 * pass`, `which of the view files`): the agent reads them for the person, whatever it read before.
 */
const ASKS_TO_SEE =
  /(?:^|[.!?,;:]\s*|\b(?:please|pls|can you|could you|would you|now|ok|okay|and|then|so)\s+)(?:show(?: me| us)?|let(?:'s| us| me) see|(?:can|could|may) (?:i|we) see)(?: (?:all|the|final|whole|full|complete|current|updated|new|entire|those|these|each|every|your|my|of|source|finished))* (?:files?|code|sources?|contents?)(?=\s*(?:$|[.!?,;:)]|\b(?:again|now|please|for me|here|to me)\b))/gim
/**
 * A person asking for a retry (`rerun the build`, `test it once more`), or speaking of the network (it may be back:
 * `I've reconnected`, `wifi dropped`).
 */
const RETRY_OR_NETWORK =
  /\b(?:retry|re-?run|try (?:\w+ ){0,2}again|(?:run|build|test|check|compile|lint)\w* (?:\w+ ){0,3}(?:again|once more)|network|internet|offline|vpn|wi-?fi|dns|re-?connect(?:ed|ion)?)\b/i
/** Words that deny what follows or precedes in the same clause (`nothing has changed`, `no need to re-read`). */
const DENIES = /\b(?:not|never|nothing|no|none|neither|nor|without)\b|n't\b/i
/**
 * File names in a prompt (`config.ts`, `src/app/page.tsx`: the last part), and the names people give files without
 * their extension (`the README`, `the Makefile`).
 */
const NAMED_FILE =
  /(?:^|[\s`'"(/\\])([\w.-]+\.[A-Za-z][A-Za-z0-9]{0,5}|README|Makefile|Dockerfile|LICENSE|CHANGELOG|Gemfile|Procfile)(?=$|[\s`'",.;:)!?])/gi
/** Prompts up to this long are taken as a person's own words (longer ones hold templates, pasted reports, logs). */
const OWN_WORDS = 1000

/** Whether a match of `words` in `text` stands in a clause that does not deny it. */
function affirmed(text: string, words: RegExp): boolean {
  for (const m of text.matchAll(words)) {
    const start = Math.max(0, text.lastIndexOf('.', m.index!) + 1, text.lastIndexOf('\n', m.index!) + 1)
    const before = text.slice(Math.max(start, m.index! - 40), m.index!)
    const after = text.slice(m.index! + m[0].length).split(/[.,;!?\n]/, 1)[0]!
    if (!DENIES.test(before) && !/^\s*(?:nothing|none|no\b)/i.test(after)) return true
  }
  return false
}

/**
 * A word either of the patterns above needs (a superset, cheap to run): most prompts have none, and then neither
 * pattern is compiled or run (compiling them costs ~10 ms, a third of a small run's own work).
 */
const MAY_NOTE =
  /chang|updat|edit|fixes|modif|rework|refactor|rewr|replac|revert|delet|remov|renam|moved|tweak|adjust|added|insert|cleaned|discard|reset|undid|undone|rolled|stash|restor|dropp|lost|threw|pulled|merged|rebased|gone|overwr|appl|redo|re-do|redid|re-did|redone|re-done|wiped|blew|clobber|git |again|once more|re-?(?:run|scan|read|check|review|examine|verify)|show|see|display|print|view|retry|network|internet|offline|vpn|wi-?fi|dns|connect/i

function noteOf(text: string): PromptNote | undefined {
  if (text.includes('<command-name>')) return {changed: false, again: false, names: [], runs: true, command: true}
  // (Of any prompt, a template's too: what it asks to run may be in its steps.)
  const runs = SPEAKS_OF_RUNS.test(text) || OTHER_SCRIPT.test(text)
  // (A person's own words, not a template or a pasted report: a short prompt.)
  if (text.length > OWN_WORDS || !MAY_NOTE.test(text))
    return runs ? {changed: false, again: false, names: [], runs} : undefined
  const changed = SAYS_CHANGED_EACH.some(r => r.test(text)) && affirmed(text, SAYS_CHANGED)
  const again = affirmed(text, ASKS_AGAIN) || affirmed(text, ASKS_TO_SEE)
  const retry = RETRY_OR_NETWORK.test(text)
  if (!changed && !again && !retry && !runs) return undefined
  const names = [...new Set([...text.matchAll(NAMED_FILE)].map(m => m[1]!.toLowerCase()))]
  const note: PromptNote = retry ? {changed, again, retry, names} : {changed, again, names}
  if (runs) note.runs = true
  return note
}

/**
 * Words of running or checking anything, or of changes made (see `PromptNote.runs`): `run`, `test`, `build`, `make
 * sure nothing regressed`, `I made some changes`, `I pulled`, a runner's name; in Spanish or Portuguese too.
 */
const SPEAKS_OF_RUNS =
  /\b(?:run|runs|running|re-?run|test|tests|testing|tested|pytest|jest|vitest|tox|nox|cargo|npm|pnpm|yarn|gradle|mvn|ruff|mypy|eslint|tsc|build|builds|building|lint|linter|compile|check|checks|verify|verified|validate|ci|suite|green|pass|passes|passing|fail|fails|failing|failed|broken|broke|break|breaks|breaking|regress\w*|works?|fine|changes|changed|fixed|myself|pulled|pull|merged|rebased|prueba|pruebas|ejecuta\w*|corre|correr|compila\w*|testa\w*|teste|testes|roda|rodar|executa\w*|verifica\w*|comprueba\w*)\b/i
/** Letters of a script other than Latin (a prompt in Chinese, Japanese, Russian…: its words are not read here). */
const OTHER_SCRIPT =
  /[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0900-\u0dff\u0e00-\u0eff\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/

/**
 * Accumulates the steps of one trace in source order. Tool calls are added as
 * tool steps right after the LLM step that issued them and completed when
 * their result arrives.
 */
export class CardBuilder {
  readonly steps: Step[] = []
  readonly warnings: CardWarning[] = []
  /** Per kind of warning `warnFew` caps, how many it was asked for. */
  private readonly warnedLike = new Map<string, number>()
  readonly models = new Set<string>()
  private readonly ids = new Set<string>()
  private readonly nextSuffix = new Map<string, number>()
  private readonly toolsByCallId = new Map<string, Step>()
  startedAt: string | undefined
  endedAt: string | undefined
  /** The current user turn; adapters call `newTurn()` when a person's prompt arrives. */
  turn = 0
  /** The context was compacted since the last LLM call (see `contextCompacted()`). */
  private compactedSince = false
  /** The batch of small details filling now (a plain object: a snapshot of the builder keeps it). */
  private batch: Batch = {values: [], size: 0}

  /** Per step index: the redacted copies of its text that wait for `redactKept` ('after-flags' mode; plain data, so a
   * snapshot of the builder keeps them). */
  private readonly later = new Map<number, Redacted>()
  /** Per turn, what its prompt said (see `PromptNote`). */
  private readonly promptNotes = new Map<number, PromptNote>()
  /** The session resumed at another commit since the last prompt, and its own state's paths (see `checkoutMoved`). */
  private checkoutMovedSince: false | {ownState?: string; root?: string} = false
  /** Files changed outside the agent, by the index of the next step (see `outsideEdits`). */
  private readonly editedOutside = new Map<number, string[]>()
  /** What a person's messages within a turn said, by the index of the next step (see `asidesOf`). */
  private readonly asides = new Map<number, PromptNote>()
  /** Titles and warnings are redacted as built. */
  private readonly redactNow: boolean

  /**
   * `redact`: what to do with secrets in the text the card keeps (the adapter context's `redact`; see `RedactMode`).
   */
  constructor(
    readonly format: FormatId,
    readonly path: string,
    private readonly redact: RedactMode = true,
    private readonly held: DetailsHeld = {chars: 0},
  ) {
    this.redactNow = redact !== false
  }

  /**
   * The excerpt of `text` the card keeps in `field` of step `index`: redacted now in mode `true`; as it is otherwise,
   * its redacted copy (when it differs) kept for `redactKept` in mode 'after-flags'.
   */
  private excerptFor(text: string, max: number, index: number, field: 'text' | 'excerpt'): string {
    if (this.redact === true) return excerpt(text, max, true)
    const shown = excerpt(text, max, false)
    if (this.redact === 'after-flags') {
      const redacted = excerpt(text, max, true)
      if (redacted !== shown) this.laterFor(index)[field] = redacted
      else delete this.later.get(index)?.[field]
    }
    return shown
  }

  /**
   * The distinctive terms of a long output the card keeps for step `index`: from the redacted text in mode `true`; from
   * the text as it is otherwise, with (in mode 'after-flags') the redacted text's terms, when they differ, kept for
   * `redactKept`.
   */
  private termsFor(output: string, index: number): string[] {
    if (this.redact === true) return redactedTerms(output)
    const terms = distinctiveTerms(output)
    if (this.redact === 'after-flags') {
      const kept = redactedTerms(output)
      if (kept.length !== terms.length || kept.some((t, k) => t !== terms[k])) this.laterFor(index).terms = kept
      else delete this.later.get(index)?.terms
    }
    return terms
  }

  private laterFor(index: number): Redacted {
    let r = this.later.get(index)
    if (!r) {
      r = {}
      this.later.set(index, r)
    }
    return r
  }

  /** The details of the tool steps, by step index (see `revive`). */
  details(): BuilderDetails {
    return this.steps.map(s => (s.tool ? (s.tool as WithDetail)[DETAIL] : undefined))
  }

  /**
   * A builder again, from its structured clone (which kept its fields but not
   * its class) and its details: an adapter's snapshot read back.
   */
  static revive(clone: object, details: BuilderDetails): CardBuilder {
    const builder = Object.setPrototypeOf(clone, CardBuilder.prototype) as CardBuilder
    details.forEach((detail, i) => {
      const tool = builder.steps[i]?.tool
      if (detail && tool) (tool as WithDetail)[DETAIL] = detail
    })
    return builder
  }

  /** A detail of `size` (characters or bytes) packed alone, in the batch, or not at all (undefined). */
  private packDetail(value: unknown, size: number, serialised?: Uint8Array): Packed | undefined {
    if (size < BATCH_FROM) return undefined
    if (this.held.chars < PACK_AFTER) {
      this.held.chars += size
      return undefined
    }
    if (size >= PACK_FROM) return pack(serialised ?? v8().serialize(value))
    const batch = this.batch
    const slot = batch.values!.push(value) - 1
    batch.size += size
    if (batch.size >= BATCH_SIZE) this.packBatch()
    return {batch, slot}
  }

  /** Packs the batch filling now (when full, and what is in it when the card is built) and starts another. */
  private packBatch(): void {
    const batch = this.batch
    if (!batch.values?.length) return
    batch.packed = pack(v8().serialize(batch.values))
    batch.values = undefined
    this.batch = {values: [], size: 0}
  }

  /** The detail of a call whose card copy of the arguments was cut: the whole arguments, packed. */
  private argsDetail(args: unknown): Detail {
    if (this.held.chars < PACK_AFTER) {
      this.held.chars += roughSize(args)
      return {args}
    }
    let serialised: Uint8Array
    try {
      serialised = v8().serialize(args)
    } catch {
      // A value with no structured clone (a function in arguments built by code): kept as it is.
      return {args}
    }
    const packed = this.packDetail(args, serialised.length, serialised)
    return packed ? {packedArgs: packed} : {args}
  }

  /** Notes a record's timestamp for the trace's start and end. */
  seen(value: string | undefined): void {
    const timestamp = value && readTime(value)
    if (!timestamp) return
    if (!this.startedAt || timestamp < this.startedAt) this.startedAt = timestamp
    if (!this.endedAt || timestamp > this.endedAt) this.endedAt = timestamp
  }

  /** A person's prompt: the steps that follow belong to a new turn. */
  newTurn(prompt?: string): void {
    this.turn++
    const note = prompt ? noteOf(prompt) : undefined
    if (this.checkoutMovedSince) {
      // As if the prompt told of a change to the files (`I pulled`), whatever it says: but the session's own state.
      const moved = note?.changed ? undefined : this.checkoutMovedSince
      this.checkoutMovedSince = false
      this.promptNotes.set(this.turn, {
        ...(note ?? {again: false}),
        changed: true,
        names: [],
        ...(moved && moved.ownState && {unless: [moved.ownState]}),
        ...(moved && moved.root && {within: moved.root}),
      })
    } else if (note) this.promptNotes.set(this.turn, note)
  }

  /**
   * The session was resumed at another commit of its repository than it last ran at (Copilot CLI's `session.resume`):
   * files may have changed outside it, as if the next prompt told of a change to them (`ownState`: a part of the paths of
   * the session's own state, which it restores as it was; `root`: the repository's folder, beyond which no file moved).
   */
  checkoutMoved(ownState?: string, root?: string): void {
    this.checkoutMovedSince = {ownState, root}
  }

  /**
   * A person's message that reached the agent within its turn (Claude Code's queued prompt): what it says, noted
   * before the next step (see `asidesOf`).
   */
  promptAside(text: string): void {
    const note = noteOf(text)
    if (note) this.asides.set(this.steps.length, note)
  }

  /** The harness told the agent a file changed outside it (see `outsideEdits`): before the next step. */
  changedOutside(path: string): void {
    const at = this.steps.length
    const list = this.editedOutside.get(at)
    if (list) list.push(path)
    else this.editedOutside.set(at, [path])
  }

  /**
   * The agent's context was compacted (Codex's `compacted` item, Claude Code's `compact_boundary`, an OpenHands
   * condensation): the next LLM call starts from what is left, whatever its prompt's size says.
   */
  contextCompacted(): void {
    this.compactedSince = true
  }

  /**
   * A record's time, read by `toIso`; one it holds that is no time (`"timestamp": 42`, `"yesterday"`) is warned of, the
   * first few with their line, and the record counted as one without a time.
   */
  time(value: unknown, line?: number, field = 'timestamp'): string | undefined {
    const iso = toIso(value)
    if ((iso !== undefined && iso >= EARLIEST_ISO) || value === undefined || value === null || value === '') return iso
    this.warnFew(
      `time:${field}`,
      `${field} ${JSON.stringify(value).slice(0, 40)} is no time aco reads: the record is read without it`,
      line,
      `more records hold a ${field} that is no time: read without it, not listed`,
    )
    return undefined
  }

  /**
   * Steps' times that are no time (a reader that took a record's `"timestamp": "yesterday"` as it was) are dropped, and
   * said as `time` says them: a card never holds a time its own schema, and so `aco merge` and `aco label`, refuse.
   */
  private dropNonTimes(): void {
    const steps = this.steps
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!
      for (const field of STEP_TIMES) {
        const at = step[field]
        if (at === undefined) continue
        const time = readTime(at)
        if (time === at) continue
        if (time !== undefined) step[field] = time
        else {
          delete step[field]
          this.time(at, undefined, 'timestamp')
        }
      }
    }
  }

  /**
   * A warning of a kind a writer gets wrong on every record once it gets it wrong once: the first few are listed with
   * their lines, then `more` once, and no more.
   */
  warnFew(kind: string, message: string, line: number | undefined, more: string): void {
    const n = (this.warnedLike.get(kind) ?? 0) + 1
    this.warnedLike.set(kind, n)
    if (n <= MAX_LIKE_WARNED) this.warn(message, line)
    else if (n === MAX_LIKE_WARNED + 1) this.warn(more)
  }

  /** A warning about the trace (at most 200 a card); its text is redacted and cut like an excerpt. */
  warn(message: string, line?: number): void {
    if (this.warnings.length >= 200) return
    const text = excerpt(message, WARNING_CHARS, this.redactNow)
    this.warnings.push(line === undefined ? {message: text} : {line, message: text})
  }

  private uniqueId(preferred: string | undefined): string {
    let id = preferred || `s${this.steps.length}`
    if (this.ids.has(id)) {
      // The next free suffix is remembered per id: a log that repeats one id thousands of times stays linear.
      const base = id
      let n = this.nextSuffix.get(base) ?? 2
      while (this.ids.has(`${base}#${n}`)) n++
      id = `${base}#${n}`
      this.nextSuffix.set(base, n + 1)
    }
    this.ids.add(id)
    return id
  }

  /** Adds an LLM call. `tokens` follow the card's meaning (see `Tokens`). */
  addLlm(input: {
    id?: string
    model?: string
    provider?: string
    tokens?: Tokens
    startedAt?: string
    endedAt?: string
    text?: string
    stopReason?: string
    cost?: StepCost
    line?: number
  }): Step {
    const step: Step = {index: this.steps.length, id: this.uniqueId(input.id), kind: 'llm', turn: this.turn}
    if (input.model) {
      step.model = input.model
      this.models.add(input.model)
    }
    if (input.provider) step.provider = input.provider
    if (input.startedAt) step.startedAt = input.startedAt
    if (input.endedAt) step.endedAt = input.endedAt
    const ms = msBetween(input.startedAt, input.endedAt)
    if (ms !== undefined) step.durationMs = ms
    if (input.tokens) step.tokens = input.tokens
    if (input.text) step.text = this.excerptFor(input.text, TEXT_EXCERPT, step.index, 'text')
    if (input.stopReason) step.stopReason = input.stopReason
    if (this.compactedSince) step.compacted = true
    this.compactedSince = false
    if (input.cost) step.cost = input.cost
    if (input.line !== undefined) step.line = input.line
    this.steps.push(step)
    this.seen(input.startedAt)
    this.seen(input.endedAt)
    return step
  }

  /** Appends to an LLM step's text excerpt (for formats that split a response over records). */
  appendText(step: Step, text: string): void {
    if (!text) return
    const current = step.text ?? ''
    if (current.length >= TEXT_EXCERPT) return
    step.text = this.excerptFor(current ? `${current}\n${text}` : text, TEXT_EXCERPT, step.index, 'text')
  }

  /** Adds a tool call issued by `parent` as a tool step; its result comes later. */
  addToolCall(
    parent: Step | undefined,
    callId: string | undefined,
    name: string,
    args: unknown,
    at?: string,
    line?: number,
  ): Step {
    const id = this.uniqueId(callId)
    const step: Step = {
      index: this.steps.length,
      id,
      kind: 'tool',
      turn: this.turn,
      tool: {
        callId: callId ?? id,
        name,
        arguments: undefined,
        argsHash: argsHash(name, args),
        status: 'unknown',
      },
    }
    const short = shortenChecked(args, this.redact === true)
    step.tool!.arguments = short.value
    if (this.redact === 'after-flags') {
      const redacted = shortenChecked(args, true)
      if (redacted.redacted) {
        this.laterFor(step.index).arguments = redacted.value
        // The whole arguments stay beside the card's copy when redaction changed it, as in mode `true`.
        short.cut = true
      }
    }
    if (parent) {
      step.parentStepId = parent.id
      parent.toolStepIds ??= []
      parent.toolStepIds.push(id)
      if (parent.model) step.model = parent.model
    }
    if (at) step.startedAt = at
    if (line !== undefined) step.line = line
    this.steps.push(step)
    ;(step.tool as WithDetail)[DETAIL] = short.cut ? this.argsDetail(args) : {}
    if (callId) this.toolsByCallId.set(callId, step)
    this.seen(at)
    return step
  }

  /**
   * A command that went on running after its result (Codex's unified exec) has ended with `exitCode`, having printed
   * `identity` in all: its status and exit code are that end's, and its result is identified by all it printed. A
   * code-mode cell ends with no exit code: `failed` says whether it failed.
   */
  completeRun(callId: string, exitCode: number | undefined, identity: string, failed = false): void {
    const tool = this.toolsByCallId.get(callId)?.tool
    if (!tool) return
    if (exitCode !== undefined) tool.exitCode = exitCode
    if ((exitCode !== undefined && exitCode !== 0) || failed) tool.status = 'error'
    tool.outputHash = hashText(identity)
  }

  /** A poll that saw a command end did its work, whatever the command's exit code: that failure is the command's. */
  pollSucceeded(pollId: string): void {
    const poll = this.toolsByCallId.get(pollId)?.tool
    if (!poll) return
    poll.status = 'ok'
    delete poll.exitCode
  }

  toolStep(callId: string): Step | undefined {
    return this.toolsByCallId.get(callId)
  }

  /** Completes a tool step with its result. Returns false when no call has that id. */
  resolveTool(callId: string, result: ToolResultInput): boolean {
    const step = this.toolsByCallId.get(callId)
    if (!step?.tool) return false
    const tool = step.tool
    tool.status = result.status
    if (result.exitCode !== undefined) tool.exitCode = result.exitCode
    if (result.output !== undefined) {
      tool.outputChars = result.output.length
      tool.outputHash = hashText(result.identity ?? result.output)
      if (result.output.length > 0) tool.excerpt = this.excerptFor(result.output, OUTPUT_EXCERPT, step.index, 'excerpt')
      if (result.output.length >= TERMS_FROM_CHARS) tool.terms = this.termsFor(result.output, step.index)
    }
    let shown = result.seen ?? result.output
    // A file tool's statement of the lines it shows, above them (Gemini CLI's read_file, Desktop Commander's): the
    // harness's words, no line of the file (the excerpt keeps them: they tell the lines shown and the file's length).
    if (result.seen === undefined && shown !== undefined && statesItsLines(tool.name)) {
      const end = statedHeaderEnd(shown)
      if (end > 0) shown = shown.slice(end)
    }
    const detail = (tool as WithDetail)[DETAIL]
    if (shown !== undefined && detail) {
      const output =
        shown.length > DETAIL_OUTPUT_LIMIT
          ? `${shown.slice(0, DETAIL_OUTPUT_LIMIT / 2)}\n[... ${shown.length - (DETAIL_OUTPUT_LIMIT * 3) / 4} characters truncated ...]\n${shown.slice(-DETAIL_OUTPUT_LIMIT / 4)}`
          : shown
      // A result arriving twice for one call replaces the first.
      delete detail.output
      delete detail.packedOutput
      delete detail.facts
      const packed = this.packDetail(output, output.length)
      if (packed) {
        detail.packedOutput = packed
        detail.facts = outputFacts(output, this.format === 'swe-agent', tool.name, () => argumentsText(tool))
      } else detail.output = output
      delete detail.outputLines
      if (result.seen !== undefined && result.output !== undefined && result.seen !== result.output)
        detail.outputLines = lineCount(result.output)
    }
    if (result.endedAt) {
      step.endedAt = result.endedAt
      const ms = msBetween(step.startedAt, result.endedAt)
      if (ms !== undefined) step.durationMs = ms
      this.seen(result.endedAt)
    }
    if (result.durationMs !== undefined) step.durationMs = result.durationMs
    return true
  }

  /** The finished card, with totals of its own steps. */
  build(input: {
    id: string
    sessionId?: string
    toolVersion?: string
    originator?: string
    title?: string
    cwd?: string
    gitBranch?: string
  }): TraceCard {
    // A session's subagents are hundreds of cards: each one's last batch would stay unpacked.
    this.packBatch()
    this.dropNonTimes()
    const card: TraceCard = {
      schemaVersion: SCHEMA_VERSION,
      id: input.id,
      source: {format: this.format, path: this.path},
      models: [...this.models],
      totals: computeTotals(this.steps),
      unpriced: [],
      steps: this.steps,
      children: [],
      warnings: this.warnings,
    }
    if (input.toolVersion) card.source.toolVersion = input.toolVersion
    if (input.originator) card.source.originator = input.originator
    if (input.sessionId) card.sessionId = input.sessionId
    const title = titleOf(input.title, this.redactNow)
    for (const [index, redacted] of this.later) {
      const step = this.steps[index]
      if (step) REDACT_LATER.set(step, redacted)
    }
    if (title) card.title = title
    if (this.promptNotes.size || this.asides.size || this.editedOutside.size)
      PERSON.set(card, {
        ...(this.promptNotes.size ? {prompts: this.promptNotes} : {}),
        ...(this.asides.size ? {asides: this.asides} : {}),
        ...(this.editedOutside.size ? {edits: this.editedOutside} : {}),
      })
    if (input.cwd) card.cwd = input.cwd
    if (input.gitBranch) card.gitBranch = input.gitBranch
    if (this.startedAt) card.startedAt = this.startedAt
    if (this.endedAt) card.endedAt = this.endedAt
    return card
  }
}

/** The times a step may hold. */
const STEP_TIMES = ['startedAt', 'endedAt', 'loggedAt'] as const

/**
 * A time a record held as a card keeps it: as it was where it is an RFC 3339 time (`2026-03-01T12:00:00.000Z`, the
 * common form read digit by digit; `…12:00:00.123456+02:00`), in that form where it is another form aco reads (see
 * `toIso`: epoch seconds, an e-mail date), undefined where it is none, or a writer's garbage (before 2000).
 */
function readTime(value: string): string | undefined {
  if (value.length === 24 && value.charCodeAt(23) === 90 && !Number.isNaN(isoMs(value)))
    return value >= EARLIEST_ISO ? value : undefined
  const iso = toIso(value)
  if (iso === undefined || iso < EARLIEST_ISO) return undefined
  return RFC3339.test(value) ? value : iso
}

/** A date and time as RFC 3339 writes them (what the card's schema takes as `date-time`). */
const RFC3339 = /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(?:\.\d+)?(?:[Zz]|[+-]\d\d(?::?\d\d)?)$/
