/** Post-hoc features: answers extracted and compared, cues, and the feature vector of a step. */
import {describe, expect, it} from 'vitest'
import {agreement, extractAnswer, sameName} from '../../src/learn/posthoc/answer.js'
import {hedges, refuses} from '../../src/learn/posthoc/cues.js'
import {digest, knownSignals, lengthNorm, posthocNames, posthocValues} from '../../src/learn/posthoc/features.js'

describe('extractAnswer', () => {
  it('reads a multiple-choice letter however it is written, but not an article or a pronoun', () => {
    for (const r of ['B', 'B\n', ' (B)', 'B)', 'B.', '**B**', 'B: wet palms', 'B (', 'The answer is B.', 'Answer: (b)'])
      expect(extractAnswer(r), r).toMatchObject({kind: 'choice', value: 'B'})
    expect(extractAnswer('A chart would help here').kind).toBe('text')
    expect(extractAnswer('I do not know the answer').kind).toBe('text')
  })

  it('reads numbers in one canonical spelling', () => {
    expect(extractAnswer('1,000.50')).toEqual({kind: 'number', value: '1000.5'})
    expect(extractAnswer('So the total is 42 apples')).toEqual({kind: 'number', value: '42'})
    expect(extractAnswer('#### -3')).toEqual({kind: 'number', value: '-3'})
  })

  it('reads code from fenced or [PYTHON] blocks, the defining block first, comments and docstrings dropped', () => {
    const fenced = extractAnswer(
      'Here it is:\n\n```python\ndef add(a, b):\n    """Adds."""\n    return a + b  # sum\n```\n\nUse:\n```python\nprint(add(1, 2))\n```',
    )
    expect(fenced.kind).toBe('code')
    expect(fenced.defines).toEqual(['add'])
    expect(fenced.value).toBe('def add(a, b):\nreturn a + b')
    expect(fenced.code).toEqual({blocks: 2, lines: 2, asserts: 0, balanced: true})
    const tagged = extractAnswer(
      ' \n[PYTHON]\ndef add(x, y):\n    return x + y\n[/PYTHON]\n[TESTS]\nassert add(1, 2) == 3\n[/TESTS]',
    )
    expect(tagged).toMatchObject({kind: 'code', defines: ['add']})
    expect(extractAnswer('def broken(:\n    return (1').code?.balanced).toBe(false)
  })

  it('falls back to the first line of text, and says when there is nothing', () => {
    expect(extractAnswer('Paris, of course!\nIt is the capital.')).toEqual({kind: 'text', value: 'paris of course'})
    expect(extractAnswer('   ')).toEqual({kind: 'none', value: ''})
  })
})

describe('agreement', () => {
  it('is 1 for the same letter or number, 0 for different ones, other kinds or no answer', () => {
    expect(agreement(extractAnswer('B'), extractAnswer('The answer is B.'))).toBe(1)
    expect(agreement(extractAnswer('B'), extractAnswer('C'))).toBe(0)
    expect(agreement(extractAnswer('2'), extractAnswer('B'))).toBe(0)
    expect(agreement(extractAnswer(''), extractAnswer(''))).toBe(0)
  })

  it('compares code by its tokens, and names by the first function defined', () => {
    const a = extractAnswer('```python\ndef f(xs):\n    return [x for x in xs if x]\n```')
    const b = extractAnswer('```python\ndef f(items):\n    return [x for x in items if x]\n```')
    const c = extractAnswer('```python\ndef g(n):\n    while n > 1:\n        n //= 2\n    return n\n```')
    expect(agreement(a, b)).toBeGreaterThan(0.6)
    expect(agreement(a, c)).toBeLessThan(0.3)
    expect(sameName(a, b)).toBe(1)
    expect(sameName(a, c)).toBe(0)
    expect(sameName(a, extractAnswer('B'))).toBeNaN()
  })
})

describe('cues', () => {
  it('finds refusals and counts hedges', () => {
    expect(refuses("I'm sorry, I cannot tell from the question.")).toBe(1)
    expect(refuses('Unfortunately I do not have enough context')).toBe(1)
    expect(refuses('B')).toBe(0)
    expect(hedges('It might be B, but I think it could be C.')).toBe(3)
    expect(hedges('B')).toBe(0)
  })
})

describe('posthoc features', () => {
  it('names and fills the columns of a step: the answer in hand, agreement with each earlier one, the signals', () => {
    const digests = [
      digest({response: 'B', signals: {uncertainty: 0.2}}),
      digest({response: 'C'}),
      digest({response: 'The answer is B.', signals: {uncertainty: 0.1, tool_errors: 2}}),
    ]
    const signals = ['tool_errors', 'uncertainty']
    const names = posthocNames(2, signals)
    const values = posthocValues(
      2,
      digests,
      lengthNorm([Math.log1p(1), Math.log1p(1)]),
      signals,
      new Float64Array(names.length),
    )
    const at = (name: string): number => values[names.indexOf(name)]!
    expect(at('answered')).toBe(1)
    expect(at('agree_0')).toBe(1)
    expect(at('agree_1')).toBe(0)
    expect(at('agree_mean')).toBe(0.5)
    expect(at('prev_agree')).toBe(0)
    expect(at('length_z')).toBeGreaterThan(3)
    expect(at('signal:tool_errors')).toBe(2)
    expect(at('signal:uncertainty')).toBe(0.1)
    expect(at('code_lines')).toBeNaN()
    expect(posthocNames(0, [])).not.toContain('agree_mean')
  })

  it('marks a step without a response as missing, not as a wrong answer', () => {
    const d = digest({signals: {steps: 12}})
    const names = posthocNames(0, ['steps'])
    const values = posthocValues(0, [d], {mean: 0, sd: 1}, ['steps'], new Float64Array(names.length))
    expect(values[names.indexOf('answered')]).toBeNaN()
    expect(values[names.indexOf('signal:steps')]).toBe(12)
  })

  it('documents the signals the schema names', () => {
    expect(knownSignals).toEqual(
      expect.arrayContaining(['uncertainty', 'steps', 'exit_status', 'tests_passed', 'tool_errors', 'cost_usd']),
    )
  })
})
