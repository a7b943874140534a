import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {makeFolders} from '../../src/util/folders.js'

describe('makeFolders', () => {
  it('makes the missing folders outermost first, and says which', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-folders-'))
    try {
      expect(makeFolders(join(dir, 'a', 'b'))).toEqual([join(dir, 'a'), join(dir, 'a', 'b')])
      expect(existsSync(join(dir, 'a', 'b'))).toBe(true)
      expect(makeFolders(join(dir, 'a', 'b'))).toEqual([])
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  // Node's recursive mkdir spins forever there (a cache under XDG_CACHE_HOME=/proc hung every run).
  it.skipIf(process.platform !== 'linux' || !existsSync('/proc/self'))('fails at once under /proc, not forever', () => {
    expect(() => makeFolders('/proc/aco-folders-test/code')).toThrow()
  })
})
