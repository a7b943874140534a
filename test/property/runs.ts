/**
 * How many cases a property runs, and from which seed: a few hundred in
 * `npm test`, ten thousand or more in `npm run fuzz` (ACO_FUZZ=1). Seeds are
 * fixed, so a failure reproduces; ACO_FUZZ_SEED picks another.
 */
const FUZZ = process.env.ACO_FUZZ === '1'
const SEED = Number(process.env.ACO_FUZZ_SEED ?? 20261130)

/** fast-check parameters for a property worth `quick` cases in npm test and `fuzz` under npm run fuzz. */
export function runs(quick: number, fuzz: number): {numRuns: number; seed: number; endOnFailure: boolean} {
  return {numRuns: FUZZ ? fuzz : quick, seed: SEED, endOnFailure: true}
}
