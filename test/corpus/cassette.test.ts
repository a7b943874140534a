/**
 * Recorded provider responses with logprobs (openai-logprobs): each cassette
 * read with no skip; tokens equal the recorded usage and the uncertainty
 * equals the logprobs, both read here from the YAML the plain way.
 */
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {tokenSum} from '../../src/card/build.js'
import {validator} from '../../src/util/schemas.js'
import {corpus, hasCorpus, llmSteps, read, skipNoCorpus} from '../helpers.js'

interface Cassette {
  interactions: Array<{response: {parsed_body: Record<string, unknown>}}>
}

const body = (name: string): Record<string, unknown> =>
  (parse(readFileSync(corpus(`openai-logprobs/${name}`), 'utf8')) as Cassette).interactions[0]!.response.parsed_body

describe.skipIf(!hasCorpus)(
  `corpus: recorded responses with logprobs (${hasCorpus ? corpus('openai-logprobs') : skipNoCorpus})`,
  () => {
    it('OpenAI Responses: tokens = usage; uncertainty = mean 1 − p over output_text.logprobs', async () => {
      const name = 'pydantic-ai-responses-logprobs.yaml'
      const r = await read(corpus(`openai-logprobs/${name}`))
      expect(r.format).toBe('cassette')
      expect(r.skipped).toEqual([])
      const card = r.cards[0]!
      const validate = validator('tracecard')
      expect(validate(card), JSON.stringify(validate.errors)).toBe(true)
      const b = body(name) as {
        usage: {input_tokens: number; output_tokens: number; total_tokens: number}
        output: Array<{content: Array<{logprobs: Array<{logprob: number}>}>}>
      }
      const [step] = llmSteps(card)
      expect(step!.tokens!.input + step!.tokens!.cacheRead).toBe(b.usage.input_tokens)
      expect(step!.tokens!.output).toBe(b.usage.output_tokens)
      expect(tokenSum(step!.tokens!)).toBe(b.usage.total_tokens)
      const lps = b.output[0]!.content[0]!.logprobs.map(t => t.logprob)
      expect(step!.uncertainty!.meanOneMinusP).toBeCloseTo(
        lps.reduce((n, l) => n + 1 - Math.exp(l), 0) / lps.length,
        12,
      )
      // top_logprobs are empty in this recording: no entropy, rather than a made-up one
      expect(step!.uncertainty!.entropy).toBeUndefined()
      expect(card.totals.costUsd).toBeGreaterThan(0)
    })

    it('Vertex Gemini: token sum = totalTokenCount; uncertainty from logprobsResult (chosen and top candidates)', async () => {
      const name = 'pydantic-ai-vertex-gemini-logprobs.yaml'
      const card = (await read(corpus(`openai-logprobs/${name}`))).cards[0]!
      const b = body(name) as {
        usageMetadata: {totalTokenCount: number; thoughtsTokenCount: number}
        candidates: Array<{
          logprobsResult: {
            chosenCandidates: Array<{logProbability: number}>
            topCandidates: Array<{candidates: Array<{logProbability: number}>}>
          }
        }>
      }
      const [step] = llmSteps(card)
      expect(step!.model).toBe('gemini-2.5-flash')
      expect(tokenSum(step!.tokens!)).toBe(b.usageMetadata.totalTokenCount)
      expect(step!.tokens!.reasoning).toBe(b.usageMetadata.thoughtsTokenCount)
      const lr = b.candidates[0]!.logprobsResult
      const chosen = lr.chosenCandidates.map(c => c.logProbability)
      expect(step!.uncertainty!.meanOneMinusP).toBeCloseTo(
        chosen.reduce((n, l) => n + 1 - Math.exp(l), 0) / chosen.length,
        12,
      )
      const entropies = lr.topCandidates.map(t => {
        const ps = t.candidates.map(c => Math.exp(c.logProbability))
        const z = ps.reduce((a, x) => a + x, 0)
        return -ps.reduce((n, p) => n + (p / z) * Math.log(p / z), 0)
      })
      expect(step!.uncertainty!.entropy).toBeCloseTo(entropies.reduce((a, x) => a + x, 0) / entropies.length, 12)
    })
  },
)
