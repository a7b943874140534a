/**
 * Detection over the whole corpus: every file is recognised as the format of
 * its folder (or as a companion), and no reader claims another format's file.
 */
import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import type {FormatId} from '../../src/card/types.js'
import {corpus, hasCorpus, read, skipNoCorpus} from '../helpers.js'

/** The formats each corpus folder holds; folders not listed hold formats aco does not read yet. */
const EXPECTED: Record<string, FormatId[]> = {
  'claude-code': ['claude-code'],
  'codex-rollout': ['codex'],
  'swe-agent-traj': ['swe-agent'],
  'mini-swe-agent': ['mini-swe-agent'],
  'openhands-events': ['openhands'],
  'aider-history': ['aider', 'aider-llm-history'],
  'gemini-cli': ['gemini-api', 'gemini-cli'],
  'otel-genai': ['otel'],
  openinference: ['otel'],
  'otel-vercel-ai': ['otel'],
  'openai-logprobs': ['cassette'],
}

/** Folders every file of which must be read (no companion or unknown file sits in them). */
const ALL_READ = new Set(['otel-genai', 'openinference', 'otel-vercel-ai', 'openai-logprobs'])

describe.skipIf(!hasCorpus)(`corpus: detection (${hasCorpus ? corpus('') : skipNoCorpus})`, () => {
  it("reads every file as its folder's format, and claims no file of another", async () => {
    const root = corpus('')
    const wrong: string[] = []
    const unread: string[] = []
    let read_ = 0
    for (const sub of readdirSync(root, {withFileTypes: true})) {
      if (!sub.isDirectory()) continue
      for (const f of readdirSync(join(root, sub.name), {recursive: true}) as string[]) {
        if (
          !/\.(json|jsonl|md|history|responses|traj|yaml)$/.test(f) ||
          /^(FORMATS|SOURCES|README)\.md$|README\.md$/.test(f)
        )
          continue
        const r = await read(join(root, sub.name, f))
        read_++
        if (r.format === undefined) {
          if (ALL_READ.has(sub.name)) unread.push(`${sub.name}/${f}: ${r.skipped[0]?.reason ?? 'nothing read'}`)
          continue
        }
        const expected = EXPECTED[sub.name] ?? []
        if (!expected.includes(r.format)) wrong.push(`${sub.name}/${f} read as ${r.format}`)
      }
    }
    expect(read_).toBeGreaterThan(40)
    expect(wrong).toEqual([])
    expect(unread).toEqual([])
  })
})
