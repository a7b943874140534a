/**
 * Reading a format mapping: parse (YAML or JSON), validate against
 * `schemas/format-mapping.schema.json`, and compile every path once (refusing
 * script expressions, see paths.ts). What cannot be used is an AcoError that
 * names the field and the fix.
 */
import {jsonTooComplex} from '../../util/depth.js'
import type * as Yaml from 'yaml'
import {check} from '../../util/schemas.js'
import {AcoError} from '../../errors.js'
import {lazyModule} from '../../util/lazy-module.js'
import {compilePath, compilePaths, PathError, type CompiledPath, type CompiledPaths} from './paths.js'
import type {Condition, FormatMapping, Paths, TokenPaths} from './types.js'

type Scalar = string | number | boolean | null

/** yaml loads with the first mapping read (see lazy-module.ts). */
const yaml = lazyModule<typeof Yaml>('yaml')

export interface CompiledCondition {
  path: CompiledPath
  equals?: Scalar[]
  exists?: boolean
}

export interface CompiledTokens {
  input?: CompiledPaths
  output?: CompiledPaths
  cacheRead?: CompiledPaths
  cacheWrite?: CompiledPaths
  cacheWrite5m?: CompiledPaths
  cacheWrite1h?: CompiledPaths
  reasoning?: CompiledPaths
  total?: CompiledPaths
  inputIncludesCache: boolean
  outputIncludesReasoning: boolean
}

export interface CompiledMapping {
  source: FormatMapping
  detect?: {all: CompiledCondition[]; any: CompiledCondition[]}
  records?: CompiledPath
  trace: {id?: CompiledPaths; title?: CompiledPaths; session?: CompiledPaths}
  steps: {
    when?: CompiledCondition
    cacheHit?: CompiledCondition
    costUnknown?: CompiledCondition
    failedWhen?: CompiledCondition
    id?: CompiledPaths
    parent?: CompiledPaths
    order?: CompiledPaths
    kind?: {path: CompiledPath; llm: Scalar[]; tool: Scalar[]}
    model?: CompiledPaths
    provider?: CompiledPaths
    startedAt?: CompiledPaths
    endedAt?: CompiledPaths
    text?: CompiledPaths
    stopReason?: CompiledPaths
    error?: CompiledPaths
    tokens?: CompiledTokens
    costUsd?: CompiledPaths
    tool: {
      name?: CompiledPaths
      callId?: CompiledPaths
      arguments?: CompiledPaths
      result?: CompiledPaths
      exitCode?: CompiledPaths
    }
    toolCalls?: {path: CompiledPath; id?: CompiledPaths; name?: CompiledPaths; arguments?: CompiledPaths}
  }
  recorded?: {when: CompiledCondition; tokens?: CompiledTokens; costUsd?: CompiledPaths}
}

const list = (v: Scalar | Scalar[] | undefined): Scalar[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])

/** Compiles a mapping that already passed the schema. Path errors name the field. */
export function compileMapping(m: FormatMapping): CompiledMapping {
  const problems: string[] = []
  const one = (field: string, p: string | undefined): CompiledPath | undefined => {
    if (p === undefined) return undefined
    try {
      return compilePath(p)
    } catch (error) {
      if (!(error instanceof PathError)) throw error
      problems.push(`${field}: ${error.message}`)
      return undefined
    }
  }
  const many = (field: string, p: Paths | undefined): CompiledPaths | undefined => {
    if (p === undefined) return undefined
    try {
      return compilePaths(p)
    } catch (error) {
      if (!(error instanceof PathError)) throw error
      problems.push(`${field}: ${error.message}`)
      return undefined
    }
  }
  const cond = (field: string, c: Condition): CompiledCondition => {
    const compiled: CompiledCondition = {path: one(`${field}.path`, c.path)!}
    if (c.equals !== undefined) compiled.equals = list(c.equals)
    if (c.exists !== undefined) compiled.exists = c.exists
    return compiled
  }
  const tokens = (field: string, t: TokenPaths | undefined): CompiledTokens | undefined =>
    t && {
      input: many(`${field}.input`, t.input),
      output: many(`${field}.output`, t.output),
      cacheRead: many(`${field}.cacheRead`, t.cacheRead),
      cacheWrite: many(`${field}.cacheWrite`, t.cacheWrite),
      cacheWrite5m: many(`${field}.cacheWrite5m`, t.cacheWrite5m),
      cacheWrite1h: many(`${field}.cacheWrite1h`, t.cacheWrite1h),
      reasoning: many(`${field}.reasoning`, t.reasoning),
      total: many(`${field}.total`, t.total),
      inputIncludesCache: t.inputIncludesCache ?? true,
      outputIncludesReasoning: t.outputIncludesReasoning ?? true,
    }
  const s = m.steps
  const compiled: CompiledMapping = {
    source: m,
    trace: {
      id: many('trace.id', m.trace?.id),
      title: many('trace.title', m.trace?.title),
      session: many('trace.session', m.trace?.session),
    },
    steps: {
      id: many('steps.id', s.id),
      parent: many('steps.parent', s.parent),
      order: many('steps.order', s.order),
      model: many('steps.model', s.model),
      provider: many('steps.provider', s.provider),
      startedAt: many('steps.startedAt', s.startedAt),
      endedAt: many('steps.endedAt', s.endedAt),
      text: many('steps.text', s.text),
      stopReason: many('steps.stopReason', s.stopReason),
      error: many('steps.error', s.error),
      tokens: tokens('steps.tokens', s.tokens),
      costUsd: many('steps.costUsd', s.costUsd),
      tool: {
        name: many('steps.tool.name', s.tool?.name),
        callId: many('steps.tool.callId', s.tool?.callId),
        arguments: many('steps.tool.arguments', s.tool?.arguments),
        result: many('steps.tool.result', s.tool?.result),
        exitCode: many('steps.tool.exitCode', s.tool?.exitCode),
      },
    },
  }
  if (s.when) compiled.steps.when = cond('steps.when', s.when)
  if (s.cacheHit) compiled.steps.cacheHit = cond('steps.cacheHit', s.cacheHit)
  if (s.costUnknown) compiled.steps.costUnknown = cond('steps.costUnknown', s.costUnknown)
  if (s.failedWhen) compiled.steps.failedWhen = cond('steps.failedWhen', s.failedWhen)
  if (s.kind)
    compiled.steps.kind = {path: one('steps.kind.path', s.kind.path)!, llm: list(s.kind.llm), tool: list(s.kind.tool)}
  if (s.toolCalls)
    compiled.steps.toolCalls = {
      path: one('steps.toolCalls.path', s.toolCalls.path)!,
      id: many('steps.toolCalls.id', s.toolCalls.id),
      name: many('steps.toolCalls.name', s.toolCalls.name),
      arguments: many('steps.toolCalls.arguments', s.toolCalls.arguments),
    }
  if (m.detect)
    compiled.detect = {
      all: (m.detect.all ?? []).map((c, i) => cond(`detect.all[${i}]`, c)),
      any: (m.detect.any ?? []).map((c, i) => cond(`detect.any[${i}]`, c)),
    }
  if (m.records) compiled.records = one('records', m.records)
  if (m.recorded)
    compiled.recorded = {
      when: cond('recorded.when', m.recorded.when),
      tokens: tokens('recorded.tokens', m.recorded.tokens),
      costUsd: many('recorded.costUsd', m.recorded.costUsd),
    }
  if (problems.length)
    throw new AcoError(
      'schema',
      `Format mapping "${m.name}" cannot be used: ${problems.join('; ')}.`,
      'Fix the paths named above; aco formats --check MAPPING SAMPLE shows what a mapping reads.',
    )
  return compiled
}

/** Parses and validates a mapping's text (YAML or JSON). `where` names it in errors. */
export function parseMapping(text: string, where: string): FormatMapping {
  // (A mapping is a few dozen lines a level or two deep: one nested past JSON's limit for records is hostile or broken,
  // and the parsers recurse into it until the stack runs out.)
  const tooComplex = jsonTooComplex(text)
  if (tooComplex)
    throw new AcoError(
      'bad-file',
      `${where} is not a format mapping: ${tooComplex}.`,
      'A mapping is a YAML or JSON file; see schemas/format-mapping.schema.json.',
    )
  let doc: unknown
  try {
    doc = yaml().parse(text, {maxAliasCount: 100})
  } catch (error) {
    throw new AcoError(
      'bad-file',
      `${where} is not YAML or JSON: ${(error as Error).message.split('\n')[0]!.replace(/[:.\s]+$/, '')}.`,
      'A mapping is a YAML or JSON file; see schemas/format-mapping.schema.json.',
    )
  }
  const problems = check('format-mapping', doc)
  if (problems)
    throw new AcoError(
      'schema',
      `${where} is not a valid format mapping: ${problems}.`,
      // (A condition written as detect's own keys: trial 116 met "unknown key path" with no word of the list they go in.)
      /\/detect: unknown key "(?:path|exists|equals)"/.test(problems)
        ? 'detect lists its conditions under all: or any:, e.g. detect: {all: [{path: $.run_id, exists: true}]}; see schemas/format-mapping.schema.json and the mappings/ folder for examples.'
        : 'See schemas/format-mapping.schema.json and the mappings/ folder for examples.',
    )
  return doc as FormatMapping
}

/** Matches a condition against a record. */
export function meets(c: CompiledCondition, record: unknown): boolean {
  const v = c.path.first(record)
  if (c.exists === true && (v === undefined || v === null)) return false
  if (c.exists === false && v !== undefined && v !== null) return false
  if (c.equals) return c.equals.some(e => e === v || (e === null && v === undefined))
  return c.exists !== undefined || (v !== undefined && v !== null)
}
