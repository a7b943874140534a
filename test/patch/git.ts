/** A throwaway git repository holding some files, to check that diffs apply the way a reviewer's `git apply` would. */
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

function git(cwd: string, args: string[], input?: string): {status: number | null; stdout: string; stderr: string} {
  const r = spawnSync('git', args, {cwd, encoding: 'utf8', input, env: {...process.env, GIT_CONFIG_NOSYSTEM: '1'}})
  return {status: r.status, stdout: r.stdout, stderr: r.stderr}
}

/** A new repository with `files` (path → content) committed. */
export function tempRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'aco-patch-repo-'))
  git(dir, ['init', '-q'])
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), {recursive: true})
    writeFileSync(join(dir, path), text)
  }
  git(dir, ['add', '-A'])
  git(dir, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'files', '--allow-empty'])
  return dir
}

/** `git apply --check` then `git apply` of `diff` in `repo`; returns the file's content after. */
export function applyIn(repo: string, diff: string, path: string): {check: string; after: string | undefined} {
  const check = git(repo, ['apply', '--check', '-'], diff)
  if (check.status !== 0) return {check: check.stderr || `exit ${check.status}`, after: undefined}
  const apply = git(repo, ['apply', '-'], diff)
  if (apply.status !== 0) return {check: apply.stderr, after: undefined}
  return {check: '', after: readFileSync(join(repo, path), 'utf8')}
}
