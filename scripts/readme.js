#!/usr/bin/env node
/**
 * Writes the README's command reference from the built commands (see
 * src/cli/readme.ts). `npm run readme` builds and writes it; with `--check`
 * it only says whether README.md is up to date (exit 1 when stale).
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {loadConfig} from '../dist/cli/manifest.js'
import {commandReference, withCommandReference} from '../dist/cli/readme.js'

const root = new URL('..', import.meta.url)
const path = new URL('README.md', root)
const config = await loadConfig(root.pathname)
const readme = readFileSync(path, 'utf8')
const updated = withCommandReference(readme, commandReference(config))
if (process.argv.includes('--check')) {
  if (updated !== readme) {
    console.error('README.md: the command reference is stale; run npm run readme')
    process.exit(1)
  }
  console.error('README.md: the command reference is up to date')
} else if (updated !== readme) {
  writeFileSync(path, updated)
  console.error('README.md: command reference written')
} else console.error('README.md: command reference already up to date')
