import {copyFileSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import type {AnalyzeResult} from '../../src/analyze/result.js'
import {validator} from '../../src/util/schemas.js'
import {FORMAT_IDS} from '../../src/card/types.js'
import type {FormatsResult} from '../../src/analyze/formats.js'
import {fixture, root} from '../helpers.js'
import {acoAsync as aco, oneLine} from './run.js'

describe('aco formats (built CLI)', () => {
  it('lists every format with how it is recognised, where its logs live and whether totals are checked; --json matches its schema', async () => {
    const r = await aco(['formats', '--json'])
    expect(r.status, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout) as FormatsResult
    const validate = validator('formats-result')
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true)
    expect(result.formats!.map(f => f.id).sort()).toEqual([...FORMAT_IDS].sort())
    for (const f of result.formats!) {
      expect(f.recognisedBy.length, f.id).toBeGreaterThan(0)
      expect(f.where.length, f.id).toBeGreaterThan(5)
      expect(f.totalsChecked.length, f.id).toBeGreaterThan(5)
    }
    expect(result.formats!.filter(f => f.definedBy.startsWith('mappings/')).map(f => f.id)).toEqual([
      'langsmith',
      'litellm-spend',
    ])
    const text = await aco(['formats'], {COLUMNS: '80'})
    expect(text.status).toBe(0)
    expect(text.stdout).toMatch(/OpenTelemetry GenAI spans[\s\S]*recognised by:[\s\S]*where:[\s\S]*totals checked:/)
    for (const line of text.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80)
  })

  it('SAMPLE alone says which format reads the file, with what it read; or, none does, why (exit 3) (trial 124)', async () => {
    const r = await aco(['formats', fixture('codex/exit-codes-and-unanswered-call.jsonl'), '--json'])
    expect(r.status, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout) as FormatsResult
    const validate = validator('formats-result')
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true)
    expect(result.detected).toMatchObject({format: 'codex', name: 'Codex CLI rollout', skipped: []})
    // What aco analyze counts of it, the same.
    const analysed = JSON.parse(
      (await aco(['analyze', fixture('codex/exit-codes-and-unanswered-call.jsonl'), '--json', '--no-cache'])).stdout,
    ) as AnalyzeResult
    expect(result.detected!.cards.map(c => c.costUsd).reduce((a, b) => a + b, 0)).toBeCloseTo(
      analysed.totals.costUsd,
      12,
    )
    const text = await aco(['formats', fixture('codex/exit-codes-and-unanswered-call.jsonl')])
    expect(text.stdout).toMatch(/read as Codex CLI rollout \(codex\): aco analyze reads it so/)
    const dir = mkdtempSync(join(tmpdir(), 'aco-formats-sample-'))
    writeFileSync(join(dir, 'other.jsonl'), '{"foo": 1}\n')
    const unknown = await aco(['formats', join(dir, 'other.jsonl')])
    expect(unknown.status).toBe(3)
    expect(oneLine(unknown.stdout)).toMatch(
      /no format aco reads recognises it .* skipped: unknown format; looked for Codex/,
    )
    // A companion of traces (Aider's LLM I/O log beside its chat history) is said so, exit 0 (review 125).
    copyFileSync(fixture('aider/calls.aider.llm.history'), join(dir, 'calls.aider.llm.history'))
    copyFileSync(
      fixture('aider/sessions-and-model-switch.aider.chat.history.md'),
      join(dir, 'calls.aider.chat.history.md'),
    )
    const companion = await aco(['formats', join(dir, 'calls.aider.llm.history')])
    expect(companion.status, companion.stderr).toBe(0)
    expect(oneLine(companion.stdout)).toMatch(
      /counted from calls\.aider\.chat\.history\.md beside it: a companion of traces, not a trace/,
    )
    expect(companion.stdout).not.toMatch(/no step read/)
    for (const args of [
      ['formats', dir],
      ['formats', '--check', fixture('mapping/acme-agent.yaml'), dir],
    ]) {
      const folder = await aco(args)
      expect(folder.status, args.join(' ')).toBe(2)
      expect(folder.stderr).toMatch(/is a folder: name one file of it/)
    }
  })

  it('--check MAPPING SAMPLE shows what the mapping reads, exit 0', async () => {
    const ok = await aco([
      'formats',
      '--check',
      fixture('mapping/acme-agent.yaml'),
      fixture('mapping/acme-agent.jsonl'),
    ])
    expect(ok.status, ok.stderr).toBe(0)
    expect(ok.stdout).toMatch(/detect rules: the sample is recognised/)
    expect(ok.stdout).toMatch(/card r-100 "Close stale tickets": 2 LLM calls, 2 tool calls/)
  })

  it('--check names every path no record holds: a typo in a token, a tool result (exit 3); an error path a clean sample lacks is only said', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-formats-check-'))
    const mapping = readFileSync(fixture('mapping/acme-agent.yaml'), 'utf8')
    const typos = mapping
      .replace('output: $.call.usage.out', 'output: $.call.usage.outt')
      .replace('$.tool.output', '$.tool.ouput')
    writeFileSync(join(dir, 'typos.yaml'), typos)
    const r = await aco(['formats', '--check', join(dir, 'typos.yaml'), fixture('mapping/acme-agent.jsonl')])
    expect(r.status, r.stderr).toBe(3)
    const out = oneLine(r.stdout)
    expect(out).toMatch(/! steps\.tokens\.output \(\$\.call\.usage\.outt\) gave no LLM call a value/)
    expect(out).toMatch(/! steps\.tool\.result \(\$\.tool\.ouput\) gave no tool execution a value/)
    // The fixture's mapping reads every field it names from the sample: nothing said, exit 0.
    const clean = await aco([
      'formats',
      '--check',
      fixture('mapping/acme-agent.yaml'),
      fixture('mapping/acme-agent.jsonl'),
    ])
    expect(clean.stdout).not.toMatch(/^ {2}[!?] /m)
    // An error path that no record holds, in a sample where nothing failed: a `?` line, exit 0.
    writeFileSync(join(dir, 'error.yaml'), mapping.replace('error: $.tool.error', 'error: $.tool.failure'))
    const optional = await aco([
      'formats',
      '--check',
      join(dir, 'error.yaml'),
      fixture('mapping/acme-agent.jsonl'),
      '--json',
    ])
    expect(optional.status, optional.stderr).toBe(0)
    const result = JSON.parse(optional.stdout) as FormatsResult
    expect(validator('formats-result')(result)).toBe(true)
    expect(result.check!.unmatched).toEqual([])
    expect(result.check!.unconfirmed).toEqual([
      'steps.error ($.tool.failure) gave no step a value: fine if the sample has none, else check the path',
    ])
  })

  it("--check shows the mapping's own read: a sample it reads nothing from is not read by another reader there (exit 3)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-formats-check-'))
    // No detect rules, and kinds no Claude Code record holds.
    const mapping = readFileSync(fixture('mapping/acme-agent.yaml'), 'utf8').replace(/^detect:\n(?: {2}.*\n)+/m, '')
    expect(mapping).not.toMatch(/^detect:/m)
    writeFileSync(join(dir, 'no-detect.yaml'), mapping)
    const r = await aco([
      'formats',
      '--check',
      join(dir, 'no-detect.yaml'),
      fixture('claude-code/inline-sidechain.jsonl'),
    ])
    expect(r.status, r.stdout).toBe(3)
    expect(r.stdout).toMatch(/no step read from the sample/)
    expect(r.stdout).toMatch(/! steps\.kind \(\$\.event\) matched none of its values/)
  })

  it('--check refuses a script path with exit 2 (JSON too), and says when the sample is not recognised (exit 3)', async () => {
    const bad = await aco([
      'formats',
      '--check',
      fixture('mapping/script-filter.yaml'),
      fixture('mapping/acme-agent.jsonl'),
    ])
    expect(bad.status).toBe(2)
    expect(oneLine(bad.stderr)).toMatch(/uses a script or filter expression .* never runs code from a mapping/)
    // A flag's value oclif cannot take (a device where a file is wanted) is a usage error too, exit 2.
    const device = await aco(['formats', '--check', '/dev/null', fixture('mapping/acme-agent.jsonl')])
    expect(device.status, device.stderr).toBe(2)
    const json = await aco([
      'formats',
      '--check',
      fixture('mapping/script-filter.yaml'),
      fixture('mapping/acme-agent.jsonl'),
      '--json',
    ])
    expect(json.status).toBe(2)
    expect(JSON.parse(json.stdout)).toMatchObject({error: {code: 'schema', exit: 2}})
    const unrecognised = await aco([
      'formats',
      '--check',
      fixture('mapping/acme-agent.yaml'),
      fixture('langsmith/runs.jsonl'),
    ])
    expect(unrecognised.status).toBe(3)
    expect(unrecognised.stdout).toMatch(/NOT recognised/)
  })
})

describe('aco analyze over the new formats (built CLI)', () => {
  it('--mapping reads a user format; --json matches its schema, totals by format', async () => {
    const r = await aco([
      'analyze',
      fixture('mapping/acme-agent.jsonl'),
      fixture('otel'),
      fixture('api-log'),
      fixture('atif'),
      fixture('langfuse'),
      fixture('openai-agents'),
      fixture('langsmith/runs.jsonl'),
      fixture('litellm'),
      fixture('cassette/ruby-vcr-anthropic-stream.json'),
      '--mapping',
      fixture('mapping/acme-agent.yaml'),
      '--json',
    ])
    expect(r.status, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout) as AnalyzeResult
    const validate = validator('analyze-result')
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true)
    expect(result.skipped).toEqual([])
    expect([...new Set(result.traces.map(t => t.format))].sort()).toEqual([
      'api-log',
      'atif',
      'cassette',
      'langfuse',
      'langsmith',
      'litellm-spend',
      'mapping',
      'openai-agents',
      'otel',
    ])
    // the split OTel trace is one trace
    expect(result.traces.filter(t => t.id === '0af7651916cd43dd8448eb211c80319c')).toHaveLength(1)
  })

  it('--mapping and --format together are a usage error', async () => {
    const r = await aco([
      'analyze',
      fixture('mapping'),
      '--mapping',
      fixture('mapping/acme-agent.yaml'),
      '--format',
      'codex',
    ])
    expect(r.status).toBe(2)
  })

  it('README documents aco formats and --mapping', () => {
    const readme = readFileSync(`${root}README.md`, 'utf8')
    expect(readme).toMatch(/aco formats --check/)
    expect(readme).toMatch(/--mapping FILE/)
  })
})
