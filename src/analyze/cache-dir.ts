import {isAbsolute, join} from 'node:path'

/**
 * Where aco's caches live: `$XDG_CACHE_HOME/aco`, else `~/.cache/aco` (its own module: bin/run.js loads it at start).
 * A relative `XDG_CACHE_HOME` is ignored, as the XDG Base Directory specification says: it would put the cache in
 * whatever folder aco happens to run from.
 */
export function cacheDir(home: string, env: Record<string, string | undefined>): string {
  const xdg = env.XDG_CACHE_HOME
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.cache'), 'aco')
}
