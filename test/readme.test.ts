/**
 * The README's command reference is what the commands say (`npm run readme`
 * writes it): a flag added, renamed or described anew fails here until the
 * README says so too.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {loadConfig} from '../src/cli/manifest.js'
import {commandReference, withCommandReference} from '../src/cli/readme.js'
import {root} from './helpers.js'

describe('README', () => {
  it("has the commands' help as its command reference (npm run readme writes it)", async () => {
    // Not from a manifest older than the build (src/cli/manifest.ts).
    const config = await loadConfig(root)
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    const reference = commandReference(config)
    for (const id of ['analyze', 'review', 'label', 'train', 'route']) expect(reference).toContain(`$ aco ${id}`)
    expect(withCommandReference(readme, reference), 'README.md is stale: run npm run readme').toBe(readme)
  })
})
