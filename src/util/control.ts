/**
 * Terminal escape sequences and control characters: what a trace may carry
 * (a web page, a coloured log) and must never reach a terminal as is.
 * The one place these patterns are written down.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point
const ESCAPES = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g
// biome-ignore lint/suspicious/noControlCharactersInRegex: C0 and C1 controls but tab and newline, on purpose
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g
// biome-ignore lint/suspicious/noControlCharactersInRegex: SGR (colour) sequences are what is measured away
const SGR = /\u001b\[[0-9;]*m/g

/** `text` without escape sequences (CSI, OSC, other ESC) and control characters; tabs and newlines kept. */
export function stripControls(text: string): string {
  return text.replace(ESCAPES, '').replace(CONTROLS, '')
}

/** `text` without the colour codes aco itself adds (to measure what is visible). */
export function stripSgr(text: string): string {
  return text.replace(SGR, '')
}
