/**
 * A cards folder's two files are renamed into place under the folder's lock: two runs writing one --out at once left one
 * run's cards beside the other's index (trial 127).
 */
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {openCardsWriter} from '../../src/analyze/cards-writer.js'
import {analyze} from '../../src/analyze/analyze.js'
import {fixture} from '../helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'aco-cards-lock-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

/** A cards writer into `dir/name` that has written the codex fixture's cards, not yet committed, and its lock's path. */
async function written(name: string) {
  const {cards} = await analyze({paths: [fixture('codex')], home: dir, env: {}, keepCards: true, threads: 1})
  const out = join(dir, name)
  const writer = openCardsWriter(out)
  writer.write(cards)
  return {cards, out, writer, lock: join(out, 'cards.ndjson.lock')}
}

describe('the cards writer', () => {
  it('waits for a lock another process holds, and renames its two files once it is let go', async () => {
    const {cards, out, writer, lock} = await written('held')
    const marker = join(dir, 'released')
    // Another process takes the lock, and writes the marker just before it lets it go.
    const holder = spawn(process.execPath, [
      '-e',
      `const fs = require('fs'); fs.writeFileSync(${JSON.stringify(lock)}, process.pid + ' ' + require('os').hostname() + ' ' + Date.now() + '\\n'); setTimeout(() => { fs.writeFileSync(${JSON.stringify(marker)}, 'x'); fs.rmSync(${JSON.stringify(lock)}) }, 300)`,
    ])
    const ended = new Promise(end => holder.once('exit', end))
    while (!existsSync(lock)) await new Promise(r => setTimeout(r, 5))
    writer.commit()
    // (The commit could only go on once the marker was there: the holder writes it before it lets go.)
    expect(existsSync(marker)).toBe(true)
    expect(existsSync(lock)).toBe(false)
    expect(readFileSync(join(out, 'cards.ndjson'), 'utf8').split('\n').filter(Boolean)).toHaveLength(cards.length)
    await ended
  })

  it('breaks a lock a crashed run left (old), and leaves none behind', async () => {
    const {out, writer, lock} = await written('stale')
    writeFileSync(lock, '4194305 elsewhere 0\n')
    utimesSync(lock, 1_700_000_000, 1_700_000_000)
    writer.commit()
    expect(existsSync(lock)).toBe(false)
    expect(existsSync(join(out, 'cards.index.ndjson'))).toBe(true)
  })
})
