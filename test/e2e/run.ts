/** Runs the built CLI (`bin/run.js`) as a user would, with a fixed, colourless terminal. */
import {spawn, spawnSync} from 'node:child_process'
import {root} from '../helpers.js'

export interface CliRun {
  status: number | null
  stdout: string
  stderr: string
}

export function aco(args: string[], env: Record<string, string> = {}, cwd = root): CliRun {
  const r = spawnSync(process.execPath, [`${root}bin/run.js`, ...args], {
    cwd,
    encoding: 'utf8',
    env: {...process.env, NO_COLOR: '1', TZ: 'UTC', COLUMNS: '120', ...env},
    maxBuffer: 256 * 1024 * 1024,
  })
  return {status: r.status, stdout: r.stdout, stderr: r.stderr}
}

/** oclif wraps error messages and prefixes them with " ›": join them back into one line. */
export function oneLine(text: string): string {
  return text
    .replace(/\s*›\s*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * `aco` without blocking the test worker: a run of several seconds inside
 * spawnSync stalls the worker's event loop, and vitest's RPC with it (a
 * "Timeout calling onTaskUpdate" error on a loaded machine).
 */
export function acoAsync(args: string[], env: Record<string, string> = {}, cwd = root): Promise<CliRun> {
  return new Promise(resolvePromise => {
    const child = spawn(process.execPath, [`${root}bin/run.js`, ...args], {
      cwd,
      env: {...process.env, NO_COLOR: '1', TZ: 'UTC', COLUMNS: '120', ...env},
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d
    })
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
    })
    child.on('close', status => resolvePromise({status, stdout, stderr}))
  })
}
