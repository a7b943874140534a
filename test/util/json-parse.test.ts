import {describe, expect, it} from 'vitest'
import {parseJson, withoutExcerpt} from '../../src/util/json-parse.js'

describe('parseJson', () => {
  it('parses as JSON.parse does', () => {
    expect(parseJson('{"a":[1,"x",null]}')).toEqual({a: [1, 'x', null]})
  })

  it("throws a SyntaxError that quotes none of the input, and keeps V8's other messages (trial 124)", () => {
    for (const text of ['{"key": AKIA4HAFCFGW7QXJ2M5N}', '{"password": hunter2hunter2}', 'ghp_x', '[1,]']) {
      let thrown: unknown
      try {
        parseJson(text)
      } catch (error) {
        thrown = error
      }
      expect(thrown).toBeInstanceOf(SyntaxError)
      const message = (thrown as Error).message
      expect(message).toMatch(/^Unexpected token .+: not valid JSON$/)
      // (Nothing of the input but the one character V8 names.)
      expect(message).not.toMatch(/AKIA4|hunter|ghp_|\[1/)
    }
    expect(withoutExcerpt('Unexpected end of JSON input')).toBe('Unexpected end of JSON input')
    expect(withoutExcerpt("Expected property name or '}' in JSON at position 1")).toBe(
      "Expected property name or '}' in JSON at position 1",
    )
  })
})
