import {tmpdir} from 'node:os'
import {describe, expect, it} from 'vitest'
import {analyze} from '../../src/analyze/analyze.js'
import {toResult} from '../../src/analyze/result.js'
import {table} from '../../src/report/table.js'
import {renderAnalyze} from '../../src/report/terminal.js'
import {fitPath, fitWidth, padWidth, textWidth} from '../../src/util/width.js'
import {fixture} from '../helpers.js'

const zh = '修复登录页面在移动端显示错位的问题，并为表单验证添加单元测试'
const emoji = '🚀 Ship the release 📦 and tag it 🏷️ 🎉🎉'

describe('text fitted to terminal columns', () => {
  it('measures wide characters as two columns and combining marks as none', () => {
    expect(textWidth('abc')).toBe(3)
    expect(textWidth('修复')).toBe(4)
    expect(textWidth('🎉')).toBe(2)
    expect(textWidth('é')).toBe(1) // e + combining acute
    expect(textWidth('\u001b[31mred\u001b[39m')).toBe(3)
  })

  it('cuts at whole characters to at most the width, with an ellipsis', () => {
    for (const text of [zh, emoji, 'plain ascii text that is long']) {
      for (let width = 1; width <= 30; width++) {
        const cut = fitWidth(text, width)
        expect(textWidth(cut), `${text} @${width}: ${cut}`).toBeLessThanOrEqual(width)
        if (textWidth(text) > width) expect(cut.endsWith('…')).toBe(true)
        else expect(cut).toBe(text)
        // never half a surrogate pair or half an emoji sequence
        expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/)
      }
    }
    expect(fitWidth('修复登录', 5)).toBe('修复…')
    expect(fitWidth('abcdef', 4)).toBe('abc…')
  })

  it('pads to exactly the width, left or right', () => {
    expect(padWidth('修复', 6)).toBe('修复  ')
    expect(padWidth('修复', 6, 'right')).toBe('  修复')
    expect(textWidth(padWidth(zh, 11))).toBe(11)
    expect(textWidth(padWidth(emoji, 9, 'right'))).toBe(9)
  })

  it('cuts paths from the left by columns', () => {
    const path = '/home/用户/项目/日志/会话.jsonl'
    const cut = fitPath(path, 12)
    expect(textWidth(cut)).toBeLessThanOrEqual(12)
    expect(cut.startsWith('…')).toBe(true)
    expect(cut.endsWith('.jsonl')).toBe(true)
  })

  it('lines a table up by columns whatever the script', () => {
    const lines = table(
      [
        {header: 'cost', align: 'right'},
        {header: 'trace', flex: true, min: 8},
        {header: 'steps', align: 'right'},
      ],
      [
        ['$1.00', zh, '3'],
        ['$2.00', emoji, '12'],
        ['$3.00', 'ascii', '7'],
      ],
      40,
      {header: s => s},
    )
    for (const line of lines) expect(textWidth(line), line).toBeLessThanOrEqual(40)
    // the steps column ends in the same terminal column on every row
    const ends = lines.map(line => textWidth(line))
    expect(new Set(ends).size).toBe(1)
  })
})

describe('the analyze screen with Chinese and emoji titles', () => {
  it('fits every line in 80 columns', async () => {
    const run = await analyze({paths: [fixture('wide-text')], home: tmpdir(), env: {}, threads: 1})
    const result = toResult(run)
    expect(result.traces.map(t => t.title)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^🚀 Ship the release/), expect.stringMatching(/^修复登录页面/)]),
    )
    const screen = renderAnalyze(result, {width: 80, color: false, top: 10})
    expect(screen).toMatch(/修复登录/)
    expect(screen).toMatch(/🚀 Ship/)
    for (const line of screen.split('\n')) expect(textWidth(line), line).toBeLessThanOrEqual(80)
  })
})
