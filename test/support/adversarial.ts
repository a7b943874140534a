/**
 * Adversarial text for secret patterns: what makes a backtracking regular
 * expression slow is many places where a match may start, each scanning far
 * before it fails. These strings repeat a rule's keyword (or the literal its
 * pattern starts with) with the characters its classes accept, or follow it
 * with a long run of them.
 */

/** The literal a pattern starts with (before its first special character), if any. */
export function literalPrefix(source: string): string {
  const m = /^(?:\\b|\(\?:|\()*((?:[A-Za-z0-9_ -]|\\[.\-_/])+)/.exec(source)
  return m ? m[1]!.replace(/\\(.)/g, '$1') : ''
}

const JOINERS = ['', 'a', 'A', '0', '-', '_', '.', '=', ' ', '/', ':', '"', '\\n', '\n', 'aA0', '=a', ': "']
const RUNS = ['a', 'A', '0', '-', '=', ' ', 'aA0+/', '.']

/** Adversarial strings of about `size` characters built from `seeds` (keywords, pattern prefixes). */
export function adversarialStrings(seeds: readonly string[], size: number): string[] {
  const out: string[] = []
  for (const seed of seeds) {
    if (!seed) continue
    for (const j of JOINERS) {
      const unit = seed + j
      out.push(unit.repeat(Math.ceil(size / unit.length)))
    }
    for (const r of RUNS) {
      out.push(seed + r.repeat(Math.ceil(size / r.length)))
      out.push(`${seed}=${r.repeat(Math.ceil(size / r.length))}`)
    }
  }
  return out
}
