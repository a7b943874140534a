/** The folders `aco analyze` reads with no path: every agent's, each once. */
import {describe, expect, it} from 'vitest'
import {defaultTracePaths} from '../../src/analyze/analyze.js'

describe('the default trace folders', () => {
  it("hold Cline's, Roo Code's and Kilo Code's task folders in each VS Code edition, each once (review 119)", () => {
    const home = '/h'
    const paths = defaultTracePaths(home, {APPDATA: '/h/.config'})
    expect(new Set(paths).size).toBe(paths.length)
    expect(paths).toContain('/h/.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks')
    expect(paths).toContain('/h/Library/Application Support/Cursor/User/globalStorage/rooveterinaryinc.roo-cline/tasks')
    expect(paths).toContain('/h/.config/Windsurf/User/globalStorage/kilocode.kilo-code/tasks')
    const windows = defaultTracePaths(home, {APPDATA: 'C:/Users/j/AppData/Roaming'})
    expect(windows).toContain('C:/Users/j/AppData/Roaming/Code/User/globalStorage/saoudrizwan.claude-dev/tasks')
  })
})
