import {describe, expect, it} from 'vitest'
import {questionOf} from '../../src/flag/detectors/git-answers.js'
import {readStatus} from '../../src/flag/git-status.js'

const lines = (text: string) => text.split('\n').filter(l => l.trim() !== '')

describe('git questions', () => {
  it('reads what a status or diff asks from its options, and refuses what it cannot read', () => {
    expect(questionOf('@/r git status -sb')).toMatchObject({shows: 'status', branch: true, paths: []})
    expect(questionOf('@/r git status --porcelain -- src /r/docs/')).toMatchObject({
      branch: false,
      paths: ['src', 'docs'],
    })
    expect(questionOf('@/r git status')).toMatchObject({branch: true})
    expect(questionOf('@/r git diff --cached --name-only')).toMatchObject({shows: 'names', base: 'index'})
    expect(questionOf('@/r git diff HEAD --cached --stat')).toMatchObject({shows: 'stat', base: 'index'})
    expect(questionOf('@/r git diff HEAD -- /r/a.py')).toMatchObject({shows: 'diff', base: 'head', paths: ['a.py']})
    expect(questionOf("@/r git diff --name-only | @/r sed -n '1,200p'")).toMatchObject({keeps: 200})
    // The folder itself is not the whole repository; the porcelain form and a diff print paths from the root.
    expect(questionOf('@/r git status -s .')).toMatchObject({paths: [''], frame: 'folder'})
    expect(questionOf('@/r git status --porcelain')).toMatchObject({paths: [], frame: 'root'})
    expect(questionOf('@/r git diff --name-status')).toMatchObject({letters: true, frame: 'root'})
    // Untracked files shown another way: every file, or none.
    expect(questionOf('@/r git status -uno')).toMatchObject({untracked: 'no'})
    expect(questionOf('@/r git status --short --untracked-files=all')).toMatchObject({untracked: 'all'})
    expect(questionOf('@/r git status -s')).toMatchObject({untracked: 'normal'})
    // Another revision, an option that changes the answer, a pattern, a path outside the folder, another filter.
    for (const line of [
      '@/r git diff main --name-only',
      '@/r git diff -w',
      '@/r git status -- *.py',
      '@/r git diff -- /elsewhere/a.py',
      '@/r git diff --name-only | @/r grep py',
      '@/r git diff --no-index /r/a /r/b',
      // Words the shell gives their value only when it runs.
      '@/r git diff -- $F',
      '@/r git status -- ~/x',
      '@/r git diff -- $(cat list)',
    ])
      expect(questionOf(line), line).toBeUndefined()
  })

  it('reads a status in its short, porcelain and long forms alike', () => {
    const short = readStatus(
      lines('## main...origin/main [ahead 2]\n M src/a.py\nM  src/b.py\nR  old.py -> new.py\n?? notes/'),
    )
    const long = readStatus(
      lines(`On branch main
Your branch is ahead of 'origin/main' by 2 commits.
  (use "git push" to publish your local commits)

Changes to be committed:
  (use "git restore --staged <file>..." to unstage)
	modified:   src/b.py
	renamed:    old.py -> new.py

Changes not staged for commit:
  (use "git add <file>..." to update what will be committed)
	modified:   src/a.py

Untracked files:
  (use "git add <file>..." to include in what will be committed)
	notes/
`),
    )
    expect(short).toEqual(long)
    expect([...short!.status!]).toEqual([
      ['src/a.py', ' M'],
      ['src/b.py', 'M '],
      ['new.py', 'R '],
      ['notes/', '??'],
    ])
    expect(short!.branch).toBe('main origin/main +2 -0')
    expect(readStatus(lines('On branch dev\nnothing to commit, working tree clean'))).toEqual({
      status: new Map(),
      branch: 'dev',
    })
  })

  it('reads nothing it cannot read whole: a merge, a quoted path, a line of another command', () => {
    expect(readStatus(lines('UU src/a.py'))).toBeNull()
    expect(readStatus(lines(' M "caf\\303\\251.md"'))).toBeNull()
    expect(readStatus(lines(' M src/a.py\nwarning: LF will be replaced by CRLF'))).toBeNull()
    expect(readStatus(lines('On branch main\nYou have unmerged paths.'))).toBeNull()
    // One path on two lines (deleted in the index, there again untracked).
    expect(readStatus(lines('D  x.ts\n?? x.ts'))).toBeNull()
  })

  it("reads a submodule's changes with their hint, and a detached HEAD's commit, which the short form does not name", () => {
    const sub = readStatus(
      lines(`On branch main
Changes not staged for commit:
  (use "git add <file>..." to update what will be committed)
  (commit or discard the untracked or modified content in submodules)
	modified:   vendor/lib (modified content, untracked content)
`),
    )
    expect([...sub!.status!]).toEqual([['vendor/lib', ' M']])
    // Only untracked files inside: `?`, as the short form prints it (no diff shows it).
    const untracked = readStatus(lines('Changes not staged for commit:\n\tmodified:   vendor/lib (untracked content)'))
    expect([...untracked!.status!]).toEqual([['vendor/lib', ' ?']])
    expect(readStatus(lines('HEAD detached at 1a2b3c4\nnothing to commit, working tree clean'))!.branch).toBe(
      '(detached 1a2b3c4)',
    )
    expect(readStatus(lines('## HEAD (no branch)'))!.branch).toBe('(detached)')
  })
})
