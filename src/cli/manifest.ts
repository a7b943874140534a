/**
 * oclif.manifest.json spares oclif importing every command file at start to
 * read their flags (most of the start-up of `aco --version`). In a checkout,
 * one older than the last build (tsconfig.tsbuildinfo) would hide new
 * commands and flags: it is written again then, from the command files this
 * run would have imported anyway. bin/run.js and the README generator load
 * oclif through here.
 */
import {renameSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Config, Plugin} from '@oclif/core'

function mtime(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs
  } catch {
    return undefined
  }
}

/** The root plugin loaded from the command files when the manifest is missing or stale (and the manifest rewritten); else undefined. */
export async function refreshedPlugin(root: string): Promise<Plugin | undefined> {
  const manifest = mtime(join(root, 'oclif.manifest.json'))
  const built = mtime(join(root, 'tsconfig.tsbuildinfo'))
  if (built === undefined || (manifest !== undefined && manifest >= built)) return undefined
  const plugin = new Plugin({root, type: 'core', isRoot: true, ignoreManifest: true, respectNoCacheDefault: true})
  await plugin.load()
  try {
    const tmp = join(root, `.oclif.manifest.json.${process.pid}.tmp`)
    writeFileSync(tmp, `${JSON.stringify(plugin.manifest, null, 2)}\n`)
    renameSync(tmp, join(root, 'oclif.manifest.json'))
  } catch {
    // a read-only checkout: the next run loads every command file again
  }
  return plugin
}

/** oclif's Config for the package at `root`, never from a stale manifest. */
export async function loadConfig(root: string): Promise<Config> {
  const plugin = await refreshedPlugin(root)
  return plugin ? Config.load({root, plugins: new Map([[plugin.name, plugin]])}) : Config.load(root)
}
