#!/usr/bin/env node
/**
 * Writes oclif.manifest.json after a build (`npm run build`): with it, oclif
 * imports only the command that runs, not every command file to read their
 * flags (which cost `aco --version` most of its start-up). Not committed;
 * bin/run.js ignores it when the build is newer than it (a stale manifest
 * would hide new commands and flags).
 */
import {writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Plugin} from '@oclif/core'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const plugin = new Plugin({
  root,
  type: 'core',
  ignoreManifest: true,
  errorOnManifestCreate: true,
  respectNoCacheDefault: true,
})
await plugin.load()
writeFileSync(join(root, 'oclif.manifest.json'), `${JSON.stringify(plugin.manifest, null, 2)}\n`)
console.log(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands`)
