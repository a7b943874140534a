/**
 * Recorded HTTP cassettes: VCR.py / pytest-recording YAML or JSON
 * (`interactions: [{request, response}]`), Ruby VCR (`http_interactions:`),
 * and pydantic-ai's variant with `parsed_body` objects. Every interaction
 * whose response is a provider API body is one LLM call (see
 * provider-response.ts and api-calls.ts); other interactions (auth, model
 * lists, embeddings) are counted in a warning. See corpus FORMATS.md §8e.
 *
 * Traps handled here:
 * - a body is a string (`body: {string: …}`, `body: "…"`), a parsed object
 *   (`parsed_body`), an SSE stream, or bytes (`!!binary`) that may be
 *   gzip- or brotli-compressed as the server sent them;
 * - the model of a Gemini call is only in the request URL
 *   (`…/models/gemini-2.5-flash:generateContent`) when the body lacks
 *   `modelVersion`;
 * - a cassette recorded with the same response twice counts it once.
 */
import {basename} from 'node:path'
import type * as JsYaml from 'js-yaml'
import type * as Yaml from 'yaml'
import type {TraceCard} from '../card/types.js'
import {lazyModule} from '../util/lazy-module.js'
import {toIso} from '../util/time.js'
import {ApiCallCards} from './api-calls.js'
import {readBlockYaml} from './block-yaml.js'
import {isObject, num, str, type Json} from './fields.js'
import {readBody, readRequestBody} from './provider-response.js'
import {RecordError, type AdaptContext, type DocumentAdapter, type LineSink, type TextAdapter} from './types.js'

/** Compressed recorded bodies are rare: zlib loads for the first (see lazy-module.ts). */
const zlib = lazyModule<typeof import('node:zlib')>('node:zlib')

/** A header's value (VCR.py keeps lists; names in any case). */
function header(headers: unknown, name: string): string | undefined {
  if (!isObject(headers)) return undefined
  const want = name.toLowerCase()
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== want) continue
    const v = headers[key]
    const first = Array.isArray(v) ? v[0] : v
    return typeof first === 'string' ? first : undefined
  }
  return undefined
}

/** Bytes of a recorded body, decompressed as the server's Content-Encoding (or magic bytes) say. */
function decodeBytes(bytes: Uint8Array, encoding: string | undefined): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const enc = encoding?.toLowerCase()
  if (enc === 'gzip' || (buf[0] === 0x1f && buf[1] === 0x8b)) return zlib().gunzipSync(buf).toString('utf8')
  if (enc === 'br') return zlib().brotliDecompressSync(buf).toString('utf8')
  if (enc === 'deflate') return zlib().inflateSync(buf).toString('utf8')
  return buf.toString('utf8')
}

/** The body of one side of an interaction: parsed object, string, SSE text, or decoded bytes. */
function bodyOf(side: Json, what: string): unknown {
  if ('parsed_body' in side && side.parsed_body !== undefined && side.parsed_body !== null) return side.parsed_body
  let body = side.body
  if (isObject(body) && ('string' in body || 'base64_string' in body)) {
    if (typeof body.base64_string === 'string') body = Buffer.from(body.base64_string, 'base64')
    else body = body.string
  }
  if (body instanceof Uint8Array) {
    try {
      return decodeBytes(body, header(side.headers, 'content-encoding'))
    } catch (error) {
      throw new RecordError(`${what}.body: compressed bytes that cannot be decoded (${(error as Error).message})`)
    }
  }
  return body
}

/** Ruby VCR's `recorded_at` is an HTTP date (`Tue, 01 Jul 2025 08:00:09 GMT`); ISO strings are taken too. */
function recordedAt(value: unknown): string | undefined {
  if (typeof value === 'string' && /^[A-Z][a-z]{2}, /.test(value)) {
    const ms = Date.parse(value)
    return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined
  }
  return toIso(value)
}

function interactionsOf(doc: unknown): unknown[] | undefined {
  if (!isObject(doc)) return undefined
  if (Array.isArray(doc.interactions)) return doc.interactions
  if (Array.isArray(doc.http_interactions)) return doc.http_interactions
  return undefined
}

function readCassette(doc: unknown, ctx: AdaptContext): TraceCard[] {
  const interactions = interactionsOf(doc)
  if (!interactions)
    throw new RecordError('expected a cassette: an object with interactions (VCR.py) or http_interactions (Ruby VCR)')
  const calls = new ApiCallCards('cassette', ctx.path, basename(ctx.path).replace(/\.(ya?ml|json)$/i, ''), ctx.redact)
  let other = 0
  interactions.forEach((interaction, i) => {
    const where = `interactions[${i}]`
    try {
      if (!isObject(interaction) || !isObject(interaction.request) || !isObject(interaction.response))
        throw new RecordError(`${where}: expected {request, response}`)
      const request = interaction.request
      const response = interaction.response
      const status = isObject(response.status) ? num(response.status.code) : num(response.status)
      const call = readBody(bodyOf(response, `${where}.response`))
      if (!call && (status === undefined || status < 400)) {
        other++
        return
      }
      calls.add({
        call,
        request: readRequestBody(bodyOf(request, `${where}.request`)),
        url: str(request, 'uri') ?? str(request, 'url'),
        status,
        startedAt: recordedAt(interaction.recorded_at),
      })
    } catch (error) {
      if (!(error instanceof RecordError)) throw error
      ctx.skip(undefined, error.message)
    }
  })
  const cards = calls.finish()
  if (other && cards[0])
    cards[0].warnings.push({
      message: `${other} interaction(s) are not provider API calls (auth, model lists, embeddings…): not counted`,
    })
  return cards
}

/**
 * A YAML anchor (`&name` where a node starts). Cassettes almost never have
 * one: they are read with js-yaml, several times faster than yaml; a file that
 * has one is read with yaml, whose alias limit keeps a crafted file from
 * expanding without bound.
 */
const ANCHOR = /(?:^|[:?-]\s+|[[{,]\s*)&[^\s,[\]{}]+/m

/**
 * YAML's core types plus `!!binary` (compressed bodies): no implicit
 * timestamps (dates stay strings, as in JSON) and no merge keys, which also
 * makes js-yaml about three times faster on logprob-heavy cassettes.
 */
const binaryBytes = (data: string): Buffer => Buffer.from(data.replace(/\s+/g, ''), 'base64')
/** js-yaml and yaml load when a cassette needs them (most are read by readBlockYaml alone): see lazy-module.ts. */
const jsYaml = lazyModule<typeof JsYaml>('js-yaml')
const yaml = lazyModule<typeof Yaml>('yaml')
let cassetteSchema: JsYaml.Schema | undefined
function schema(): JsYaml.Schema {
  if (!cassetteSchema) {
    const {CORE_SCHEMA, Type} = jsYaml()
    cassetteSchema = CORE_SCHEMA.extend([
      new Type('tag:yaml.org,2002:binary', {
        kind: 'scalar',
        resolve: (data: unknown) => typeof data === 'string',
        construct: binaryBytes,
      }),
    ])
  }
  return cassetteSchema
}

/** Collects a cassette's text: whole when the file was read whole, else line by line. */
class CassetteLines implements LineSink {
  private readonly lines: string[] = []
  /** The whole text, when the file was read whole (see pushText). */
  private text: string | undefined

  constructor(private readonly ctx: AdaptContext) {}

  push(text: string): void {
    this.lines.push(text)
  }

  pushText(text: string): void {
    this.text = text
  }

  /**
   * The block YAML recorders write is read by readBlockYaml (about three
   * times faster than js-yaml, which spent most of a cassette's read time);
   * anything else by js-yaml, or by yaml when the text has an anchor.
   */
  finish(): TraceCard[] {
    let doc: unknown
    const text = this.text ?? this.lines.join('\n')
    try {
      doc = readBlockYaml(text, binaryBytes)
      if (doc === undefined)
        doc = ANCHOR.test(text) ? yaml().parse(text, {maxAliasCount: 100}) : jsYaml().load(text, {schema: schema()})
    } catch (error) {
      this.ctx.skip(undefined, `invalid YAML: ${(error as Error).message.split('\n')[0]}`)
      return []
    }
    return readCassette(doc, this.ctx)
  }
}

const LOOKS_FOR =
  'a VCR cassette: YAML or JSON with interactions: [{request, response}] (VCR.py, pydantic-ai) or http_interactions: (Ruby VCR) whose responses are provider API bodies'

export const cassetteYamlAdapter: TextAdapter = {
  kind: 'text',
  format: 'cassette',
  label: 'HTTP cassette (VCR YAML)',
  looksFor: LOOKS_FOR,
  sniff(head) {
    return (
      /^(?:---\s*\n)?(?:#[^\n]*\n)*(?:interactions|http_interactions):\s*$/m.test(head.slice(0, 2000)) &&
      /\n\s*-?\s*request:/.test(head)
    )
  },
  open: ctx => new CassetteLines(ctx),
}

export const cassetteJsonAdapter: DocumentAdapter = {
  kind: 'json',
  format: 'cassette',
  label: 'HTTP cassette (VCR JSON)',
  looksFor: LOOKS_FOR,
  sniff(doc) {
    const list = interactionsOf(doc)
    const first = list?.[0]
    return isObject(first) && isObject(first.request) && isObject(first.response)
  },
  parse: (doc, ctx) => readCassette(doc, ctx),
}
