/**
 * Unified diffs that `git apply` takes from the repository's root: hunks
 * computed by the `diff` library (jsdiff), headed the way git heads them
 * (`diff --git a/PATH b/PATH`, `new file mode` for a file that is not there
 * yet).
 */
import {FILE_HEADERS_ONLY, formatPatch, structuredPatch} from 'diff'

/** The diff from `before` (undefined: no file yet) to `after`, for the file at `path` (relative, `/`-separated). */
export function gitDiff(path: string, before: string | undefined, after: string): string {
  const patch = structuredPatch(
    before === undefined ? '/dev/null' : `a/${path}`,
    `b/${path}`,
    before ?? '',
    after,
    undefined,
    undefined,
    {context: 3},
  )
  const head = `diff --git a/${path} b/${path}\n${before === undefined ? 'new file mode 100644\n' : ''}`
  return head + formatPatch(patch, FILE_HEADERS_ONLY)
}
