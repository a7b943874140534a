/**
 * A `git status` output read whole: each path's two status letters and the branch line, from the short form, the
 * porcelain form or the long one alike; nothing when a line is of none of them (a merge, a quoted path, another
 * command's line, another language).
 */

export interface StatusRead {
  /** Path (as git printed it, relative) → its two status letters (`XY` of `git status --short`; `??` untracked). */
  status: Map<string, string>
  /** `main origin/main +1 -0`, `(detached)` (the long form: `(detached abc123)`); undefined when the output showed none. */
  branch?: string
}

/** The status letters of the long form's sections. */
const LONG_LETTER: Readonly<Record<string, string>> = {
  modified: 'M',
  'new file': 'A',
  deleted: 'D',
  renamed: 'R',
  copied: 'C',
  typechange: 'T',
}

/** `git status` in any of its forms: short (`XY path`), porcelain, long (sections), with or without the branch. */
export function readStatus(lines: readonly string[]): StatusRead | null {
  const status = new Map<string, string>()
  let branch: string | undefined
  let section: 'staged' | 'unstaged' | 'untracked' | undefined
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!
    if (line.startsWith('## ')) {
      branch = shortBranch(line.slice(3))
      if (branch === undefined) return null
      continue
    }
    const short = /^([ MADRCTU?!])([ MADRCTU?!]) (.+)$/.exec(line)
    if (short && section === undefined && !line.startsWith('\t')) {
      const path = gitPath(short[3]!)
      if (path === undefined || short[1] === 'U' || short[2] === 'U') return null
      // (One path on two lines, `D  x` and `?? x`: a map of one status a path cannot hold both.)
      if (status.has(path)) return null
      status.set(path, short[1]! + short[2]!)
      continue
    }
    const on = /^On branch (\S+)$/.exec(line)
    if (on) {
      branch = on[1]!
      const next = lines[k + 1]
      const tracking = next === undefined ? undefined : longTracking(next, lines[k + 2])
      if (tracking) {
        branch += tracking.text
        k += tracking.lines
      }
      continue
    }
    const detached = /^HEAD detached (?:at|from) (\S+)$/.exec(line)
    if (detached) {
      // (Naming the commit, which `## HEAD (no branch)` does not: the two forms tell different things.)
      branch = `(detached ${detached[1]})`
      continue
    }
    if (line === 'No commits yet') continue
    if (line === 'Changes to be committed:') section = 'staged'
    else if (line === 'Changes not staged for commit:') section = 'unstaged'
    else if (line === 'Untracked files:') section = 'untracked'
    else if (/^\s+\((?:use "git |commit or discard )/.test(line) || LONG_TAIL.test(line)) continue
    else if (line.startsWith('\t') && section !== undefined) {
      const entry = line.slice(1)
      let path: string | undefined
      let letter = '?'
      if (section === 'untracked') path = gitPath(entry)
      else {
        const m =
          /^(modified|new file|deleted|renamed|copied|typechange):\s+(.+?)( \((?:modified|untracked) content(?:, (?:modified|untracked) content)*\)| \(new commits(?:, (?:modified|untracked) content)*\))?$/.exec(
            entry,
          )
        if (!m) return null
        // A submodule with only untracked files in it: `?` as the short form prints it, no change a diff shows.
        letter = m[3] === ' (untracked content)' ? '?' : LONG_LETTER[m[1]!]!
        path = gitPath(m[2]!)
      }
      if (path === undefined) return null
      const xy = status.get(path) ?? '  '
      if (section === 'untracked' ? status.has(path) : status.get(path)?.includes('?')) return null
      status.set(path, section === 'untracked' ? '??' : section === 'staged' ? letter + xy[1] : xy[0] + letter)
    } else return null
  }
  // (The long form's "Your branch…" lines were read with its branch; `git status -s` of a clean tree prints nothing.)
  return {status, branch}
}

/** The long form's closing lines. */
const LONG_TAIL =
  /^(?:nothing to commit(?:, working tree clean| \(create\/copy files and use "git add" to track\))?|nothing added to commit but untracked files present(?: \(use "git add" to track\))?|no changes added to commit(?: \(use "git add"(?: and\/or "git commit -a")?\))?)$/

/** The branch of `## main...origin/main [ahead 1, behind 2]` as the long form's reading gives it. */
function shortBranch(text: string): string | undefined {
  const first = /^No commits yet on (\S+)$/.exec(text)
  if (first) return first[1]
  if (text === 'HEAD (no branch)') return '(detached)'
  const m = /^(\S+?)(?:\.\.\.(\S+))?(?: \[(?:(gone)|(?:ahead (\d+))?(?:, )?(?:behind (\d+))?)\])?$/.exec(text)
  if (!m) return undefined
  if (!m[2]) return m[1]
  return `${m[1]} ${m[2]} ${m[3] ? 'gone' : `+${m[4] ?? 0} -${m[5] ?? 0}`}`
}

/** The long form's "Your branch…" line(s) after "On branch", read as shortBranch writes them. */
function longTracking(line: string, next: string | undefined): {text: string; lines: number} | undefined {
  let m = /^Your branch is up to date with '(\S+)'\.$/.exec(line)
  if (m) return {text: ` ${m[1]} +0 -0`, lines: 1}
  m = /^Your branch is ahead of '(\S+)' by (\d+) commits?\.$/.exec(line)
  if (m) return {text: ` ${m[1]} +${m[2]} -0`, lines: 1}
  m = /^Your branch is behind '(\S+)' by (\d+) commits?, and can be fast-forwarded\.$/.exec(line)
  if (m) return {text: ` ${m[1]} +0 -${m[2]}`, lines: 1}
  m = /^Your branch is based on '(\S+)', but the upstream is gone\.$/.exec(line)
  if (m) return {text: ` ${m[1]} gone`, lines: 1}
  m = /^Your branch and '(\S+)' have diverged,$/.exec(line)
  const n = next === undefined ? null : /^and have (\d+) and (\d+) different commits each, respectively\.$/.exec(next)
  if (m && n) return {text: ` ${m[1]} +${n[1]} -${n[2]}`, lines: 2}
  return undefined
}

/** A path as git printed it: `a -> b` (a rename) is `b`; a quoted one (C escapes) cannot be compared. */
export function gitPath(text: string): string | undefined {
  const t = text.trim()
  const arrow = t.indexOf(' -> ')
  const path = arrow === -1 ? t : t.slice(arrow + 4)
  if (path === '' || path.startsWith('"')) return undefined
  return path
}
