// The helper functions exported TypeScript calls, as real checked code: each export is copied as text
// (scripts/runtime-source.mjs) into the code that needs it, without its `export`. Plain arrays, row-major;
// no imports. A line comment here: a doc comment would be taken as the first function's.
export function sigmoid(p: number): number {
  return 1 / (1 + Math.exp(-p));
}

export function vzip(
  a: number | number[],
  b: number | number[],
  f: (p: number, q: number) => number,
): number[] {
  const n = typeof a === 'number' ? (b as number[]).length : a.length;
  return Array.from({ length: n }, (_, i) =>
    f(typeof a === 'number' ? a : a[i], typeof b === 'number' ? b : b[i]),
  );
}

export function mzip(
  a: number | number[][],
  b: number | number[][],
  f: (p: number, q: number) => number,
): number[][] {
  const m = typeof a === 'number' ? (b as number[][]) : a;
  return m.map((row, i) =>
    row.map((_, j) => f(typeof a === 'number' ? a : a[i][j], typeof b === 'number' ? b : b[i][j])),
  );
}

export function vmap(a: number[], f: (p: number) => number): number[] {
  return a.map((p) => f(p));
}

export function mmap(a: number[][], f: (p: number) => number): number[][] {
  return a.map((row) => row.map((p) => f(p)));
}

export function dot(a: number[], b: number[]): number {
  return a.reduce((s, p, i) => s + p * b[i], 0);
}

export function outer(a: number[], b: number[]): number[][] {
  return a.map((p) => b.map((q) => p * q));
}

export function matvec(a: number[][], x: number[]): number[] {
  return a.map((row) => row.reduce((s, p, j) => s + p * x[j], 0));
}

export function vecmat(x: number[], a: number[][]): number[] {
  return a[0].map((_, j) => x.reduce((s, p, i) => s + p * a[i][j], 0));
}

export function matmul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, p, k) => s + p * b[k][j], 0)));
}

export function transpose(a: number[][]): number[][] {
  return a[0].map((_, j) => a.map((row) => row[j]));
}

export function vsum(a: number[]): number {
  return a.reduce((s, p) => s + p, 0);
}

export function msum(a: number[][]): number {
  return a.reduce((s, row) => s + row.reduce((t, p) => t + p, 0), 0);
}

export function logsumexp(a: number[]): number {
  const top = Math.max(...a);
  return top + Math.log(a.reduce((s, p) => s + Math.exp(p - top), 0));
}

export function softmax(a: number[]): number[] {
  const top = Math.max(...a);
  const e = a.map((p) => Math.exp(p - top));
  const total = e.reduce((s, p) => s + p, 0);
  return e.map((p) => p / total);
}

export function fill(n: number, value: number): number[] {
  return new Array<number>(n).fill(value);
}

export function fill2(m: number, n: number, value: number): number[][] {
  return Array.from({ length: m }, () => new Array<number>(n).fill(value));
}

export function eye(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

export function diag(a: number[]): number[][] {
  return a.map((p, i) => a.map((_, j) => (i === j ? p : 0)));
}

export function diagvec(a: number[][]): number[] {
  return a.map((row, i) => row[i]);
}

export function kron(a: number[][], b: number[][]): number[][] {
  return a.flatMap((ar) => b.map((br) => ar.flatMap((p) => br.map((q) => p * q))));
}

export function trace(a: number[][]): number {
  return a.reduce((s, row, i) => s + row[i], 0);
}

/** Gauss–Jordan elimination with partial pivoting. */
export function inverseAndDet(a: number[][]): { inv: number[][]; det: number } {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  let det = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    if (m[p][c] === 0) return { inv: a.map((row) => row.map(() => NaN)), det: 0 };
    if (p !== c) [m[p], m[c], det] = [m[c], m[p], -det];
    const pivot = m[c][c];
    det *= pivot;
    m[c] = m[c].map((q) => q / pivot);
    for (let r = 0; r < n; r++) if (r !== c) m[r] = m[r].map((q, j) => q - m[r][c] * m[c][j]);
  }
  return { inv: m.map((row) => row.slice(n)), det };
}
