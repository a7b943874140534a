/** OpenTelemetry traces' titles: a root's name where it names something, else the first request (trial 116, review 118). */
import {describe, expect, it} from 'vitest'
import {requestText} from '../../src/adapt/otel/semconv.js'
import type {Span} from '../../src/adapt/otel/spans.js'
import {cardsFromSpans} from '../../src/adapt/otel/tree.js'
import type {AdaptContext} from '../../src/adapt/types.js'

const span = (name: string, attrs: Record<string, unknown>, extra: Partial<Span> = {}): Span => ({
  name,
  attrs,
  events: [],
  order: 0,
  ...extra,
})

const ctx: AdaptContext = {path: '/t/spans.json', redact: true, skip: () => {}}

function titled(rootName: string, prompt: Record<string, unknown>): string | undefined {
  const root = span(
    rootName,
    {'gen_ai.operation.name': rootName.startsWith('invoke_agent') ? 'invoke_agent' : 'x'},
    {
      traceId: 't1',
      spanId: 'r',
      start: '2026-01-01T00:00:00Z',
      end: '2026-01-01T00:00:10Z',
      startMs: Date.parse('2026-01-01T00:00:00Z'),
    },
  )
  const call = span(
    'chat gpt-4o',
    {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 2,
      ...prompt,
    },
    {
      traceId: 't1',
      spanId: 'c',
      parentId: 'r',
      start: '2026-01-01T00:00:01Z',
      end: '2026-01-01T00:00:02Z',
      startMs: Date.parse('2026-01-01T00:00:01Z'),
      order: 1,
    },
  )
  return cardsFromSpans([root, call], ctx, 'f')[0]?.title
}

describe('OpenTelemetry titles', () => {
  it('reads the first request from each convention, a message of parts written as JSON too', () => {
    expect(
      requestText(
        span('c', {
          'gen_ai.input.messages':
            '[{"role":"system","parts":[{"type":"text","content":"be brief"}]},{"role":"user","parts":[{"type":"text","content":"Fix the parser"}]}]',
        }),
      ),
    ).toBe('Fix the parser')
    expect(
      requestText(
        span('c', {
          'gen_ai.prompt.0.role': 'user',
          'gen_ai.prompt.0.content': '[{"type": "text", "text": "Please refactor the parser module"}]',
        }),
      ),
    ).toBe('Please refactor the parser module')
    expect(requestText(span('c', {'gen_ai.prompt.0.role': 'user', 'gen_ai.prompt.0.content': '[WIP] tidy up'}))).toBe(
      '[WIP] tidy up',
    )
    expect(
      requestText(
        span('c', {'llm.input_messages.0.message.role': 'user', 'llm.input_messages.0.message.content': 'Hi'}),
      ),
    ).toBe('Hi')
    expect(requestText(span('c', {'ai.prompt': '{"prompt":"Summarise the issue"}'}))).toBe('Summarise the issue')
    expect(requestText(span('c', {}))).toBeUndefined()
  })

  it('keeps a root name that names something; replaces one that only says what the span is', () => {
    const prompt = {'gen_ai.prompt.0.role': 'user', 'gen_ai.prompt.0.content': 'Fix the parser'}
    expect(titled('workflow', prompt)).toBe('Fix the parser')
    expect(titled('openai.chat', prompt)).toBe('Fix the parser')
    expect(titled('ChatOpenAI', prompt)).toBe('Fix the parser')
    expect(titled('ChatNVIDIA', prompt)).toBe('Fix the parser')
    expect(titled('invoke_agent Researcher', prompt)).toBe('invoke_agent Researcher')
    expect(titled('Chatbot nightly digest', prompt)).toBe('Chatbot nightly digest')
    expect(titled('task triage', prompt)).toBe('task triage')
  })
})
