/**
 * Tokens estimated from text, where a log's own count cannot be used (Claude
 * Code's streaming placeholders). The ratio is the model family's tokeniser's
 * usual characters per token on English and code; an estimate is always
 * marked as one where it is shown.
 */

/**
 * Characters per token by model family. Claude: Anthropic documents about
 * 3.5 characters a token; on the Claude Code corpus, responses with a final
 * count hold a median of 3.1 visible characters per output token (thinking is
 * summarised, tool arguments are JSON), so 3.5 errs low. OpenAI's o200k and
 * Gemini's tokenisers: about 4.
 */
export function charsPerToken(model: string | undefined): number {
  const m = (model ?? '').toLowerCase()
  if (m.includes('claude')) return 3.5
  return 4
}

/** Tokens that `chars` characters of text from `model` are estimated to take. */
export function tokensForChars(chars: number, model: string | undefined): number {
  return Math.ceil(chars / charsPerToken(model))
}
