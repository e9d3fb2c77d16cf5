/** Algebrite ships no type declarations; the benchmarks use only `run`. */
declare module 'algebrite' {
  /** Evaluates Algebrite source and returns the result as text. */
  export function run(source: string): string;
}
