/**
 * The reading pipeline on mutated real input. A seed file per adapter (the
 * fixtures, and the smallest readable file of each corpus folder when the
 * corpus is there) is mutated by fast-check: truncated, bytes flipped, lines
 * dropped or duplicated, values replaced by wrong types and odd numbers,
 * deep nesting, huge strings, UTF-16, CR-only line ends, NUL padding, and a
 * planted secret. Whatever the mutation, reading never throws and is never
 * an internal error, every skip names its file (and a line when it is about
 * one), Σ wasted ≤ Σ cost on every card, and the planted secret is nowhere
 * in the cards or the skip reasons as aco writes them. No odd number is ever
 * counted: every token count on a card is a whole number in 0..1e9 and every
 * cost finite and non-negative. A change of encoding or line ends (UTF-16 LE
 * or BE, a UTF-8 BOM, CR-only lines, NUL padding) changes nothing read: the
 * totals and the skips are those of the untouched file (NUL padding adds one
 * note naming its file and byte count).
 */
import {readdirSync, statSync, writeFileSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, join} from 'node:path'
import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {beforeAll, describe, expect, it} from 'vitest'
import {forEachCard} from '../../src/card/build.js'
import type {TraceCard} from '../../src/card/types.js'
import {flagCard} from '../../src/flag/flag-card.js'
import {corpus, fixture, hasCorpus, read} from '../helpers.js'
import {redactValue} from '../../src/util/redact.js'
import {leak, plantedSecrets} from '../support/planted.js'
import {LIMIT_MS, runs} from './runs.js'

const dir = mkdtempSync(join(tmpdir(), 'aco-inputs-property-'))
let written = 0

/** One fixture per adapter (the formats aco detects without a flag). */
const FIXTURES = [
  'aider/cache-write-and-hit.aider.chat.history.md',
  'aider/calls.aider.llm.history',
  'api-log/anthropic-proxy.jsonl',
  'atif/spec-subagent-logprobs.json',
  'cassette/openai-chat-vcrpy.yaml',
  'claude-code/split-blocks.jsonl',
  'codex/duplicate-token-counts.jsonl',
  'gemini/session-tool-calls.json',
  'gemini/session-updates.jsonl',
  'langfuse/observations-export.jsonl',
  'langsmith/runs.jsonl',
  'litellm/spend-logs.json',
  'mini-swe-agent/text-1x.traj.json',
  'openai-agents/refund-trace.json',
  'openhands/llm-metrics-per-call.json',
  'otel/openinference-chain.jsonl',
  'otel/otlp-agent-trace.json',
  'swe-agent/no-model.traj',
  'waste/loop.jsonl',
]

interface Seed {
  name: string
  bytes: Buffer
}

const seeds: Seed[] = []

/** What reading a file gave, to compare a re-encoded copy with: its cards' totals and its skips (without the path). */
function summary(result: Awaited<ReturnType<typeof read>>): string {
  return JSON.stringify({
    totals: result.cards.map(c => c.totals),
    skipped: result.skipped.map(s => [s.line, s.reason.split(result.path).join('<path>')]),
  })
}

/** Each seed's summary, untouched. */
const plain = new Map<string, string>()

/** Mutations that change how a file is written, not what it says. */
const SAME_CONTENT = new Set(['utf16', 'utf16be', 'utf8-bom', 'cr-only', 'nul-padding'])

/** The smallest files under `folder` (at most 300 KB) that read into at least one card. */
async function smallestReadable(folder: string): Promise<string | undefined> {
  const files: Array<{path: string; size: number}> = []
  const walk = (d: string, depth: number): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name)
      const st = statSync(path)
      if (st.isDirectory()) {
        if (depth < 3) walk(path, depth + 1)
      } else if (st.size > 200 && st.size < 300_000 && !/\.(md|txt)$/i.test(name)) files.push({path, size: st.size})
    }
  }
  walk(folder, 0)
  files.sort((a, b) => a.size - b.size)
  for (const f of files.slice(0, 6)) {
    const r = await read(f.path)
    if (r.cards.length > 0 && r.skipped.length === 0) return f.path
  }
  return undefined
}

beforeAll(async () => {
  for (const f of FIXTURES) seeds.push({name: f, bytes: readFileSync(fixture(f))})
  if (hasCorpus)
    for (const folder of readdirSync(corpus('')).filter(n => statSync(corpus(n)).isDirectory())) {
      const path = await smallestReadable(corpus(folder))
      if (path) seeds.push({name: `corpus/${folder}/${basename(path)}`, bytes: readFileSync(path)})
    }
  for (const seed of seeds) plain.set(seed.name, summary(await read(writeSeed(seed, seed.bytes))))
}, 120_000)

/** Writes bytes under the seed's name (its extension kept: some formats are known by it). */
function writeSeed(seed: Seed, bytes: Buffer): string {
  const ext = /\.[^/]+$/.exec(seed.name)?.[0] ?? ''
  const path = join(dir, `${written++}-${basename(seed.name, ext).slice(0, 40)}${ext}`)
  writeFileSync(path, bytes)
  return path
}

const secret = plantedSecrets(1212).find(p => p.kind === 'anthropic')!.secret

type Mutation =
  | {kind: 'truncate'; at: number}
  | {kind: 'flip'; at: number; byte: number}
  | {kind: 'drop-line'; at: number}
  | {kind: 'duplicate-line'; at: number}
  | {kind: 'wrong-value'; at: number; key: number; value: unknown}
  | {kind: 'deep'; at: number; depth: number}
  | {kind: 'huge-string'; at: number; size: number}
  | {kind: 'utf16'}
  | {kind: 'utf16be'}
  | {kind: 'utf8-bom'}
  | {kind: 'cr-only'}
  | {kind: 'nul-padding'; size: number}
  | {kind: 'secret'; at: number; key: number}

const ODD = [null, true, -1, 0, 1.5, 1e308, -1e308, 2 ** 53 + 1, 'NaN', '', 'x', [], {}, [1, 'a'], {a: {b: []}}]

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({kind: fc.constant('truncate' as const), at: fc.nat()}),
  fc.record({kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({min: 0, max: 255})}),
  fc.record({kind: fc.constant('drop-line' as const), at: fc.nat()}),
  fc.record({kind: fc.constant('duplicate-line' as const), at: fc.nat()}),
  fc.record({kind: fc.constant('wrong-value' as const), at: fc.nat(), key: fc.nat(), value: fc.constantFrom(...ODD)}),
  fc.record({kind: fc.constant('deep' as const), at: fc.nat(), depth: fc.constantFrom(100, 5_000, 100_000)}),
  fc.record({kind: fc.constant('huge-string' as const), at: fc.nat(), size: fc.constantFrom(70_000, 1_000_000)}),
  fc.constant({kind: 'utf16' as const}),
  fc.constant({kind: 'utf16be' as const}),
  fc.constant({kind: 'utf8-bom' as const}),
  fc.constant({kind: 'cr-only' as const}),
  fc.record({kind: fc.constant('nul-padding' as const), size: fc.integer({min: 1, max: 4096})}),
  fc.record({kind: fc.constant('secret' as const), at: fc.nat(), key: fc.nat()}),
)

/** Every string-valued place in a JSON value, as setters, in a stable order. */
function places(value: unknown, out: Array<{set: (v: unknown) => void; isString: boolean}> = [], depth = 0) {
  if (depth > 40 || value === null || typeof value !== 'object') return out
  for (const [k, v] of Object.entries(value)) {
    const holder = value as Record<string, unknown>
    out.push({set: x => (holder[k] = x), isString: typeof v === 'string'})
    places(v, out, depth + 1)
  }
  return out
}

/** Applies a mutation to a JSON text: to one of its lines when it is JSONL, else to the document. */
function mutateJson(
  text: string,
  at: number,
  key: number,
  change: (place: {set: (v: unknown) => void; isString: boolean}[]) => void,
): string {
  const lines = text.split('\n')
  const jsonl = lines.filter(l => l.trim()).length > 1 && lines.every(l => !l.trim() || /^\s*[[{]/.test(l))
  const targets = jsonl ? lines : [text]
  const i = at % targets.length
  let value: unknown
  try {
    value = JSON.parse(targets[i]!)
  } catch {
    return text
  }
  const all = places(value)
  if (all.length === 0) return text
  change([all[key % all.length]!, ...all.filter(p => p.isString)])
  targets[i] = JSON.stringify(value)
  return jsonl ? targets.join('\n') : targets[0]!
}

function mutate(bytes: Buffer, m: Mutation): Buffer {
  const text = (): string => bytes.toString('utf8')
  const lines = (): string[] => text().split('\n')
  switch (m.kind) {
    case 'truncate':
      return bytes.subarray(0, m.at % (bytes.length + 1))
    case 'flip': {
      const out = Buffer.from(bytes)
      if (out.length) out[m.at % out.length] = m.byte
      return out
    }
    case 'drop-line': {
      const l = lines()
      l.splice(m.at % l.length, 1)
      return Buffer.from(l.join('\n'))
    }
    case 'duplicate-line': {
      const l = lines()
      const i = m.at % l.length
      l.splice(i, 0, l[i]!)
      return Buffer.from(l.join('\n'))
    }
    case 'wrong-value':
      return Buffer.from(mutateJson(text(), m.at, m.key, ([p]) => p!.set(structuredClone(m.value))))
    case 'deep':
      return Buffer.from(
        mutateJson(text(), m.at, m.at, ([p]) => {
          let v: unknown = 1
          for (let d = 0; d < Math.min(m.depth, 2000); d++) v = [v]
          p!.set(m.depth > 2000 ? '__DEEP__' : v)
        }).replace('"__DEEP__"', `${'['.repeat(m.depth)}1${']'.repeat(m.depth)}`),
      )
    case 'huge-string':
      return Buffer.from(mutateJson(text(), m.at, m.at, ([p]) => p!.set('lorem ipsum '.repeat(m.size / 12))))
    case 'utf16':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text(), 'utf16le')])
    case 'utf16be':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text(), 'utf16le').swap16()])
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes])
    case 'cr-only':
      return Buffer.from(text().replace(/\r?\n/g, '\r'))
    case 'nul-padding':
      return Buffer.concat([bytes, Buffer.alloc(m.size)])
    case 'secret': {
      const planted = `use the key ${secret} for now`
      const json = mutateJson(text(), m.at, m.key, ([first, ...strings]) =>
        (strings.length ? strings[m.key % strings.length]! : first!).set(planted),
      )
      // Text formats (Aider's Markdown, YAML): the secret goes on a line of its own.
      if (json !== text()) return Buffer.from(json)
      const l = lines()
      l.splice(m.at % (l.length + 1), 0, planted)
      return Buffer.from(l.join('\n'))
    }
  }
}

async function check(seed: Seed, m: Mutation): Promise<void> {
  const bytes = mutate(seed.bytes, m)
  const path = writeSeed(seed, bytes)
  const where = `${seed.name} after ${JSON.stringify(m).slice(0, 120)}`
  const result = await read(path)
  expect(result.internalErrors, `${where}: ${JSON.stringify(result.skipped).slice(0, 500)}`).toBe(0)
  for (const s of result.skipped) {
    expect(s.path, where).toBe(path)
    expect(s.reason.length, where).toBeGreaterThan(0)
    if (s.line !== undefined) expect(Number.isInteger(s.line) && s.line > 0, where).toBe(true)
  }
  if (SAME_CONTENT.has(m.kind)) {
    // The same content written another way reads the same; NUL padding adds its note, with the byte count.
    const padding = m.kind === 'nul-padding' ? result.skipped.filter(s => /NUL bytes/.test(s.reason)) : []
    if (m.kind === 'nul-padding')
      expect(
        padding.map(p => p.reason),
        where,
      ).toEqual([expect.stringContaining(`${m.size.toLocaleString('en-US')} NUL bytes`)])
    const rest = {...result, skipped: result.skipped.filter(s => !padding.includes(s))}
    expect(summary(rest), where).toBe(plain.get(seed.name))
  }
  const cards: TraceCard[] = []
  forEachCard(result.cards, c => cards.push(c))
  // No odd number is counted: token counts whole and within 0..1e9, costs finite and non-negative.
  for (const card of cards)
    for (const s of card.steps) {
      for (const v of Object.values(s.tokens ?? {}))
        expect(Number.isInteger(v) && v >= 0 && v <= 1e9, `${where}: tokens ${JSON.stringify(s.tokens)}`).toBe(true)
      for (const v of [s.cost?.usd, s.cost?.recordedUsd])
        if (typeof v === 'number') expect(Number.isFinite(v) && v >= 0, `${where}: cost ${v}`).toBe(true)
    }
  for (const card of result.cards) flagCard(card)
  for (const card of cards) {
    let cost = 0
    let wasted = 0
    for (const s of card.steps) {
      if (s.kind === 'llm' && typeof s.cost?.usd === 'number') cost += s.cost.usd
      for (const f of s.flags ?? []) wasted += f.wastedUsd
    }
    expect(wasted, `${where}: wasted ${wasted} of ${cost} in ${card.id}`).toBeLessThanOrEqual(cost * (1 + 1e-9) + 1e-12)
  }
  if (m.kind === 'secret') {
    // What every sink writes: the cards (cards.ndjson, the review) and the skips (--json, the terminal) as the
    // writers redact them; ids and tool names are kept whole in memory, so a card's identity stays stable.
    const out = JSON.stringify(redactValue(result.cards)) + JSON.stringify(redactValue(result.skipped))
    expect(leak(out, secret), where).toBeUndefined()
  }
}

describe('reading mutated real input', () => {
  it('has a seed per adapter (and per corpus folder when the corpus is there)', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(FIXTURES.length)
  })

  it(
    'never throws, never fails inside aco, reports every skip, claims no dollar twice, leaks no secret',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.nat(), mutation, async (k, m) => check(seeds[k % seeds.length]!, m)),
        runs(300, 10_000),
      )
    },
    LIMIT_MS,
  )
})
