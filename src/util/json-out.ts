/**
 * A value as `JSON.stringify(value, null, 2)` writes it, in pieces: each of a top-level object's fields, and each
 * element of a top-level field that is an array, is stringified on its own. The text is the same to the byte; what
 * is held at once is one piece, not the whole text (and its escaped copy): `aco analyze --json` over 8,020 files
 * printed 9.9 MB, which took 40 MB at the run's peak as two whole strings (trial 120).
 */
export function* jsonPieces(value: unknown): Generator<string> {
  if (!isPlainObject(value)) {
    yield JSON.stringify(value, null, 2) ?? 'undefined'
    return
  }
  const keys = Object.keys(value).filter(k => stringifies(value[k]))
  if (keys.length === 0) {
    yield '{}'
    return
  }
  yield '{'
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!
    const field = value[key]
    const end = k < keys.length - 1 ? ',' : ''
    if (Array.isArray(field) && field.length > 0 && !hasToJson(field)) {
      yield `\n  ${JSON.stringify(key)}: [`
      for (let i = 0; i < field.length; i++)
        yield `\n    ${indent(JSON.stringify(field[i], null, 2) ?? 'null', '    ')}${i < field.length - 1 ? ',' : ''}`
      yield `\n  ]${end}`
    } else yield `\n  ${JSON.stringify(key)}: ${indent(JSON.stringify(field, null, 2)!, '  ')}${end}`
  }
  yield '\n}'
}

/** Whether a field is written at all (JSON.stringify leaves out undefined, functions and symbols). */
function stringifies(v: unknown): boolean {
  return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol'
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || hasToJson(v)) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

function hasToJson(v: object): boolean {
  return typeof (v as {toJSON?: unknown}).toJSON === 'function'
}

/** A piece's lines after its first, indented to where it sits (a string's own line breaks are escaped in JSON). */
function indent(text: string, by: string): string {
  return text.includes('\n') ? text.replace(/\n/g, `\n${by}`) : text
}
