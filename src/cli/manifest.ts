/**
 * oclif.manifest.json spares oclif importing every command file at start to
 * read their flags. In a checkout, one older than the last build
 * (tsconfig.tsbuildinfo) would hide new commands and flags: it is written
 * again then, from the command files this run would have imported anyway.
 * `npm run build` writes one pointing at the bundled commands
 * (scripts/bundle.js); bin/run.js comes here when it does not run the
 * bundles (a `tsc -b` since, or ACO_BUNDLE=0), and then such a manifest is
 * not used either. The README generator loads oclif through here too.
 */
import {readFileSync, renameSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Config, Plugin} from '@oclif/core'

function mtime(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs
  } catch {
    return undefined
  }
}

/** Whether the manifest names the bundled commands (dist/bundle/commands). */
function namesBundles(path: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as {commands?: Record<string, {relativePath?: string[]}>}
    return Object.values(manifest.commands ?? {}).some(c => c.relativePath?.[1] === 'bundle')
  } catch {
    return false
  }
}

/**
 * The root plugin loaded from the command files when the manifest is missing
 * or stale (and the manifest rewritten), or names the bundles (`bundled`
 * false: left as it is); else undefined.
 */
export async function refreshedPlugin(root: string, bundled = false): Promise<Plugin | undefined> {
  const path = join(root, 'oclif.manifest.json')
  const manifest = mtime(path)
  const built = mtime(join(root, 'tsconfig.tsbuildinfo'))
  const stale = built !== undefined && (manifest === undefined || manifest < built)
  if (!stale && (bundled || manifest === undefined || !namesBundles(path))) return undefined
  const plugin = new Plugin({root, type: 'core', isRoot: true, ignoreManifest: true, respectNoCacheDefault: true})
  await plugin.load()
  if (!stale) return plugin
  try {
    const tmp = join(root, `.oclif.manifest.json.${process.pid}.tmp`)
    writeFileSync(tmp, `${JSON.stringify(plugin.manifest, null, 2)}\n`)
    renameSync(tmp, join(root, 'oclif.manifest.json'))
  } catch {
    // a read-only checkout: the next run loads every command file again
  }
  return plugin
}

/** oclif's Config for the package at `root` (its commands' help), never from a stale manifest. */
export async function loadConfig(root: string): Promise<Config> {
  // Commands' help is read from the manifest, whichever files it names.
  const plugin = await refreshedPlugin(root, true)
  return plugin ? Config.load({root, plugins: new Map([[plugin.name, plugin]])}) : Config.load(root)
}
