/**
 * The fast block-YAML reader against js-yaml: on every cassette fixture and
 * corpus sample it gives js-yaml's value (not a fallback); on generated
 * documents and on mutated cassettes it gives js-yaml's value or leaves the
 * text to js-yaml, never a value where js-yaml reports an error.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {isDeepStrictEqual} from 'node:util'
import fc from 'fast-check'
import * as jsyaml from 'js-yaml'
import {describe, expect, it} from 'vitest'
import {readBlockYaml} from '../../src/adapt/block-yaml.js'
import {corpus, fixture, hasCorpus} from '../helpers.js'

const binary = (data: string): Buffer => Buffer.from(data.replace(/\s+/g, ''), 'base64')
const schema = jsyaml.CORE_SCHEMA.extend([
  new jsyaml.Type('tag:yaml.org,2002:binary', {kind: 'scalar', resolve: d => typeof d === 'string', construct: binary}),
])
const ERROR = Symbol('js-yaml error')
function jsYaml(text: string): unknown {
  try {
    return jsyaml.load(text, {schema})
  } catch {
    return ERROR
  }
}

const cassettes = [
  ...readdirSync(fixture('cassette'))
    .filter(n => n.endsWith('.yaml'))
    .map(n => fixture(`cassette/${n}`)),
  ...(hasCorpus ? ['pydantic-ai-responses-logprobs.yaml', 'pydantic-ai-vertex-gemini-logprobs.yaml'] : []).map(n =>
    corpus(`openai-logprobs/${n}`),
  ),
]

describe('readBlockYaml', () => {
  it.each(cassettes)('reads %s as js-yaml does, without falling back', path => {
    const text = readFileSync(path, 'utf8')
    const got = readBlockYaml(text, binary)
    expect(got).toBeDefined()
    expect(got).toEqual(jsYaml(text))
  })

  it('reads what PyYAML writes: folded quoted bodies, `\\` line joins, escapes, a folded plain header', () => {
    const doc = readBlockYaml(readFileSync(fixture('cassette/pyyaml-vcrpy-wrapped.yaml'), 'utf8'), binary) as {
      interactions: Array<{
        request: {body: string}
        response: {body: {string: string}; headers: Record<string, string[]>}
      }>
    }
    const [first, second] = doc.interactions
    expect(JSON.parse(first!.request.body).messages[1].content).toBe("What's next? Say it 'plainly'.")
    const chat = JSON.parse(first!.response.body.string)
    expect(chat.choices[0].message.content).toContain(
      'café, naïve, 日本語; tabs\tinside; trailing space \nand a # hash',
    )
    expect(chat.usage).toMatchObject({prompt_tokens: 41, completion_tokens: 87})
    expect(first!.response.headers['Set-Cookie']![0]).toMatch(/domain=\.api\.openai\.com; HttpOnly; Secure/)
    expect(second!.response.body.string.split('\n\n').filter(Boolean)).toHaveLength(5)
  })

  it.each([
    ['an anchor and alias', 'a: &x 1\nb: *x\n'],
    ['a non-empty flow collection', 'a: [1, 2]\n'],
    ['a folded scalar', 'a: >\n  text\n'],
    ['a tab', 'a:\n\tb: 1\n'],
    ['CR line ends', 'a: 1\r\nb: 2\r\n'],
    ['a repeated key', 'a: 1\na: 2\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['an unknown tag', 'a: !!python/object 1\n'],
    ['a key that is a number', '1: a\n'],
    ['a control character', 'a: "\u0001"\n'],
  ])('leaves %s to js-yaml', (_, text) => {
    expect(readBlockYaml(text, binary)).toBeUndefined()
  })

  it.each([
    ['literal with strip, clip and keep', 'a: |-\n  x\n\n  y\nb: |\n  z\n\nc: |+\n  w\n\nd: 1\n'],
    ['an indentation indicator (PyYAML for a token that is a line break)', '- t: |2+\n\n  u: 1\n'],
    [
      'core scalars',
      'a: ~\nb: true\nc: False\nd: 0x1F\ne: -0.0\nf: 1e3\ng: .inf\nh: 007\ni: 12345678901234567890\nj: 1_0\n',
    ],
    ['double-quoted escapes', 'a: "\\x41\\u00e9\\U0001F600\\t\\"\\\\\\/\\N\\_\\e"\n'],
    ['a compact nested sequence', '- - a\n  - b\n- c\n'],
    ['empty values', 'a:\nb: []\nc: {}\nd: ""\ne:\n- \n'],
    ['comments', '# head\na: 1 # tail\n# between\nb:\n  # inside\n  c: 2\n'],
    ['a closing marker', 'a: 1\n...\n'],
  ])('reads %s as js-yaml does', (_, text) => {
    const got = readBlockYaml(text, binary)
    expect(got).toBeDefined()
    expect(got).toEqual(jsYaml(text))
  })

  const chars = [...'ab eé日😀\'"\\:#-\n|>&*![]{},%@`~01.Tn', '\t', '\u2028']
  const text = fc.string({unit: fc.constantFrom(...chars), maxLength: 40})
  const key = fc.oneof(fc.constantFrom('id', 'body', 'string', 'content-type', 'a b', 'x:y'), text)
  const {value} = fc.letrec(tie => ({
    value: fc.oneof(
      {depthSize: 'small'},
      text,
      fc.integer(),
      fc.double({noNaN: true}),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), {maxLength: 4}),
      fc.dictionary(key, tie('value'), {maxKeys: 4}),
    ),
  }))
  const style = fc.record({
    lineWidth: fc.constantFrom(20, 40, 80, -1),
    noArrayIndent: fc.boolean(),
    quotingType: fc.constantFrom("'" as const, '"' as const),
    forceQuotes: fc.boolean(),
    indent: fc.constantFrom(2, 4),
  })

  it('generated documents: js-yaml’s value or a fallback, and often not a fallback (keys with escapes are left to js-yaml)', () => {
    let fast = 0
    let all = 0
    fc.assert(
      fc.property(fc.dictionary(key, value, {minKeys: 1, maxKeys: 5}), style, (doc, options) => {
        const yaml = jsyaml.dump(doc, {...options, schema})
        const got = readBlockYaml(yaml, binary)
        all++
        if (got === undefined) return true
        fast++
        return isDeepStrictEqual(got, jsYaml(yaml))
      }),
      {seed: 17, numRuns: 600},
    )
    expect(fast / all).toBeGreaterThan(0.35)
  })

  it('mutated cassettes: never a value where js-yaml reports an error, else js-yaml’s value or a fallback', () => {
    const sources = cassettes.slice(0, 4).map(p => readFileSync(p, 'utf8').split('\n').slice(0, 120))
    const mutation = fc.record({
      source: fc.nat(sources.length - 1),
      line: fc.nat(),
      kind: fc.constantFrom('drop', 'duplicate', 'indent', 'outdent', 'cut', 'swap'),
    })
    fc.assert(
      fc.property(fc.array(mutation, {minLength: 1, maxLength: 3}), mutations => {
        let lines = [...sources[mutations[0]!.source]!]
        for (const m of mutations) {
          const at = m.line % lines.length
          const line = lines[at]!
          if (m.kind === 'drop') lines.splice(at, 1)
          else if (m.kind === 'duplicate') lines.splice(at, 0, line)
          else if (m.kind === 'indent') lines[at] = ` ${line}`
          else if (m.kind === 'outdent') lines[at] = line.replace(/^ {1,2}/, '')
          else if (m.kind === 'cut') lines[at] = line.slice(0, Math.floor(line.length / 2))
          else lines = [...lines.slice(0, at), lines[at + 1] ?? '', line, ...lines.slice(at + 2)]
        }
        const yaml = `${lines.join('\n')}\n`
        const got = readBlockYaml(yaml, binary)
        if (got === undefined) return true
        const want = jsYaml(yaml)
        return want !== ERROR && isDeepStrictEqual(got, want)
      }),
      {seed: 17, numRuns: 1500},
    )
  })
})
