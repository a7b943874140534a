/**
 * The import rules (.dependency-cruiser.cjs, run by `npm run lint` over src/)
 * catch what they are for: run here over a small tree made to break them.
 */
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {cruise, type ICruiseOptions, type IReporterOutput} from 'dependency-cruiser'
import {describe, expect, it} from 'vitest'
import {root} from '../helpers.js'

const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as {
  forbidden: NonNullable<ICruiseOptions['ruleSet']>['forbidden']
}

/** Cruises a tree of `files` (path → source) with aco's rules; returns the violations as `rule: from → to`. */
async function violations(files: Record<string, string>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'aco-stages-'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), {recursive: true})
    writeFileSync(join(dir, path), text)
  }
  const out: IReporterOutput = await cruise(['src'], {
    baseDir: dir,
    ruleSet: {forbidden: config.forbidden},
    validate: true,
    tsPreCompilationDeps: true,
    doNotFollow: {path: 'node_modules'},
  })
  const result = out.output as {summary: {violations: Array<{rule: {name: string}; from: string; to: string}>}}
  return result.summary.violations.map(v => `${v.rule.name}: ${v.from} → ${v.to}`).sort()
}

describe('the import rules', () => {
  it('let a stage import the stages before it', async () => {
    expect(
      await violations({
        'src/errors.ts': 'export const e = 1\n',
        'src/util/u.ts': "import {e} from '../errors.js'\nexport const u = e\n",
        'src/adapt/a.ts': "import {u} from '../util/u.js'\nexport const a = u\n",
        'src/detect/d.ts': "import {a} from '../adapt/a.js'\nexport const d = a\n",
        'src/read/r.ts': "import {d} from '../detect/d.js'\nexport const r = d\n",
      }),
    ).toEqual([])
  }, 30_000)

  it('fail a stage importing a later one (types too), a cycle between folders, and a folder that is no stage', async () => {
    const found = await violations({
      'src/adapt/a.ts': "import {d} from '../detect/d.js'\nexport const a = 1 + d\n",
      'src/detect/d.ts': "import {a} from '../adapt/a.js'\nexport const d = a\n",
      'src/stray/s.ts': "import {a} from '../adapt/a.js'\nexport const s = a\n",
      'src/util/u.ts': "import type {a} from '../adapt/a.js'\nexport type U = typeof a\n",
    })
    // a cycle is reported once, on one of its edges
    expect(found).toEqual([
      'adapt-imports-only-lower-stages: src/adapt/a.ts → src/detect/d.ts',
      'every-folder-is-a-stage: src/stray/s.ts → src/adapt/a.ts',
      expect.stringMatching(/^no-circular: src\/(adapt\/a|detect\/d)\.ts → src\/(detect\/d|adapt\/a)\.ts$/),
      'util-imports-only-lower-stages: src/util/u.ts → src/adapt/a.ts',
    ])
  }, 30_000)
})
