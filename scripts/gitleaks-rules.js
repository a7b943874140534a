#!/usr/bin/env node
/**
 * Converts gitleaks' rule set (config/gitleaks.toml of github.com/gitleaks/gitleaks, MIT) into the data aco's
 * redaction reads: src/util/secrets/gitleaks-rules.ts. Go's RE2 syntax becomes JavaScript's:
 *   - inline flags (`(?i)`, `(?i:…)`, `(?-i:…)`, `(?s:…)`), which JavaScript on Node 20 lacks, are applied by
 *     rewriting: a case-insensitive letter becomes `[aA]`, a class gains the other case of its letters, a dot
 *     under `s` becomes `[\s\S]` (a pattern that starts with `(?i)` and never turns it off gets the `i` flag);
 *   - POSIX classes (`[[:alnum:]]`) are spelled out, `\z` becomes `(?![\s\S])`, named groups become plain ones
 *     (gitleaks reports the first non-empty group, or `secretGroup`);
 *   - the optional name prefix of the generated "keyword = value" rules (`[\w.-]{0,50}?`) is dropped: it only
 *     widens the match to the left, and costs 50 steps at every position of a text.
 * Rules that only match file paths are left out (aco redacts text, not files), as are allowlists tied to paths.
 * Each converted pattern is compiled here; test/util/secret-rules.test.ts times every one of them on adversarial
 * input, and EXCLUDED below lists the ones that backtrack (with the reason) — aco's own rules cover their ground.
 *
 * Usage: node scripts/gitleaks-rules.js gitleaks.toml COMMIT > src/util/secrets/gitleaks-rules.ts && npm run format
 */
import {readFileSync} from 'node:fs'

/** Rules left out, and why. */
const EXCLUDED = {
  'curl-auth-header':
    'lazy `.*?` over up to five lines before -H: superlinear on long lines; aco redacts Authorization headers itself',
  'curl-auth-user': 'greedy `.*` over up to five lines before -u: superlinear; aco redacts URL and --user credentials',
  'private-key':
    'lazy `[\\s\\S-]{64,}?` from each BEGIN line: quadratic when BEGIN lines have no END; aco finds PEM blocks itself',
  'kubernetes-secret-yaml':
    '`(?s:.){0,200}?` twice with alternation: slow on YAML-heavy text; the values are caught by entropy',
}

const [, , tomlPath, commit] = process.argv
if (!tomlPath || !commit) {
  process.stderr.write('usage: node scripts/gitleaks-rules.js gitleaks.toml COMMIT\n')
  process.exit(2)
}

/** The subset of TOML gitleaks.toml is written in: tables, arrays of tables, strings, numbers, arrays of strings. */
function parseToml(text) {
  const root = {}
  let current = root
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim()
    if (!line || line.startsWith('#')) continue
    const arrayTable = /^\[\[([\w.]+)\]\]$/.exec(line)
    if (arrayTable) {
      const path = arrayTable[1].split('.')
      let parent = root
      for (const key of path.slice(0, -1)) {
        const v = parent[key]
        parent = Array.isArray(v) ? v[v.length - 1] : v
      }
      const last = path[path.length - 1]
      parent[last] ??= []
      current = {}
      parent[last].push(current)
      continue
    }
    const table = /^\[([\w.]+)\]$/.exec(line)
    if (table) {
      current = {}
      root[table[1]] = current
      continue
    }
    const kv = /^(\w+)\s*=\s*(.*)$/.exec(line)
    if (!kv) throw new Error(`line ${i + 1}: cannot read ${line}`)
    let value = kv[2]
    if (value.startsWith('[') && !value.endsWith(']')) {
      while (!lines[++i].trim().startsWith(']')) value += ` ${lines[i].trim()}`
      value += ']'
    }
    current[kv[1]] = parseValue(value)
  }
  return root
}

function parseValue(value) {
  if (value.startsWith("'''")) return value.slice(3, value.lastIndexOf("'''"))
  if (value.startsWith('"')) return JSON.parse(value)
  if (value.startsWith('[')) {
    const items = []
    const re = /'''(.*?)'''|"((?:[^"\\]|\\.)*)"/g
    for (let m = re.exec(value); m; m = re.exec(value)) items.push(m[1] ?? JSON.parse(`"${m[2]}"`))
    return items
  }
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value)
  if (value === 'true' || value === 'false') return value === 'true'
  throw new Error(`cannot read value ${value}`)
}

const POSIX = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  digit: '0-9',
  xdigit: '0-9a-fA-F',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\s',
  word: '\\w',
  punct: '!-\\/:-@\\[-`{-~',
}

/** The other case of letters in a class body's single characters and ranges. */
function foldClass(body) {
  const extra = []
  let i = 0
  const atom = () => {
    if (body[i] === '\\') {
      const esc = body.slice(i, i + 2)
      if (body[i + 1] === 'x') {
        const hex = body.slice(i, i + 4)
        i += 4
        return {text: hex, code: Number.parseInt(hex.slice(2), 16)}
      }
      i += 2
      return {text: esc, code: /^\\[^a-zA-Z0-9]$/.test(esc) ? esc.charCodeAt(1) : undefined}
    }
    const ch = body[i++]
    return {text: ch, code: ch.charCodeAt(0)}
  }
  while (i < body.length) {
    const a = atom()
    if (body[i] === '-' && i + 1 < body.length) {
      i++
      const b = atom()
      if (a.code !== undefined && b.code !== undefined) {
        for (const [lo, hi, shift] of [
          [97, 122, -32],
          [65, 90, 32],
        ]) {
          const from = Math.max(a.code, lo)
          const to = Math.min(b.code, hi)
          if (from <= to) extra.push(`${String.fromCharCode(from + shift)}-${String.fromCharCode(to + shift)}`)
        }
      }
    } else if (a.code !== undefined && /[a-zA-Z]/.test(String.fromCharCode(a.code)) && a.text.length === 1) {
      const c = a.text
      extra.push(c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())
    }
  }
  // A dash that ends the class stays last, so the added ranges do not turn it into a range.
  if (body.endsWith('-') && !body.endsWith('\\-')) return `${body.slice(0, -1)}${extra.join('')}-`
  return body + extra.join('')
}

/** RE2 source → {source, flags} for JavaScript (see the header). */
function convert(re2) {
  let src = re2.replaceAll('[\\w.-]{0,50}?', '')
  let flags = ''
  if (src.startsWith('(?i)') && !src.includes('(?-i')) {
    src = src.slice(4)
    flags = 'i'
  }
  let out = ''
  const stack = [{i: false, s: false}]
  const mode = () => stack[stack.length - 1]
  for (let k = 0; k < src.length; k++) {
    const ch = src[k]
    if (ch === '\\') {
      const next = src[k + 1]
      k++
      if (next === 'z') out += '(?![\\s\\S])'
      else if (next === 'A') out += '^'
      else if (next === 'x') {
        out += src.slice(k - 1, k + 3)
        k += 2
      } else out += `\\${next}`
      continue
    }
    if (ch === '[') {
      let j = k + 1
      if (src[j] === '^') j++
      if (src[j] === ']') j++
      let body = ''
      const negated = src[k + 1] === '^'
      for (let p = negated ? k + 2 : k + 1; ; ) {
        if (src[p] === ']' && p >= j) {
          k = p
          break
        }
        if (src.startsWith('[:', p)) {
          const end = src.indexOf(':]', p)
          const name = src.slice(p + 2, end)
          if (!POSIX[name]) throw new Error(`POSIX class ${name} in ${re2}`)
          body += POSIX[name]
          p = end + 2
          continue
        }
        if (src[p] === '\\') {
          body += src.slice(p, p + 2)
          p += 2
          continue
        }
        if (src[p] === '[') body += '\\['
        else body += src[p]
        p++
        if (p > src.length) throw new Error(`unterminated class in ${re2}`)
      }
      out += `[${negated ? '^' : ''}${mode().i ? foldClass(body) : body}]`
      continue
    }
    if (ch === '(') {
      const rest = src.slice(k)
      const inline = /^\(\?(-?)([is]+)\)/.exec(rest)
      if (inline) {
        for (const f of inline[2]) mode()[f] = inline[1] !== '-'
        k += inline[0].length - 1
        continue
      }
      const scoped = /^\(\?(-?)([is]+):/.exec(rest)
      if (scoped) {
        const next = {...mode()}
        for (const f of scoped[2]) next[f] = scoped[1] !== '-'
        stack.push(next)
        out += '(?:'
        k += scoped[0].length - 1
        continue
      }
      const named = /^\(\?P?<(\w+)>/.exec(rest)
      stack.push({...mode()})
      if (named) {
        out += '('
        k += named[0].length - 1
      } else if (rest.startsWith('(?:') || rest.startsWith('(?=') || rest.startsWith('(?!')) {
        out += rest.slice(0, 3)
        k += 2
      } else out += '('
      continue
    }
    if (ch === ')') {
      stack.pop()
      out += ')'
      continue
    }
    if (ch === '.') {
      out += mode().s ? '[\\s\\S]' : '.'
      continue
    }
    if (mode().i && /[a-zA-Z]/.test(ch)) {
      out += `[${ch.toLowerCase()}${ch.toUpperCase()}]`
      continue
    }
    out += ch
  }
  new RegExp(out, `${flags}g`)
  return {source: out, flags}
}

const config = parseToml(readFileSync(tomlPath, 'utf8'))
const rules = []
const excluded = []
for (const rule of config.rules) {
  if (!rule.regex) continue
  if (EXCLUDED[rule.id]) {
    excluded.push({id: rule.id, why: EXCLUDED[rule.id]})
    continue
  }
  const out = {id: rule.id, ...convert(rule.regex), keywords: (rule.keywords ?? []).map(k => k.toLowerCase())}
  if (rule.entropy) out.entropy = rule.entropy
  if (rule.secretGroup) out.group = rule.secretGroup
  const allow = {}
  for (const list of rule.allowlists ?? []) {
    if (list.paths || list.condition) continue
    const target = list.regexTarget ?? 'secret'
    if (list.regexes?.length) allow[target] = [...(allow[target] ?? []), ...list.regexes.map(r => convert(r))]
    if (list.stopwords?.length)
      allow.stopwords = [...(allow.stopwords ?? []), ...list.stopwords.map(w => w.toLowerCase())]
  }
  if (Object.keys(allow).length) out.allow = allow
  rules.push(out)
}
const data = {
  source: 'https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml',
  commit,
  license: 'MIT, Copyright (c) 2019 Zachary Rice',
  allow: (config.allowlist?.regexes ?? []).map(r => convert(r)),
  stopwords: (config.allowlist?.stopwords ?? []).map(w => w.toLowerCase()),
  excluded,
  rules,
}
process.stdout.write(`/**
 * gitleaks' rule set as data, converted to JavaScript regular expressions by scripts/gitleaks-rules.js.
 * Source: ${data.source} at commit ${commit} (${data.license}). Regenerate with that script; do not edit.
 */
import type {RuleSet} from './rule-set.js'

export const GITLEAKS: RuleSet = ${JSON.stringify(data, null, 2)}
`)
