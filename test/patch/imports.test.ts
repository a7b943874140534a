/**
 * One direction of imports for the two newest stages: policy/ stands on
 * learn/, card/ and what comes before them, never on patch/ or the CLI;
 * patch/ stands on policy/, and nothing but its command imports it.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {describe, expect, it} from 'vitest'
import {root} from '../helpers.js'

const src = join(root, 'src')

function files(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap(e =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  )
}

/** The src-relative folders a file imports from (`policy`, `learn`…). */
function importedStages(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const out: string[] = []
  for (const m of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
    const target = relative(src, resolve(dirname(file), m[1]!))
    out.push(target.includes('/') ? target.slice(0, target.indexOf('/')) : target.replace(/\.js$/, ''))
  }
  return out
}

describe('import direction', () => {
  it('policy/ imports neither patch/ nor commands/ nor cli/', () => {
    for (const file of files(join(src, 'policy')))
      expect(
        importedStages(file).filter(s => ['patch', 'commands', 'cli'].includes(s)),
        file,
      ).toEqual([])
  })

  it('patch/ imports no command and no CLI code', () => {
    for (const file of files(join(src, 'patch')))
      expect(
        importedStages(file).filter(s => ['commands', 'cli'].includes(s)),
        file,
      ).toEqual([])
  })

  it('only the patch command imports patch/', () => {
    const importers = files(src)
      .filter(f => !f.startsWith(join(src, 'patch')))
      .filter(f => importedStages(f).includes('patch'))
      .map(f => relative(src, f))
    expect(importers).toEqual(['commands/patch.ts'])
  })
})
