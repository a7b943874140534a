/**
 * What crashes and other tools leave (issue #12): NUL padding at the end of a file, UTF-16 with a byte-order
 * mark, a UTF-8 byte-order mark, lines ended by a lone CR. Each is read as the plain file it stands for (the
 * same cards, the same totals), in a small file read whole and in a large one read in chunks; the padding is
 * reported with its file and byte count.
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'
import {forEachLine, openTraceFile, WHOLE_FILE_LIMIT} from '../../src/discover/read.js'
import {fixture, read} from '../helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'aco-encodings-'))
const original = readFileSync(fixture('waste/duplicate-call.jsonl'), 'utf8')

function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16()
}

const VARIANTS: Record<string, () => Buffer> = {
  'NUL padding': () => Buffer.concat([Buffer.from(original), Buffer.alloc(4096)]),
  'NUL padding after a cut line': () => Buffer.concat([Buffer.from(original.trimEnd()), Buffer.alloc(777)]),
  'UTF-16 LE with a BOM': () => Buffer.from(`\uFEFF${original}`, 'utf16le'),
  'UTF-16 BE with a BOM': () => utf16be(`\uFEFF${original}`),
  'UTF-16 LE with NUL padding': () => Buffer.concat([Buffer.from(`\uFEFF${original}`, 'utf16le'), Buffer.alloc(1000)]),
  'UTF-8 with a BOM': () => Buffer.from(`\uFEFF${original}`),
  'CR-only line ends': () => Buffer.from(original.replace(/\n/g, '\r')),
  'UTF-16 LE, CR-only': () => Buffer.from(`\uFEFF${original.replace(/\n/g, '\r')}`, 'utf16le'),
}

describe('encodings and line ends, read as the plain file', async () => {
  const plain = await read(fixture('waste/duplicate-call.jsonl'))
  for (const [name, bytes] of Object.entries(VARIANTS)) {
    it(name, async () => {
      const path = join(dir, `${name.replace(/\W+/g, '-')}.jsonl`)
      const data = bytes()
      writeFileSync(path, data)
      const result = await read(path)
      expect(result.format).toBe('claude-code')
      expect(result.cards.map(c => c.totals)).toEqual(plain.cards.map(c => c.totals))
      expect(result.cards[0]!.steps.map(s => s.id)).toEqual(plain.cards[0]!.steps.map(s => s.id))
      const padding = data.length - data.subarray(0, data.findLastIndex(b => b !== 0) + 1).length
      if (name.includes('NUL')) {
        expect(result.skipped).toHaveLength(1)
        expect(result.skipped[0]!.path).toBe(path)
        expect(result.skipped[0]!.reason).toMatch(/ends in [\d,]+ NUL bytes/)
        // UTF-16: the last character's zero byte is data, not padding.
        const counted = Number(/ends in ([\d,]+)/.exec(result.skipped[0]!.reason)![1]!.replace(/,/g, ''))
        expect(counted).toBe(name.includes('UTF-16') ? padding - 1 : padding)
      } else expect(result.skipped).toEqual([])
    })
  }

  it('bytes that are not UTF-8 inside a record: read with U+FFFD, and said once with the first line; a real U+FFFD is not', async () => {
    const lines = original.split('\n')
    const at = lines.findIndex(l => l.includes('"text":"'))
    const cut = lines[at]!.indexOf('"text":"') + 8
    const bad = lines.map((l, k) =>
      k === at
        ? Buffer.concat([Buffer.from(l.slice(0, cut)), Buffer.from([0xff, 0xfe]), Buffer.from(l.slice(cut))])
        : Buffer.from(l),
    )
    const path = join(dir, 'not-utf8.jsonl')
    writeFileSync(path, Buffer.concat(bad.flatMap((b, k) => (k ? [Buffer.from('\n'), b] : [b]))))
    const result = await read(path)
    expect(result.skipped).toEqual([])
    expect(result.cards[0]!.warnings).toContainEqual({
      line: at + 1,
      message: `1 line of the file holds bytes that are not UTF-8 (the first at line ${at + 1}): read with U+FFFD in their place`,
    })
    // A cut 4-byte sequence as long as the U+FFFD it reads as (review 95), in a CRLF file.
    const cut4 = join(dir, 'not-utf8-cut4.jsonl')
    writeFileSync(
      cut4,
      Buffer.concat(
        lines.flatMap((l, k) => [
          ...(k ? [Buffer.from('\r\n')] : []),
          k === at
            ? Buffer.concat([Buffer.from(l.slice(0, cut)), Buffer.from([0xf0, 0x90, 0x80]), Buffer.from(l.slice(cut))])
            : Buffer.from(l),
        ]),
      ),
    )
    expect((await read(cut4)).cards[0]!.warnings).toContainEqual({
      line: at + 1,
      message: `1 line of the file holds bytes that are not UTF-8 (the first at line ${at + 1}): read with U+FFFD in their place`,
    })
    const real = join(dir, 'real-replacement-char.jsonl')
    writeFileSync(real, lines.map((l, k) => (k === at ? `${l.slice(0, cut)}\uFFFD${l.slice(cut)}` : l)).join('\n'))
    expect((await read(real)).cards[0]!.warnings.some(w => /not UTF-8/.test(w.message))).toBe(false)
  })

  it('bytes that are not UTF-8 in a JSON document read whole: said too (trial 34), a real U+FFFD not', async () => {
    const doc = readFileSync(fixture('swe-agent/function-calling/replayed-run.traj'), 'utf8')
    const cut = doc.indexOf('"content"') + 12
    const path = join(dir, 'not-utf8.traj')
    writeFileSync(
      path,
      Buffer.concat([Buffer.from(doc.slice(0, cut)), Buffer.from([0xff, 0xfe]), Buffer.from(doc.slice(cut))]),
    )
    const said = (await read(path)).cards.flatMap(c => c.warnings.map(w => w.message))
    expect(said).toContain('the file holds bytes that are not UTF-8: read with U+FFFD in their place')
    const real = join(dir, 'real-replacement-char.traj')
    writeFileSync(real, `${doc.slice(0, cut)}\uFFFD${doc.slice(cut)}`)
    expect((await read(real)).cards.flatMap(c => c.warnings).some(w => /not UTF-8/.test(w.message))).toBe(false)
  })

  it('bytes that are not UTF-8 in a text log (an aider history): said with the first line (trial 94), a real U+FFFD not', async () => {
    const text = readFileSync(fixture('aider/sessions-and-model-switch.aider.chat.history.md'), 'utf8')
    const lines = text.split('\n')
    const at = lines.findIndex(l => l.startsWith('#### '))
    const bad = Buffer.concat(
      lines.flatMap((l, k) => [
        ...(k ? [Buffer.from('\n')] : []),
        k === at ? Buffer.concat([Buffer.from(l), Buffer.from([0xff, 0xfe])]) : Buffer.from(l),
      ]),
    )
    const path = join(dir, 'not-utf8.aider.chat.history.md')
    writeFileSync(path, bad)
    const result = await read(path)
    expect(result.cards.length).toBeGreaterThan(0)
    for (const card of result.cards)
      expect(card.warnings).toContainEqual({
        line: at + 1,
        message: `1 line of the file holds bytes that are not UTF-8 (the first at line ${at + 1}): read with U+FFFD in their place`,
      })
    // With lone-CR line ends (a file decoded whole, its bytes not kept: review 95).
    for (const [name, body] of [
      ['cr', Buffer.from(bad.toString('latin1').replace(/\n/g, '\r'), 'latin1')],
      // (A cut 4-byte sequence, as long as the U+FFFD it reads as: the bytes compared, not their count, review 95.)
      [
        'cut-sequence',
        Buffer.concat(
          lines.flatMap((l, k) => [
            ...(k ? [Buffer.from('\n')] : []),
            k === at ? Buffer.concat([Buffer.from(l), Buffer.from([0xf0, 0x90, 0x80])]) : Buffer.from(l),
          ]),
        ),
      ],
    ] as const) {
      const other = join(dir, `not-utf8-${name}.aider.chat.history.md`)
      writeFileSync(other, body)
      const said = (await read(other)).cards.flatMap(c => c.warnings.map(w => w.message))
      expect(said).toContain(
        `1 line of the file holds bytes that are not UTF-8 (the first at line ${at + 1}): read with U+FFFD in their place`,
      )
    }
    const real = join(dir, 'real-replacement-char.aider.chat.history.md')
    writeFileSync(real, lines.map((l, k) => (k === at ? `${l}\uFFFD` : l)).join('\n'))
    expect((await read(real)).cards.flatMap(c => c.warnings).some(w => /not UTF-8/.test(w.message))).toBe(false)
  })

  it('bytes that are not UTF-8 in a YAML cassette, read whole: said with their line, a cut 4-byte sequence too', async () => {
    const lines = readFileSync(fixture('cassette/openai-chat-vcrpy.yaml'), 'utf8').split('\n')
    const at = lines.findIndex(l => /^\s*uri: /.test(l))
    expect(at).toBeGreaterThan(0)
    for (const [name, cut] of [
      ['ff', [0xff]],
      ['cut-sequence', [0xf0, 0x90, 0x80]],
    ] as const) {
      const path = join(dir, `not-utf8-${name}.yaml`)
      writeFileSync(
        path,
        Buffer.concat(
          lines.flatMap((l, k) => [
            ...(k ? [Buffer.from('\n')] : []),
            k === at ? Buffer.concat([Buffer.from(l), Buffer.from(cut)]) : Buffer.from(l),
          ]),
        ),
      )
      const said = (await read(path)).cards.flatMap(c => c.warnings)
      expect(said, name).toContainEqual({
        line: at + 1,
        message: `1 line of the file holds bytes that are not UTF-8 (the first at line ${at + 1}): read with U+FFFD in their place`,
      })
    }
  })

  it('a file of NUL bytes only: one reason, no trace', async () => {
    const path = join(dir, 'all-nul.jsonl')
    writeFileSync(path, Buffer.alloc(8192))
    const result = await read(path)
    expect(result.cards).toEqual([])
    expect(result.skipped).toEqual([{path, reason: expect.stringMatching(/^only NUL bytes \(8,192\)/)}])
  })

  it('UTF-16 with no byte order mark: binary, and said to look like UTF-16 (trial 74); another binary file not', async () => {
    const line = '{"type":"user","message":{"role":"user","content":"hi"}}\n'
    for (const [name, bytes] of [
      ['le.jsonl', Buffer.from(line, 'utf16le')],
      ['be.jsonl', Buffer.from(line, 'utf16le').swap16()],
    ] as const) {
      const path = join(dir, name)
      writeFileSync(path, bytes)
      expect((await read(path)).skipped, name).toEqual([
        {
          path,
          reason: expect.stringMatching(/^binary file, not a trace: it looks like UTF-16 text with no byte order mark/),
        },
      ])
    }
    const other = join(dir, 'random.jsonl')
    writeFileSync(other, Buffer.from(Array.from({length: 512}, (_, k) => (k * 97 + 13) % 256)))
    expect((await read(other)).skipped).toEqual([{path: other, reason: 'binary file, not a trace'}])
  })

  it('a compressed log or an archive named directly: binary, said to be packed and to be unpacked (trial 84)', async () => {
    const text = Buffer.from(original)
    // (Bytes such a file holds past its magic: NULs among others, as compressed data has.)
    const noise = Buffer.from(Array.from({length: 512}, (_, k) => (k * 97 + 13) % 256))
    const tar = Buffer.alloc(1024)
    tar.write('s.jsonl', 0, 'latin1')
    tar.write('ustar', 257, 'latin1')
    for (const [name, bytes, how] of [
      ['s.jsonl.gz', gzipSync(text), 'compressed with gzip'],
      ['s.jsonl.bz2', Buffer.concat([Buffer.from('BZh91AY&SY'), noise]), 'compressed with bzip2'],
      ['s.zip', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), noise]), 'a zip archive'],
      ['s.tar', tar, 'a tar archive'],
    ] as const) {
      const path = join(dir, name)
      writeFileSync(path, bytes)
      expect((await read(path)).skipped, name).toEqual([
        {path, reason: `binary file, not a trace: it is ${how} (unpack it, and aco reads what it holds)`},
      ])
    }
  })
})

describe('large files, read in chunks', () => {
  const lines: string[] = []
  let chars = 0
  for (let i = 0; chars < WHOLE_FILE_LIMIT / 2 + 1_000_000; i++) {
    const line = `{"i":${i},"t":"${'é→𝄞'.repeat(i % 97)}${'x'.repeat(i % 3000)}"}`
    lines.push(line)
    chars += line.length + 1
  }
  const collect = (path: string): string[] => {
    const out: string[] = []
    forEachLine(openTraceFile(path), (text, line) => {
      expect(line).toBe(out.length + 1)
      out.push(text)
    })
    return out
  }

  it('UTF-16 LE and BE with a BOM, NUL padded', () => {
    for (const [name, encode] of [
      ['le', (t: string) => Buffer.from(t, 'utf16le')],
      ['be', utf16be],
    ] as const) {
      const path = join(dir, `large-utf16${name}.jsonl`)
      writeFileSync(path, Buffer.concat([encode(`\uFEFF${lines.join('\n')}\n`), Buffer.alloc(70_000)]))
      const file = openTraceFile(path)
      expect(file.text).toBeUndefined()
      expect(file.encoding).toBe(name === 'le' ? 'utf16le' : 'utf16be')
      // The zero byte of the last LE character is data: the padding is the 70,000 bytes added.
      expect(file.nulPadding).toBe(70_000)
      expect(file.head.startsWith('{"i":0')).toBe(true)
      expect(collect(path)).toEqual(lines)
    }
  })

  it("each line's bytes handed with it are its own, lines across chunks too", () => {
    const twice = [...lines, ...lines]
    const path = join(dir, 'large-utf8.jsonl')
    writeFileSync(path, `${twice.join('\n')}\n`)
    expect(openTraceFile(path).bytes).toBeUndefined()
    const wrong: number[] = []
    let n = 0
    forEachLine(openTraceFile(path), (text, line, _terminated, _end, bytes, source, from) => {
      if (source?.toString('utf8', from, from! + bytes!) !== text) wrong.push(line)
      n++
    })
    expect(wrong).toEqual([])
    expect(n).toBe(twice.length)
  })

  it('a cut 4-byte sequence in a file read in chunks is said as in one read whole (review 95)', async () => {
    // The lines of a session, then records the reader passes over (summaries) past the whole-file limit.
    const session = original.trimEnd().split('\n')
    const at = session.findIndex(l => l.includes('"text":"'))
    const cut = session[at]!.indexOf('"text":"') + 8
    const filler = Buffer.from(`{"type":"summary","summary":"${'s'.repeat(1000)}","leafUuid":"none"}\n`)
    const path = join(dir, 'large-not-utf8-cut4.jsonl')
    writeFileSync(
      path,
      Buffer.concat([
        ...session.map((l, k) =>
          Buffer.concat([
            k === at
              ? Buffer.concat([
                  Buffer.from(l.slice(0, cut)),
                  Buffer.from([0xf0, 0x90, 0x80]),
                  Buffer.from(l.slice(cut)),
                ])
              : Buffer.from(l),
            Buffer.from('\n'),
          ]),
        ),
        ...Array.from({length: Math.ceil(WHOLE_FILE_LIMIT / filler.length) + 1}, () => filler),
      ]),
    )
    expect(openTraceFile(path).bytes).toBeUndefined()
    expect((await read(path)).cards[0]!.warnings).toContainEqual({
      line: at + 1,
      message: `1 line of the file holds bytes that are not UTF-8 (the first at line ${at + 1}): read with U+FFFD in their place`,
    })
  })

  it('CR-only line ends, and CRLF and CR mixed after a CR-only head', () => {
    const path = join(dir, 'large-cr.jsonl')
    const twice = [...lines, ...lines]
    const text = twice.map((l, i) => `${l}${i > twice.length / 2 && i % 2 ? '\r\n' : '\r'}`).join('')
    writeFileSync(path, `${text}{"cut":`)
    const file = openTraceFile(path)
    expect(file.text).toBeUndefined()
    expect(file.lineBreaks).toBe('cr')
    expect(collect(path)).toEqual([...twice, '{"cut":'])
  })
})
