/**
 * Unified diffs that `git apply` takes from the repository's root: hunks
 * computed by the `diff` library (jsdiff), headed the way git heads them
 * (`diff --git a/PATH b/PATH`, `new file mode` for a file that is not there
 * yet).
 */
import {FILE_HEADERS_ONLY, formatPatch, structuredPatch} from 'diff'
import {redactText} from '../util/redact.js'

/** The diff from `before` (undefined: no file yet) to `after`, for the file at `path` (relative, `/`-separated). */
export function gitDiff(path: string, before: string | undefined, after: string): string {
  return secretFreeDiff(path, before, after).text
}

/**
 * The diff, with no secret of the file in it: a line of context that holds one (an API key beside the `model` line
 * a policy changes) is left out where it is at a hunk's edge (fewer lines of context, which `git apply` takes), and
 * shown redacted where it is not (`inside`: such a patch no longer applies as it is; `aco patch --write` changes
 * the file itself).
 */
export function secretFreeDiff(
  path: string,
  before: string | undefined,
  after: string,
): {text: string; inside: boolean} {
  // A name with a space ends at a tab, as git writes it: `patch` reads a header's name up to the first blank or tab
  // else (trial 99: "can't find file to patch" for `my configs/mini swe.yaml`).
  const end = path.includes(' ') ? '' : undefined
  const patch = structuredPatch(
    before === undefined ? '/dev/null' : `a/${path}`,
    `b/${path}`,
    before ?? '',
    after,
    before === undefined ? undefined : end,
    end,
    {context: 3},
  )
  let inside = false
  const secret = (line: string): boolean => redactText(line) !== line
  for (const hunk of patch.hunks) {
    const lines = hunk.lines
    // The leading context from its last secret line on, the trailing one up to its first, are left out.
    let lead = 0
    while (lead < lines.length && lines[lead]!.startsWith(' ')) lead++
    let drop = 0
    for (let i = 0; i < lead; i++) if (secret(lines[i]!)) drop = i + 1
    if (drop) {
      lines.splice(0, drop)
      hunk.oldStart += drop
      hunk.newStart += drop
      hunk.oldLines -= drop
      hunk.newLines -= drop
    }
    let trail = lines.length
    while (trail > 0 && lines[trail - 1]!.startsWith(' ')) trail--
    for (let i = trail; i < lines.length; i++) {
      if (!secret(lines[i]!)) continue
      const cut = lines.length - i
      lines.splice(i)
      hunk.oldLines -= cut
      hunk.newLines -= cut
      // A hunk left with no trailing context must end the file for `git apply` (it anchors such a hunk there), and the
      // line left out follows it: the patch does not apply as it is (said as for a secret between two changes).
      if (i === trail) inside = true
      break
    }
    for (let i = 0; i < lines.length; i++) {
      const shown = redactText(lines[i]!)
      if (shown === lines[i]) continue
      lines[i] = shown
      inside = true
    }
  }
  const head = `diff --git a/${path} b/${path}\n${before === undefined ? 'new file mode 100644\n' : ''}`
  return {text: head + formatPatch(patch, FILE_HEADERS_ONLY), inside}
}
