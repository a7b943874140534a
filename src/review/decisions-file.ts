/**
 * Reading and writing the decisions file. Every write is atomic (a temporary
 * file renamed over the old one), so a crash or Ctrl-C mid-write leaves the
 * previous decisions whole; writes are serialised and coalesced, so a burst
 * of decisions costs one write in flight and one pending, never a race. Each
 * write holds the file's lock and keeps the decisions another process (aco
 * label) made since the review opened (a three-way merge, `mergeDecisions`).
 */
import {accessSync, constants, existsSync, readFileSync, renameSync, statSync} from 'node:fs'
import {dirname} from 'node:path'
import {AcoError} from '../errors.js'
import {linkTarget, writeFileAtomic} from '../util/atomic.js'
import {withFileLock} from '../util/lock.js'
import {
  DECISIONS_VERSION,
  isPersonLabel,
  sortedDecisions,
  toMap,
  type Decision,
  type DecisionsFile,
} from './decisions.js'
import {describeFsError, readInputTextSync} from '../util/fs-errors.js'
import {parseJson} from '../util/json-parse.js'

/**
 * Reads and validates a decisions file; undefined when there is none yet. `hint`: what to do about a file that is no
 * decisions file (a command that writes decisions may start a new one; one that only reads them needs the right one).
 */
export async function readDecisions(
  path: string,
  hint = 'Pass another --decisions FILE, or move this one away to start afresh.',
): Promise<DecisionsFile | undefined> {
  if (!existsSync(path)) return undefined
  // ajv only when there is a file to check: it is a tenth of a second of start-up.
  const {formatErrors, validator} = await import('../util/schemas.js')
  let data: unknown
  const text = readInputTextSync(path, 'the decisions file', 'Pass another --decisions FILE.')
  try {
    data = parseJson(text)
  } catch (error) {
    throw new AcoError('bad-file', `${path} is not a decisions file: ${(error as Error).message}.`, hint)
  }
  const validate = validator('decisions')
  // Another version's file: said so, with the version it names (trial 101: "/schemaVersion: must be equal to constant").
  const version = (data as {schemaVersion?: unknown} | null)?.schemaVersion
  if (typeof version === 'string' && version !== DECISIONS_VERSION && /^\d+\.\d+$/.test(version))
    throw new AcoError(
      'schema',
      `${path} is a decisions file of version ${version}; this aco reads version ${DECISIONS_VERSION}.`,
      version > DECISIONS_VERSION
        ? 'It was written by a newer aco: use that one, or pass another --decisions FILE.'
        : hint,
    )
  if (!validate(data)) {
    throw new AcoError(
      'schema',
      `${path} does not match schemas/decisions.schema.json: ${formatErrors(validate.errors)}.`,
      hint,
    )
  }
  return data as DecisionsFile
}

/**
 * The error for cards that are not there, `given` by --cards or named by the decisions file. Cards a review analysed
 * from traces live in the system's temp folder, which a restart may empty (trial 78): then the traces they came from
 * are named, with the two ways to have the cards again.
 */
export function cardsNotThere(given: string | undefined, file: DecisionsFile | undefined, what: string): AcoError {
  if (!given) return new AcoError('usage', `${what} needs the cards the steps are in.`, PASS_CARDS)
  const inputs = file?.source.cards === given ? file.source.inputs : undefined
  if (!inputs?.length) return new AcoError('usage', `The cards ${given} are not there.`, PASS_CARDS)
  const traces = inputs.map(shellWord).join(' ')
  return new AcoError(
    'usage',
    `The cards ${given} are not there: aco review analysed them from ${inputs.join(', ')} into a temporary folder, since emptied.`,
    `Open the review again (aco review ${traces}: it analyses the traces anew), or write cards that stay (aco analyze ${traces} --out cards/) and pass --cards cards/.`,
  )
}

const PASS_CARDS = 'Pass --cards CARDS (a cards.ndjson from aco analyze --out, or its folder).'

/** A path as one shell word: as it is when it holds only safe characters, else in single quotes. */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`
}

/** Decisions are saved as they are made: a file that cannot be written is found out before the review opens, not after the first decision. */
export function checkWritable(given: string): void {
  // (Written where its links lead: the lock and the new file go beside the target, review 91.)
  const path = linkTarget(given)
  let target = path
  while (!existsSync(target) && dirname(target) !== target) target = dirname(target)
  const problem = (): string | undefined => {
    const stat = statSync(target)
    const isDir = stat.isDirectory()
    if (target === path && isDir) return 'it is a folder'
    if (target !== path && !isDir) return `${target} is not a folder`
    // (A file made read-only is refused, never replaced: trial 88. Root passes any access check: a file with no write
    // bit at all is read-only for it too, as aco patch --write has it; trial 101.)
    if (target === path && (stat.mode & 0o222) === 0) return 'it is read-only'
    try {
      accessSync(target, constants.W_OK)
    } catch {
      return target === path ? 'it is read-only' : `${target} is not writable`
    }
    if (target !== path) return undefined
    // The file is replaced whole by one written beside it, under a lock file beside it: its folder must be writable.
    const folder = dirname(path)
    try {
      accessSync(folder, constants.W_OK)
    } catch {
      return `its folder ${folder} is not writable (the file is saved by writing a new one beside it)`
    }
    // In a folder only a file's owner may replace it in (sticky, /tmp), another user's file cannot be replaced.
    const uid = process.getuid?.()
    if (uid !== undefined && uid !== 0 && stat.uid !== uid && (statSync(folder).mode & 0o1000) !== 0)
      return `it belongs to another user, in ${folder}, where only a file's owner may replace it`
    return undefined
  }
  const why = problem()
  if (why)
    throw new AcoError(
      'usage',
      `Cannot write the decisions file ${given}: ${why}.`,
      why === 'it is read-only'
        ? `Make it writable (chmod u+w ${given}), or pass --decisions FILE for another one.`
        : 'Pass --decisions FILE in a folder you can write to.',
    )
}

/**
 * Runs `write` (a write of the decisions file under its lock), a file system's refusal turned into a usage error that
 * names the file (exit 2), as the check before the work does: what `checkWritable` cannot foresee (a folder made
 * read-only since, a file system's own rules) is no internal error (review 91).
 */
export async function writingDecisions<T>(path: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    const code = (error as {code?: unknown}).code
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
      throw new AcoError(
        'usage',
        `Cannot write the decisions file ${path}: ${describeFsError(error)}.`,
        'Pass --decisions FILE in a folder you can write to.',
      )
    throw error
  }
}

export function serialiseDecisions(file: DecisionsFile): string {
  return `${JSON.stringify(file, null, 2)}\n`
}

/** Writes decisions files one at a time; the latest asked for always lands last. */
export class DecisionWriter {
  private writing: Promise<void> | undefined
  private pending: DecisionsFile | undefined
  private lastError: Error | undefined
  writes = 0
  /** What writes did beside writing (a file kept aside), said again when the review ends. */
  readonly notices: string[] = []
  /**
   * Per step, the decision the review held when it last saved (when it opened: the file as read): what it changed since
   * is its own, anything else on the disk is another process's.
   */
  private readonly base: Map<string, Decision>
  /** Decisions of another process already said to be kept (by step, what they decide). */
  private readonly told = new Map<string, string>()

  constructor(
    readonly path: string,
    /** Told of each failed write (the next decision tries again). */
    public onError: (error: Error) => void = () => {},
    /** Told of what a write did beside writing (a file that was no decisions file, kept aside). */
    public onNotice: (message: string) => void = () => {},
    /** The file as the review read it when it opened (none: no file yet). */
    opened?: DecisionsFile,
  ) {
    this.base = toMap(opened?.decisions ?? [])
  }

  /** Asks for `file` to be written; returns at once. */
  save(file: DecisionsFile): void {
    this.pending = file
    if (!this.writing) this.writing = this.drain()
  }

  /** Resolves when everything asked for is on disk; rejects with the last write error, if any. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing
    if (this.lastError) throw this.lastError
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      const file = this.pending
      this.pending = undefined
      try {
        await withFileLock(this.path, () => {
          const disk = decisionsOnDisk(this.path)
          // A file that no longer reads as decisions (edited by hand into broken JSON, another file copied over it) is
          // kept aside, never replaced unseen: aco label refuses such a file, and the review saves beside it.
          if (disk === undefined && existsSync(this.path)) {
            const aside = keptAside(this.path)
            renameSync(this.path, aside)
            const notice = `${this.path} was no decisions file any more: kept as ${aside}, the decisions saved anew`
            this.notices.push(notice)
            this.onNotice(notice)
          }
          const merged = mergeDecisions(file, disk, this.base)
          // (Each such decision said once: the next saves find it again while the review still shows the step otherwise.)
          const kept = merged.kept.filter(k => this.told.get(k.key) !== k.decided)
          for (const k of kept) this.told.set(k.key, k.decided)
          if (kept.length) {
            const notice = `${kept.length} decision${kept.length === 1 ? '' : 's'} another process (aco label) made while this review was open ${kept.length === 1 ? 'is' : 'are'} kept in ${this.path}, on steps shown here otherwise (first: ${kept[0]!.step}): reopen the review to see ${kept.length === 1 ? 'it' : 'them'}`
            this.notices.push(notice)
            this.onNotice(notice)
          }
          // (What the review held, not what was written: a step another process decided, which the review never
          // showed, is no change of the review's at its next save.)
          return writeFileAtomic(this.path, serialiseDecisions(merged.file)).then(() => {
            this.base.clear()
            for (const [key, d] of toMap(file.decisions)) this.base.set(key, d)
          })
        })
        this.writes++
        this.lastError = undefined
      } catch (error) {
        this.lastError = error as Error
        this.onError(error as Error)
      }
    }
    this.writing = undefined
  }
}

/** A free name beside `path` for a file kept aside: `FILE.broken`, `FILE.broken.2`… */
function keptAside(path: string): string {
  let aside = `${path}.broken`
  for (let n = 2; existsSync(aside); n++) aside = `${path}.broken.${n}`
  return aside
}

/** The decisions file at `path` as it is now, when it reads as one (the writer's merge needs no more). */
export function decisionsOnDisk(path: string): DecisionsFile | undefined {
  try {
    const data = parseJson(readFileSync(path, 'utf8')) as DecisionsFile
    return Array.isArray(data?.decisions) ? data : undefined
  } catch {
    return undefined
  }
}

/**
 * The parts of a decision each side decides: its prune decision, and its label with where it came from. (The step's
 * facts beside them, its flag's kind and dollars, come with any decision on a flagged step: no part of what was
 * decided; review 102.)
 */
const PRUNE_FIELDS = ['prune'] as const
const LABEL_FIELDS = ['label', 'labelSource', 'labelStrength', 'labelEvidence'] as const

/** What a decision decides, as text (none: `null`), with who and when (`stamped`) or without. */
function decided(d: Decision | undefined, stamped = true): string {
  if (!d) return 'null'
  return JSON.stringify(
    stamped
      ? [part(d, PRUNE_FIELDS), part(d, LABEL_FIELDS), d.by, d.at]
      : [part(d, PRUNE_FIELDS), part(d, LABEL_FIELDS)],
  )
}

/** A label aco label --auto gave, with no prune decided beside it: what a rerun of it takes away. */
function autoLabelAlone(d: Decision): boolean {
  return d.label !== undefined && !isPersonLabel(d) && d.prune === undefined
}

/** Some fields of a decision as text (of none: each undefined). */
function part(d: Decision | undefined, fields: readonly string[]): string {
  const record = d as unknown as Record<string, unknown> | undefined
  return JSON.stringify(fields.map(f => record?.[f] ?? null))
}

/**
 * The review's decisions (`file`) on the file as it is now (`disk`), step by step against what the review held at its
 * last save (`base`): what the review changed since is its own (a decision, a cleared one, an undo); what it did not
 * change is the disk's, so another process's decision stands (trial 101: a reject made by aco label while a review was
 * open went back to the review's accept at its next save). Where both changed one step, each keeps the part it changed
 * (a label set by aco label, a prune decided in the review). A decision of the review's that the disk lacks stays (a
 * file replaced or restored meanwhile removes nothing), but for an automatic label alone, which aco label --auto
 * takes away when it labels again.
 * `kept`: steps whose decision on disk the review shows otherwise.
 */
function mergeDecisions(
  file: DecisionsFile,
  disk: DecisionsFile | undefined,
  base: ReadonlyMap<string, Decision>,
): {file: DecisionsFile; kept: Array<{key: string; step: string; decided: string}>} {
  if (!disk) return {file, kept: []}
  const mine = toMap(file.decisions)
  const theirs = toMap(disk.decisions.filter(d => d && typeof d.traceId === 'string' && typeof d.stepId === 'string'))
  const out = new Map<string, Decision>()
  const kept: Array<{key: string; step: string; decided: string}> = []
  for (const key of new Set([...mine.keys(), ...theirs.keys(), ...base.keys()])) {
    const m = mine.get(key)
    const d = theirs.get(key)
    const b = base.get(key)
    let result: Decision | undefined
    const was = decided(b)
    // Not changed by the review: the disk's. Gone from the disk: only an automatic label alone goes so (a rerun of
    // aco label --auto recomputes them; review 104); anything else gone with a file replaced meanwhile stays.
    if (decided(m) === was) result = d ?? (m && autoLabelAlone(m) ? undefined : m)
    else if (decided(d) === was) result = m
    else {
      // Both changed it. Each part from the side that changed it; where both did, a side that took the part away (an
      // undo, a clear) leaves the other's, else the later one stands (review 104: an undo had taken away a newer label
      // aco label set, and two labels took the later one's name and time whatever the label). The facts: the review's.
      const merged = {...(d ?? {}), ...(m ?? {})} as Record<string, unknown>
      let stamp: Decision | undefined
      for (const fields of [PRUNE_FIELDS, LABEL_FIELDS]) {
        const reviewChanged = part(m, fields) !== part(b, fields)
        const otherChanged = part(d, fields) !== part(b, fields)
        const has = (x: Decision | undefined): boolean =>
          fields.some(f => (x as unknown as Record<string, unknown> | undefined)?.[f] !== undefined)
        const from = !reviewChanged
          ? d
          : !otherChanged
            ? m
            : !has(m)
              ? d
              : !has(d)
                ? m
                : (m?.at ?? '') >= (d?.at ?? '')
                  ? m
                  : d
        for (const f of fields) {
          const v = (from as unknown as Record<string, unknown> | undefined)?.[f]
          if (v === undefined) delete merged[f]
          else merged[f] = v
        }
        if (from && has(from) && (!stamp || (from.at ?? '') > (stamp.at ?? ''))) stamp = from
      }
      if (stamp) {
        merged.at = stamp.at
        merged.by = stamp.by
      }
      result = merged.prune === undefined && merged.label === undefined ? undefined : (merged as unknown as Decision)
    }
    if (result) out.set(key, result)
    // (What differs in what was decided, not in who or when: both sides setting the same label is no news.)
    if (m && decided(result, false) !== decided(m, false))
      kept.push({key, step: `${m.traceId} #${m.stepIndex}`, decided: decided(result, false)})
  }
  return {file: {...file, decisions: sortedDecisions(out)}, kept}
}
