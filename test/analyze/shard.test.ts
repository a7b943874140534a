/**
 * How `--shard i/n` cuts the input: whole folders, contiguous, balanced by bytes; a folder whose files the walk
 * visits before and after its subfolders is not cut in two (its files' repeated responses are counted once in a
 * single run, which a merge of two shards could not redo).
 */
import {describe, expect, it} from 'vitest'
import {shardUnits} from '../../src/analyze/shard.js'
import type {Unit} from '../../src/analyze/units.js'

const unit = (path: string, bytes = 100): Unit => ({
  files: [{path, size: bytes, mtimeMs: 0, explicit: false}] as Unit['files'],
  bytes,
})

describe('shardUnits', () => {
  it('keeps a folder whole when its subfolders come between its files', () => {
    const units = [
      unit('/p/a/one.jsonl'),
      unit('/p/a/sub/two.jsonl'),
      unit('/p/a/three.jsonl'),
      unit('/p/b/four.jsonl', 300),
      unit('/p/c/five.jsonl', 300),
    ]
    for (const n of [2, 3, 5, 7]) {
      const parts = Array.from({length: n}, (_, k) => shardUnits(units, {index: k + 1, count: n}))
      // Every unit once, in the walk's order.
      expect(parts.flat()).toEqual(units)
      // /p/a's three units in one shard.
      const holding = parts.filter(p => p.some(u => u.files[0]!.path.startsWith('/p/a/')))
      expect(holding).toHaveLength(1)
      expect(holding[0]!.filter(u => u.files[0]!.path.startsWith('/p/a/'))).toHaveLength(3)
    }
  })
})

describe('--shard i/n', () => {
  it('refuses an empty value and more than 10,000 parts (a merge lists and checks each)', async () => {
    const {parseShard} = await import('../../src/analyze/shard.js')
    expect(parseShard('2/8')).toEqual({index: 2, count: 8})
    expect(parseShard('1/10000')).toEqual({index: 1, count: 10000})
    for (const bad of ['', '1/10001', '1/99999999999999999999', '0/2', '3/2'])
      expect(() => parseShard(bad), bad).toThrow(/expected i\/n/)
  })
})
