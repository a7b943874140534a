/**
 * Units of work: files that must be read together. A Claude Code session
 * `<dir>/<session>.jsonl` and its subagent files `<dir>/<session>/subagents/*.jsonl`
 * form one unit, so subagents nest under their session while memory stays
 * bounded by one session tree. Every other file is a unit of its own (a file
 * a reader looks for beside its trace, a SWE-bench report or a Cline task's
 * UI messages, is kept with the result it shaped: see `SiblingSeen`).
 */
import {basename, dirname, sep} from 'node:path'
import type {FoundFile} from '../discover/walk.js'

export interface Unit {
  files: FoundFile[]
  bytes: number
}

/** The session file a subagent file belongs to, when its path says so. */
function sessionFileOf(path: string): string | undefined {
  const dir = dirname(path)
  if (basename(dir) !== 'subagents') return undefined
  const sessionDir = dirname(dir)
  return `${dirname(sessionDir)}${sep}${basename(sessionDir)}.jsonl`
}

export function groupUnits(files: readonly FoundFile[]): Unit[] {
  const byPath = new Map(files.map(f => [f.path, f]))
  const children = new Map<string, FoundFile[]>()
  const grouped = new Set<FoundFile>()
  for (const file of files) {
    const parent = sessionFileOf(file.path)
    if (parent && byPath.has(parent)) {
      const list = children.get(parent) ?? []
      list.push(file)
      children.set(parent, list)
      grouped.add(file)
    }
  }
  const units: Unit[] = []
  for (const file of files) {
    if (grouped.has(file)) continue
    const members = [file, ...(children.get(file.path) ?? [])]
    units.push({files: members, bytes: members.reduce((n, f) => n + f.size, 0)})
  }
  return units
}
