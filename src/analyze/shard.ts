/**
 * `aco analyze --shard i/n`: the i-th of n parts of the input, for runs
 * spread over machines and put together again with `aco merge`. Every shard
 * walks the same paths and gets the same list of units; shard i takes a run
 * of whole folders (a Claude Code project is one folder: the files whose
 * repeated responses are counted once, and the sessions with their subagents,
 * stay together), cut where the bytes before it reach i/n of the input.
 * Shards are contiguous in the walk's order, so their traces, concatenated,
 * are in the order of a single run.
 */
import {dirname} from 'node:path'
import {AcoError} from '../errors.js'
import type {Unit} from './units.js'

export interface Shard {
  /** 1-based. */
  index: number
  count: number
  /**
   * In a shard's result: how many of the last trace rows and listed warnings
   * are of traces joined from parts at the end of the run (a single run lists
   * them after every other; `aco merge` puts them there).
   */
  tail?: {traces: number; warnings: number}
  /**
   * In a shard's result: a fingerprint of the settings that shape its figures and lists (--prices, --format,
   * --mapping, --task-results, redaction): `aco merge` refuses parts whose fingerprints differ.
   */
  settings?: string
  /** The fingerprint of each thing `settings` is made of (see SETTINGS_PARTS), for `aco merge` to name what differs. */
  settingsParts?: Record<string, string>
  /**
   * In a shard's result: the zone it read and showed dates in, when it needed one (`--tz`, `--since`, `--until`,
   * `--by`): `aco merge` shows the merged result in it, and refuses parts read in different zones.
   */
  timeZone?: string
}

/** What a shard's settings are made of, as `aco merge` names each when the parts' differ. */
export const SETTINGS_PARTS = {
  paths: 'the paths named, or their order',
  files: "the files found (added, removed or changed between the parts' runs)",
  build: 'the build of aco (its code or price catalog)',
  format: '--format',
  mapping: '--mapping',
  prices: '--prices',
  taskResults: '--task-results',
  redaction: '--no-redact',
} as const

/** Parts of one run at most (aco merge lists and checks each). */
const MAX_SHARDS = 10_000

export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim())
  const index = Number(m?.[1])
  const count = Number(m?.[2])
  if (!m || count < 1 || index < 1 || index > count || count > MAX_SHARDS)
    throw new AcoError(
      'usage',
      `--shard ${value}: expected i/n with 1 ≤ i ≤ n ≤ ${MAX_SHARDS.toLocaleString('en-US')}.`,
      'e.g. --shard 2/8 on the second of eight workers.',
    )
  return {index, count}
}

/** The units of one shard: whole folders, contiguous, balanced by bytes. */
export function shardUnits(units: readonly Unit[], shard: Shard): Unit[] {
  if (shard.count === 1) return [...units]
  // A folder's files may come before and after its subfolders' in the walk: the folder runs from its first unit
  // to its last, with whatever lies between (its subfolders), so no folder is ever cut in two.
  const folderOf = units.map(u => dirname(u.files[0]!.path))
  const lastOf = new Map<string, number>()
  for (let k = 0; k < folderOf.length; k++) lastOf.set(folderOf[k]!, k)
  const folders: Array<{units: Unit[]; bytes: number}> = []
  for (let i = 0; i < units.length; ) {
    let end = lastOf.get(folderOf[i]!)!
    for (let j = i; j <= end; j++) end = Math.max(end, lastOf.get(folderOf[j]!)!)
    const group = units.slice(i, end + 1)
    folders.push({units: group, bytes: group.reduce((n, u) => n + u.bytes, 0)})
    i = end + 1
  }
  const total = folders.reduce((n, f) => n + f.bytes, 0)
  const out: Unit[] = []
  let before = 0
  folders.forEach((f, i) => {
    // A folder belongs to the shard its middle byte falls in (by position when there are no bytes at all).
    const middle = total > 0 ? (before + f.bytes / 2) / total : (i + 0.5) / folders.length
    const owner = Math.min(shard.count, Math.floor(middle * shard.count) + 1)
    if (owner === shard.index) out.push(...f.units)
    before += f.bytes
  })
  return out
}
