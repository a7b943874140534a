/**
 * JSON.parse whose error says what went wrong without quoting the input. V8's message quotes some ten characters
 * around the fault (`Unexpected token 'A', ..."y": AKIA4HAFCF"... is not valid JSON`): part of a secret too short for
 * any rule to know, and it went into the skipped lines' reasons (trial 124).
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw error instanceof SyntaxError ? new SyntaxError(withoutExcerpt(error.message)) : error
  }
}

/** A JSON.parse error's message without the excerpt of the input V8 quotes in it. */
export function withoutExcerpt(message: string): string {
  const m = /^(Unexpected token .*?), (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s.exec(message)
  return m ? `${m[1]}: not valid JSON` : message
}
