#!/usr/bin/env node
/**
 * Bundles what `aco` loads at start (issue 18, start-up), after `tsc -b` in
 * `npm run build`: node spends most of a short run resolving, reading and
 * compiling hundreds of small modules, far less once they are one file.
 *
 * - dist/bundle/oclif.js: @oclif/core as one ES module (its optional
 *   TypeScript loaders, used only in development, stay outside).
 * - dist/bundle/commands/NAME.js: each command with everything it imports,
 *   one ES module per command; @oclif/core is the one above, so the command
 *   and bin/run.js share a single oclif. What a command imports dynamically
 *   (the review's Ink screen, the readers, the price catalog) goes to chunks
 *   loaded when it is needed (dist/bundle/chunks/).
 * - ACO_BUILD_ID in the bundles: a hash of what they were built from, the
 *   cache's code fingerprint (no walk of dist/ at start-up).
 * - oclif.manifest.json (the commands' ids, flags and help, so oclif imports
 *   only the command that runs) with the bundled files as their paths, and
 *   last dist/bundle/.stamp. bin/run.js uses the bundles when the stamp is no
 *   older than the last `tsc -b` (tsconfig.tsbuildinfo); after a `tsc -b`
 *   alone it runs dist/ as compiled (src/cli/manifest.ts).
 *
 * aco's modules find their files (schemas/, mappings/, the analysis worker)
 * from their own import.meta.url: in a bundle it is replaced by the URL the
 * module has in dist/, so those paths hold. ajv is left outside (loaded on
 * the first validation, by createRequire). The price catalog's data, one
 * large object literal, is written as dist/bundle/genai-prices.json and read
 * with JSON.parse where the literal was, after checking the two are equal
 * (V8 parses JSON several times faster than the literal, and a separate file
 * spares node compiling and keeping a 0.5 MB string literal in the module).
 */
import {mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {createHash} from 'node:crypto'
import {createRequire} from 'node:module'
import {basename, dirname, join, relative, sep} from 'node:path'
import {fileURLToPath} from 'node:url'
import {isDeepStrictEqual} from 'node:util'
import vm from 'node:vm'
import {Plugin} from '@oclif/core'
import {build, transformSync} from 'esbuild'
import {
  genaiPricesUnitsOnce,
  genaiPricesWithoutCollator,
  LAZY_BUILTINS,
  lazyBuiltins,
  lazyExecFile,
  lazyModelsCatalog,
  lazyStringWidth,
  lazyTinyglobby,
  oclifPluginWithoutCollator,
  oclifWithoutEngineCheck,
} from './bundle-patches.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist')
const out = join(dist, 'bundle')
const require = createRequire(import.meta.url)

/** Writes a file whole or not at all (temp file, then rename). */
function write(path, text) {
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, text)
  renameSync(tmp, path)
}

const notes = []
rmSync(out, {recursive: true, force: true})
mkdirSync(join(out, 'commands'), {recursive: true})

// CommonJS modules inside an ES module bundle still call require (node's built-ins): give them node's.
const esmRequire =
  "import {createRequire as __acoRequire} from 'node:module';const require=__acoRequire(import.meta.url);"
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner: {js: esmRequire},
  // Names kept (stack traces stay readable); whitespace and syntax minified: less for node to read and compile.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
}

// @oclif/core is CommonJS: one ES module re-exporting its names, so importing it needs no export scan.
const oclifNames = Object.keys(require('@oclif/core')).filter(n => n !== 'default' && n !== '__esModule')
const oclif = await build({
  ...common,
  stdin: {
    contents: `import * as oclif from '@oclif/core'\nexport const {${oclifNames.join(', ')}} = oclif\n`,
    resolveDir: root,
    loader: 'js',
  },
  outfile: join(out, 'oclif.js'),
  // oclif's TypeScript support (development only) loads these when present: never bundled.
  external: ['typescript', 'ts-node', 'tsx'],
  plugins: [
    {
      name: 'aco-oclif',
      setup(b) {
        const patch = (filter, transform, what) =>
          b.onLoad({filter}, args => {
            const contents = transform(readFileSync(args.path, 'utf8'))
            notes.push(`${what}: ${contents === undefined ? 'not the expected shape, bundled as it is' : 'patched'}`)
            return contents === undefined ? undefined : {contents, loader: 'js'}
          })
        patch(/[\\/]wsl-utils[\\/]index\.js$/, lazyExecFile, 'wsl-utils')
        patch(/[\\/]powershell-utils[\\/]index\.js$/, lazyExecFile, 'powershell-utils')
        patch(
          /[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/,
          text => {
            const sorted = oclifPluginWithoutCollator(text)
            return sorted && (lazyTinyglobby(sorted) ?? sorted)
          },
          'oclif ids, tinyglobby',
        )
        patch(/[\\/]@oclif[\\/]core[\\/]lib[\\/]index\.js$/, oclifWithoutEngineCheck, 'oclif engine check')
      },
    },
  ],
})

const lazy = lazyBuiltins(readFileSync(join(out, 'oclif.js'), 'utf8'))
write(join(out, 'oclif.js'), lazy.text)
const oclifNote = `${lazy.count} loads of ${LAZY_BUILTINS.join(', ')} deferred to their first use`

/** The catalog's data file, beside the commands/ and chunks/ folders (its path from either is the same). */
const CATALOG_JSON = 'genai-prices.json'

/**
 * The catalog's object literal `const E = [...]` as JSON.parse of the same value read from CATALOG_JSON (written
 * here), or the source unchanged.
 */
function catalogAsJson(source) {
  const m = /^const (\w+) = (\[[\s\S]*?\n\]), (?=\w+ = )/m.exec(source)
  if (!m) return {source, note: 'its data literal was not found: bundled as it is'}
  let value
  try {
    value = vm.runInThisContext(`(${m[2]})`)
  } catch {
    return {source, note: 'its data literal did not parse alone: bundled as it is'}
  }
  const json = JSON.stringify(value)
  if (!isDeepStrictEqual(JSON.parse(json), value)) return {source, note: 'its data is not plain JSON: bundled as it is'}
  const read = `JSON.parse(__acoReadFileSync(new URL(${JSON.stringify(`../${CATALOG_JSON}`)}, import.meta.url), 'utf8'))`
  const imports = "import {readFileSync as __acoReadFileSync} from 'node:fs';\n"
  // Each provider's models parsed when first read (checked: read back, the same value).
  const lazy = lazyModelsCatalog(value, read)
  if (lazy) {
    const back = vm.runInNewContext(lazy.expression.replace(read, 'JSON.parse(text)'), {text: lazy.json, JSON})
    if (isDeepStrictEqual(JSON.parse(JSON.stringify(back)), value)) {
      write(join(out, CATALOG_JSON), lazy.json)
      return {
        source: `${imports}${source.replace(m[2], lazy.expression)}`,
        note: `data as JSON.parse of ${CATALOG_JSON}, each provider's models when first read`,
      }
    }
  }
  write(join(out, CATALOG_JSON), json)
  return {source: `${imports}${source.replace(m[2], read)}`, note: `data as JSON.parse of ${CATALOG_JSON}`}
}

const acoPlugin = {
  name: 'aco',
  setup(b) {
    b.onResolve({filter: /^@oclif\/core$/}, () => ({path: '../oclif.js', external: true}))
    b.onLoad({filter: /[\\/]@pydantic[\\/]genai-prices[\\/]dist[\\/]index\.js$/}, args => {
      const catalog = catalogAsJson(readFileSync(args.path, 'utf8'))
      const collated = genaiPricesWithoutCollator(catalog.source)
      const units = genaiPricesUnitsOnce(collated ?? catalog.source)
      notes.push(
        `genai-prices: ${catalog.note}, ${collated ? 'keys sorted without ICU' : 'its sorts as they are'}, ${units ? 'units table built with entries made once' : 'units table as it is'}`,
      )
      return {contents: units ?? collated ?? catalog.source, loader: 'js'}
    })
    b.onLoad({filter: /[\\/]string-width[\\/]index\.js$/}, args => {
      const source = readFileSync(args.path, 'utf8')
      const lazy = lazyStringWidth(source)
      notes.push(`string-width: ${lazy ? 'set up at its first call' : 'not one default function export, as it is'}`)
      return {contents: lazy ?? source, loader: 'js'}
    })
    b.onLoad({filter: /\.js$/}, args => {
      if (!args.path.startsWith(dist + sep)) return undefined
      let contents = readFileSync(args.path, 'utf8')
      if (contents.includes('import.meta.url')) {
        const own = relative(join(out, 'commands'), args.path).split(sep).join('/')
        contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(own)}, import.meta.url).href`)
      }
      return {contents, loader: 'js'}
    })
  },
}

/**
 * The build's id, for the cache's key (src/analyze/cache.ts, codeFingerprint): a hash of the compiled code
 * (dist/, the bundles aside), the built-in mappings and the price catalog's contents, so a run from the bundles
 * need not walk dist/ at start-up, and a build of the same code keeps the cache.
 */
function buildId() {
  const hash = createHash('sha1')
  const visit = dir => {
    for (const e of readdirSync(dir, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name)
      if (e.isDirectory()) {
        if (p !== out) visit(p)
      } else if (/\.(js|json|yaml)$/.test(e.name)) hash.update(`${relative(root, p)}\0${readFileSync(p, 'utf8')}\0`)
    }
  }
  visit(dist)
  visit(join(root, 'mappings'))
  hash.update(readFileSync(require.resolve('@pydantic/genai-prices'), 'utf8'))
  return hash.digest('hex')
}

const commands = readdirSync(join(dist, 'commands')).filter(f => f.endsWith('.js'))
const bundled = await build({
  ...common,
  entryPoints: commands.map(f => join(dist, 'commands', f)),
  outdir: join(out, 'commands'),
  splitting: process.env.ACO_SPLIT !== '0',
  chunkNames: '../chunks/[name]-[hash]',
  // ajv loads on the first validation (util/schemas.ts); react-devtools-core only under Ink's DEV=true.
  external: ['ajv', 'ajv-formats', 'react-devtools-core'],
  // jsonc-parser's main build is UMD, which requires its own files at run time (not bundled): its ES module build.
  alias: {'jsonc-parser': 'jsonc-parser/lib/esm/main.js'},
  // React's production build for the review (its development build checks every render: slower, same screens).
  define: {'process.env.NODE_ENV': '"production"', ACO_BUILD_ID: JSON.stringify(buildId())},
  plugins: [acoPlugin],
})

const commonJsNote = commonJs()

// ACO_BUNDLE_META=FILE: esbuild's metafile of the commands' bundles (which module went into which chunk).
if (process.env.ACO_BUNDLE_META) write(process.env.ACO_BUNDLE_META, JSON.stringify(bundled.metafile))

/**
 * The bundles as CommonJS, so bin/run.js can give V8 the code it compiled for them on an earlier run
 * (src/cli/compile-cache.ts: node 20 keeps no compiled code of ES modules, and compiling is most of a short run's
 * start). esbuild splits only ES modules: each file it wrote is converted on its own (its imports of the others
 * become requires; `import.meta.url` the file's URL). A file with a top-level await (Ink's screen, loading its
 * layout engine) cannot be CommonJS: it stays an ES module, renamed `.mjs`, imported as before. Dynamic imports of a
 * CommonJS file become requires (a script compiled with cached code cannot import); any other goes through
 * `__acoImport`, which bin/run.js's compile cache answers with an import of its own. Each file starts with "use
 * strict" (an ES module's code is strict; a CommonJS file's is not unless it says so).
 */
function commonJs() {
  const files = [join(out, 'oclif.js')]
  for (const dir of ['commands', 'chunks'])
    for (const f of readdirSync(join(out, dir))) if (f.endsWith('.js')) files.push(join(out, dir, f))
  const converted = new Map()
  const esm = []
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    const body = (text.startsWith(esmRequire) ? text.slice(esmRequire.length) : text).replaceAll(
      'import.meta.url',
      '__acoUrl',
    )
    try {
      const code = transformSync(body, {
        format: 'cjs',
        loader: 'js',
        platform: 'node',
        target: 'node20',
        minifyWhitespace: true,
        minifySyntax: true,
        logLevel: 'silent',
      }).code
      converted.set(file, code)
    } catch (error) {
      if (!String(error).includes('Top-level await')) throw error
      esm.push(file)
    }
  }
  const names = esm.map(f => basename(f))
  const renamed = text => names.reduce((t, n) => t.replaceAll(`/${n}"`, `/${n.replace(/\.js$/, '.mjs')}"`), text)
  for (const file of esm) {
    write(file.replace(/\.js$/, '.mjs'), renamed(readFileSync(file, 'utf8')))
    rmSync(file)
  }
  for (const [file, code] of converted) {
    const body = renamed(code)
      .replace(
        /(?<![\w$.'"`])import\("(\.{1,2}\/[^"]+\.js)"\)/g,
        (_, t) => `Promise.resolve().then(()=>require("${t}"))`,
      )
      .replace(/(?<![\w$.'"`])import\((?!\))/g, '__acoImport(')
    // (An ES module is strict: so is what it became.)
    const prelude = [
      '"use strict";',
      body.includes('__acoUrl') && 'const __acoUrl=require("node:url").pathToFileURL(__filename).href;',
      body.includes('__acoImport(') &&
        'const __acoImport=s=>(globalThis.__acoEsm??(u=>import(u)))(/^\\.\\.?\\//.test(s)?require("node:url").pathToFileURL(require("node:path").resolve(__dirname,s)).href:s);',
    ]
    write(file, `${prelude.filter(Boolean).join('')}${body}`)
  }
  write(join(out, 'package.json'), '{"type": "commonjs"}\n')
  return `CommonJS but ${names.join(', ') || 'none'} (top-level await: kept as ES modules)`
}

// The manifest: read from the compiled command files, pointed at the bundled ones.
const plugin = new Plugin({
  root,
  type: 'core',
  ignoreManifest: true,
  errorOnManifestCreate: true,
  respectNoCacheDefault: true,
})
await plugin.load()
const manifest = plugin.manifest
for (const command of Object.values(manifest.commands)) {
  const file = command.relativePath.at(-1)
  command.relativePath = ['dist', 'bundle', 'commands', file]
  command.isESM = false
}
write(join(root, 'oclif.manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
write(join(out, '.stamp'), `${new Date().toISOString()}\n`)

const size = result =>
  Object.values(result.metafile.outputs)
    .map(o => o.bytes)
    .reduce((a, b) => a + b, 0)
const files = Object.keys(bundled.metafile.outputs).length
console.log(
  `bundle: oclif ${(size(oclif) / 1e6).toFixed(2)} MB (${oclifNote}); ${commands.length} commands in ${files} files, ${(size(bundled) / 1e6).toFixed(1)} MB; ${commonJsNote}; ${[...new Set(notes)].join('; ')}`,
)
