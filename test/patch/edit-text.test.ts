import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {JsonText} from '../../src/patch/json-text.js'
import {ShapeError, TargetParseError, YamlText} from '../../src/patch/yaml-text.js'

/** The lines of `after` that are not in `before`, and the reverse. */
function lineDiff(before: string, after: string): {added: string[]; removed: string[]} {
  const a = before.split('\n')
  const b = after.split('\n')
  return {added: b.filter(l => !a.includes(l)), removed: a.filter(l => !b.includes(l))}
}

describe('YAML edited in place', () => {
  const source = `# top comment
a:
  b: "quoted" # keep me
  c: 'single'
  d: plain
  n: 3.
  under_score: 100_000
  flow: {x: 1, "y": "two"}
  empty:
list:
- one   # first
- two
fl: [a, b]
`

  it('changes only the bytes of the value, keeping its quoting and comment', () => {
    const y = new YamlText(source)
    expect(y.setScalar(['a', 'b'], 'new')).toBe(true)
    expect(y.setScalar(['a', 'c'], "it's")).toBe(true)
    expect(y.setScalar(['a', 'd'], 'x: y')).toBe(true)
    expect(y.setScalar(['a', 'n'], 0.5)).toBe(true)
    expect(lineDiff(source, y.text)).toEqual({
      added: ['  b: "new" # keep me', "  c: 'it''s'", '  d: "x: y"', '  n: 0.5'],
      removed: ['  b: "quoted" # keep me', "  c: 'single'", '  d: plain', '  n: 3.'],
    })
    expect(parse(y.text).a).toMatchObject({b: 'new', c: "it's", d: 'x: y', n: 0.5})
  })

  it('reads numbers as the Python tools do (YAML 1.1), and says when nothing changes', () => {
    const y = new YamlText(source)
    expect(y.get(['a', 'under_score'])).toBe(100_000)
    expect(y.get(['a', 'n'])).toBe(3)
    expect(y.setScalar(['a', 'n'], 3)).toBe(false)
    expect(y.text).toBe(source)
    expect(new YamlText(source, '1.2').get(['a', 'under_score'])).toBe('100_000')
  })

  it('adds keys where they belong: a block mapping, a flow mapping, an empty value, a new branch, a new top-level key', () => {
    const y = new YamlText(source)
    y.setScalar(['a', 'e'], 'added')
    y.setScalar(['a', 'flow', 'z'], 'three')
    y.setScalar(['a', 'empty', 'k'], 1)
    y.setScalar(['a', 'deep', 'er', 'est'], 'x')
    y.setScalar(['top'], 'yes')
    const data = parse(y.text, {version: '1.1'})
    expect(data.a).toMatchObject({
      e: 'added',
      flow: {x: 1, y: 'two', z: 'three'},
      empty: {k: 1},
      deep: {er: {est: 'x'}},
    })
    // "yes" is a boolean to YAML 1.1: written quoted, it stays a string
    expect(data.top).toBe('yes')
    expect(y.text).toContain(`  flow: {x: 1, "y": "two", "z": three}\n`)
    expect(y.text).toContain('  empty:\n    k: 1\n')
    expect(y.text.startsWith('# top comment\na:\n')).toBe(true)
  })

  it('appends to and removes from lists in their own style', () => {
    const y = new YamlText(source)
    y.appendToList(['list'], 'three')
    y.appendToList(['fl'], 'c')
    y.appendToList(['a', 'newlist'], 'first')
    y.appendToList(['list'], {k: 'v', w: [1]}, {flowValues: true})
    y.removeFromList(['list'], 1)
    y.removeFromList(['fl'], 0)
    expect(y.text).toContain('list:\n- one   # first\n- three\n- k: v\n  w: [1]\n')
    expect(y.text).toContain('fl: [b, c]')
    expect(parse(y.text).a.newlist).toEqual(['first'])
  })

  it('follows the file: its indentation unit and whether list items are indented', () => {
    const four = new YamlText('root:\n    key: 1\n    items:\n        - a\n')
    expect([four.unit, four.indentSeq]).toEqual([4, true])
    four.setScalar(['root', 'new', 'leaf'], 2)
    expect(four.text).toContain('    new:\n        leaf: 2\n')
    const flat = new YamlText('items:\n- a\nother: 1\n')
    expect(flat.indentSeq).toBe(false)
  })

  it('refuses what it cannot do in place, and names the line of a broken file', () => {
    const y = new YamlText(source)
    expect(() => y.setScalar(['a'], 'x')).toThrow(ShapeError)
    expect(() => y.setScalar(['list', 5, 'x'], 'y')).toThrow(ShapeError)
    expect(() => y.setScalar(['a', 'b', 'c'], 'y')).toThrow(/not a mapping/)
    try {
      new YamlText('a:\n  b: 1\n c: 2\n')
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(TargetParseError)
      expect((error as TargetParseError).line).toBe(3)
    }
  })

  it('reads through aliases and merge keys as PyYAML does, and edits only what changes this place alone (trial 33)', () => {
    // A merge key brings model_name: read as the file's tool reads it, overridden by an explicit key beside the merge.
    const merged = new YamlText('base: &base\n  model_name: claude-opus-4-6\nmodel:\n  <<: *base\n')
    expect(merged.get(['model', 'model_name'])).toBe('claude-opus-4-6')
    expect(merged.setScalar(['model', 'model_name'], 'claude-opus-4-6')).toBe(false)
    expect(merged.setScalar(['model', 'model_name'], 'claude-sonnet-4-5')).toBe(true)
    expect(merged.text).toBe(
      'base: &base\n  model_name: claude-opus-4-6\nmodel:\n  <<: *base\n  model_name: claude-sonnet-4-5\n',
    )
    // The first of several merged mappings that has the key wins.
    const several = new YamlText('a: &a {x: 1}\nb: &b {name: first}\nc: &c {name: second}\nm:\n  <<: [*a, *b, *c]\n')
    expect(several.get(['m', 'name'])).toBe('first')
    // A whole mapping as an alias: the change would be the anchor's, so it is refused with the anchor named.
    const aliased = new YamlText('defs:\n  claude: &claude\n    name: claude-opus-4-6\nagent:\n  model: *claude\n')
    expect(aliased.get(['agent', 'model', 'name'])).toBe('claude-opus-4-6')
    expect(() => aliased.setScalar(['agent', 'model', 'name'], 'x')).toThrow(/comes from the anchor &claude/)
    expect(aliased.text).toBe('defs:\n  claude: &claude\n    name: claude-opus-4-6\nagent:\n  model: *claude\n')
    // A key missing under a mapping a merge brings: writing it here would shadow the whole merged mapping (review 33: a
    // SWE-agent config lost its model name to agent.model written beside <<: *base).
    const shadow = new YamlText('base: &base\n  model:\n    name: claude-opus-4-6\nagent:\n  <<: *base\n')
    expect(() => shadow.setScalar(['agent', 'model', 'per_instance_call_limit'], 40)).toThrow(
      /comes from the anchor &base/,
    )
    expect(shadow.text).toBe('base: &base\n  model:\n    name: claude-opus-4-6\nagent:\n  <<: *base\n')
    // Merges of merges are read, as PyYAML reads them.
    const chained = new YamlText('a: &a {model_name: x}\nb: &b\n  <<: *a\nmodel:\n  <<: *b\n')
    expect(chained.get(['model', 'model_name'])).toBe('x')
    // A value that carries an anchor other places use: changing it would change them.
    const anchored = new YamlText('model:\n  name: &n X\nother:\n  name: *n\n')
    expect(() => anchored.setScalar(['model', 'name'], 'Y')).toThrow(/carries the anchor &n, which other places use/)
    expect(new YamlText('model:\n  name: &n X\n').setScalar(['model', 'name'], 'Y')).toBe(true)
    // …or the mapping it sits in carries one (review 34): a value changed, or a key added, would show at the alias too.
    const parent = new YamlText('agent:\n  model: &m\n    name: gpt-4o\nreviewer:\n  model: *m\n')
    expect(() => parent.setScalar(['agent', 'model', 'name'], 'x')).toThrow(/agent\.model carries the anchor &m/)
    expect(() => parent.setScalar(['agent', 'model', 'limit'], 40)).toThrow(/agent\.model carries the anchor &m/)
    expect(() => new YamlText('rs: &rs\n  n: 2\nother: *rs\n').appendToList(['rs', 'fallbacks'], 'y')).toThrow(
      /rs carries the anchor &rs/,
    )
    // Lists and flow values behind an alias or a merge: refused, not written into a mapping that is no mapping here.
    const rs = new YamlText('rs: &rs\n  num_retries: 2\nrouter_settings: *rs\n')
    expect(() => rs.setFlow(['router_settings', 'fallbacks'], [{a: ['b']}])).toThrow(/comes from the anchor &rs/)
    const list = new YamlText('base: &b\n  fallbacks: [x]\nrouter_settings:\n  <<: *b\n')
    expect(() => list.appendToList(['router_settings', 'fallbacks'], 'y')).toThrow(/comes from the anchor &b/)
    // An alias as the value: this place gets the new value, the anchor stays.
    const value = new YamlText('m: &m claude-opus-4-6\nmodel:\n  model_name: *m\n')
    expect(value.setScalar(['model', 'model_name'], 'claude-sonnet-4-5')).toBe(true)
    expect(value.text).toBe('m: &m claude-opus-4-6\nmodel:\n  model_name: claude-sonnet-4-5\n')
  })

  it('gives a key written with no value its value there, never a second key beside it (trial 99)', () => {
    // Programs reading the file keep the last of two keys, and an edit finds the first.
    const y = new YamlText('model_list:\nrouter_settings:\n  fallbacks: # filled below\n  retries: ~\n  n: null\n')
    y.appendToList(['model_list'], {model_name: 'a'})
    y.appendToList(['model_list'], {model_name: 'b'})
    expect(y.setFlow(['router_settings', 'fallbacks'], [{a: ['b']}])).toBe(true)
    expect(y.setScalar(['router_settings', 'retries'], 2)).toBe(true)
    expect(y.setScalar(['router_settings', 'n'], 'x')).toBe(true)
    expect(y.text).toBe(
      'model_list: [{"model_name": "a"}, {"model_name": "b"}]\nrouter_settings:\n  fallbacks: [{"a": ["b"]}] # filled below\n  retries: 2\n  n: x\n',
    )
    expect(parse(y.text)).toEqual({
      model_list: [{model_name: 'a'}, {model_name: 'b'}],
      router_settings: {fallbacks: [{a: ['b']}], retries: 2, n: 'x'},
    })
    // Done, the same edit changes nothing (the patch settles).
    expect(y.setFlow(['router_settings', 'fallbacks'], [{a: ['b']}])).toBe(false)
  })

  it('refuses a key with no value written otherwise than `key:` or `key: ~` rather than guess (review 102)', () => {
    for (const text of ['{a, b: 1}\n', '? a\nc: 1\n', 'a: !!null\n']) {
      const y = new YamlText(text)
      expect(() => y.setScalar(['a'], 'v')).toThrow(/a is written with no value in a way aco cannot edit in place/)
      expect(y.text).toBe(text)
    }
  })

  it("fills a flow mapping's empty value in place (review 104)", () => {
    const y = new YamlText('x: {a: , b: 1}\ny: {c:}\n')
    y.setScalar(['x', 'a'], 'v')
    y.setScalar(['y', 'c'], 'w')
    expect(parse(y.text)).toEqual({x: {a: 'v', b: 1}, y: {c: 'w'}})
  })

  it('says in its own words that a file of several documents is not one config', () => {
    expect(() => new YamlText('a: 1\n---\nb: 2\n')).toThrow(
      /more than one YAML document \(a `---` line starts another\)/,
    )
  })

  it('an empty file becomes a mapping', () => {
    const y = new YamlText('')
    y.setScalar(['agent', 'step_limit'], 40)
    expect(y.text).toBe('agent:\n  step_limit: 40\n')
  })
})

describe('JSON edited in place', () => {
  it('keeps indentation, key order, the layout of other members and the trailing newline', () => {
    const source = '{\n    "b": 1,\n    "a": {"keep": [1, 2]},\n    "env": {\n        "X": "1"\n    }\n}\n'
    const j = new JsonText(source)
    expect(j.set(['env', 'Y'], '2')).toBe(true)
    expect(j.set(['b'], 3)).toBe(true)
    expect(j.set(['b'], 3)).toBe(false)
    expect(j.text).toBe(
      '{\n    "b": 3,\n    "a": {"keep": [1, 2]},\n    "env": {\n        "X": "1",\n        "Y": "2"\n    }\n}\n',
    )
    const tabs = new JsonText('{\n\t"a": 1\n}')
    tabs.set(['c'], true)
    expect(tabs.text).toBe('{\n\t"a": 1,\n\t"c": true\n}')
  })

  it('lays out only what it adds: a one-line member before it stays one line, a one-line object gains one-line members (trial 99)', () => {
    const source =
      '{\n  "model": "a",\n  "hooks": {"PostToolUse": [{"matcher": "Edit", "hooks": [{"type": "command"}]}]}\n}\n'
    const j = new JsonText(source)
    j.set(['env', 'B'], '3')
    expect(j.text).toBe(
      '{\n  "model": "a",\n  "hooks": {"PostToolUse": [{"matcher": "Edit", "hooks": [{"type": "command"}]}]},\n  "env": {\n    "B": "3"\n  }\n}\n',
    )
    const inline = new JsonText('{\n  "permissions": {"allow": []},\n  "env": {"A": "1"}\n}\n')
    inline.set(['env', 'B'], '3')
    inline.set(['permissions', 'deny'], ['x'])
    expect(inline.text).toBe('{\n  "permissions": {"allow": [], "deny": ["x"]},\n  "env": {"A": "1", "B": "3"}\n}\n')
  })

  it('lays out a member added to an empty object written over lines as the file does (review 102)', () => {
    const j = new JsonText('{\n  "permissions": {\n  }\n}\n')
    j.set(['permissions', 'deny'], ['Bash(rm:*)'])
    expect(j.text).toBe('{\n  "permissions": {\n    "deny": [\n      "Bash(rm:*)"\n    ]\n  }\n}\n')
    // On one line, it stays on one line (review 104: a whole line had been spread).
    const one = new JsonText('{"permissions": {"allow": []}, "env": {}, "model": "x"}\n')
    one.set(['env', 'B'], '3')
    expect(one.text).toBe('{"permissions": {"allow": []}, "env": {"B": "3"}, "model": "x"}\n')
    const empty = new JsonText('{\n}\n')
    empty.set(['env'], {X: 'y'})
    expect(empty.text).toBe('{\n  "env": {\n    "X": "y"\n  }\n}\n')
  })

  it('refuses to set a key inside a value that is no object (trial 99: "env": null)', () => {
    for (const env of ['null', '"x"', '[]']) {
      const j = new JsonText(`{\n  "model": "a",\n  "env": ${env}\n}\n`)
      expect(() => j.set(['env', 'B'], '3')).toThrow(ShapeError)
      expect(() => j.set(['env', 'B'], '3')).toThrow(/^env is (null|a string|a list), not an object/)
    }
  })

  it('names the line of a broken file', () => {
    expect(() => new JsonText('{\n  "a": 1,\n}\n')).toThrow(TargetParseError)
    try {
      new JsonText('{\n  "a": 1\n  "b": 2\n}\n')
    } catch (error) {
      expect((error as TargetParseError).line).toBe(3)
    }
    expect(() => new JsonText('[1, 2]')).toThrow(/not a JSON object/)
  })

  it('refuses an object naming a key twice, with the line of the second', () => {
    // JSON.parse keeps the last "model"; an edit found the first, so the patch changed a value nothing reads.
    const source = '{\n  "model": "gpt-4o",\n  "tools": {"a": 1, "b": 2},\n  "model": "gpt-4.1"\n}\n'
    let error: unknown
    try {
      new JsonText(source)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(TargetParseError)
    expect((error as TargetParseError).message).toMatch(/"model" appears twice/)
    expect((error as TargetParseError).line).toBe(4)
    // The same key in two different objects, or in objects inside an array, is no duplicate.
    expect(() => new JsonText('{"a": {"x": 1}, "b": {"x": 2}, "c": [{"x": 1}, {"x": 2}]}')).not.toThrow()
    expect(() => new JsonText('{"a": [{"x": 1, "x": 2}]}')).toThrow(/"x" appears twice/)
  })
})
