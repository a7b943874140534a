/** The shape of a rule set given as data (gitleaks' rules, converted by scripts/gitleaks-rules.js). */

/** A JavaScript regular expression as data. */
export interface Pattern {
  source: string
  flags: string
}

export interface RuleData extends Pattern {
  id: string
  /** Lower-case words one of which must be in a text for the rule to run (gitleaks' prefilter). */
  keywords: string[]
  /** Least Shannon entropy (bits per character) of the secret. */
  entropy?: number
  /** The capture group that is the secret (default: the first group that matched, else the whole match). */
  group?: number
  /** What is not a secret after all: patterns of the secret, of the match, of its line; words in the secret. */
  allow?: {secret?: Pattern[]; match?: Pattern[]; line?: Pattern[]; stopwords?: string[]}
}

export interface RuleSet {
  source: string
  commit: string
  license: string
  /** Secrets that are never secrets (placeholders, variables), whatever the rule. */
  allow: Pattern[]
  stopwords: string[]
  /** Rules of the source left out, and why. */
  excluded: Array<{id: string; why: string}>
  rules: RuleData[]
}
