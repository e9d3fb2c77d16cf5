/**
 * The JavaScript peers, each driven through its own public calls for the full
 * pipeline a user would run: parse → differentiate → simplify → LaTeX.
 * Results are evaluated with the library's own evaluator where it has one
 * (math.js, nerdamer, Compute Engine); Algebrite's text is read by math.js.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { derivative, parse, evaluate as mathjsEvaluate, type MathNode } from 'mathjs';
import nerdamer from 'nerdamer';
import 'nerdamer/Calculus';
import 'nerdamer/Algebra';
import * as Algebrite from 'algebrite';
import { ComputeEngine } from '@cortex-js/compute-engine';
import type { ScalarCase } from './corpus';
import type { Point } from './numeric';
import { mathJsonSize, mathjsSize, textSize, type MathJson } from './tree-size';

/** What a tool produced for one case. */
export interface Derived {
  readonly text: string;
  readonly latex: string;
  readonly size: number;
  readonly evaluate: (p: Point) => number;
}

export interface Peer {
  readonly name: string;
  readonly pkg: string;
  /** Counts towards "fastest JavaScript peer" (variants with an extra simplify pass do not). */
  readonly primary: boolean;
  /** The timed pipeline; returns the LaTeX so nothing is optimised away. */
  readonly pipeline: (c: ScalarCase) => string;
  readonly derive: (c: ScalarCase) => Derived;
  /** Releases state the library keeps between calls (untimed). */
  readonly reset?: () => void;
}

/** Read from the installed package's manifest (some packages do not export `./package.json`). */
export function packageVersion(pkg: string): string {
  const file = path.join(__dirname, '..', 'node_modules', pkg, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

const mathjs: Peer = {
  name: 'math.js',
  pkg: 'mathjs',
  primary: true,
  // `derivative` simplifies its result by default.
  pipeline: (c) => derivative(parse(c.plain), c.wrt).toTex(),
  derive: (c) => {
    const d: MathNode = derivative(parse(c.plain), c.wrt);
    return {
      text: d.toString(),
      latex: d.toTex(),
      size: mathjsSize(d),
      evaluate: (p) => Number(d.evaluate({ ...p })),
    };
  },
};

function nerdamerPeer(simplify: boolean): Peer {
  const run = (c: ScalarCase) => {
    const d = nerdamer.diff(c.plain, c.wrt);
    return simplify ? nerdamer(`simplify(${d.toString()})`) : d;
  };
  return {
    name: simplify ? 'nerdamer + simplify' : 'nerdamer',
    pkg: 'nerdamer',
    primary: !simplify,
    pipeline: (c) => run(c).toTeX(),
    derive: (c) => {
      const d = run(c);
      const text = d.toString();
      return {
        text,
        latex: d.toTeX(),
        size: textSize(text),
        evaluate: (p) => {
          const scope = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)]));
          return Number(nerdamer(text, scope, 'numer').text('decimals'));
        },
      };
    },
    reset: () => nerdamer.flush(),
  };
}

/** Algebrite spells arctan and friends differently from the shared plain syntax. */
const toAlgebrite = (plain: string): string => plain.replace(/\batan\(/g, 'arctan(');
const fromAlgebrite = (text: string): string =>
  text
    .replace(/\barctan\(/g, 'atan(')
    .replace(/\barcsin\(/g, 'asin(')
    .replace(/\barccos\(/g, 'acos(');

function algebritePeer(simplify: boolean): Peer {
  const call = (c: ScalarCase) => {
    const d = `d(${toAlgebrite(c.plain)},${c.wrt})`;
    return Algebrite.run(simplify ? `simplify(${d})` : d);
  };
  return {
    name: simplify ? 'Algebrite + simplify' : 'Algebrite',
    pkg: 'algebrite',
    primary: !simplify,
    pipeline: (c) => {
      call(c);
      return Algebrite.run('printlatex(last)');
    },
    derive: (c) => {
      const text = call(c);
      const latex = Algebrite.run('printlatex(last)');
      const js = fromAlgebrite(text);
      return { text, latex, size: textSize(js), evaluate: (p) => Number(mathjsEvaluate(js, { ...p })) };
    },
  };
}

const ce = new ComputeEngine();
const computeEngineRun = (c: ScalarCase) =>
  ce
    .box(['D', ce.parse(c.latex), c.wrt])
    .evaluate()
    .simplify();
const computeEngine: Peer = {
  name: 'Compute Engine',
  pkg: '@cortex-js/compute-engine',
  primary: true,
  pipeline: (c) => computeEngineRun(c).latex,
  derive: (c) => {
    const d = computeEngineRun(c);
    const head = d.operator;
    if (head === 'D' || head === 'Derivative') throw new Error(`left unevaluated: ${d.latex}`);
    const f = d.compile();
    if (!f) throw new Error(`cannot compile ${d.latex}`);
    return {
      text: d.toString(),
      latex: d.latex,
      size: mathJsonSize(d.json as MathJson),
      evaluate: (p) => Number(f({ ...p })),
    };
  },
};

export const PEERS: readonly Peer[] = [
  mathjs,
  nerdamerPeer(false),
  nerdamerPeer(true),
  algebritePeer(false),
  algebritePeer(true),
  computeEngine,
];
