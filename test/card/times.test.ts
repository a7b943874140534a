/**
 * The times a card holds: whatever a reader hands the builder, a step keeps a time its schema takes (RFC 3339), in
 * another form aco reads made one (epoch seconds), or none, said in a warning (trial 98: `"yesterday"` reached the
 * `--json` and the `--out` cards, which `aco merge` and `aco label` then refused).
 */
import {describe, expect, it} from 'vitest'
import {CardBuilder} from '../../src/card/build.js'
import {check} from '../../src/util/schemas.js'

describe('a step time that is no time', () => {
  it('is dropped and said; one in another form is written as RFC 3339; one already RFC 3339 is kept as it is', () => {
    const b = new CardBuilder('claude-code', 'x.jsonl')
    b.addLlm({model: 'claude-sonnet-4-5', startedAt: 'yesterday', endedAt: '1730548800'})
    b.addLlm({
      model: 'claude-sonnet-4-5',
      startedAt: '2026-03-01T12:00:00.123456+02:00',
      endedAt: '1999-12-31T23:59:59.000Z',
    })
    b.addLlm({model: 'claude-sonnet-4-5', startedAt: '2026-03-01T12:00:05.000Z'})
    const card = b.build({id: 't'})
    const [a, c, d] = card.steps
    expect(a!.startedAt).toBeUndefined()
    expect(a!.endedAt).toBe('2024-11-02T12:00:00.000Z')
    expect(c!.startedAt).toBe('2026-03-01T12:00:00.123456+02:00')
    // (Before 2000: a writer's garbage.)
    expect(c!.endedAt).toBeUndefined()
    expect(d!.startedAt).toBe('2026-03-01T12:00:05.000Z')
    expect(card.warnings.map(w => w.message)).toEqual([
      'timestamp "yesterday" is no time aco reads: the record is read without it',
      'timestamp "1999-12-31T23:59:59.000Z" is no time aco reads: the record is read without it',
    ])
    expect(card.startedAt).toBe('2024-11-02T12:00:00.000Z')
    expect(check('tracecard', JSON.parse(JSON.stringify(card)))).toBeUndefined()
  })
})
