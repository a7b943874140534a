/** What the terminal can do, decided once per command at the edge. */

/**
 * Whether aco runs in CI: `CI` or `CONTINUOUS_INTEGRATION` set to anything but
 * `0` or `false`. The same rule as Ink's (is-in-ci), so aco and Ink never
 * disagree about whether a terminal UI may run.
 */
export function isCi(env: Record<string, string | undefined> = process.env): boolean {
  const set = (key: string): boolean => key in env && env[key] !== '0' && env[key] !== 'false'
  return set('CI') || set('CONTINUOUS_INTEGRATION')
}

export interface TerminalInfo {
  width: number
  color: boolean
  interactive: boolean
  stderrTty: boolean
}

export function terminalInfo(env: Record<string, string | undefined> = process.env): TerminalInfo {
  const stdoutTty = process.stdout.isTTY === true
  const columns = Number(env.COLUMNS)
  const width = process.stdout.columns || (Number.isFinite(columns) && columns > 0 ? columns : 100)
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== ''
  // (FORCE_COLOR=0 asks for none, as chalk and Node read it: it still coloured a terminal; trial 127.)
  const off = env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false'
  const forced = env.FORCE_COLOR !== undefined && !off
  return {
    width,
    color: !noColor && !off && (stdoutTty || forced) && env.TERM !== 'dumb',
    interactive: stdoutTty && process.stdin.isTTY === true && !isCi(env),
    stderrTty: process.stderr.isTTY === true,
  }
}

/**
 * A one-line progress bar on stderr, shown only when the work takes more than
 * a moment, redrawn at most ten times a second, cleared when done.
 */
export function progressBar(
  enabled: boolean,
  label: string,
  delayMs = 400,
): {
  update(done: number, total: number, detail?: string): void
  stop(): void
} {
  const started = Date.now()
  let last = 0
  let shown = false
  return {
    update(done, total, detail) {
      if (!enabled) return
      const now = Date.now()
      if (now - started < delayMs || now - last < 100) return
      last = now
      shown = true
      const width = Math.max(10, Math.min(30, (process.stderr.columns || 80) - 60))
      const share = total > 0 ? Math.min(1, done / total) : 0
      const filled = Math.round(share * width)
      const line = `${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${Math.round(share * 100)}%${detail ? ` ${detail}` : ''}`
      process.stderr.write(`\r${line.slice(0, (process.stderr.columns || 80) - 1)}\u001b[K`)
    },
    stop() {
      if (shown) process.stderr.write('\r\u001b[K')
      shown = false
    },
  }
}
