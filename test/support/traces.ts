/**
 * Traces written at test time: a Claude Code session (the most common
 * format) from a short description, so a test can plant what it needs
 * (secrets, escape sequences, huge names) where real logs carry it.
 */

export interface CallSpec {
  model?: string
  /** Tool calls the response makes, with what each returned. */
  tools?: Array<{name: string; input: unknown; output: string; isError?: boolean}>
  /** Text of the response (no tool call). */
  text?: string
  usage?: {
    input_tokens: number
    output_tokens: number
    cache_read_input_tokens?: number
    cache_creation_input_tokens?: number
  }
}

/** A Claude Code session file's lines: the prompt, then each call and its tool results. */
export function claudeSession(options: {
  session?: string
  prompt: string
  calls: CallSpec[]
  start?: number
}): string[] {
  const session = options.session ?? 'sess-test-0001'
  let t = options.start ?? Date.parse('2026-03-01T10:00:00Z')
  const at = (): string => {
    t += 1000
    return new Date(t).toISOString()
  }
  const base = {isSidechain: false, userType: 'external', cwd: '/home/dev/app', sessionId: session, version: '2.0.1'}
  const lines: unknown[] = []
  let parent: string | null = null
  let n = 0
  const uuid = (): string => `u-${++n}`
  const user = (content: unknown): void => {
    const id = uuid()
    lines.push({...base, parentUuid: parent, type: 'user', uuid: id, timestamp: at(), message: {role: 'user', content}})
    parent = id
  }
  user(options.prompt)
  options.calls.forEach((call, i) => {
    const id = uuid()
    const content: unknown[] = []
    if (call.text) content.push({type: 'text', text: call.text})
    const tools = (call.tools ?? []).map((tool, k) => ({...tool, id: `toolu_${i}_${k}`}))
    for (const tool of tools) content.push({type: 'tool_use', id: tool.id, name: tool.name, input: tool.input})
    lines.push({
      ...base,
      parentUuid: parent,
      type: 'assistant',
      uuid: id,
      timestamp: at(),
      requestId: `req_${i}`,
      message: {
        model: call.model ?? 'claude-sonnet-4-5-20250929',
        id: `msg_${i}`,
        type: 'message',
        role: 'assistant',
        content,
        stop_reason: tools.length ? 'tool_use' : 'end_turn',
        usage: call.usage ?? {input_tokens: 100, output_tokens: 50, cache_read_input_tokens: 1000},
      },
    })
    parent = id
    for (const tool of tools)
      user([{type: 'tool_result', tool_use_id: tool.id, content: tool.output, is_error: tool.isError ?? false}])
  })
  return lines.map(l => JSON.stringify(l))
}
