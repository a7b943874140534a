#!/usr/bin/env node
/**
 * Builds the development outcome tables from RouterBench's CSVs
 * (../shared/corpus/routing-dev/*.csv, read-only) into .aco/routing-dev/
 * (git-ignored; about 20 MB): one JSONL line per (item, model) as in
 * routerbench-items.jsonl — item_id `sample_id#row`, success, cost_usd, the
 * item's features — plus what a runtime sees once that model has run: its
 * `response` (the CSV's `<model>|model_response`). Writes
 *   items.jsonl          every item (ARC-Challenge and MBPP)
 *   arc-challenge.jsonl  ARC-Challenge only
 *   mbpp.jsonl           MBPP only
 *   prompts.jsonl        {item_id, sample_id, eval_name, split, row_index, prompt}
 * The tests and benchmarks call `ensureRoutingDev()`, which rebuilds the files
 * when they are missing or older than this script. Empty score cells (a few
 * ARC rows) are left out, as in routerbench-items.jsonl.
 *
 *   node scripts/routing-dev.js [CORPUS_DIR] [OUT_DIR]
 */
import {existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const defaultCorpus = join(here, '../../shared/corpus/routing-dev')
export const defaultOut = join(here, '../.aco/routing-dev')
const SOURCES = ['arc_challenge_train.csv', 'arc_challenge_test.csv', 'mbpp_train.csv', 'mbpp_test.csv']
const FILES = ['items.jsonl', 'arc-challenge.jsonl', 'mbpp.jsonl', 'prompts.jsonl']

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. */
export function parseCsv(text) {
  const rows = []
  let row = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += c
  }
  if (field.length > 0 || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows
}

const ESCAPES = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  0: '\0',
}

/** A Python list of string literals (`['a', "b\n"]`), as RouterBench stored prompts and responses. */
export function parsePythonStrings(text) {
  const out = []
  let i = text.indexOf('[')
  if (i < 0) throw new Error(`not a Python list: ${text.slice(0, 40)}`)
  i++
  for (;;) {
    while (i < text.length && /[\s,]/.test(text[i])) i++
    if (text[i] === ']') return out
    const quote = text[i]
    if (quote !== "'" && quote !== '"') throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`)
    i++
    let s = ''
    while (text[i] !== quote) {
      if (i >= text.length) throw new Error('unterminated string')
      const c = text[i]
      if (c !== '\\') {
        s += c
        i++
        continue
      }
      const e = text[i + 1]
      if (e === 'x') {
        s += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 4), 16))
        i += 4
      } else if (e === 'u') {
        s += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16))
        i += 6
      } else if (e === 'U') {
        s += String.fromCodePoint(Number.parseInt(text.slice(i + 2, i + 10), 16))
        i += 10
      } else if (e in ESCAPES) {
        s += ESCAPES[e]
        i += 2
      } else {
        // Python keeps an unknown escape as it is.
        s += `\\${e}`
        i += 2
      }
    }
    out.push(s)
    i++
  }
}

const words = s => s.split(/\s+/).filter(w => w.length > 0).length

/** The rows of one CSV as outcome lines and prompt lines. */
export function convert(csvText, file) {
  const [header, ...rows] = parseCsv(csvText)
  const scoreCols = []
  header.forEach((name, col) => {
    if (col >= 4 && !name.includes('|') && name !== 'oracle_model_to_route_to') scoreCols.push({model: name, col})
  })
  const colOf = new Map(header.map((name, col) => [name, col]))
  const split = file.includes('_test') ? 'test' : 'train'
  const outcomes = []
  const prompts = []
  for (const r of rows) {
    if (r.length < header.length) continue
    const rowIndex = r[0]
    const sampleId = r[colOf.get('sample_id')]
    const evalName = r[colOf.get('eval_name')]
    const parts = parsePythonStrings(r[colOf.get('prompt')])
    const prompt = parts.join('\n')
    const id = `${sampleId}#${rowIndex}`
    const features = {
      sample_id: sampleId,
      routerbench_row: Number(rowIndex),
      eval_name: evalName,
      split,
      source_file: file,
      prompt_chars: prompt.length,
      prompt_words: words(prompt),
      n_prompt_parts: parts.length,
    }
    prompts.push({
      item_id: id,
      sample_id: sampleId,
      eval_name: evalName,
      split,
      row_index: rowIndex,
      prompt,
      oracle_model_to_route_to: r[colOf.get('oracle_model_to_route_to')],
    })
    for (const {model, col} of scoreCols) {
      if (r[col].trim() === '') continue
      const response = parsePythonStrings(r[colOf.get(`${model}|model_response`)]).join('\n')
      outcomes.push({
        item_id: id,
        model,
        success: Number(r[col]),
        cost_usd: Number(r[colOf.get(`${model}|total_cost`)]),
        response,
        features,
      })
    }
  }
  return {outcomes, prompts}
}

function writeAtomic(path, text) {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`
  writeFileSync(tmp, text)
  renameSync(tmp, path)
}

const jsonl = rows => `${rows.map(r => JSON.stringify(r)).join('\n')}\n`

/** Converts every CSV of `corpus` into `out`. */
export function buildRoutingDev(corpus = defaultCorpus, out = defaultOut) {
  mkdirSync(out, {recursive: true})
  const outcomes = []
  const prompts = []
  for (const file of SOURCES) {
    const part = convert(readFileSync(join(corpus, file), 'utf8'), file)
    outcomes.push(...part.outcomes)
    prompts.push(...part.prompts)
  }
  writeAtomic(join(out, 'arc-challenge.jsonl'), jsonl(outcomes.filter(o => o.features.eval_name === 'arc-challenge')))
  writeAtomic(join(out, 'mbpp.jsonl'), jsonl(outcomes.filter(o => o.features.eval_name === 'mbpp')))
  writeAtomic(join(out, 'prompts.jsonl'), jsonl(prompts))
  writeAtomic(join(out, 'items.jsonl'), jsonl(outcomes))
  return {outcomes: outcomes.length, items: prompts.length, out}
}

/**
 * The folder of the built files, rebuilt when missing or older than this
 * script; undefined when the corpus is absent.
 */
export function ensureRoutingDev(corpus = defaultCorpus, out = defaultOut) {
  if (!SOURCES.every(f => existsSync(join(corpus, f)))) return undefined
  const script = statSync(fileURLToPath(import.meta.url)).mtimeMs
  const fresh = FILES.every(f => existsSync(join(out, f)) && statSync(join(out, f)).mtimeMs >= script)
  if (!fresh) buildRoutingDev(corpus, out)
  return out
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // `npm run routing-dev [CORPUS [OUT]]`: CORPUS is the routing-dev folder (by default ../shared/corpus/routing-dev).
  const corpus = process.argv[2] ?? defaultCorpus
  const missing = SOURCES.filter(f => !existsSync(join(corpus, f)))
  if (missing.length) {
    // (A clone without the shared corpus, trial 74: it had thrown ENOENT with a stack, leaving an empty folder.)
    console.error(
      `routing-dev: ${corpus} lacks ${missing.join(', ')}: this script converts the routing-dev CSVs of the shared corpus; give their folder as \`npm run routing-dev -- FOLDER [OUT]\``,
    )
    process.exitCode = 2
  } else {
    const {outcomes, items, out} = buildRoutingDev(corpus, process.argv[3] ?? defaultOut)
    console.error(`${items} items, ${outcomes} outcome lines with responses → ${out}`)
  }
}
