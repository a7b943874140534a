#!/usr/bin/env node
import {renameSync, statSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {execute, Plugin} from '@oclif/core'

// oclif.manifest.json spares oclif importing every command file at start to read their flags (most of the start-up
// of `aco --version`). In a checkout, one older than the last build (tsconfig.tsbuildinfo) would hide new commands
// and flags: it is written again then, from the command files this run would have imported anyway.
const root = fileURLToPath(new URL('..', import.meta.url))
const mtime = name => {
  try {
    return statSync(`${root}${name}`).mtimeMs
  } catch {
    return undefined
  }
}
const manifest = mtime('oclif.manifest.json')
const built = mtime('tsconfig.tsbuildinfo')
if (built !== undefined && (manifest === undefined || manifest < built)) {
  const plugin = new Plugin({root, type: 'core', isRoot: true, ignoreManifest: true, respectNoCacheDefault: true})
  await plugin.load()
  try {
    const tmp = `${root}.oclif.manifest.json.${process.pid}.tmp`
    writeFileSync(tmp, `${JSON.stringify(plugin.manifest, null, 2)}\n`)
    renameSync(tmp, `${root}oclif.manifest.json`)
  } catch {
    // a read-only checkout: the next run loads every command file again
  }
  await execute({loadOptions: {root, plugins: new Map([[plugin.name, plugin]])}})
} else await execute({dir: import.meta.url})
