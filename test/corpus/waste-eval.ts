/**
 * Scores the waste detectors against the hand labels in test/corpus/waste-labels/
 * (every tool call of 22 real traces, labelled wasted or not, with its kind).
 * Shared by the labels test and by anyone who wants the table printed
 * (`npx tsx test/corpus/waste-eval.ts [dev|held-out|fresh|fresh2|fresh3|fresh4|fresh5|all] [--list] [--by-trace]`; `all` is dev + held-out).
 *
 * Joining a label to a card's tool step: by the source's call id, the k-th
 * label with an id to the k-th step with that id (the marshmallow SWE-agent
 * replay reuses ids); a label named "#n" (no id in the source) to the n-th
 * tool step of the file.
 */
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import type {Step, TraceCard} from '../../src/card/types.js'
import {flagCard} from '../../src/flag/flag-card.js'
import {showsFailure} from '../../src/flag/output.js'
import {DETECTOR_KINDS} from '../../src/flag/registry.js'
import {allCards, corpusDir, read} from '../helpers.js'

interface CallLabel {
  call: string
  n: number
  tool: string
  summary: string
  wasted: boolean
  kind?: string
  repeats?: string
  repeats_n?: number
  justified?: string
  note?: string
}

export interface LabelFile {
  name: string
  trace: string
  format: string
  calls: CallLabel[]
}

const labelsDir = fileURLToPath(new URL('./waste-labels/', import.meta.url))
const extraDir = fileURLToPath(new URL('../corpus-extra/', import.meta.url))

/** The blind held-out sets, in the order they were labelled (`waste-labels/<set>/`). */
export const FRESH_SETS = [
  'fresh',
  'fresh2',
  'fresh3',
  'fresh4',
  'fresh5',
  'fresh6',
  'fresh7',
  'fresh8',
  'fresh9',
  'fresh10',
  'fresh11',
  'fresh12',
  'fresh13',
  'fresh14',
  'fresh15',
  'fresh16',
  'fresh17',
  'fresh18',
  'fresh19',
  'fresh20',
  'fresh21',
  'fresh22',
  'fresh23',
  'fresh24',
  'fresh25',
  'fresh26',
  'fresh27',
  'fresh28',
  'fresh29',
  'fresh30',
  'fresh31',
  'fresh32',
  'fresh33',
  'fresh34',
  'fresh35',
  'fresh36',
  'fresh37',
  'fresh38',
  'fresh39',
  'fresh40',
  'fresh41',
  'fresh42',
  'fresh43',
  'fresh44',
  'fresh45',
  'fresh46',
  'fresh47',
  'fresh48',
  'fresh49',
  'fresh50',
  'fresh51',
  'fresh52',
  'fresh53',
  'fresh54',
  'fresh55',
  'fresh56',
  'fresh57',
  'fresh58',
  'fresh59',
  'fresh60',
  'fresh61',
  'fresh62',
  'fresh63',
  'fresh64',
  'fresh65',
  'fresh66',
  'fresh67',
  'fresh68',
  'fresh69',
  'fresh70',
  'fresh71',
  'fresh72',
  'fresh73',
  'fresh74',
  'fresh75',
  'fresh76',
  'fresh77',
  'fresh78',
  'fresh79',
  'fresh80',
  'fresh81',
  'fresh82',
  'fresh83',
  'fresh84',
  'fresh85',
  'fresh86',
  'fresh87',
  'fresh88',
  'fresh89',
  'fresh90',
  'fresh91',
  'fresh92',
  'fresh93',
  'fresh94',
  'fresh95',
  'fresh96',
  'fresh97',
  'fresh98',
  'fresh99',
  'fresh100',
  'fresh101',
  'fresh102',
  'fresh103',
  'fresh104',
  'fresh105',
  'fresh106',
  'fresh107',
  'fresh108',
  'fresh109',
  'fresh110',
  'fresh111',
  'fresh112',
  'fresh113',
  'fresh114',
  'fresh115',
  'fresh116',
  'fresh117',
  'fresh118',
  'fresh119',
  'fresh120',
  'fresh121',
  'fresh122',
  'fresh123',
  'fresh124',
  'fresh125',
  'fresh126',
  'fresh127',
  'fresh128',
  'fresh129',
  'fresh130',
  'fresh131',
  'fresh132',
  'fresh133',
  'fresh134',
  'fresh135',
  'fresh136',
  'fresh137',
  'fresh138',
  'fresh139',
  'fresh140',
  'fresh142',
  'fresh143',
  'fresh144',
  'fresh145',
  'fresh146',
  'fresh147',
  'fresh148',
  'fresh149',
  'fresh150',
  'fresh151',
  'fresh153',
  'fresh152',
  'fresh154',
  'fresh155',
  'fresh158',
  'fresh160',
  'fresh164',
  'fresh161',
  'fresh162',
  'fresh165',
  'fresh169',
  'fresh166',
  'fresh167',
  'fresh168',
  'fresh170',
  'fresh173',
  'fresh171',
  'fresh172',
  'fresh174',
  'fresh175',
  'fresh176',
  'fresh177',
  'fresh178',
  'fresh179',
  'fresh180',
  'fresh181',
  'fresh182',
  'fresh183',
  'fresh184',
  'fresh185',
  'fresh186',
  'fresh188',
  'fresh187',
  'fresh190',
  'fresh189',
  'fresh191',
  'fresh193',
  'fresh194',
  'fresh192',
  'fresh195',
  'fresh196',
  'fresh197',
  'fresh198',
  'fresh200',
  'fresh201',
  'fresh202',
  'fresh203',
  'fresh204',
  'fresh205',
  'fresh206',
  'fresh207',
  'fresh208',
  'fresh209',
  'fresh212',
  'fresh211',
  'fresh213',
  'fresh215',
  'fresh216',
  'fresh214',
  'fresh217',
  'fresh218',
  'fresh221',
  'fresh222',
  'fresh220',
  'fresh224',
  'fresh225',
  'fresh223',
  'fresh226',
  'fresh227',
  'fresh228',
  'fresh229',
  'fresh230',
  'fresh231',
  'fresh232',
  'fresh233',
  'fresh234',
  'fresh235',
  'fresh236',
  'fresh237',
  'fresh238',
  'fresh239',
  'fresh240',
  'fresh241',
  'fresh242',
  'fresh243',
  'fresh244',
  'fresh245',
  'fresh246',
  'fresh247',
  'fresh248',
  'fresh249',
  'fresh250',
  'fresh252',
  'fresh253',
  'fresh254',
  'fresh255',
  'fresh256',
  'fresh257',
  'fresh258',
  'fresh259',
  'fresh260',
  'fresh261',
  'fresh264',
  'fresh263',
  'fresh265',
  'fresh268',
  'fresh266',
  'fresh267',
  'fresh271',
  'fresh270',
  'fresh269',
  'fresh272',
  'fresh273',
  'fresh274',
  'fresh275',
  'fresh276',
  'fresh277',
  'fresh278',
  'fresh279',
  'fresh280',
  'fresh283',
  'fresh284',
  'fresh285',
  'fresh286',
  'fresh281',
  'fresh282',
  'fresh287',
  'fresh288',
  'fresh289',
  'fresh290',
  'fresh291',
  'fresh292',
  'fresh293',
  'fresh294',
  'fresh295',
  'fresh296',
  'fresh297',
  'fresh298',
  'fresh299',
  'fresh300',
  'fresh301',
  'fresh302',
  'fresh303',
  'fresh304',
  'fresh306',
  'fresh305',
  'fresh307',
  'fresh308',
  'fresh309',
  'fresh310',
  'fresh311',
  'fresh312',
  'fresh313',
  'fresh314',
  'fresh315',
  'fresh316',
  'fresh317',
  'fresh318',
  'fresh319',
  'fresh320',
  'fresh321',
  'fresh322',
  'fresh323',
  'fresh324',
  'fresh325',
  'fresh326',
  'fresh327',
  'fresh328',
  'fresh329',
  'fresh330',
  'fresh331',
  'fresh332',
  'fresh333',
  'fresh334',
  'fresh335',
  'fresh336',
  'fresh337',
  'fresh338',
  'fresh339',
  'fresh340',
  'fresh341',
  'fresh342',
  'fresh343',
  'fresh344',
  'fresh345',
  'fresh346',
  'fresh347',
  'fresh349',
  'fresh350',
  'fresh352',
  'fresh354',
  'fresh355',
  'fresh357',
  'fresh358',
  'fresh360',
  'fresh361',
  'fresh362',
  'fresh363',
  'fresh364',
  'fresh262',
  'fresh210',
  'fresh159',
  'fresh156',
] as const
export type FreshSet = (typeof FRESH_SETS)[number]

export function isFreshSet(part: string): part is FreshSet {
  return (FRESH_SETS as readonly string[]).includes(part)
}

/**
 * The labels of the dev and held-out parts (`waste-labels/*.json`), or of one of the fresh held-out sets
 * (`waste-labels/fresh/` … `waste-labels/fresh102/`; none while a set's folder is absent).
 */
export function loadLabels(set: 'main' | FreshSet = 'main'): LabelFile[] {
  const dir = set === 'main' ? labelsDir : `${labelsDir}${set}/`
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter(f => f.endsWith('.json'))
    .sort()
    .map(f => ({name: f, ...(JSON.parse(readFileSync(`${dir}${f}`, 'utf8')) as Omit<LabelFile, 'name'>)}))
}

function tracePath(label: LabelFile): string {
  return label.trace.startsWith('extra:') ? `${extraDir}${label.trace.slice(6)}` : `${corpusDir}${label.trace}`
}

export function traceAvailable(label: LabelFile): boolean {
  return existsSync(tracePath(label))
}

/**
 * The held-out part, fixed before any tuning: within each format, label files
 * ordered by the SHA-1 of their file name, the first third (rounded up).
 * Nothing was chosen by looking at what the files hold.
 */
export function isHeldOut(label: LabelFile, all: readonly LabelFile[]): boolean {
  const sha = (s: string) => createHash('sha1').update(s).digest('hex')
  const same = all
    .filter(l => l.format === label.format)
    .map(l => l.name)
    .sort((a, b) => (sha(a) < sha(b) ? -1 : 1))
  return same.indexOf(label.name) < Math.ceil(same.length / 3)
}

export interface ScoredCall {
  file: string
  label: CallLabel
  step?: Step
  /** The detector that flagged the step, if any. */
  flag?: string
  reason?: string
}

export interface ScoredGrowth {
  file: string
  step: Step
  /** The tool calls of the run of LLM calls this flag is part of, with their labels. */
  runCalls: Array<{step: Step; label?: CallLabel}>
  right: boolean
}

export interface Scored {
  calls: ScoredCall[]
  growth: ScoredGrowth[]
  unjoined: Array<{file: string; label: CallLabel}>
}

/** Adapts, prices and flags one labelled trace, and joins its labels to the flags. */
export async function scoreFile(label: LabelFile): Promise<Scored> {
  const result = await read(tracePath(label))
  const cards = allCards(result.cards as TraceCard[])
  for (const card of result.cards) flagCard(card)
  const tools: Step[] = []
  for (const card of cards) for (const s of card.steps) if (s.kind === 'tool') tools.push(s)
  const byCallId = new Map<string, Step[]>()
  for (const s of tools) {
    const id = s.tool!.callId
    const list = byCallId.get(id) ?? []
    list.push(s)
    byCallId.set(id, list)
  }
  const seen = new Map<string, number>()
  const out: Scored = {calls: [], growth: [], unjoined: []}
  const labelOf = new Map<Step, CallLabel>()
  for (const l of label.calls) {
    let step: Step | undefined
    if (/^#\d+$/.test(l.call)) step = tools[l.n - 1]
    else {
      const k = seen.get(l.call) ?? 0
      seen.set(l.call, k + 1)
      step = byCallId.get(l.call)?.[k]
    }
    if (!step) {
      out.unjoined.push({file: label.name, label: l})
      continue
    }
    labelOf.set(step, l)
    const flag = step.flags?.[0]
    out.calls.push({file: label.name, label: l, step, flag: flag?.kind, reason: flag?.reason})
  }
  for (const card of cards) {
    const byId = new Map(card.steps.map(s => [s.id, s]))
    for (const s of card.steps) {
      const f = s.flags?.[0]
      if (s.kind !== 'llm' || f?.kind !== 'context-growth') continue
      const run = [s, ...f.evidence.map(id => byId.get(id)!).filter(Boolean)]
      const runCalls = run.flatMap(llm =>
        (llm.toolStepIds ?? []).map(id => byId.get(id)!).map(t => ({step: t, label: labelOf.get(t)})),
      )
      // A call failed when its status says so or its output shows a failure a pipe's exit code hid (aco's own test).
      const right = runCalls.every(
        c =>
          c.label?.wasted === true ||
          c.step.tool?.status === 'error' ||
          showsFailure(c.step.tool?.excerpt) ||
          c.label === undefined,
      )
      out.growth.push({file: label.name, step: s, runCalls, right})
    }
  }
  return out
}

export interface DetectorRow {
  kind: string
  flagged: number
  /** Flags on calls labelled wasted (any kind). */
  right: number
  /** Flags on calls labelled wasted with this detector's kind. */
  rightKind: number
  precision: number | undefined
  /** Calls labelled with this kind. */
  positives: number
  /** ...flagged by some detector. */
  found: number
  /** ...flagged by this detector. */
  foundByKind: number
  recall: number | undefined
}

export function table(calls: readonly ScoredCall[], growth: readonly ScoredGrowth[]): DetectorRow[] {
  const rows: DetectorRow[] = []
  for (const kind of DETECTOR_KINDS) {
    if (kind === 'context-growth') {
      const right = growth.filter(g => g.right).length
      rows.push({
        kind,
        flagged: growth.length,
        right,
        rightKind: right,
        precision: growth.length ? right / growth.length : undefined,
        positives: 0,
        found: 0,
        foundByKind: 0,
        recall: undefined,
      })
      continue
    }
    const flagged = calls.filter(c => c.flag === kind)
    const positives = calls.filter(c => c.label.wasted && c.label.kind === kind)
    const found = positives.filter(c => c.flag && c.flag !== 'context-growth')
    rows.push({
      kind,
      flagged: flagged.length,
      right: flagged.filter(c => c.label.wasted).length,
      rightKind: flagged.filter(c => c.label.wasted && c.label.kind === kind).length,
      precision: flagged.length ? flagged.filter(c => c.label.wasted).length / flagged.length : undefined,
      positives: positives.length,
      found: found.length,
      foundByKind: positives.filter(c => c.flag === kind).length,
      recall: positives.length ? found.length / positives.length : undefined,
    })
  }
  return rows
}

/** All tool-call detectors together: any flag on a wasted call is right. */
function overall(calls: readonly ScoredCall[]): {
  flagged: number
  right: number
  positives: number
  found: number
} {
  const flagged = calls.filter(c => c.flag && c.flag !== 'context-growth')
  const positives = calls.filter(c => c.label.wasted)
  return {
    flagged: flagged.length,
    right: flagged.filter(c => c.label.wasted).length,
    positives: positives.length,
    found: positives.filter(c => c.flag && c.flag !== 'context-growth').length,
  }
}

const pct = (x: number | undefined) => (x === undefined ? '—' : `${Math.round(x * 100)}%`)

export function formatTable(rows: readonly DetectorRow[]): string {
  const lines = ['detector | flags | right | precision | labelled | found (by it) | recall']
  for (const r of rows)
    lines.push(
      `${r.kind} | ${r.flagged} | ${r.right} | ${pct(r.precision)} | ${r.positives} | ${r.found} (${r.foundByKind}) | ${pct(r.recall)}`,
    )
  return lines.join('\n')
}

// Run directly: print the table (and, with --list, the misses and wrong flags) for a part of the labels.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const part = process.argv[2] ?? 'dev'
  const list = process.argv.includes('--list')
  const byTrace = process.argv.includes('--by-trace')
  const labels = loadLabels().filter(traceAvailable)
  const chosen = isFreshSet(part)
    ? loadLabels(part).filter(traceAvailable)
    : labels.filter(l => (part === 'all' ? true : part === 'held-out' ? isHeldOut(l, labels) : !isHeldOut(l, labels)))
  const calls: ScoredCall[] = []
  const growth: ScoredGrowth[] = []
  for (const l of chosen) {
    const s = await scoreFile(l)
    calls.push(...s.calls)
    growth.push(...s.growth)
    for (const u of s.unjoined) console.log(`UNJOINED ${u.file} #${u.label.n} ${u.label.call}`)
    if (byTrace) {
      const t = overall(s.calls)
      console.log(
        `${l.name}: ${s.calls.length} calls, precision ${t.right}/${t.flagged}, recall ${t.found}/${t.positives}`,
      )
    }
  }
  console.log(`${part}: ${chosen.length} traces, ${calls.length} calls`)
  console.log(formatTable(table(calls, growth)))
  const o = overall(calls)
  console.log(
    `all tool detectors: precision ${o.right}/${o.flagged} (${pct(o.right / o.flagged)}) recall ${o.found}/${o.positives} (${pct(o.found / o.positives)})`,
  )
  if (list) {
    console.log('\n--- wrong flags')
    for (const c of calls)
      if (c.flag && c.flag !== 'context-growth' && !c.label.wasted)
        console.log(
          `${c.file} #${c.label.n} [${c.flag}] ${c.label.summary}\n    reason: ${c.reason}\n    label: ${c.label.justified ?? ''} ${c.label.note ?? ''}`,
        )
    console.log('\n--- wrong kind')
    for (const c of calls)
      if (c.flag && c.label.wasted && c.flag !== c.label.kind)
        console.log(`${c.file} #${c.label.n} [${c.flag} vs ${c.label.kind}] ${c.label.summary}`)
    console.log('\n--- misses')
    for (const c of calls)
      if (c.label.wasted && !c.flag)
        console.log(`${c.file} #${c.label.n} [${c.label.kind}] ${c.label.summary}\n    note: ${c.label.note ?? ''}`)
    console.log('\n--- context-growth wrong')
    for (const g of growth) if (!g.right) console.log(`${g.file} ${g.step.id}`)
  }
}
