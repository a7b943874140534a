/**
 * Source transforms scripts/bundle.js applies to a few dependencies, each
 * sparing work a start of aco would do and seldom use (issue 18, start-up).
 * Each takes a module's text and returns it changed, or undefined when the
 * text is not the shape it expects (then the module is bundled as it is:
 * slower, never wrong). Tested in test/cli/bundle-patches.test.ts.
 */

/**
 * ICU's root collation order (what `localeCompare` gives) for strings of lower-case letters, digits and `_`:
 * `_` first, then the digits, then the letters, a shorter string before one it begins. Other strings go to
 * localeCompare. Spares the first localeCompare's set-up of ICU's collator (~10 ms of CPU).
 */
export function acoCollate(a, b) {
  const plain = /^[a-z0-9_]*$/
  if (!plain.test(a) || !plain.test(b)) return a.localeCompare(b)
  const rank = c => (c === 95 ? 0 : c <= 57 ? c - 47 : c - 86)
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const d = rank(a.charCodeAt(i)) - rank(b.charCodeAt(i))
    if (d) return d < 0 ? -1 : 1
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1
}

const collateSource = () => `\n${acoCollate.toString().replace('function acoCollate', 'function __acoCollate')}\n`

/** Replaces each `from` (found exactly once) by its `to`, and appends acoCollate; undefined if one is not found. */
function collated(source, sorts) {
  if (sorts.some(([from]) => source.split(from).length !== 2)) return undefined
  let out = source
  for (const [from, to] of sorts) out = out.replace(from, to)
  return out + collateSource()
}

/**
 * @pydantic/genai-prices sorts dimension names and usage keys (`token_type`, `cache_write_1h_tokens`) with
 * localeCompare, on every run that prices a model.
 */
export const genaiPricesWithoutCollator = source =>
  collated(source, [
    ['([t], [a]) => t.localeCompare(a)', '([t], [a]) => __acoCollate(t, a)'],
    ['n.usageKey.localeCompare(s.usageKey)', '__acoCollate(n.usageKey, s.usageKey)'],
  ])

/** oclif sorts the commands' ids with localeCompare when it loads its configuration (every start). */
export const oclifPluginWithoutCollator = source =>
  collated(source, [['.sort((a, b) => a.id.localeCompare(b.id));', '.sort((a, b) => __acoCollate(a.id, b.id));']])

/**
 * oclif checks at import that node satisfies its `engines` range: it loads semver (~13 ms of CPU), then reads its
 * package.json from `__dirname`, which an ES module bundle has not, so the check threw and was caught: it never
 * warned from the bundle. The call is dropped (aco's own `engines` says node 20 or later).
 */
export function oclifWithoutEngineCheck(source) {
  const call = '\ncheckNodeVersion();\n'
  if (source.split(call).length !== 2) return undefined
  return source.replace(call, '\n')
}

/**
 * oclif's plugin module imports tinyglobby (with fdir and picomatch, ~8 ms of CPU) to find command files, which it
 * does only without a manifest (aco always has one): imported at its first use instead.
 */
export function lazyTinyglobby(source) {
  const line = 'const tinyglobby_1 = require("tinyglobby");'
  if (
    source.split(line).length !== 2 ||
    source.split('tinyglobby_1.').length !== 2 ||
    !source.includes('tinyglobby_1.glob')
  )
    return undefined
  return source.replace(
    line,
    'let __acoTinyglobby;\nconst tinyglobby_1 = {get glob() { return (__acoTinyglobby ??= require("tinyglobby")).glob }};',
  )
}

/**
 * wsl-utils and powershell-utils (imported by oclif's platform check at every start) promisify
 * child_process.execFile when imported, which loads child_process: promisified at the first call instead.
 */
export function lazyExecFile(source) {
  const line = 'const execFile = promisify(childProcess.execFile);'
  if (source.split(line).length !== 2) return undefined
  return source.replace(
    line,
    'let __acoExecFile;\nconst execFile = (...args) => (__acoExecFile ??= promisify(childProcess.execFile))(...args);',
  )
}

/**
 * string-width (aco's, and Ink's copy) builds an Intl.Segmenter and its emoji regular expressions when it is
 * imported: 35-50 ms of CPU at the start of every screen, which aco mostly spares (src/util/width.ts measures
 * one-column text itself). Its module body runs at its first call instead: the body in a function, the default
 * export a function that runs it once.
 */
export function lazyStringWidth(source) {
  const lines = source.split('\n')
  let head = 0
  while (head < lines.length && (/^import\s/.test(lines[head]) || lines[head].trim() === '')) head++
  const body = lines.slice(head).join('\n')
  const exports = body.match(/^export\s.*$/gm) ?? []
  if (exports.length !== 1 || !/^export default function stringWidth\(/.test(exports[0])) return undefined
  const inner = body.replace(/^export default function stringWidth\(/m, 'function stringWidth(')
  return `${lines.slice(0, head).join('\n')}\nlet __acoStringWidth\nfunction __acoInit() {\n${inner}\nreturn stringWidth\n}\nexport default function stringWidthOnFirstCall(...args) {\n  __acoStringWidth ??= __acoInit()\n  return __acoStringWidth(...args)\n}\n`
}

/**
 * Node's modules that oclif loads at import but uses only now and then: child_process (with net and dgram;
 * for WSL and Windows shells), readline (flags read from stdin) and perf_hooks (OCLIF_PERFORMANCE). Node
 * compiles each the first time it is loaded. In the oclif bundle's text (esbuild's output, its first line the
 * banner that defines `require`) they become objects that load the module at their first use (a Proxy reading
 * through to it). Returns the text and how many loads were deferred.
 */
export const LAZY_BUILTINS = ['child_process', 'readline', 'perf_hooks']
export function lazyBuiltins(bundle) {
  const helper =
    'var __acoLazy=name=>{let m;const get=()=>m??=require(name);return new Proxy({},{get:(_,k)=>k==="__esModule"?void 0:get()[k],has:(_,k)=>k in get(),ownKeys:()=>Reflect.ownKeys(get()),getOwnPropertyDescriptor:(_,k)=>{const d=Reflect.getOwnPropertyDescriptor(get(),k);return d&&{...d,configurable:!0}}})};'
  let text = bundle
  let count = 0
  for (const name of LAZY_BUILTINS) {
    const spec = JSON.stringify(`node:${name}`)
    const bare = JSON.stringify(name)
    // esbuild puts a bundled ES module's imports of node's modules at the top level, after a `;` or a line end.
    text = text.replace(new RegExp(`(^|;)import (\\w+) ?from ?(?:${spec}|${bare})(?=;|$)`, 'gm'), (_, before, v) => {
      count++
      return `${before}var ${v}=__acoLazy(${spec})`
    })
    for (const s of [spec, bare]) {
      const call = `__require(${s})`
      count += text.split(call).length - 1
      text = text.replaceAll(call, `__acoLazy(${spec})`)
    }
  }
  // After the banner (its require): the helper is defined before the first replaced import runs.
  const end = text.indexOf('\n') + 1
  return {text: `${text.slice(0, end)}${helper}\n${text.slice(end)}`, count}
}

/**
 * @pydantic/genai-prices builds its table of usage units when imported: for each of ~60 units, every other
 * unit whose dimensions it holds, each test making a fresh Object.entries (~20 ms of CPU at a priced run's
 * start). The same test over each unit's entries made once.
 */
export function genaiPricesUnitsOnce(source) {
  const from = '.filter((o) => o !== i && $(o, i))'
  if (source.split(from).length !== 2 || !source.includes('function $(e, t) {')) return undefined
  const within = `
function __acoWithin(e, t) {
  const cache = (__acoWithin.entries ??= new WeakMap());
  let d = cache.get(e);
  if (!d) cache.set(e, (d = Object.entries(e.dimensions)));
  for (let k = 0; k < d.length; k++) if (t.dimensions[d[k][0]] !== d[k][1]) return false;
  return true;
}
`
  return source.replace(from, '.filter((o) => o !== i && __acoWithin(o, i))') + within
}

/**
 * The catalog's providers as JSON (scripts/bundle.js writes it), each provider's `models` kept as a JSON string
 * of its own, and the expression that reads it back: `models` is parsed the first time it is read (a run prices
 * a few models of one or two providers; the catalog holds ~1,700 models of ~40). Undefined when the catalog is
 * not a list of providers each with a list of models.
 */
export function lazyModelsCatalog(providers, readExpression) {
  if (!Array.isArray(providers)) return undefined
  if (!providers.every(p => p && typeof p === 'object' && !Array.isArray(p) && Array.isArray(p.models)))
    return undefined
  const json = JSON.stringify(providers.map(p => ({...p, models: JSON.stringify(p.models)})))
  const expression = `(ps => {
  for (const p of ps) {
    const raw = p.models;
    let models;
    Object.defineProperty(p, 'models', {get: () => (models ??= JSON.parse(raw)), set: v => { models = v }, enumerable: true, configurable: true});
  }
  return ps;
})(${readExpression})`
  return {json, expression}
}
