/**
 * Failures a tool reports only in its output text, for tools that record no
 * exit code. Where a format records an exit code or an error flag, that
 * decides; these rules apply only where it does not:
 *
 * - Codex `apply_patch` (a `custom_tool_call`, a `function_call` whose
 *   input is a patch, or a shell command that is one, which Codex applies
 *   itself): "apply_patch verification failed: …", "Failed to apply
 *   patch", "Invalid patch…", "patch rejected…", an output that starts
 *   with "error:", or any failure of the tool call itself below ("execution
 *   error: Io(…)"); "Success. Updated the following files" is a success.
 * - Any other Codex function output without an exit code: "failed to parse
 *   function arguments", "unsupported call", "execution error", "sandbox
 *   error", "failed in sandbox", "Command blocked", "aborted by user", and
 *   "exec_command failed for `cmd`: …" (the command could not be started: the
 *   sandbox denied it, the policy rejected it).
 */

const PATCH_FAILURE =
  /^(?:apply_patch verification failed|Failed to apply patch|Invalid patch|invalid hunk|patch rejected|error:|Error:|No files were modified|Failed to find expected lines)/i
const FUNCTION_FAILURE =
  /^(?:failed to parse function arguments|unsupported call|unsupported custom tool|execution error|sandbox error|failed in sandbox|exec command rejected|exec_command failed\b|Command blocked|aborted by user|rejected by user)/i

/** The header of a code-mode cell's output ("Script completed\nWall time 0.1 seconds\nOutput:\n"). */
const CODE_MODE_HEADER = /^Script (?:completed|running with cell ID \d+)\nWall time [^\n]*\nOutput:\n/

/** Whether a Codex tool output with no exit code reports a failure. */
export function codexOutputFails(toolName: string, output: string): boolean {
  // A code-mode cell: "Script failed" is the call's failure (its tool's, or the script's: "Script error: …").
  if (/^Script failed\n/.test(output)) return true
  const text = output.replace(CODE_MODE_HEADER, '').replace(/^\s+/, '')
  if (/apply_patch|applypatch/i.test(toolName) || text.startsWith('apply_patch verification failed'))
    return PATCH_FAILURE.test(text) || FUNCTION_FAILURE.test(text)
  return FUNCTION_FAILURE.test(text)
}
