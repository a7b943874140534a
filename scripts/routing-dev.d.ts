/** Types of scripts/routing-dev.js, for the tests that read the development tables it builds. */

/** The folder of the built tables (.aco/routing-dev), rebuilt when missing or stale; undefined without the corpus. */
export function ensureRoutingDev(corpus?: string, out?: string): string | undefined
