/**
 * Roughly four characters per token: the usual measure for English and code.
 * A module of its own so the review's list (which shows it) does not load the
 * detectors' context with it (the bundles share modules by chunk).
 */
export const CHARS_PER_TOKEN = 4
