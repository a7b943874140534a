/**
 * How many cases a property runs, and from which seed: a few hundred in
 * `npm test`, ten thousand or more in `npm run fuzz` (ACO_FUZZ=1;
 * ACO_FUZZ_RUNS=N for another count). Seeds are fixed, so a failure
 * reproduces; ACO_FUZZ_SEED picks another.
 */
const FUZZ = process.env.ACO_FUZZ === '1'
const SEED = Number(process.env.ACO_FUZZ_SEED ?? 20261130)

/** fast-check parameters for a property worth `quick` cases in npm test and `fuzz` under npm run fuzz. */
export function runs(quick: number, fuzz: number): {numRuns: number; seed: number; endOnFailure: boolean} {
  const count = process.env.ACO_FUZZ_RUNS ? Number(process.env.ACO_FUZZ_RUNS) : fuzz
  return {numRuns: FUZZ ? count : quick, seed: SEED, endOnFailure: true}
}

/** A property's time limit: minutes in npm test, hours under npm run fuzz (ten thousand cases on a busy machine). */
export const LIMIT_MS = FUZZ ? 4 * 3600_000 : 600_000
