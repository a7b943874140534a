/** The folder walk: links followed once, loops and broken links survived, the same file never read twice. */
import {linkSync, mkdirSync, mkdtempSync, renameSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {createServer} from 'node:net'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {LINK_TO_ANCESTOR, NOT_UTF8, PIPE_REASON, walk} from '../../src/discover/walk.js'

describe('walk', () => {
  it('reads each file once, follows links to folders and files, survives loops and broken links', async () => {
    const root = mkdtempSync(join(tmpdir(), 'aco-walk-'))
    const logs = join(root, 'logs')
    const outside = join(root, 'outside')
    mkdirSync(join(logs, 'sub'), {recursive: true})
    mkdirSync(outside)
    writeFileSync(join(logs, 'a.jsonl'), '{}\n')
    writeFileSync(join(logs, 'sub', 'b.jsonl'), '{}\n{}\n')
    writeFileSync(join(logs, 'notes.txt'), 'not a trace\n')
    writeFileSync(join(outside, 'c.jsonl'), '{}\n')
    // A second name for a.jsonl, a folder elsewhere, a loop back up, and a link to nothing.
    symlinkSync(join(logs, 'a.jsonl'), join(logs, 'z-again.jsonl'))
    symlinkSync(outside, join(logs, 'linked'))
    symlinkSync(logs, join(logs, 'sub', 'up'))
    symlinkSync(join(root, 'gone.jsonl'), join(logs, 'broken.jsonl'))
    // Two links naming each other: a loop, said so (it was "broken symbolic link"; trial 32).
    symlinkSync(join(logs, 'loop-b.jsonl'), join(logs, 'loop-a.jsonl'))
    symlinkSync(join(logs, 'loop-a.jsonl'), join(logs, 'loop-b.jsonl'))

    const found = await walk([logs, join(logs, 'a.jsonl')])
    expect(found.files.map(f => f.path.slice(root.length))).toEqual([
      '/logs/a.jsonl',
      '/logs/linked/c.jsonl',
      '/logs/sub/b.jsonl',
    ])
    expect(found.files.map(f => f.size)).toEqual([3, 3, 6])
    expect(found.files.every(f => f.explicit === false && f.mtimeMs > 0)).toBe(true)
    expect(found.problems).toEqual([
      {path: join(logs, 'broken.jsonl'), reason: 'broken symbolic link'},
      {path: join(logs, 'loop-a.jsonl'), reason: 'a loop of symbolic links'},
      {path: join(logs, 'loop-b.jsonl'), reason: 'a loop of symbolic links'},
    ])
    expect(found.ignored).toBe(1)
  })

  it('reads a file with two names once, a hard link too; a file put in place of another is told apart (trial 127)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'aco-walk-'))
    mkdirSync(join(root, 'logs'))
    mkdirSync(join(root, 'backup'))
    writeFileSync(join(root, 'logs', 'a.traj'), '{}\n')
    utimesSync(join(root, 'logs', 'a.traj'), 1_700_000_000, 1_700_000_000)
    // A backup tree made of hard links (`cp -al logs backup`, rsnapshot): one file, two names.
    linkSync(join(root, 'logs', 'a.traj'), join(root, 'backup', 'a.traj'))
    const found = await walk([root])
    expect(found.files.map(f => f.path.slice(root.length))).toEqual(['/backup/a.traj'])
    const before = found.files[0]!
    expect(before.ino).toBeGreaterThan(0)
    // Another file of the same size and times moved in its place: not the same file (the cache must not serve it).
    const other = join(root, 'other.traj')
    writeFileSync(other, '[]\n')
    utimesSync(other, 1_700_000_000, 1_700_000_000)
    renameSync(other, before.path)
    const after = (await walk([before.path])).files[0]!
    expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs])
    expect(after.ino).not.toBe(before.ino)
  })

  it('says a file or folder whose name is not UTF-8 cannot be opened by that name, not that it is not there (trial 127)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'aco-walk-'))
    try {
      // (Latin-1 bytes: a file system that takes only UTF-8 names, as macOS's, refuses them; nothing to test there.)
      mkdirSync(Buffer.concat([Buffer.from(`${root}/proj`), Buffer.from([0xe9])]))
    } catch {
      return
    }
    writeFileSync(join(root, 'ok.jsonl'), '{}\n')
    // A name the walk would pass over anyway is passed over, not a problem (review 128: exit 3 for a photo beside traces).
    writeFileSync(Buffer.concat([Buffer.from(`${root}/photo`), Buffer.from([0xe9]), Buffer.from('.png')]), 'x')
    const found = await walk([root])
    expect(found.files.map(f => f.path)).toEqual([join(root, 'ok.jsonl')])
    expect(found.problems).toEqual([{path: join(root, 'proj\uFFFD'), reason: NOT_UTF8}])
    expect(found.ignored).toBe(1)
    expect(NOT_UTF8).toMatch(/^its name is not UTF-8, and aco cannot open it by that name: rename it/)
  })

  it('follows no link to a folder that holds the path given (trial 78: `parent -> ..` read the whole folder above)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'aco-walk-'))
    const logs = join(root, 'logs')
    mkdirSync(join(logs, 'deep'), {recursive: true})
    writeFileSync(join(logs, 'a.jsonl'), '{}\n')
    writeFileSync(join(root, 'above.jsonl'), '{}\n')
    symlinkSync('..', join(logs, 'parent'))
    symlinkSync(root, join(logs, 'deep', 'top'))
    const found = await walk([logs])
    expect(found.files.map(f => f.path.slice(root.length))).toEqual(['/logs/a.jsonl'])
    expect(found.problems).toEqual([
      {path: join(logs, 'deep', 'top'), reason: LINK_TO_ANCESTOR},
      {path: join(logs, 'parent'), reason: LINK_TO_ANCESTOR},
    ])
    // Named itself, the folder above is read, the links below it as any (the folder given is under it).
    const above = await walk([root])
    expect(above.files.map(f => f.path.slice(root.length))).toEqual(['/above.jsonl', '/logs/a.jsonl'])
    expect(above.problems).toEqual([])
    // Nested folders given together: the link leads to one of them, read anyway; nothing is said (review 79).
    const nested = await walk([root, logs])
    expect(nested.files.map(f => f.path.slice(root.length))).toEqual(['/above.jsonl', '/logs/a.jsonl'])
    expect(nested.problems).toEqual([])
    // A file given: a link elsewhere to the folder that holds it is not followed either.
    const other = join(root, 'other')
    mkdirSync(other)
    symlinkSync(logs, join(other, 'to-logs'))
    const withFile = await walk([join(logs, 'a.jsonl'), other])
    expect(withFile.files.map(f => f.path.slice(root.length))).toEqual(['/logs/a.jsonl'])
    expect(withFile.problems).toEqual([{path: join(other, 'to-logs'), reason: LINK_TO_ANCESTOR}])
  })

  it('keeps a file named alone, and says why a path cannot be read', async () => {
    const root = mkdtempSync(join(tmpdir(), 'aco-walk-'))
    writeFileSync(join(root, 'session.txt'), '{}\n')
    const found = await walk([join(root, 'session.txt'), join(root, 'missing')])
    expect(found.files).toMatchObject([{path: join(root, 'session.txt'), size: 3, explicit: true}])
    expect(found.problems).toHaveLength(1)
    expect(found.problems[0]!.path).toBe(join(root, 'missing'))
    expect(found.problems[0]!.reason).toMatch(/no such file|not found|does not exist/i)
  })

  it('says a pipe or a device named directly (/dev/stdin, <(zcat s.jsonl.gz)) is no file and what to do', async () => {
    // (/dev/null: a character device, as /dev/stdin is on a terminal; a pipe is told the same way.)
    const found = await walk(['/dev/null'])
    expect(found.files).toEqual([])
    expect(found.problems).toEqual([{path: '/dev/null', reason: PIPE_REASON}])
    expect(PIPE_REASON).toMatch(/save what it gives to a file/)
  })

  it('names a socket or FIFO in a folder that is named as a trace, and reads nothing from it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'aco-walk-'))
    writeFileSync(join(root, 'a.jsonl'), '{}\n')
    const server = createServer()
    await new Promise<void>(done => server.listen(join(root, 'live.jsonl'), done))
    try {
      const found = await walk([root])
      expect(found.files.map(f => f.path)).toEqual([join(root, 'a.jsonl')])
      expect(found.problems).toEqual([
        {path: join(root, 'live.jsonl'), reason: 'not a regular file (a FIFO, a socket or a device): not read'},
      ])
    } finally {
      server.close()
    }
  })
})
