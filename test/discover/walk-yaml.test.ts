import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {walk} from '../../src/discover/walk.js'

describe('folder walks and YAML', () => {
  it('read a YAML file that starts like a VCR cassette, pass over other YAML (configuration)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-walk-'))
    writeFileSync(join(dir, 'docker-compose.yaml'), 'services:\n  web:\n    image: nginx\n')
    writeFileSync(join(dir, 'test_chat.yaml'), 'interactions:\n- request:\n    method: POST\n')
    writeFileSync(join(dir, 'ruby.yml'), '---\nhttp_interactions:\n- request:\n    method: post\n')
    const found = await walk([dir])
    expect(found.files.map(f => f.path.slice(dir.length + 1)).sort()).toEqual(['ruby.yml', 'test_chat.yaml'])
    expect(found.ignored).toBe(1)
  })
})
