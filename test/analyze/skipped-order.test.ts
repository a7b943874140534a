/** Skipped input is listed in the order of its lines, whenever the reader says it (trial 116). */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {analyze} from '../../src/analyze/analyze.js'

function span(i: number, input: unknown): string {
  const attributes = [
    {key: 'gen_ai.operation.name', value: {stringValue: 'chat'}},
    {key: 'gen_ai.request.model', value: {stringValue: 'gpt-4o'}},
    {key: 'gen_ai.usage.input_tokens', value: input},
    {key: 'gen_ai.usage.output_tokens', value: {intValue: '10'}},
  ]
  const start = 1767780000000000000n + BigInt(i) * 1000000000n
  return JSON.stringify({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: 'ab'.repeat(16),
                spanId: i.toString(16).padStart(16, '0'),
                name: 'chat gpt-4o',
                startTimeUnixNano: String(start),
                endTimeUnixNano: String(start + 500000000n),
                attributes,
              },
            ],
          },
        ],
      },
    ],
  })
}

describe('skipped input', () => {
  it("is listed in the order of the file's lines, a span judged once its trace is built before a later line cut short", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-skipped-order-'))
    const file = join(dir, 'collector.jsonl')
    // Line 4 is a span whose token count is a word (judged when its trace is built, after the whole file is read);
    // line 5 is cut short (judged as it is read).
    const lines = [1, 2, 3].map(i => span(i, {intValue: '100'}))
    lines.push(span(4, {stringValue: 'lots'}), '{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "ab')
    writeFileSync(file, `${lines.join('\n')}\n`)
    for (const threads of [1, 2]) {
      const r = await analyze({paths: [dir], home: '/nonexistent', env: {}, threads})
      expect(r.summary.skipped.map(s => s.line)).toEqual([4, 5])
      expect(r.summary.skipped[0]!.reason).toMatch(/expected a token count, got "lots"/)
      expect(r.summary.totals.llmCalls).toBe(3)
    }
  })
})
