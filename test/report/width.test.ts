import {tmpdir} from 'node:os'
import {describe, expect, it} from 'vitest'
import {analyze} from '../../src/analyze/analyze.js'
import {toResult} from '../../src/analyze/result.js'
import {table} from '../../src/report/table.js'
import {renderAnalyze} from '../../src/report/terminal.js'
import stringWidth from 'string-width'
import {fitMiddle, fitPath, fitWidth, isNarrow, NARROW_RANGES, padWidth, textWidth} from '../../src/util/width.js'
import {fixture} from '../helpers.js'

const zh = '修复登录页面在移动端显示错位的问题，并为表单验证添加单元测试'
const emoji = '🚀 Ship the release 📦 and tag it 🏷️ 🎉🎉'

describe('text fitted to terminal columns', () => {
  it('takes the narrow path only for characters string-width measures as one column, each a cluster of its own', () => {
    // The fast path (one column a UTF-16 unit, no segmenting) must give string-width's answer for any text it takes:
    // every code point it takes is one column, and joins neither the character before it nor the one after.
    const segmenter = new Intl.Segmenter()
    const clusters = (s: string): number => [...segmenter.segment(s)].length
    let checked = 0
    for (const [from, to] of NARROW_RANGES) {
      for (let c = from; c <= to; c++) {
        const ch = String.fromCodePoint(c)
        expect(isNarrow(ch), ch).toBe(true)
        expect(stringWidth(ch), `U+${c.toString(16)}`).toBe(1)
        expect(clusters(`a${ch}a`), `U+${c.toString(16)} joins a neighbour`).toBe(3)
        expect(clusters(ch + ch), `U+${c.toString(16)} joins itself`).toBe(2)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(3000)
    // Outside the ranges: wide, combining, zero-width, emoji, control characters.
    for (const ch of ['修', '\u0301', '\u200b', '\ufe0f', '🎉', '\u231a', '\u0007', '\u001b', '\u00ad'])
      expect(isNarrow(`a${ch}`), JSON.stringify(ch)).toBe(false)
    // Mixed text from the ranges: the same widths, cuts and pads as through string-width.
    let seed = 7
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    const all = NARROW_RANGES.flatMap(([a, b]) => [a, b, Math.floor((a + b) / 2)])
    for (let i = 0; i < 200; i++) {
      const text = Array.from({length: 1 + next(40)}, () => String.fromCodePoint(all[next(all.length)]!)).join('')
      expect(textWidth(text)).toBe(stringWidth(text))
    }
    expect(textWidth('$0.16 · wasted 26.9% ▼ › … █▌ ⚑ – é')).toBe(stringWidth('$0.16 · wasted 26.9% ▼ › … █▌ ⚑ – é'))
    expect(fitWidth('Ünïcödé · ▼ titles…', 8)).toBe('Ünïcödé…')
    expect(fitPath('/häme/dév/prøject/trace.jsonl', 12)).toBe('…trace.jsonl')
  })

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

  it('cuts in the middle, keeping both ends, so names of one vendor stay apart', () => {
    expect(fitMiddle('claude-sonnet-4-20250514', 20)).toBe('claude-son…-20250514')
    expect(fitMiddle('claude-sonnet-4-5-20250929', 20)).toBe('claude-son…-20250929')
    expect(fitMiddle('gpt-5.4', 20)).toBe('gpt-5.4')
    for (const text of [zh, emoji, 'claude-sonnet-4-20250514'])
      for (let width = 1; width <= 30; width++) {
        const cut = fitMiddle(text, width)
        expect(textWidth(cut), `${text} @${width}: ${cut}`).toBeLessThanOrEqual(width)
        if (textWidth(text) <= width) expect(cut).toBe(text)
        expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/)
      }
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

  it('cuts a column of paths or session files from the start, where the rows are alike, when told to', () => {
    const rows = ['22:03:50', '22:05:16'].map(t => [
      `aider-history/opencoder.aider.chat.history.md@2026-02-28T${t}.000Z`,
      '1',
    ])
    const cut = (keepEnd: boolean) =>
      table(
        [
          {header: 'session', flex: true, min: 10, keepEnd},
          {header: 'calls', align: 'right'},
        ],
        rows,
        40,
        {
          header: s => s,
        },
      ).slice(1)
    // (Cut at the end the two rows read the same.)
    expect(new Set(cut(false)).size).toBe(1)
    const kept = cut(true)
    expect(kept[0]).toMatch(/^ {2}….*22:03:50\.000Z +1$/)
    expect(kept[1]).toMatch(/22:05:16\.000Z +1$/)
    for (const line of kept) expect(textWidth(line)).toBeLessThanOrEqual(40)
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

describe('the analyze screen’s warnings', () => {
  it('wrap onto lines of their own, within the width, not cut at the first (the second new user’s trial)', async () => {
    const run = await analyze({paths: [fixture('copilot-cli')], home: tmpdir(), env: {}, threads: 1})
    const result = toResult(run)
    const screen = renderAnalyze(result, {width: 80, color: false, top: 10, timeZone: 'UTC'})
    const lines = screen.split('\n')
    for (const line of lines) expect(textWidth(line), line).toBeLessThanOrEqual(80)
    // Copilot's warning of calls with no shutdown, whole, its words in order over the lines after its first.
    const at = lines.findIndex(l => /input tokens not recorded for the 1 call\(s\) after the last/.test(l))
    expect(at).toBeGreaterThan(-1)
    let end = at + 1
    while (end < lines.length && /^ {13}\S/.test(lines[end]!)) end++
    const text = lines
      .slice(at, end)
      .map(l => l.trim())
      .join(' ')
    expect(text).toMatch(
      /session\.shutdown \(Copilot CLI writes them when its process ends\): they count their output alone$/,
    )
  })
})

describe('the window and the repeated files on a narrow screen', () => {
  it('wrap at their parts, losing no figure, and name the repeats up to twelve (trial 78: cut with … in a pipe)', async () => {
    const run = await analyze({paths: [fixture('copilot-cli')], home: tmpdir(), env: {}, threads: 1})
    const result = toResult(run)
    result.window = {since: '2026-03-08T07:30:00.000Z', filesSkipped: 1234, stepsOutside: 5678}
    const files = Array.from({length: 20}, (_, k) => ({path: `/home/me/logs/copy-${k}/session-${k}.jsonl`, of: 'x'}))
    result.files.repeats = files.length
    result.repeatedFiles = files
    const lines = renderAnalyze(result, {width: 80, color: false, top: 10, timeZone: 'UTC'}).split('\n')
    for (const line of lines) expect(textWidth(line), line).toBeLessThanOrEqual(80)
    const at = lines.findIndex(l => l.startsWith('  Window 2026-03-08 07:30 → now (UTC)'))
    expect(lines.slice(at, at + 3).join(' ')).toMatch(/1,234 older files not opened.*5,678 steps outside or undated/)
    const repeats = lines.findIndex(l => l.startsWith('  Repeats'))
    let end = repeats + 1
    while (end < lines.length && /^ {14}\S/.test(lines[end]!)) end++
    const block = lines.slice(repeats, end)
    const text = block.join(' ').replace(/\s+/g, ' ')
    expect(text).toMatch(
      /20 files repeat traces .* copy-0\/session-0\.jsonl, .* copy-11\/session-11\.jsonl, and 8 more/,
    )
    expect(text).not.toMatch(/copy-12\//)
    expect(block.join('')).not.toMatch(/…/)
  })

  it('wraps the estimated and uncounted dollars under the cost, whole (trial 126: "(see…" at 80 columns)', async () => {
    const result = toResult(await analyze({paths: [fixture('codex')], home: tmpdir(), env: {}, threads: 1}))
    result.warnings.estimates = {countedUsd: 0.03, notCountedUsd: 0.43}
    const lines = renderAnalyze(result, {width: 80, color: false, top: 10}).split('\n')
    for (const line of lines) expect(textWidth(line), line).toBeLessThanOrEqual(80)
    const at = lines.findIndex(l => l.includes('of it rests on estimated tokens'))
    const text = lines
      .slice(at, at + 4)
      .join(' ')
      .replace(/\s+/g, ' ')
    expect(text).toContain(
      '$0.03 of it rests on estimated tokens (output the logs under-recorded; see Warnings) + ≈$0.43 not counted: calls or tokens the logs do not record (see Warnings)',
    )
    expect(lines.slice(at, at + 4).every(l => l.startsWith(' '.repeat(14)))).toBe(true)
  })
})

describe('Cost by model past --top', () => {
  it('counts the hidden models the catalog does not price on the line that hides them; the * note only with a * row (trial 40)', async () => {
    const paths = [fixture('claude-code'), fixture('codex'), fixture('waste')]
    const result = toResult(await analyze({paths, home: tmpdir(), env: {}, threads: 1}))
    const unpriced = result.byModel.filter(m => !m.priced)
    expect(unpriced.length).toBeGreaterThan(0)
    const top = result.byModel.indexOf(unpriced[0]!)
    const hidden = renderAnalyze(result, {width: 100, color: false, top})
    // (One hidden model, the unpriced one: "1 more model … with calls not priced"; several: "N more models, 1 of them".)
    const more = result.byModel.length - top
    expect(hidden).toContain(
      more === 1
        ? '… 1 more model (--top), with calls not priced (see Unpriced below)'
        : `… ${more} more models (--top), 1 of them with calls not priced (see Unpriced below)`,
    )
    expect(hidden).not.toMatch(/\* not all calls priced/)
    const shown = renderAnalyze(result, {width: 100, color: false, top: top + 1})
    expect(shown).toMatch(/\* not all calls priced/)
  })

  it("says what a * row's cost is, the pointer to Unpriced first (trial 74: no price at all read 'recorded or estimated', the pointer cut)", async () => {
    const paths = [fixture('claude-code/unknown-model.jsonl')]
    const result = toResult(await analyze({paths, home: tmpdir(), env: {}, threads: 1}))
    const screen = renderAnalyze(result, {width: 80, color: false, top: 10})
    expect(screen).toMatch(
      /^ {2}\* not all calls priced by the catalog \(see Unpriced below\): calls with no\n {4}price count no cost$/m,
    )
    expect(screen).not.toMatch(/recorded or estimated/)
  })
})

describe('calls priced only by what the tool recorded (trial 90)', () => {
  it('points to no Unpriced section the screen does not print, and compares no computed $0.00 with the recorded cost', async () => {
    const paths = [fixture('aider/recorded-cost-unpriced-model.aider.chat.history.md')]
    const result = toResult(await analyze({paths, home: tmpdir(), env: {}, threads: 1}))
    expect(result.unpriced).toEqual([])
    const screen = renderAnalyze(result, {width: 100, color: false, top: 10})
    expect(screen).toMatch(/^ {2}\* not all calls priced by the catalog: the cost shown is the catalog's/m)
    expect(screen).not.toMatch(/see Unpriced below|Unpriced models/)
    // (The catalog prices none of them: nothing is compared, and nothing reads as missing, trial 94.)
    expect(screen.replace(/\s+/g, ' ')).toContain(
      'recorded $0.0070 for the 1 trace that records cost: the catalog prices none of its 2 calls with a recorded cost, so what the tool recorded is what counts',
    )
    expect(screen).not.toMatch(/computed \$0\.00/)
  })
})

describe('--by model', () => {
  it("marks the models the catalog does not price all calls of with Cost by model's * and note, and counts the hidden ones (trial 78)", async () => {
    const paths = [fixture('claude-code'), fixture('codex'), fixture('waste')]
    const result = toResult(
      await analyze({paths, home: tmpdir(), env: {}, threads: 1, groupBy: {by: 'model', timeZone: 'UTC'}}),
    )
    const unpriced = result.byModel.filter(m => !m.priced)
    expect(unpriced.length).toBeGreaterThan(0)
    const row = result.groups!.rows.findIndex(r => r.key === unpriced[0]!.model)
    expect(row).toBeGreaterThanOrEqual(0)
    const shown = renderAnalyze(result, {width: 100, color: false, top: row + 1})
    expect(shown.match(/Cost by model/g)).toHaveLength(1)
    expect(shown).toContain(`  ${unpriced[0]!.model} *`)
    expect(shown).toMatch(/^ {2}\* not all calls priced by the catalog \(see Unpriced below\)/m)
    const hidden = renderAnalyze(result, {width: 100, color: false, top: row})
    expect(hidden).toMatch(/… \d+ more \(--top\), \d+ of them with calls not priced \(see Unpriced below\)/)
    expect(hidden).not.toMatch(/\* not all calls priced/)
  })
})

describe('a file of unknown format on the screen', () => {
  it('says what aco looked for over up to three lines, within the width (the new user’s trial 40)', async () => {
    const dir = (await import('node:fs')).mkdtempSync(`${tmpdir()}/aco-unknown-`)
    ;(await import('node:fs')).writeFileSync(`${dir}/a.jsonl`, '{"foo": 1}\n')
    const result = toResult(await analyze({paths: [dir], home: tmpdir(), env: {}, threads: 1}))
    const lines = renderAnalyze(result, {width: 100, color: false, top: 10}).split('\n')
    const at = lines.findIndex(l => /1 file of unknown format: a\.jsonl/.test(l))
    expect(at).toBeGreaterThan(-1)
    const reason = lines.slice(at + 1, at + 4)
    // What to do first (trial 124: at the end of the list, the hint was cut off), then what it looked for, by name.
    expect(reason.map(l => l.trim()).join(' ')).toMatch(
      /^unknown format: Name it with --format if you know it, or describe it with --mapping FILE\. Looked for \(aco formats says what each looks for\): Codex CLI rollout, Claude Code session, /,
    )
    expect(reason.every(l => /^ {2}\S/.test(l) && textWidth(l) <= 100)).toBe(true)
  })
})
