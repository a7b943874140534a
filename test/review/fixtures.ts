/**
 * Cards for the review's tests, made fresh from the repo's own fixtures
 * (fixtures/waste: one trace per detector; fixtures/claude-code: a session
 * with a subagent) by the analyze service, so they can never go stale; and
 * small hand-made cards for the cases the fixtures lack.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {analyze} from '../../src/analyze/analyze.js'
import {indexRow, type CardIndexRow} from '../../src/analyze/card-index.js'
import {openCardsWriter} from '../../src/analyze/cards-writer.js'
import type {Step, TraceCard} from '../../src/card/types.js'
import {initialState} from '../../src/review/state/reduce.js'
import type {InitOptions, ReviewState} from '../../src/review/state/types.js'
import {fixture} from '../helpers.js'

let cached: Promise<TraceCard[]> | undefined

/** The cards of fixtures/waste and fixtures/claude-code, analysed (priced, flagged, subagents linked). */
export function fixtureCards(): Promise<TraceCard[]> {
  cached ??= analyze({
    paths: [fixture('waste'), fixture('claude-code')],
    home: tmpdir(),
    env: {},
    keepCards: true,
    threads: 1,
  }).then(run => run.cards.filter(c => !c.parent))
  return cached
}

export function rowsOf(cards: readonly TraceCard[]): CardIndexRow[] {
  let offset = 0
  return cards.map(card => {
    const bytes = Buffer.byteLength(JSON.stringify(card))
    const row = indexRow(card, offset, bytes)
    offset += bytes + 1
    return row
  })
}

/** Writes cards.ndjson (and, unless `index` is false, cards.index.ndjson) into `dir`, with aco analyze --out's writer (cards as given, not redacted again). */
export function writeCards(dir: string, cards: readonly TraceCard[], index = true): string {
  const writer = openCardsWriter(dir, {redact: false, index})
  writer.write(cards)
  writer.commit()
  return writer.path
}

export function byId(cards: readonly TraceCard[], id: string): TraceCard {
  const card = cards.find(c => c.id === id)
  if (!card) throw new Error(`no card ${id}`)
  return card
}

export function state(cards: readonly TraceCard[], options: Partial<InitOptions> = {}): ReviewState {
  return initialState({
    rows: rowsOf(cards),
    screen: {columns: 100, rows: 30},
    decisionsPath: './aco-decisions.json',
    ...options,
  })
}

const made: string[] = []
export function tmp(prefix = 'aco-review-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}
export function cleanTmp(): void {
  for (const dir of made.splice(0)) rmSync(dir, {recursive: true, force: true})
}

const llm = (index: number, id: string, usd: number, extra: Partial<Step> = {}): Step => ({
  index,
  id,
  kind: 'llm',
  model: 'claude-sonnet-4-20250514',
  tokens: {input: 10, output: 100, cacheRead: 1000, cacheWrite: 0, reasoning: 0},
  cost: {usd, source: 'computed'},
  ...extra,
})
const tool = (index: number, id: string, name: string, args: unknown, extra: Partial<Step> = {}): Step => ({
  index,
  id,
  kind: 'tool',
  tool: {callId: id, name, arguments: args, argsHash: id, status: 'ok', outputChars: 20, excerpt: 'ok'},
  ...extra,
})
const totals = (costUsd: number, wastedUsd: number, steps: number) => ({
  costUsd,
  tokens: {input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0},
  steps,
  llmCalls: 0,
  toolCalls: 0,
  wastedUsd,
  unpricedCalls: 0,
})

/**
 * A small hand-made trace: a root whose step 1 (a Task call) started a
 * subagent with a flagged step (its evidence in the subagent), and a second
 * subagent no step claims.
 */
export function nestedCard(): TraceCard {
  const child: TraceCard = {
    schemaVersion: '1.0',
    id: 'root/agent-1',
    source: {format: 'claude-code', path: '/logs/root/agent-1.jsonl'},
    parent: {traceId: 'root', stepId: 't1', agentType: 'Explore'},
    models: ['claude-sonnet-4-20250514'],
    totals: totals(0.03, 0.01, 4),
    unpriced: [],
    steps: [
      llm(0, 'c0', 0.01, {toolStepIds: ['c1']}),
      tool(1, 'c1', 'Read', {file_path: 'src/a.ts'}),
      llm(2, 'c2', 0.02, {toolStepIds: ['c3']}),
      tool(
        3,
        'c3',
        'Read',
        {file_path: 'src/a.ts'},
        {
          flags: [
            {
              kind: 'reread-unchanged',
              reason: 'reads src/a.ts again; nothing changed it',
              confidence: 0.9,
              wastedUsd: 0.01,
              evidence: ['c1'],
            },
          ],
        },
      ),
    ],
    children: [],
    warnings: [],
  }
  const orphan: TraceCard = {
    ...child,
    id: 'root/agent-2',
    parent: {traceId: 'root', agentType: 'compact'},
    totals: totals(0.001, 0, 1),
    steps: [llm(0, 'o0', 0.001)],
  }
  return {
    schemaVersion: '1.0',
    id: 'root',
    source: {format: 'claude-code', path: '/logs/root.jsonl'},
    title: 'Nested trace',
    startedAt: '2026-03-02T10:00:00.000Z',
    models: ['claude-sonnet-4-20250514'],
    totals: totals(0.05, 0, 3),
    unpriced: [],
    steps: [
      llm(0, 'r0', 0.02, {toolStepIds: ['t1']}),
      tool(
        1,
        't1',
        'Task',
        {description: 'explore the code', prompt: 'look around'},
        {childTraceIds: ['root/agent-1']},
      ),
      llm(2, 'r2', 0.03),
    ],
    children: [child, orphan],
    warnings: [],
  }
}

/**
 * A trace in Chinese and emoji: its title (the first prompt), what the model
 * said, the commands it ran and a flag's reason. Each such character takes
 * two columns of a terminal, so text fitted by its length runs off the row.
 */
export function wideCard(): TraceCard {
  const command = 'echo "检查移动端布局：登录按钮错位 🔍 然后运行全部单元测试并更新变更日志"'
  const run = (index: number, id: string, extra: Partial<Step> = {}): Step => {
    const step = tool(index, id, 'Bash', {command}, extra)
    step.tool!.excerpt = '登录按钮错位已修复 🎉\n所有单元测试通过，表单验证在三种浏览器下行为一致，变更日志已更新'
    return step
  }
  return {
    schemaVersion: '1.0',
    id: 'wide',
    source: {format: 'codex', path: '/logs/wide.jsonl'},
    title: '修复登录页面在移动端显示错位的问题，并为表单验证添加单元测试 🚀📦 然后更新变更日志和文档说明',
    startedAt: '2026-02-23T10:00:00.000Z',
    models: ['gpt-5.3-codex'],
    totals: totals(0.5, 0.2, 4),
    unpriced: [],
    steps: [
      llm(0, 'w0', 0.2, {
        model: 'gpt-5.3-codex',
        text: '我先看看登录页面的样式文件，然后运行测试，确认移动端按钮的位置和表单验证的行为都正确无误。🔍🎉',
        toolStepIds: ['w1'],
      }),
      run(1, 'w1'),
      llm(2, 'w2', 0.3, {model: 'gpt-5.3-codex', toolStepIds: ['w3']}),
      run(3, 'w3', {
        flags: [
          {
            kind: 'duplicate-call',
            reason: '再次运行了同一个命令，输出与上一次完全相同 🔁 (the same command, the same output)',
            confidence: 0.95,
            wastedUsd: 0.2,
            evidence: ['w1'],
          },
        ],
      }),
    ],
    children: [],
    warnings: [],
  }
}
