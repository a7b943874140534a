import {describe, expect, it} from 'vitest'
import {classifyCommand, normalisePath, normaliseQuery, splitCommands} from '../../src/flag/actions.js'

describe('shell command classification', () => {
  it('splits command lines outside quotes', () => {
    expect(splitCommands(`cd src && grep -n "a && b" x.ts | head -5; echo 'x;y'`)).toEqual([
      {text: 'cd src', piped: false},
      {text: 'grep -n a && b x.ts', piped: false},
      {text: 'head -5', piped: true},
      {text: 'echo x;y', piped: false},
    ])
  })

  it('reads files with their line ranges', () => {
    expect(classifyCommand(`sed -n '10,40p' src/a.py`, '/r')).toEqual({
      kind: 'read',
      file: '/r/src/a.py',
      range: [10, 41],
    })
    expect(classifyCommand(`nl -ba src/a.py | sed -n '280,760p'`, '/r')).toEqual({
      kind: 'read',
      file: '/r/src/a.py',
      range: [280, 761],
    })
    expect(classifyCommand('cat README.md', '/r')).toEqual({kind: 'read', file: '/r/README.md'})
    expect(classifyCommand('head -n 50 a.txt')).toMatchObject({kind: 'read', file: 'a.txt', range: [1, 51]})
    expect(classifyCommand('cd lib && cat x.ex', '/r')).toEqual({kind: 'read', file: '/r/lib/x.ex'})
  })

  it('tells searches, runs and changes apart', () => {
    expect(classifyCommand('rg -n "def parse" src')).toMatchObject({kind: 'search'})
    expect(classifyCommand('git status')).toEqual({kind: 'run'})
    expect(classifyCommand('npm test')).toEqual({kind: 'run'})
    expect(classifyCommand('npm install lodash')).toMatchObject({mutatesAny: true})
    expect(classifyCommand("sed -i 's/a/b/' f.txt")).toMatchObject({mutatesAny: true})
    expect(classifyCommand('echo hi > out.txt')).toMatchObject({mutatesAny: true})
    expect(classifyCommand('python script.py')).toMatchObject({mutatesAny: true})
    expect(classifyCommand('git checkout main')).toMatchObject({mutatesAny: true})
    expect(classifyCommand('sleep 5 && tail -n 20 log.txt')).toEqual({kind: 'poll'})
    // a read shown through a transforming pipe is not a plain read; a submission is never waste
    expect(classifyCommand(`sed -n '1221p' a.py | cat -A`)).toEqual({kind: 'run'})
    expect(classifyCommand('echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && cat patch.txt')).toEqual({kind: 'other'})
  })

  it('normalises paths and queries', () => {
    expect(normalisePath('./src/../lib/a.ts/', '/home/x')).toBe('/home/x/lib/a.ts')
    expect(normaliseQuery('def  Parse_Header\\(')).toBe('def parse_header(')
  })
})
