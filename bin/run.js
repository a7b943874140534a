#!/usr/bin/env node
import {fileURLToPath} from 'node:url'
import {execute} from '@oclif/core'
import {refreshedPlugin} from '../dist/cli/manifest.js'

// A stale oclif.manifest.json is written again first (see src/cli/manifest.ts).
const root = fileURLToPath(new URL('..', import.meta.url))
const plugin = await refreshedPlugin(root)
if (plugin) await execute({loadOptions: {root, plugins: new Map([[plugin.name, plugin]])}})
else await execute({dir: import.meta.url})
