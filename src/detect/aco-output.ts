/**
 * aco's own outputs met in a traces folder (`--out` put the cards beside the
 * traces, a `--json` result saved there): recognised by their content (the
 * keys each output's schema requires) or, for Parquet, by name and magic, and
 * passed over with a note. They are no trace and no problem: reading them
 * would count every trace twice, and calling them "unknown format" raised
 * exit 3 for a folder aco had written itself.
 */

/** Each aco output by the keys its schema requires (a subset that no trace format has). */
const SIGNATURES: ReadonlyArray<{label: string; keys: readonly string[]}> = [
  {label: 'TraceCards (aco analyze --out)', keys: ['schemaVersion', 'id', 'source', 'totals', 'steps', 'children']},
  {
    label: 'a card index (aco analyze --out)',
    keys: ['id', 'offset', 'bytes', 'format', 'path', 'costUsd', 'wastedUsd', 'llmCalls'],
  },
  {label: 'an aco analyze --json result', keys: ['schemaVersion', 'totals', 'byModel', 'byTool', 'traces', 'waste']},
  {label: 'aco review decisions', keys: ['schemaVersion', 'source', 'updatedAt', 'decisions']},
  {label: 'an aco routing policy', keys: ['schemaVersion', 'kind', 'tiers', 'default', 'rules', 'guards']},
  {label: 'an aco router or evaluation', keys: ['schemaVersion', 'features', 'operatingPoint']},
  {label: 'an outcome table (aco train --outcomes reads it)', keys: ['item_id', 'model', 'success', 'cost_usd']},
  // (Beside an outcome table, its prompts: trial 72 met routing-dev's skipped as "unknown format", exit 3.)
  {label: "an outcome table's prompts (aco train --text reads them)", keys: ['item_id', 'prompt']},
]

/** What aco output a parsed record or document is, or undefined for anything else. */
export function acoOutputOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  return SIGNATURES.find(s => s.keys.every(k => k in value))?.label
}

/** The Parquet files `aco analyze --out-format parquet` writes. */
const PARQUET_NAMES = new Set(['cards.parquet', 'steps.parquet'])

/** Whether a file is one of aco's Parquet outputs: its name, and Parquet's magic at its start. */
export function isAcoParquet(name: string, start: Uint8Array): boolean {
  // "PAR1"
  return PARQUET_NAMES.has(name) && start[0] === 0x50 && start[1] === 0x41 && start[2] === 0x52 && start[3] === 0x31
}
