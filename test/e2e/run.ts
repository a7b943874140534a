/** Runs the built CLI (`bin/run.js`) as a user would, with a fixed, colourless terminal. */
import {type ChildProcess, spawn, spawnSync} from 'node:child_process'
import {root} from '../helpers.js'

export interface CliRun {
  status: number | null
  stdout: string
  stderr: string
}

const cliEnv = (env: Record<string, string>): NodeJS.ProcessEnv => ({
  ...process.env,
  NO_COLOR: '1',
  TZ: 'UTC',
  COLUMNS: '120',
  ...env,
})

export function aco(args: string[], env: Record<string, string> = {}, cwd = root): CliRun {
  const r = spawnSync(process.execPath, [`${root}bin/run.js`, ...args], {
    cwd,
    encoding: 'utf8',
    env: cliEnv(env),
    maxBuffer: 256 * 1024 * 1024,
  })
  return {status: r.status, stdout: r.stdout, stderr: r.stderr}
}

/**
 * `aco` without blocking the test's event loop while the CLI runs. A test
 * that blocks it for a minute (several runs on a busy machine) loses
 * vitest's connection to its worker ("Timeout calling onTaskUpdate").
 */
export function acoAsync(args: string[], env: Record<string, string> = {}, cwd = root): Promise<CliRun> {
  return settled(spawn(process.execPath, [`${root}bin/run.js`, ...args], {cwd, env: cliEnv(env)}))
}

/** What a child process printed (on the streams it was given as pipes) and how it ended. */
export function settled(child: ChildProcess): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout?.on('data', (b: Buffer) => out.push(b))
    child.stderr?.on('data', (b: Buffer) => err.push(b))
    child.on('error', reject)
    child.on('close', status =>
      resolve({status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8')}),
    )
  })
}

/** oclif wraps error messages and prefixes them with " ›": join them back into one line. */
export function oneLine(text: string): string {
  return text
    .replace(/\s*›\s*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}
