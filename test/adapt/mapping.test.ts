import {copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {parse as parseYaml} from 'yaml'
import {compileMapping, parseMapping} from '../../src/adapt/mapping/compile.js'
import {loadMapping} from '../../src/adapt/mapping/load.js'
import {compilePath} from '../../src/adapt/mapping/paths.js'
import type {FormatMapping} from '../../src/adapt/mapping/types.js'
import {analyze} from '../../src/analyze/analyze.js'
import {check, validator} from '../../src/util/schemas.js'
import type {Step, TraceCard} from '../../src/card/types.js'
import {AcoError} from '../../src/errors.js'
import {checkMapping} from '../../src/analyze/formats.js'
import {renderFormats} from '../../src/report/formats.js'
import {fixture, llmSteps, read, readOne} from '../helpers.js'

const mappingsDir = fileURLToPath(new URL('../../mappings/', import.meta.url))
const tools = (card: TraceCard): Step[] => card.steps.filter(s => s.kind === 'tool')
const messages = (card: TraceCard): string => card.warnings.map(w => w.message).join('\n')
const prompt = (t: {input?: number; cacheRead?: number; cacheWrite?: number}): number =>
  (t.input ?? 0) + (t.cacheRead ?? 0) + (t.cacheWrite ?? 0)

function valid(card: TraceCard): void {
  const validate = validator('tracecard')
  expect(validate(card), JSON.stringify(validate.errors)).toBe(true)
}

/** The bundled in-house agent's mapping (fixtures/mapping/acme-agent.yaml). */
const acmeMapping = (): FormatMapping =>
  parseMapping(readFileSync(fixture('mapping/acme-agent.yaml'), 'utf8'), 'acme-agent.yaml')

/** The bundled in-house agent's log with one string replaced (it must be there), read with its mapping. */
async function acmeVariant(name: string, from: string, to: string): Promise<Awaited<ReturnType<typeof analyze>>> {
  const text = readFileSync(fixture('mapping/acme-agent.jsonl'), 'utf8')
  expect(text).toContain(from)
  const path = join(mkdtempSync(join(tmpdir(), 'aco-mapping-')), name)
  writeFileSync(path, text.replace(from, to))
  return analyze({paths: [path], mapping: acmeMapping(), home: '/nonexistent', env: {}, keepCards: true, threads: 1})
}

/** What `aco analyze --mapping MAPPING PATH` reads, its cards kept. */
async function analyzeMapped(path: string, mappingFile: string) {
  return analyze({
    paths: [path],
    mapping: (await loadMapping(mappingFile)).source,
    home: '/nonexistent',
    env: {},
    keepCards: true,
    threads: 1,
  })
}
describe('format mappings: paths', () => {
  it('refuses script and filter expressions with a clear message, and never evaluates them', () => {
    // (With a space before it too: trial 124's `$..[ ?(@.x)]` was read as a name, every value then 0.)
    for (const path of [
      "$.calls[?(@.model == 'x')]",
      '$.calls[(@.length-1)]',
      '$..[?(@.cost > 1)].id',
      '$..[ ?(@.x)]',
      // (A member of a union too, review 125.)
      '$.a[0,?(@.x)]',
      '$[1, (@.length-1)]',
    ]) {
      expect(() => compilePath(path), path).toThrow(/script or filter expression .* never runs code from a mapping/)
    }
    // A name starting with @ is a name where the path is plain (`$.@timestamp`, `$.usage.@parent`: trial 124's threw
    // "Unknown value type pare" in the middle of the run); beside a search, JSONPath reads it as a selector by type.
    expect(compilePath('$.usage.@parent').first({usage: {'@parent': 2}})).toBe(2)
    expect(compilePath('$.usage.@parent').first({usage: {a: 1}})).toBeUndefined()
    expect(compilePath('$.@timestamp').first({'@timestamp': '2026-01-01'})).toBe('2026-01-01')
    expect(() => compilePath('$..@timestamp')).toThrow(/reads "@timestamp" beside a search or a wildcard/)
    expect(() => compilePath('$.a.@pare()')).toThrow(/"@pare\(\)", which is no selector of values by type/)
    expect(compilePath('$.a[*].@string()').all({a: ['x', 1]})).toEqual(['x'])
  })

  it('refuses a path that searches all levels more than once, which takes minutes on a deep record (trial 124)', () => {
    for (const path of ['$..*..*..gen_tok', '$..usage..tokens'])
      expect(() => compilePath(path), path).toThrow(/searches all levels \(\.\.\) more than once/)
    // One is fine, and finds what it names at any depth.
    let deep: Record<string, unknown> = {gen_tok: 7}
    for (let k = 0; k < 400; k++) deep = {next: deep}
    expect(compilePath('$..gen_tok').all(deep)).toEqual([7])
  })

  it('a mapping file that uses one is refused as a whole, naming the field (a usage error, exit 2)', async () => {
    const error = await loadMapping(fixture('mapping/script-filter.yaml')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AcoError)
    expect((error as AcoError).exit).toBe(2)
    expect((error as AcoError).message).toMatch(/steps\.model: .*uses a script or filter expression/)
  })

  it('a file that is not a mapping is refused by the schema, with what is wrong', async () => {
    const error = (await loadMapping(fixture('mapping/not-a-mapping.yaml')).catch((e: unknown) => e)) as AcoError
    expect(error.message).toMatch(/not a valid format mapping: .*\/name: must match pattern.*unknown key "colour"/)
  })

  it("a condition written as detect's own keys is told to go in a list under all: or any: (trial 116)", () => {
    const text = 'name: acme\nformat: mapping\ndetect:\n  path: $.run_id\n  exists: true\nsteps:\n  model: $.model\n'
    const error = (() => {
      try {
        parseMapping(text, 'acme.yaml')
      } catch (e) {
        return e as AcoError
      }
      return undefined
    })()
    expect(error?.message).toMatch(/\/detect: unknown key "path"/)
    expect(error?.hint).toMatch(/^detect lists its conditions under all: or any:, e\.g\. detect: \{all: \[\{path: /)
  })

  it('plain paths read properties and indexes directly; wildcards and descent go to jsonpath-plus (eval off)', () => {
    const doc = {a: {b: [{c: 1}, {c: 2}], 'd e': 'x'}, deep: {x: {c: 3}}}
    expect(compilePath('$.a.b[1].c').first(doc)).toBe(2)
    expect(compilePath("$.a['d e']").first(doc)).toBe('x')
    expect(compilePath('$.a.missing.c').first(doc)).toBeUndefined()
    expect(compilePath('$.a.b[*].c').all(doc)).toEqual([1, 2])
    expect(compilePath('$..c').all(doc)).toEqual([1, 2, 3])
  })
})

describe('built-in formats defined by mappings', () => {
  it('mappings/*.yaml pass the same schema a user mapping must', () => {
    const files = readdirSync(mappingsDir).filter(f => f.endsWith('.yaml'))
    expect(files.sort()).toEqual(['langsmith.yaml', 'litellm-spend.yaml'])
    for (const f of files) {
      const doc = parseYaml(readFileSync(join(mappingsDir, f), 'utf8')) as FormatMapping
      expect(check('format-mapping', doc), f).toBeUndefined()
      expect(() => compileMapping(doc)).not.toThrow()
    }
  })

  it('LangSmith runs: llm runs are calls (ordered by dotted_order), the root run records the totals and the card equals them', async () => {
    const card = await readOne(fixture('langsmith/runs.jsonl'))
    valid(card)
    expect(card.source).toMatchObject({format: 'langsmith', mapping: 'langsmith'})
    expect(card.id).toBe('1f0a8b2c-0000-4000-8000-000000000001')
    expect(llmSteps(card).map(s => [s.id.slice(-2), s.model, s.tokens?.input, s.tokens?.cacheRead])).toEqual([
      ['03', 'gpt-4o-mini', 850, 0],
      ['06', 'gpt-4o-mini', 182, 768],
    ])
    // The provider LangChain names, which prices a model the catalog knows only with it (the second run names none).
    expect(llmSteps(card).map(s => s.provider)).toEqual(['openai', undefined])
    expect(prompt(card.totals.tokens)).toBe(prompt(card.recorded!.tokens!))
    expect(card.totals.tokens.output).toBe(card.recorded!.tokens!.output)
    expect(card.totals.recordedCostUsd).toBeCloseTo(card.recorded!.costUsd!, 12)
    expect(messages(card)).not.toMatch(/differ/)
  })

  it('LangSmith tool runs: matched by name to the call that named them, errors kept', async () => {
    const card = await readOne(fixture('langsmith/runs.jsonl'))
    expect(tools(card).map(s => [s.tool!.callId, s.tool!.name, s.tool!.status, s.parentStepId?.slice(-2)])).toEqual([
      ['call_lsw1', 'get_weather', 'ok', '03'],
      // (Call 03 named the calls it issued, get_weather alone: notify was its framework's, and no call paid for it.)
      ['1f0a8b2c-0000-4000-8000-000000000005', 'notify', 'error', undefined],
    ])
    expect(card.steps.find(s => s.tool?.name === 'notify')!.tool!.excerpt).toMatch(/webhook unreachable/)
  })

  it('LangSmith {runs: [...]} as POST /runs/query returns it reads as the JSONL does', async () => {
    const a = await readOne(fixture('langsmith/runs.jsonl'))
    const b = await readOne(fixture('langsmith/runs-query.json'))
    expect(b.totals).toEqual(a.totals)
    expect(b.steps.map(s => s.id)).toEqual(a.steps.map(s => s.id))
  })

  it('LiteLLM spend logs: one card per session, cache counts from usage_object inside prompt_tokens, Σ spend recorded', async () => {
    const r = await read(fixture('litellm/spend-logs.json'))
    expect(r.format).toBe('litellm-spend')
    const [s1, s2] = r.cards
    for (const card of r.cards) valid(card)
    expect(s1!.id).toBe('s-1')
    expect(llmSteps(s1!).map(s => s.tokens)).toEqual([
      {input: 220, output: 150, cacheRead: 2800, cacheWrite: 0, reasoning: 0},
      {input: 100, output: 90, cacheRead: 2800, cacheWrite: 300, reasoning: 0},
    ])
    // the failed request billed nothing: not a call
    expect(s1!.totals.llmCalls).toBe(2)
    expect(messages(s1!)).toMatch(/1 failed request\(s\) billed no tokens/)
    expect(s1!.totals.recordedCostUsd).toBeCloseTo(0.0045 + 0.00372, 12)
    expect(s2!.totals).toMatchObject({llmCalls: 1, recordedCostUsd: 0.000078})
  })

  it('--format of a format a mapping defines reads a file only when its detect rules recognise it', async () => {
    const other = await analyze({
      paths: [fixture('mapping/acme-agent.jsonl')],
      format: 'litellm-spend',
      home: '/nonexistent',
      env: {},
      keepCards: true,
      threads: 1,
    })
    // (It read every record as a call of 0 tokens before.)
    expect(other.cards).toEqual([])
    expect(other.summary.skipped.map(s => s.reason)).toEqual([
      expect.stringMatching(/^not a LiteLLM spend logs file: the format looks for records with \$\.request_id/),
    ])
    const own = await analyze({
      paths: [fixture('litellm/spend-logs.json')],
      format: 'litellm-spend',
      home: '/nonexistent',
      env: {},
      keepCards: true,
      threads: 1,
    })
    expect(own.cards.length).toBeGreaterThan(0)
    expect(own.summary.skipped).toEqual([])
  })

  it("LiteLLM spend logs: a response from LiteLLM's cache (cache_hit True, spend 0) costs $0, its tokens not counted", async () => {
    const rows = JSON.parse(readFileSync(fixture('litellm/spend-logs.json'), 'utf8')) as Array<Record<string, unknown>>
    const s2 = rows.findIndex(r => r.session_id === 's-2')
    expect(s2).toBeGreaterThanOrEqual(0)
    // The same request answered again from the cache.
    rows.push({...rows[s2]!, request_id: `${rows[s2]!.request_id}-cached`, cache_hit: 'True', spend: 0})
    const dir = mkdtempSync(join(tmpdir(), 'aco-litellm-'))
    writeFileSync(join(dir, 'spend.json'), JSON.stringify(rows))
    const card = (await read(join(dir, 'spend.json'))).cards.find(c => c.id === 's-2')!
    valid(card)
    expect(card.totals).toMatchObject({llmCalls: 2, recordedCostUsd: 0.000078})
    const cached = llmSteps(card)[1]!
    expect(cached.tokens).toBeUndefined()
    expect(cached.cost).toMatchObject({usd: 0, source: 'recorded'})
    expect(messages(card)).toMatch(/1 response\(s\) came from a cache in front of the model/)
  })

  it('LiteLLM spend logs: a spend of 0 for a call with tokens is no cost (a model LiteLLM cannot price): unpriced, never $0', async () => {
    const rows = JSON.parse(readFileSync(fixture('litellm/spend-logs.json'), 'utf8')) as Array<Record<string, unknown>>
    const s2 = rows.findIndex(r => r.session_id === 's-2')
    // The same request sent to a private model LiteLLM has no price for (trial 116): it writes spend 0.
    rows.push({...rows[s2]!, request_id: 'req-private', model: 'my-private-model', model_group: 'x', spend: 0})
    // And one to a model the catalog prices, also at spend 0 (written as a string, as a CSV export has it): priced from
    // the catalog. The private call logged twice counts once, in the calls and in the warning (review 118).
    rows.push({...rows[s2]!, request_id: 'req-catalog', spend: '0.00'})
    rows.push({...rows[rows.length - 2]!})
    const dir = mkdtempSync(join(tmpdir(), 'aco-litellm-'))
    writeFileSync(join(dir, 'spend.json'), JSON.stringify(rows))
    const card = (await read(join(dir, 'spend.json'))).cards.find(c => c.id === 's-2')!
    valid(card)
    const [first, priv, catalog] = llmSteps(card)
    expect(priv!.cost).toEqual({usd: null, source: 'unpriced'})
    expect(card.unpriced.map(u => [u.model, u.calls])).toEqual([['my-private-model', 1]])
    expect(catalog!.cost?.source).toBe('computed')
    expect(catalog!.cost?.usd).toBe(first!.cost?.usd)
    expect(catalog!.cost?.recordedUsd).toBeUndefined()
    expect(messages(card)).toMatch(/2 call\(s\) with tokens have a recorded cost that is none/)
  })
})

describe("a user's mapping", () => {
  it('aco formats --check: recognised by its detect rules, read into cards whose totals equal the recorded ones', async () => {
    const result = await checkMapping(fixture('mapping/acme-agent.yaml'), fixture('mapping/acme-agent.jsonl'))
    const validate = validator('formats-result')
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true)
    const c = result.check!
    expect(c.mapping).toMatchObject({name: 'acme-agent', format: 'mapping', hasDetect: true})
    expect(c.recognised).toBe(true)
    expect(c.skipped).toEqual([])
    const [card] = c.cards
    expect(card).toMatchObject({id: 'r-100', title: 'Close stale tickets', llmCalls: 2, toolCalls: 2})
    expect(card!.tokens).toEqual(card!.recorded!.tokens)
    expect(card!.firstSteps.map(s => [s.kind, s.id, s.tool, s.status])).toEqual([
      ['llm', 'c1', undefined, undefined],
      ['tool', 't1', 'list_tickets', 'ok'],
      ['tool', 't2', 'close_ticket', 'error'],
      ['llm', 'c2', undefined, undefined],
    ])
  })

  it('--check names a field whose path gave no step a value, and a kind no record holds (exit 3)', async () => {
    const text = readFileSync(fixture('mapping/acme-agent.yaml'), 'utf8')
    const dir = mkdtempSync(join(tmpdir(), 'aco-mapping-check-'))
    try {
      const good = await checkMapping(fixture('mapping/acme-agent.yaml'), fixture('mapping/acme-agent.jsonl'))
      expect(good.check!.unmatched).toEqual([])
      // A path to a field the records do not have: the steps come out with no time, and the check says so.
      const model = text.match(/^ {2}model: (.+)$/m)
      expect(model).not.toBeNull()
      const wrong = join(dir, 'wrong-model.yaml')
      writeFileSync(wrong, text.replace(model![0], '  model: $.no_such_field'))
      const result = await checkMapping(wrong, fixture('mapping/acme-agent.jsonl'))
      expect(result.check!.unmatched).toEqual([
        "steps.model ($.no_such_field) gave no LLM call a value: check the path against the sample's records",
      ])
      expect(validator('formats-result')(result)).toBe(true)
      // A kind whose values no record holds: nothing is read, and the check says why.
      const kind = join(dir, 'wrong-kind.yaml')
      writeFileSync(kind, text.replace('llm: model_call', 'llm: chat').replace('tool: tool_result', 'tool: exec'))
      const none = await checkMapping(kind, fixture('mapping/acme-agent.jsonl'))
      expect(none.check!.unmatched.join('\n')).toMatch(/^steps\.kind \(.+\) matched none of its values/)
      // Only the LLM calls' value mistyped: the tool runs read, the calls not, and both the check and the run say so,
      // with the values the records hold (trial 85: $0.00 and exit 0, with no word of why).
      const typo = join(dir, 'typo-kind.yaml')
      writeFileSync(typo, text.replace('llm: model_call', 'llm: model-call'))
      const half = await checkMapping(typo, fixture('mapping/acme-agent.jsonl'))
      expect(half.check!.unmatched).toContainEqual(
        expect.stringMatching(
          /^steps\.kind \(.+\) matched no LLM call \(llm: \["model-call"\]\); records hold "model_call" \(2 records\): a value with a typo\?$/,
        ),
      )
      const typed = await analyzeMapped(fixture('mapping/acme-agent.jsonl'), typo)
      expect(typed.cards[0]!.totals.llmCalls).toBe(0)
      expect(typed.cards[0]!.warnings.map(w => w.message)).toContainEqual(
        expect.stringMatching(
          /^steps\.kind \(.+\) made no record an LLM call \(llm: \["model-call"\]\), and records hold "model_call" \(2 records\)/,
        ),
      )
      // A model path one level short gives an object: each call is skipped with its line and why, not counted under
      // a model named by its JSON that no price matches (trial 85).
      const short = join(dir, 'short-model.yaml')
      writeFileSync(short, text.replace(model![0], `  model: ${model![1]!.replace(/\.[^.]+$/, '')}`))
      const objects = await checkMapping(short, fixture('mapping/acme-agent.jsonl'))
      expect(objects.check!.skipped.length).toBeGreaterThan(0)
      for (const sk of objects.check!.skipped)
        expect(sk.reason).toMatch(/^steps\.model \(.+\): expected a name, got \{.*[}…] \(a path one level short\?\)$/)
      // A call skipped for a count of the wrong type, and one left that states no usage: no path is blamed for what
      // the skipped call held (trial 85: "steps.tokens.output gave none of the file's 1 answering call a value").
      const mixed = join(dir, 'mixed.jsonl')
      writeFileSync(
        mixed,
        `${[
          {
            run: 'r-1',
            event: 'model_call',
            ts: '2025-11-02T08:00:01Z',
            call: {id: 'c1', model: 'gpt-4o-mini', usage: {in: {n: 5}, out: 4}},
          },
          {
            run: 'r-1',
            event: 'model_call',
            ts: '2025-11-02T08:00:02Z',
            call: {id: 'c2', model: 'gpt-4o-mini', reply: 'done'},
          },
        ]
          .map(r => JSON.stringify(r))
          .join('\n')}\n`,
      )
      const skippedOne = await analyzeMapped(mixed, fixture('mapping/acme-agent.yaml'))
      expect(skippedOne.summary.skipped.map(sk => sk.reason)).toEqual([
        expect.stringMatching(/^steps\.tokens\.input \(\$\.call\.usage\.in\): expected a count, got \{"n":5\}/),
      ])
      expect(skippedOne.cards[0]!.warnings.map(w => w.message).join('\n')).not.toMatch(/gave none of the file's/)
      // A token path with a typo is still named when a call is skipped for another field (review 86: the skip hid it).
      const typoOut = join(dir, 'typo-out.yaml')
      writeFileSync(typoOut, text.replace('output: $.call.usage.out', 'output: $.call.usage.outt'))
      const costObject = join(dir, 'cost-object.jsonl')
      writeFileSync(
        costObject,
        readFileSync(fixture('mapping/acme-agent.jsonl'), 'utf8').replace(
          '"cost": 0.000152',
          '"cost": {"usd": 0.000152}',
        ),
      )
      const hidden = await analyzeMapped(costObject, typoOut)
      expect(hidden.summary.skipped.map(sk => sk.reason)).toEqual([expect.stringMatching(/^steps\.costUsd /)])
      expect(hidden.cards[0]!.warnings.map(w => w.message)).toContainEqual(
        expect.stringMatching(
          /^steps\.tokens\.output \(\$\.call\.usage\.outt\) gave none of the file's 2 answering LLM call/,
        ),
      )
      // Other kinds of record are no typo (review 86): a sample with no tool run says nothing of steps.kind, as the
      // records of totals, start and heartbeat read as no tool value mistyped.
      const chatOnly = join(dir, 'chat-only.jsonl')
      writeFileSync(
        chatOnly,
        readFileSync(fixture('mapping/acme-agent.jsonl'), 'utf8')
          .split('\n')
          .filter(l => !l.includes('"tool_result"'))
          .join('\n'),
      )
      const chat = await checkMapping(fixture('mapping/acme-agent.yaml'), chatOnly)
      expect(chat.check!.unmatched.join('\n')).not.toMatch(/steps\.kind/)
      // The mapping as it is: no such word.
      const right = await analyzeMapped(fixture('mapping/acme-agent.jsonl'), fixture('mapping/acme-agent.yaml'))
      expect(right.cards[0]!.warnings.map(w => w.message).join('\n')).not.toMatch(/steps\.kind/)
      // A recorded total at a path the records of totals lack: named by the check, and no total recorded (not a 0
      // that sets off "the steps' tokens differ from the totals").
      const total = join(dir, 'wrong-total.yaml')
      writeFileSync(total, text.replace('output: $.totals.out', 'output: $.totals.completion'))
      const unrecorded = await checkMapping(total, fixture('mapping/acme-agent.jsonl'))
      expect(unrecorded.check!.unmatched).toEqual([
        "recorded.tokens.output ($.totals.completion) gave no record of totals a value: check the path against the sample's records",
      ])
      const run = await analyzeMapped(fixture('mapping/acme-agent.jsonl'), total)
      const card = run.cards[0]!
      expect(card.recorded?.tokens?.output).toBeUndefined()
      expect(card.recorded?.tokens?.input).toBeGreaterThan(0)
      expect(card.warnings.map(w => w.message)).not.toContain(
        "the steps' tokens differ from the totals the trace records",
      )
      // The check's screen names only the totals recorded: no "in 0" for an input path with no value (review 31).
      const noInput = join(dir, 'no-input-total.yaml')
      writeFileSync(noInput, text.replace('input: $.totals.in', 'input: $.totals.prompt'))
      const shown = renderFormats(await checkMapping(noInput, fixture('mapping/acme-agent.jsonl')))
      expect(shown).toMatch(/recorded totals: \$[\d.]+; tokens out \d+\n/)
      expect(shown).not.toMatch(/recorded totals: .* in 0/)
      // An unpriced call's cost is no $0.00 (trial 34), and each count reads as on the card's line.
      const unpriced = join(dir, 'unpriced.yaml')
      writeFileSync(
        unpriced,
        text.replace('model: $.call.model', 'model: $.call.nothing_here').replace('  costUsd: $.call.cost\n', ''),
      )
      const blind = renderFormats(await checkMapping(unpriced, fixture('mapping/acme-agent.jsonl')))
      expect(blind).toMatch(/; — \(2 unpriced calls\)\n/)
      expect(blind).not.toMatch(/\$0\.00 \(/)
      expect(shown).toMatch(/llm +c1 gpt-4o-mini in 464 cache read 1536 out 40\n/)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('refuses a path that is not JSONPath: an unclosed bracket, a trailing dot, a stray bracket', () => {
    for (const path of ['$..[', '$.a[', '$.a..', '$[', '$.a.b]'])
      expect(() => compilePath(path), path).toThrow(/is not a valid JSONPath/)
    for (const path of ['$', '$..model', '$.a[0]["b c"]', '$..[0]', '$.a[0:2]', '$.@timestamp', '$.a-b'])
      expect(() => compilePath(path), path).not.toThrow()
  })

  it('refuses a mapping nested past 512 levels as such, not with a parser stack overflow', () => {
    const deep = `{"name": "x", "steps": ${'['.repeat(2000)}${']'.repeat(2000)}}`
    expect(() => parseMapping(deep, 'deep.json')).toThrow(
      /^deep\.json is not a format mapping: nested deeper than 512 levels\.$/,
    )
  })

  it('refuses a path longer than 1,000 characters before splitting it, and quotes no more than its start', () => {
    // (jsonpath-plus splits a path in time that grows with its square: 200,000 segments took 95 s.)
    const long = `$${'.a'.repeat(200_000)}`
    let message = ''
    try {
      compilePath(long)
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/is 400,001 characters long: a JSONPath of a mapping holds at most 1,000/)
    expect(message.length).toBeLessThan(300)
    expect(() => compilePath(`$${'.a'.repeat(499)}`)).not.toThrow()
  })

  it('--check says when the detect rules do not recognise the sample', async () => {
    const result = await checkMapping(fixture('mapping/acme-agent.yaml'), fixture('langsmith/runs.jsonl'))
    expect(result.check!.recognised).toBe(false)
  })

  it('aco analyze --mapping: files the mapping recognises are read with it, the others detected as usual', async () => {
    const mapping = parseMapping(readFileSync(fixture('mapping/acme-agent.yaml'), 'utf8'), 'acme-agent.yaml')
    const run = await analyze({
      paths: [fixture('mapping/acme-agent.jsonl'), fixture('langsmith/runs.jsonl')],
      mapping,
      home: '/nonexistent',
      env: {},
      keepCards: true,
      threads: 1,
    })
    expect(run.cards.map(c => [c.source.format, c.source.mapping])).toEqual([
      ['mapping', 'acme-agent'],
      ['langsmith', 'langsmith'],
    ])
  })

  it('prices a model with the provider steps.provider reads, where the catalog knows it only with one (trial 34)', async () => {
    const mapping = parseMapping(readFileSync(fixture('mapping/acme-agent.yaml'), 'utf8'), 'acme-agent.yaml')
    mapping.steps.provider = '$.call.vendor'
    const dir = mkdtempSync(join(tmpdir(), 'aco-mapping-provider-'))
    const call = (id: string, vendor?: string) =>
      JSON.stringify({
        run: 'r-1',
        event: 'model_call',
        ts: '2025-11-02T08:00:01Z',
        call: {id, model: 'llama-3.3-70b-versatile', ...(vendor ? {vendor} : {}), usage: {in: 1000, out: 100}},
      })
    writeFileSync(join(dir, 'groq.jsonl'), `${call('c1', 'groq')}\n${call('c2')}\n`)
    const run = await analyze({paths: [dir], mapping, home: '/nonexistent', env: {}, keepCards: true, threads: 1})
    const steps = run.cards[0]!.steps
    expect(steps.map(s => [s.provider, s.cost?.source])).toEqual([
      ['groq', 'computed'],
      [undefined, 'unpriced'],
    ])
  })

  it('joins a trace the log names across files (a log rotated by day, a copy of it): counted once (trial 34)', async () => {
    const mapping = parseMapping(readFileSync(fixture('mapping/acme-agent.yaml'), 'utf8'), 'acme-agent.yaml')
    const lines = readFileSync(fixture('mapping/acme-agent.jsonl'), 'utf8').trimEnd().split('\n')
    const totals = async (dir: string) => {
      const run = await analyze({paths: [dir], mapping, home: '/nonexistent', env: {}, keepCards: true, threads: 1})
      return {traces: run.cards.length, ...run.summary.totals}
    }
    const whole = mkdtempSync(join(tmpdir(), 'aco-mapping-whole-'))
    writeFileSync(join(whole, 'a.jsonl'), `${lines.join('\n')}\n`)
    const one = await totals(whole)
    // The tool call issued on day 1 and answered on day 2 is one step; the run is one trace, not r-100 and r-100~2.
    const split = mkdtempSync(join(tmpdir(), 'aco-mapping-split-'))
    writeFileSync(join(split, 'day1.jsonl'), `${lines.slice(0, 3).join('\n')}\n`)
    writeFileSync(join(split, 'day2.jsonl'), `${lines.slice(3).join('\n')}\n`)
    expect(await totals(split)).toEqual(one)
    const copied = mkdtempSync(join(tmpdir(), 'aco-mapping-copy-'))
    for (const f of ['a.jsonl', 'backup.jsonl']) writeFileSync(join(copied, f), `${lines.join('\n')}\n`)
    expect(await totals(copied)).toEqual(one)
    // What the join makes false is not said (review 34): no call left unanswered, no totals that differ, no step met
    // twice where one file issued a call the other ran; a copy's recorded totals are the file's, not twice them.
    const said = async (dir: string) => {
      const run = await analyze({paths: [dir], mapping, home: '/nonexistent', env: {}, keepCards: true, threads: 1})
      return {warnings: run.cards[0]!.warnings.map(w => w.message).join('\n'), recorded: run.cards[0]!.recorded}
    }
    const splitSaid = await said(split)
    expect(splitSaid.warnings).not.toMatch(/status unknown|differ from the totals|appear in more than one file/)
    const copySaid = await said(copied)
    const alone = await said(whole)
    expect(copySaid.recorded).toEqual(alone.recorded)
    expect(copySaid.warnings).toMatch(/4 step\(s\) appear in more than one file: counted once/)
    // Calls the log names no id for, one a day: two calls, not one (the join had taken them for the same step).
    const days = mkdtempSync(join(tmpdir(), 'aco-mapping-days-'))
    const call = (ts: string, model: string, id?: string) =>
      JSON.stringify({
        run: 'r-5',
        event: 'model_call',
        ts,
        call: {...(id ? {id} : {}), model, usage: {in: 1000, out: 10}},
      })
    writeFileSync(join(days, 'day1.jsonl'), `${call('2025-11-02T08:00:00Z', 'gpt-4o-mini')}\n`)
    writeFileSync(join(days, 'day2.jsonl'), `${call('2025-11-03T08:00:00Z', 'gpt-4o-mini')}\n`)
    expect((await totals(days)).llmCalls).toBe(2)
    // Overlapping files of a model the catalog lacks: three unpriced calls, listed as three.
    const overlap = mkdtempSync(join(tmpdir(), 'aco-mapping-overlap-'))
    writeFileSync(
      join(overlap, 'a.jsonl'),
      ['c1', 'c2'].map(id => call('2025-11-02T08:00:00Z', 'acme-llm-1', id)).join('\n'),
    )
    writeFileSync(
      join(overlap, 'b.jsonl'),
      ['c2', 'c3'].map(id => call('2025-11-02T08:00:00Z', 'acme-llm-1', id)).join('\n'),
    )
    const run3 = await analyze({paths: [overlap], mapping, home: '/nonexistent', env: {}, keepCards: true, threads: 1})
    expect(run3.summary.totals.unpricedCalls).toBe(3)
    expect(run3.cards[0]!.unpriced).toEqual([expect.objectContaining({model: 'acme-llm-1', calls: 3})])
    // Steps the log does not name are numbered by their place in a file: two files are two traces.
    const unnamed = structuredClone(mapping)
    delete unnamed.steps.id
    const run = await analyze({
      paths: [copied],
      mapping: unnamed,
      home: '/nonexistent',
      env: {},
      keepCards: true,
      threads: 1,
    })
    expect(run.cards.length).toBe(2)
  })

  it('a cache count of 0 in a log that maps one is a cache not used, 0.0%, not "not recorded" (trial 34)', async () => {
    const mapping = parseMapping(readFileSync(fixture('mapping/acme-agent.yaml'), 'utf8'), 'acme-agent.yaml')
    const dir = mkdtempSync(join(tmpdir(), 'aco-mapping-cache-'))
    const call = {run: 'r-9', event: 'model_call', ts: '2025-11-02T08:00:01Z', call: {id: 'c9', model: 'gpt-4o-mini'}}
    writeFileSync(
      join(dir, 'a.jsonl'),
      `${JSON.stringify({...call, call: {...call.call, usage: {in: 2000, out: 40, cached: 0}}})}\n`,
    )
    const rate = async (m: typeof mapping) =>
      (await analyze({paths: [dir], mapping: m, home: '/nonexistent', env: {}, threads: 1})).summary.totals.cacheHitRate
    expect(await rate(mapping)).toBe(0)
    // A mapping that maps no cache count: not recorded.
    const blind = structuredClone(mapping)
    delete blind.steps.tokens!.cacheRead
    expect(await rate(blind)).toBeNull()
  })

  it('says so on the card when a token path gave none of its calls a value (trial 34: "output 0", exit 0)', async () => {
    const text = readFileSync(fixture('mapping/acme-agent.yaml'), 'utf8')
    const typo = parseMapping(text.replace('output: $.call.usage.out', 'output: $.call.usage.outt'), 'typo.yaml')
    const run = await analyze({
      paths: [fixture('mapping/acme-agent.jsonl')],
      mapping: typo,
      home: '/nonexistent',
      env: {},
      keepCards: true,
      threads: 1,
    })
    const said = run.cards[0]!.warnings.map(w => w.message)
    expect(said).toContainEqual(
      expect.stringMatching(
        /^steps\.tokens\.output \(\$\.call\.usage\.outt\) gave none of the file's 2 answering LLM call record\(s\) a value/,
      ),
    )
    expect(said.join('\n')).not.toMatch(/steps\.tokens\.input/)
    // The right path: nothing said.
    const right = await analyze({
      paths: [fixture('mapping/acme-agent.jsonl')],
      mapping: parseMapping(text, 'acme-agent.yaml'),
      home: '/nonexistent',
      env: {},
      keepCards: true,
      threads: 1,
    })
    expect(right.cards[0]!.warnings.map(w => w.message).join('\n')).not.toMatch(/gave none of the file/)
    // Embeddings answer nothing and log no output count: no alarm (review 34), and no cache field is no cache recorded.
    const dir = mkdtempSync(join(tmpdir(), 'aco-mapping-embed-'))
    const embed = (id: string) =>
      JSON.stringify({
        run: 'r-e',
        event: 'model_call',
        ts: '2025-11-02T08:00:00Z',
        call: {id, model: 'text-embedding-3-small', usage: {in: 500}},
      })
    writeFileSync(join(dir, 'e.jsonl'), `${embed('e1')}\n${embed('e2')}\n`)
    const embedded = await analyze({
      paths: [dir],
      mapping: parseMapping(text, 'acme-agent.yaml'),
      home: '/nonexistent',
      env: {},
      keepCards: true,
      threads: 1,
    })
    expect(embedded.cards[0]!.warnings.map(w => w.message).join('\n')).not.toMatch(/gave none of the file/)
    expect(embedded.cards[0]!.source.recordsCache).toBeUndefined()
    expect(embedded.summary.totals.cacheHitRate).toBeNull()
  })

  it('a mapping without detect rules reads every file given, like --format', async () => {
    const mapping = parseMapping(readFileSync(fixture('mapping/acme-agent.yaml'), 'utf8'), 'acme-agent.yaml')
    delete mapping.detect
    const dir = mkdtempSync(join(tmpdir(), 'aco-mapping-'))
    // a .log name and a first line no reader would claim: read because the mapping says so
    const path = join(dir, 'events.log')
    writeFileSync(path, readFileSync(fixture('mapping/acme-agent.jsonl'), 'utf8'))
    const run = await analyze({paths: [path], mapping, home: '/nonexistent', env: {}, keepCards: true, threads: 1})
    expect(run.cards[0]!.source.mapping).toBe('acme-agent')
    expect(run.cards[0]!.totals.llmCalls).toBe(2)
  })

  it('a file the mapping takes but reads nothing from is read as without it (a Claude Code session beside the log)', async () => {
    const mapping = parseMapping(readFileSync(fixture('mapping/acme-agent.yaml'), 'utf8'), 'acme-agent.yaml')
    const loose = structuredClone(mapping)
    delete mapping.detect
    // Rules that take any JSON record with a `type`: a Claude Code line has one.
    loose.detect = {all: [{path: '$.type', exists: true}]}
    const dir = mkdtempSync(join(tmpdir(), 'aco-mapping-'))
    writeFileSync(join(dir, 'events.jsonl'), readFileSync(fixture('mapping/acme-agent.jsonl'), 'utf8'))
    const session = readdirSync(fixture('claude-code')).find(f => f.endsWith('.jsonl'))!
    writeFileSync(join(dir, 'session.jsonl'), readFileSync(join(fixture('claude-code'), session), 'utf8'))
    const alone = await analyze({
      paths: [join(dir, 'session.jsonl')],
      home: '/nonexistent',
      env: {},
      keepCards: true,
      threads: 1,
    })
    for (const m of [mapping, loose]) {
      const run = await analyze({paths: [dir], mapping: m, home: '/nonexistent', env: {}, keepCards: true, threads: 1})
      const claude = run.cards.filter(c => c.source.format === 'claude-code')
      expect(claude.map(c => c.totals)).toEqual(alone.cards.map(c => c.totals))
    }
  })

  it("steps.tool.as says what a user's tool does: a shell tool named run_shell reading a file twice is then flagged", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-mapping-'))
    const at = (s: number) => `2025-11-02T08:00:${String(s).padStart(2, '0')}Z`
    const usage = {in: 1200, out: 30}
    const records = [
      ...[1, 2].flatMap(n => [
        {
          run: 'r-1',
          event: 'model_call',
          ts: at(2 * n - 1),
          call: {
            id: `c${n}`,
            model: 'gpt-4o-mini',
            usage,
            tools: [{id: `t${n}`, fn: 'run_shell', args: {cmd: 'cat notes.md'}}],
          },
        },
        {
          run: 'r-1',
          event: 'tool_result',
          ts: at(2 * n),
          tool: {id: `t${n}`, name: 'run_shell', output: '# Notes\nship on friday\n', exit: 0},
        },
      ]),
      {run: 'r-1', event: 'model_call', ts: at(5), call: {id: 'c3', model: 'gpt-4o-mini', usage, tools: []}},
    ]
    const path = join(dir, 'shell.jsonl')
    writeFileSync(path, `${records.map(r => JSON.stringify(r)).join('\n')}\n`)
    const yaml = readFileSync(fixture('mapping/acme-agent.yaml'), 'utf8')
    const plain = parseMapping(yaml, 'acme-agent.yaml')
    const roles = parseMapping(
      yaml.replace('    exitCode: $.tool.exit', '    exitCode: $.tool.exit\n    as: {run_shell: shell}'),
      'acme-agent.yaml',
    )
    expect(roles.steps.tool?.as).toEqual({run_shell: 'shell'})
    const flags = async (mapping: FormatMapping) => {
      const run = await analyze({paths: [path], mapping, home: '/nonexistent', env: {}, keepCards: true, threads: 1})
      const card = run.cards[0]!
      valid(card)
      return tools(card).flatMap(t => (t.flags ?? []).map(f => `${t.tool!.callId} ${f.kind}`))
    }
    // Unknown to aco, run_shell may write anything: nothing can be said of the second cat.
    expect(await flags(plain)).toEqual([])
    expect(await flags(roles)).toEqual(['t2 duplicate-call'])
  })

  it('counts a record logged twice once (a response and a tool result), and takes no text block for a tool call', async () => {
    const mapping = parseMapping(readFileSync(fixture('mapping/acme-agent.yaml'), 'utf8'), 'acme-agent.yaml')
    const dir = mkdtempSync(join(tmpdir(), 'aco-mapping-'))
    const lines = readFileSync(fixture('mapping/acme-agent.jsonl'), 'utf8').split('\n').filter(Boolean)
    const once = join(dir, 'once.jsonl')
    writeFileSync(once, `${lines.join('\n')}\n`)
    // Every record written twice, and a text block among the tool calls of each response.
    const twice = join(dir, 'twice.jsonl')
    const withText = lines.map(l => {
      const r = JSON.parse(l) as {call?: {tools?: unknown[]}}
      r.call?.tools?.unshift({type: 'text', text: 'Let me look.'})
      return JSON.stringify(r)
    })
    writeFileSync(twice, `${withText.flatMap(l => [l, l]).join('\n')}\n`)
    const run = async (path: string) =>
      (await analyze({paths: [path], mapping, home: '/nonexistent', env: {}, keepCards: true, threads: 1})).cards[0]!
    const [a, b] = [await run(once), await run(twice)]
    expect(b.totals).toEqual(a.totals)
    expect(b.recorded).toEqual(a.recorded)
    expect(tools(b).map(s => s.tool!.name)).toEqual(tools(a).map(s => s.tool!.name))
    expect(tools(b).map(s => s.tool!.name)).not.toContain('unknown')
    expect(messages(b)).toMatch(/\d+ record\(s\) logged twice \(the same id and content\): counted once/)
    expect(messages(a)).not.toMatch(/logged twice/)
  })

  it('warns when an input count is below the cache tokens it is said to include (inputIncludesCache left true)', async () => {
    const mapping = acmeMapping()
    const run = await acmeVariant(
      'apart.jsonl',
      '"in": 2000, "out": 40, "cached": 1536',
      '"in": 464, "out": 40, "cached": 1536',
    )
    expect(messages(run.cards[0]!)).toMatch(
      /1 record\(s\) count fewer input tokens than cache tokens, .*inputIncludesCache \(true by default\) says/,
    )
    const clean = await analyze({
      paths: [fixture('mapping/acme-agent.jsonl')],
      mapping,
      home: '/nonexistent',
      env: {},
      keepCards: true,
      threads: 1,
    })
    expect(messages(clean.cards[0]!)).not.toMatch(/fewer input tokens/)
  })

  it("says when the trace's own recorded total is far from what its calls come to (no call recording its cost)", async () => {
    const yaml = readFileSync(fixture('mapping/acme-agent.yaml'), 'utf8')
    // The per-call costs left out: the run summary's total is the only cost the log records.
    const mapping = parseMapping(yaml.replace('  costUsd: $.call.cost\n', ''), 'acme-agent.yaml')
    expect(mapping.steps.costUsd).toBeUndefined()
    const dir = mkdtempSync(join(tmpdir(), 'aco-mapping-'))
    const path = join(dir, 'summary.jsonl')
    const text = readFileSync(fixture('mapping/acme-agent.jsonl'), 'utf8')
    expect(text).toContain('"cost": 0.000245}')
    const read = async (cost: string) => {
      writeFileSync(path, text.replace('"cost": 0.000245}', `"cost": ${cost}}`))
      const run = await analyze({paths: [path], mapping, home: '/nonexistent', env: {}, keepCards: true, threads: 1})
      return messages(run.cards[0]!)
    }
    expect(await read('0.5')).toMatch(
      /the trace records a total cost of \$0\.50 and its calls come to \$0\.0\d+ \(\d+\.\d× apart\): the log may not show every call that was billed/,
    )
    expect(await read('0.000245')).not.toMatch(/records a total cost/)
    // 0 is what a tool writes when it could not price the calls: no figure to compare.
    expect(await read('0')).not.toMatch(/records a total cost/)
  })

  it('--check takes a trace id no record holds for a log that names none (one card per file): said, exit 0', async () => {
    const rows = JSON.parse(readFileSync(fixture('litellm/spend-logs.json'), 'utf8')) as Array<Record<string, unknown>>
    const dir = mkdtempSync(join(tmpdir(), 'aco-litellm-'))
    writeFileSync(join(dir, 'spend.json'), JSON.stringify(rows.map(r => ({...r, session_id: null}))))
    const result = await checkMapping(join(mappingsDir, 'litellm-spend.yaml'), join(dir, 'spend.json'))
    expect(result.check!.unmatched).toEqual([])
    expect(result.check!.unconfirmed).toContainEqual(
      expect.stringMatching(/^trace\.id \(\$\.session_id\) gave no record a value/),
    )
  })

  it('says a count too large for a number is Infinity, not null; the terminal shows the whole reason of a skip', async () => {
    const run = await acmeVariant('huge.jsonl', '"out": 40', '"out": 1e309')
    expect(run.summary.skipped.map(s => s.reason)).toEqual([
      'steps.tokens.output ($.call.usage.out): expected a count, got Infinity',
    ])
    const {renderAnalyze} = await import('../../src/report/terminal.js')
    const {toResult} = await import('../../src/analyze/result.js')
    const screen = renderAnalyze(toResult(run), {width: 80, color: false, top: 10})
    expect(screen.replace(/\s+/g, ' ')).toMatch(
      /huge\.jsonl:2 steps\.tokens\.output \(\$\.call\.usage\.out\): expected a count, got Infinity/,
    )
    for (const line of screen.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80)
  })

  it('a mapping without detect rules leaves a companion of traces as it is without it (trial 124)', async () => {
    // (Aider's LLM I/O log beside its chat history is read from there: not 40,000 lines of invalid JSON.)
    const dir = mkdtempSync(join(tmpdir(), 'aco-mapping-companion-'))
    copyFileSync(fixture('aider/calls.aider.llm.history'), join(dir, 'calls.aider.llm.history'))
    copyFileSync(
      fixture('aider/sessions-and-model-switch.aider.chat.history.md'),
      join(dir, 'calls.aider.chat.history.md'),
    )
    const noDetect = join(dir, 'no-detect.yaml')
    writeFileSync(
      noDetect,
      readFileSync(fixture('mapping/acme-agent.yaml'), 'utf8').replace(/^detect:\n(?: .*\n)+/m, ''),
    )
    expect(readFileSync(noDetect, 'utf8')).not.toMatch(/^detect:/m)
    const mapped = await analyzeMapped(dir, noDetect)
    const plain = await analyze({paths: [dir], home: '/nonexistent', env: {}, keepCards: true, threads: 1})
    expect(mapped.summary.skipped).toEqual([])
    expect(mapped.summary.totals).toEqual(plain.summary.totals)
  })

  it('says a time it cannot read, and one past 2100, on the card: not left out silently (trial 124)', async () => {
    // (0 and -1, a writer's "none", as written: not the 1970-01-01 they become.)
    for (const [written, shown] of [
      ['"01/01/2026 09:00"', '"01/01/2026 09:00"'],
      ['17672580001', '17672580001'],
      ['0', '0'],
      ['-1', '-1'],
    ]) {
      const run = await acmeVariant('odd-time.jsonl', '"ts": "2025-11-02T08:00:01Z"', `"ts": ${written}`)
      expect(run.summary.skipped).toEqual([])
      expect(messages(run.cards[0]!)).toContain(
        `1 time(s) no time aco reads, left out (first: steps.startedAt ($.ts): ${shown})`,
      )
      expect(messages(run.cards[0]!)).not.toMatch(/1970-01-01/)
    }
    const fine = await acmeVariant('fine-time.jsonl', '"ts": "2025-11-02T08:00:01Z"', '"ts": 1762070401')
    expect(messages(fine.cards[0]!)).not.toMatch(/no time aco reads/)
  })

  it('reads a count written as a string in decimals only: "0x10" is no count, not 16 (trial 124)', async () => {
    const decimal = await acmeVariant('decimal.jsonl', '"out": 40', '"out": " 40 "')
    expect(decimal.summary.skipped).toEqual([])
    expect(decimal.summary.totals.tokens.output).toBe(
      (await acmeVariant('plain.jsonl', '"out": 40', '"out": 40')).summary.totals.tokens.output,
    )
    for (const written of ['0x10', '0b101', '0o17', '1_000']) {
      const run = await acmeVariant('odd-count.jsonl', '"out": 40', `"out": "${written}"`)
      expect(run.summary.skipped.map(s => s.reason)).toEqual([
        `steps.tokens.output ($.call.usage.out): expected a count, got "${written}"`,
      ])
    }
  })

  it('reads an exit code written as a string as the number it is: "1" is a failure', async () => {
    const run = await acmeVariant('exit-strings.jsonl', '"exit": 0', '"exit": "1"')
    const first = tools(run.cards[0]!)[0]!
    expect(first.tool).toMatchObject({status: 'error', exitCode: 1})
  })
})

describe('steps.failedWhen', () => {
  it('marks a step failed by a condition (`ok: false`, a status), which steps.error cannot say', async () => {
    const text = readFileSync(fixture('mapping/acme-agent.jsonl'), 'utf8')
    const from = '"output": "[7, 9]", "exit": 0}'
    expect(text).toContain(from)
    const dir = mkdtempSync(join(tmpdir(), 'aco-mapping-failed-'))
    try {
      // No exit code: the record says it failed with `ok: false` alone.
      const log = join(dir, 'ok-false.jsonl')
      writeFileSync(log, text.replace(from, '"output": "[7, 9]", "ok": false}'))
      const read = (mapping: FormatMapping) =>
        analyze({paths: [log], mapping, home: '/nonexistent', env: {}, keepCards: true, threads: 1})
      const plain = await read(acmeMapping())
      expect(tools(plain.cards[0]!)[0]!.tool!.status).toBe('ok')
      const mapping = {
        ...acmeMapping(),
        steps: {...acmeMapping().steps, failedWhen: {path: '$.tool.ok', equals: false}},
      }
      expect(check('format-mapping', mapping)).toBeUndefined()
      const run = await read(mapping)
      const first = tools(run.cards[0]!)[0]!
      expect(first.tool).toMatchObject({status: 'error'})
      // The other tool record, failed by steps.error, still is; nothing else changes.
      expect(tools(run.cards[0]!).map(s => s.tool!.status)).toEqual([
        'error',
        'error',
        ...tools(plain.cards[0]!)
          .slice(2)
          .map(s => s.tool!.status),
      ])
      // --check: a condition no step of the sample meets is said (fine when nothing failed there).
      const yamlPath = join(dir, 'm.yaml')
      writeFileSync(
        yamlPath,
        `${readFileSync(fixture('mapping/acme-agent.yaml'), 'utf8').replace('  error: $.tool.error', '  error: $.tool.error\n  failedWhen: {path: $.tool.status, equals: failed}')}`,
      )
      const checked = await checkMapping(yamlPath, fixture('mapping/acme-agent.jsonl'))
      expect(checked.check!.unconfirmed ?? []).toContainEqual(
        expect.stringMatching(/^steps\.failedWhen \(\$\.tool\.status\) held for no step/),
      )
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
