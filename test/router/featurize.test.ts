import {describe, expect, it} from 'vitest'
import {binOf} from '../../src/learn/binning.js'
import {Encoder} from '../../src/learn/encoder.js'
import {buildSpec, columnBins, columnNames} from '../../src/learn/featurize.js'
import {hashedTokens, questionOf, textStats} from '../../src/learn/text-features.js'

describe('features', () => {
  it('takes the question as the last block, after few-shot examples', () => {
    const prompt = 'Q: 1+1?\nA: 2\n\nQ: 2+2?\nA: 4\n  \nWhich gas do plants absorb?\nA) O2\nB) CO2\nAnswer:'
    expect(questionOf(prompt)).toEqual({question: 'Which gas do plants absorb?\nA) O2\nB) CO2\nAnswer:', blocks: 3})
    expect(questionOf('just one question')).toEqual({question: 'just one question', blocks: 1})
    const stats = textStats(prompt)
    expect(stats[1]).toBe(3)
    expect(stats[3]).toBe(10)
    expect(stats[4]).toBe(4)
  })

  it('hashes words and bigrams of the question into fixed columns, the same every time', () => {
    const seen = (q: string): number[] => {
      const out: number[] = []
      hashedTokens(q, 64, b => out.push(b))
      return out
    }
    const a = seen('Write a python function')
    expect(a.length).toBe(4 + 3)
    expect(seen('Write a python function')).toEqual(a)
    expect(a.every(b => b >= 0 && b < 64)).toBe(true)
    expect(seen('function python a write')).not.toEqual(a)
  })

  it('leaves out ids, split and file names, and what is known only after a run', () => {
    const items = [
      {
        features: {
          sample_id: 's1',
          routerbench_row: 1,
          split: 'train',
          source_file: 'a.csv',
          response_chars: 3,
          eval_name: 'arc',
          prompt_chars: 10,
        },
      },
      {
        features: {
          sample_id: 's2',
          routerbench_row: 2,
          split: 'test',
          source_file: 'b.csv',
          response_chars: 5,
          eval_name: 'mbpp',
          prompt_chars: 20,
        },
      },
    ]
    const spec = buildSpec(items, {buckets: 0}, new Set())
    expect(spec.numeric.map(c => c.name)).toEqual(['prompt_chars'])
    expect(spec.categorical.map(c => c.name)).toEqual(['eval_name'])
    expect(spec.ignored.map(f => f.name)).toEqual([
      'response_chars',
      'routerbench_row',
      'sample_id',
      'source_file',
      'split',
    ])
    const withUse = buildSpec(items, {buckets: 0, use: ['split'], ignore: ['eval_name']}, new Set())
    expect(withUse.categorical.map(c => c.name)).toEqual(['split'])
    expect(withUse.ignored.find(f => f.name === 'eval_name')!.reason).toMatch(/--ignore-feature/)
  })

  it('bins numbers by training quantiles and one-hot encodes strings', () => {
    const items = Array.from({length: 100}, (_, i) => ({
      features: {n: i, kind: i % 3 === 0 ? 'a' : 'b'},
      text: `item ${i}\n\nquestion ${i % 7}`,
    }))
    const spec = buildSpec(items, {bins: 4, buckets: 16}, new Set())
    expect(spec.numeric[0]!.edges).toEqual([25, 50, 75])
    expect(binOf(spec.numeric[0]!.edges, 10)).toBe(1)
    expect(binOf(spec.numeric[0]!.edges, 50)).toBe(3)
    expect(binOf(spec.numeric[0]!.edges, 1000)).toBe(4)
    expect(spec.columns).toBe(1 + 2 + spec.text!.stats.length + 16)
    expect(columnNames(spec).length).toBe(spec.columns)
    const bins = columnBins(spec)
    const enc = new Encoder(spec)
    const row = enc.encode({features: {n: 60, kind: 'a'}, text: 'x\n\nquestion 3'}, new Uint8Array(spec.columns))
    expect(row[0]).toBe(3)
    expect(row[1]! + row[2]!).toBe(1)
    for (let c = 0; c < spec.columns; c++) expect(row[c]!).toBeLessThan(bins[c]!)
    // Missing and unseen values light nothing.
    const empty = enc.encode({features: {kind: 'zzz'}}, new Uint8Array(spec.columns))
    expect([...empty].every(v => v === 0)).toBe(true)
  })
})
