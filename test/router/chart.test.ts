/**
 * The frontier charts of `aco train` and `aco train --cascade`: the legend whole inside the chart, the models' names
 * clear of each other (trial 72: a legend cut at the chart's edge, two names printed on top of each other).
 */
import {describe, expect, it} from 'vitest'
import {frontierFrame, frontierGrid, legendWidth, modelMarks} from '../../src/learn/svg.js'

/** About how wide a character is drawn at 11 px and at 9 px (sans-serif), as the charts count them. */
const CHAR_11 = 6.4
const CHAR_9 = 5.4

describe('frontier charts', () => {
  it('write costs under a tenth of a cent in decimals on the cost axis, not as $1e-4 (trial 87)', () => {
    const frame = frontierFrame(
      [
        {cost: 0.00004, quality: 0.5},
        {cost: 0.0004, quality: 0.9},
      ],
      640,
      480,
      {left: 70, right: 20, top: 30, bottom: 55},
    )
    const ticks = frontierGrid(frame)
      .map(l => /<text [^>]*text-anchor="middle" fill="#555">(\$[^<]+)<\/text>/.exec(l)?.[1])
      .filter(Boolean)
    expect(ticks).toEqual(['$0.00005', '$0.0001', '$0.0002', '$0.0005'])
  })

  it("make the legend's column as wide as its longest entry", () => {
    const entries: Array<[string, string]> = [
      ['<line/>', 'cascade (every model run counted)'],
      ['<circle/>', 'single models'],
    ]
    const w = legendWidth(entries)
    expect(w).toBeGreaterThanOrEqual(15 + 28 + 'cascade (every model run counted)'.length * CHAR_11)
    expect(legendWidth([['<circle/>', 'single models']])).toBeLessThan(w)
  })

  it("place models' names clear of each other and of the dots, inside the plot", () => {
    // Two models a few pixels apart (claude-instant-v1 and gpt-3.5-turbo-1106 on trial 72's chart), one near the
    // right edge, one at the top.
    const frame = {
      x: (c: number) => 70 + c * 490,
      y: (q: number) => 30 + (1 - q) * 395,
      margin: {left: 70, top: 30},
      plotW: 490,
      plotH: 395,
    }
    const models = [
      {model: 'anthropic/claude-instant-v1', cost: 0.4, quality: 0.842},
      {model: 'openai/gpt-3.5-turbo-1106', cost: 0.43, quality: 0.845},
      {model: 'meta/llama-2-70b-chat', cost: 0.45, quality: 0.817},
      {model: 'gpt-4-1106-preview', cost: 0.98, quality: 0.957},
      {model: 'claude-v1', cost: 0.9, quality: 0.92},
    ]
    const svg = modelMarks(models, frame, 3).join('\n')
    const labels = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]+)<\/text>/g)].map(m => ({
      x0: Number(m[1]),
      x1: Number(m[1]) + m[3]!.length * CHAR_9,
      y0: Number(m[2]) - 8,
      y1: Number(m[2]),
      text: m[3]!,
    }))
    expect(labels.map(l => l.text).sort()).toEqual([
      'claude-instant-v1',
      'claude-v1',
      'gpt-3.5-turbo-1106',
      'gpt-4-1106-preview',
      'llama-2-70b-chat',
    ])
    for (const a of labels) {
      expect(a.x1, a.text).toBeLessThanOrEqual(70 + 490)
      for (const b of labels)
        if (a !== b)
          expect(a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1, `${a.text} / ${b.text}`).toBe(false)
    }
    // Every dot is drawn, with the model's whole name as its title.
    expect(svg.match(/<circle /g)).toHaveLength(models.length)
    expect(svg).toContain('<title>openai/gpt-3.5-turbo-1106</title>')
  })
})
