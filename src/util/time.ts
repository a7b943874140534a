/** Timestamps: every card carries ISO-8601 UTC strings. */

/**
 * Normalises a timestamp to ISO-8601 UTC. Accepts ISO strings (a missing
 * zone is read as UTC) and Unix epochs in seconds or milliseconds.
 */
export function toIso(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const ms = value > 1e12 ? value : value * 1000
    const d = new Date(ms)
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString()
  }
  if (typeof value !== 'string' || value.length < 10) return undefined
  // Fast path: already `YYYY-MM-DDTHH:MM:SS(.sss)Z`.
  if (value.length === 24 && value.endsWith('Z') && value[10] === 'T') return value
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(value)
  const d = new Date(hasZone ? value : `${value.replace(' ', 'T')}Z`)
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString()
}

export function msBetween(start: string | undefined, end: string | undefined): number | undefined {
  if (!start || !end) return undefined
  const ms = Date.parse(end) - Date.parse(start)
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined
}
