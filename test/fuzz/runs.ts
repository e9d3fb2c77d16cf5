/** Inputs per fuzz property: short in `npm test`, long with `FUZZ_RUNS=1000000 npm run fuzz`. */
export function fuzzRuns(short: number): number {
  const runs = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(runs) && runs > 0 ? runs : short;
}
