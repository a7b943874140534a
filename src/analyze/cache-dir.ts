import {join} from 'node:path'

/** Where aco's caches live: `$XDG_CACHE_HOME/aco`, else `~/.cache/aco` (its own module: bin/run.js loads it at start). */
export function cacheDir(home: string, env: Record<string, string | undefined>): string {
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'aco')
}
