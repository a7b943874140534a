/**
 * JSON Schemas of aco (every one, not only the card's), compiled once per process with ajv (2020-12).
 * Every JSON shape aco reads or writes has a schema in `schemas/`.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import type {Ajv2020, ErrorObject, ValidateFunction} from 'ajv/dist/2020.js'

// ajv and ajv-formats (CommonJS) load on the first validation, not when a module that may validate is imported:
// most runs of aco validate nothing, and loading them cost every start.
type AddFormats = (ajv: Ajv2020) => Ajv2020
const require = createRequire(import.meta.url)

const schemaDir = new URL('../../schemas/', import.meta.url)

let ajv: Ajv2020 | undefined
const compiled = new Map<string, ValidateFunction>()

function instance(): Ajv2020 {
  if (!ajv) {
    const {Ajv2020: Ajv} = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')
    const formats = require('ajv-formats') as {default?: AddFormats} & AddFormats
    ajv = new Ajv({allErrors: true, strict: true, allowUnionTypes: true})
    ;(formats.default ?? formats)(ajv)
    // Every schema known by its $id, so that one may $ref another's $defs (compiled only when used).
    for (const file of readdirSync(schemaDir)
      .filter(f => f.endsWith('.schema.json'))
      .sort()) {
      const schema = loadSchema(file.slice(0, -'.schema.json'.length)) as {$id?: string}
      if (schema.$id) ajv.addSchema(schema)
    }
  }
  return ajv
}

/** Reads a schema file from `schemas/` (e.g. `tracecard`). */
function loadSchema(name: string): object {
  return JSON.parse(readFileSync(new URL(`${name}.schema.json`, schemaDir), 'utf8')) as object
}

/** The validator of `schemas/<name>.schema.json`, compiled on first use and kept. */
export function validator(name: string): ValidateFunction {
  let validate = compiled.get(name)
  if (!validate) {
    const a = instance()
    const schema = loadSchema(name) as {$id?: string}
    // Schemas may reference each other by $id: register them all once.
    if (schema.$id && a.getSchema(schema.$id)) validate = a.getSchema(schema.$id)!
    else validate = a.compile(schema)
    compiled.set(name, validate)
  }
  return validate
}

/** Formats ajv errors as short `path: message` lines. */
export function formatErrors(errors: ErrorObject[] | null | undefined, limit = 5): string {
  if (!errors?.length) return ''
  const lines = errors.slice(0, limit).map(e => {
    const where = e.instancePath || '(root)'
    const extra = (e.params as {additionalProperty?: string}).additionalProperty
    if (e.keyword === 'additionalProperties' && extra) return `${where}: unknown key "${extra}"`
    const allowed = (e.params as {allowedValues?: unknown[]}).allowedValues
    if (e.keyword === 'enum' && allowed)
      return `${where}: must be one of ${allowed.map(v => JSON.stringify(v)).join(', ')}`
    return `${where}: ${e.message ?? 'invalid'}`
  })
  if (errors.length > limit) lines.push(`… and ${errors.length - limit} more`)
  return lines.join('; ')
}

/** Validates `data` against a named schema; returns the error text or undefined. */
export function check(name: string, data: unknown): string | undefined {
  const validate = validator(name)
  return validate(data) ? undefined : formatErrors(validate.errors)
}
