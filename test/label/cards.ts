/** Small hand-made cards for the auto-labeller's and the step features' tests: LLM steps that each run one shell command. */
import type {Step, TraceCard} from '../../src/card/types.js'

export interface Call {
  command: string
  /** Exit code (0: ok). */
  exit?: number
  text?: string
  model?: string
  turn?: number
  chars?: number
}

/** A card whose i-th LLM step runs `calls[i]` through Bash (or says `text` and calls nothing when `command` is ''). */
export function shellCard(id: string, calls: readonly Call[], extra: Partial<TraceCard> = {}): TraceCard {
  const steps: Step[] = []
  calls.forEach((c, i) => {
    const llmId = `${id}-l${i}`
    const toolId = `${id}-t${i}`
    steps.push({
      index: steps.length,
      id: llmId,
      kind: 'llm',
      model: c.model ?? 'claude-sonnet-4-20250514',
      tokens: {input: 100, output: 50, cacheRead: 1000 * (i + 1), cacheWrite: 0, reasoning: 0},
      turn: c.turn ?? 1,
      ...(c.text !== undefined ? {text: c.text} : {}),
      ...(c.command ? {toolStepIds: [toolId]} : {}),
    })
    if (!c.command) return
    const exit = c.exit ?? 0
    steps.push({
      index: steps.length,
      id: toolId,
      kind: 'tool',
      parentStepId: llmId,
      tool: {
        callId: toolId,
        name: 'Bash',
        arguments: {command: c.command},
        argsHash: `h:${c.command}`,
        status: exit === 0 ? 'ok' : 'error',
        exitCode: exit,
        outputChars: c.chars ?? 200,
      },
    })
  })
  return {
    schemaVersion: '1.0',
    id,
    source: {format: 'claude-code', path: `/logs/${id}.jsonl`},
    models: [...new Set(calls.map(c => c.model ?? 'claude-sonnet-4-20250514'))],
    totals: {
      costUsd: 0.01 * calls.length,
      tokens: {input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0},
      steps: steps.length,
      llmCalls: calls.length,
      toolCalls: calls.filter(c => c.command).length,
      wastedUsd: 0,
      unpricedCalls: 0,
    },
    unpriced: [],
    steps,
    children: [],
    warnings: [],
    ...extra,
  }
}
