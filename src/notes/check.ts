/**
 * The derivation checker: every claim of a note (note.ts), decided with the
 * core. Both sides are evaluated together (derivative notation computed, the
 * note's definitions and declarations in scope resolved); they are equal
 * symbolically when their simplified expressions are the same, else
 * numerically at random points with random sizes (2–4) for symbolic sizes.
 * A step that does not hold is checked again in the other layout (`layout`),
 * and a shape claim is compared with the shape in the layout in effect.
 */
import type { Layout, Value } from '../core/api';
import { randomFunctions } from '../core/abstract';
import { randomValue, random } from '../core/check';
import { isStackOverflow, LensError } from '../core/errors';
import { evaluate, toTensor, type Tensor } from '../core/eval';
import {
  type Condition,
  type Dim,
  type Expr,
  type Shape,
  type Sym,
  isScalar,
  key,
  postorder,
  resolveDim,
  rows,
  shapeText,
} from '../core/expr';
import { valueNames } from '../core/elaborate';
import { parseLatex, parseLatexDeclarations } from '../core/parse/latex';
import { add, hadamard, identity, mul, num, sym, transpose } from '../core/simplify';
import { present } from '../core/present';
import { toLatex, toText } from '../core/print';
import type { CheckOptions, NoteFormat, StepCheck, UsedDefinition } from './api';
import { evaluateSides, type Sides, type SidesOptions } from './evaluate';
import { position } from './lines';
import {
  appliedNames,
  differentiatedBy,
  isName,
  inScope,
  mentionedNames,
  readNote,
  type Claim,
  type Note,
  type NoteStatement,
  type Side,
} from './note';
import { regionAt } from './regions';

/** Random points a numeric comparison uses (each with fresh values; sizes drawn once per step). */
const POINTS = 3;
/** Points when a side has branches (kinks, `\max`, piecewise): enough that every sign pattern of a few variables shows. */
const BRANCHED_POINTS = 12;
/** Relative tolerance per entry. */
const TOLERANCE = 1e-6;
/** Below this, values at a point are rounding noise rather than a comparison. */
const TINY = 1e-8;
const DEFAULT_BUDGET_MS = 2000;
/** Tries beyond the points, for points where both sides are finite (ln and √ need positive arguments). */
const RETRIES = 10;

/** Entries left out (`\cdots`, `\vdots`, `\ddots`, `\dots`, `\ldots`): a matrix the core cannot expand. */
const ELIDED_RE = /\\(?:c|v|d|l)?dots(?![a-zA-Z])/;
/** Derivative notation, whose value depends on the layout. */
const DERIVATIVE_RE =
  /\\partial|\\nabla|\\triangledown|\\frac\s*\{\s*(?:d|\\mathrm\s*\{\s*d\s*\})|['′]|(?:^|[^a-zA-Z\\])[JD]\s*_|\\mathbf\s*\{\s*J\s*\}|(?:^|[^a-zA-Z\\])D\s*[\\a-zA-Z(]/;

/** Every step of every chain of a note. */
export function check(text: string, format: NoteFormat, options: CheckOptions = {}): StepCheck[] {
  const note = readNote(text, format);
  return checkClaims(note, note.claims, options);
}

/** The steps of the region at `offset` (the hover's question); [] when there is no region there. */
export function checkAt(
  text: string,
  format: NoteFormat,
  offset: number,
  options: CheckOptions = {},
): StepCheck[] {
  const note = readNote(text, format);
  const region = regionAt(note.regions, offset);
  if (!region) return [];
  const index = note.regions.indexOf(region);
  return checkClaims(
    note,
    note.claims.filter((c) => c.region === index),
    options,
  );
}

function checkClaims(note: Note, claims: readonly Claim[], options: CheckOptions): StepCheck[] {
  const budget = options.regionBudgetMs ?? DEFAULT_BUDGET_MS;
  const values = new Map<string, ReadonlySet<string>>();
  const out: StepCheck[] = [];
  let region = -1;
  let deadline = 0;
  for (const claim of claims) {
    if (claim.region !== region) {
      region = claim.region;
      deadline = performance.now() + budget;
    }
    out.push(checkClaim(note, claim, options, deadline, values));
  }
  return out;
}

/** Thrown between points when the region's time is up. */
class OverBudget extends Error {}

function checkClaim(
  note: Note,
  claim: Claim,
  options: CheckOptions,
  deadline: number,
  values: Map<string, ReadonlySet<string>>,
): StepCheck {
  const { line, column } = position(note.lines, claim.relation.start);
  const scope = inScope(note, claim);
  const used = usedStatements(scope, [
    claim.lhs.latex,
    claim.rhs.latex,
    ...claim.subjects.map((s) => s.latex),
  ]);
  const base = {
    line,
    column,
    lhs: claim.lhs.latex,
    rhs: claim.rhs.latex,
    rhsRange: { start: claim.rhs.start, end: claim.rhs.end },
    relationRange: claim.relation,
    used: used.map(({ names, latex, line: at }): UsedDefinition => ({
      name: names.join(', '),
      latex,
      line: at,
    })),
  };
  const unchecked = (reason: string): StepCheck => ({ ...base, verdict: 'unchecked', layout: null, reason });
  if (performance.now() > deadline) return unchecked('took too long');
  const layout = options.layout ?? 'numerator';
  const sidesOptions: SidesOptions = {
    layout,
    declarations: scope.declarations.map((d) => d.latex),
    // Only the definitions the step uses: a broken definition elsewhere in the section is not this step's concern.
    definitions: used.filter((d) => scope.definitions.includes(d)).map((d) => d.latex),
    values: valuesAround(note, claim, scope.definitions, values),
  };
  try {
    const verdict =
      claim.kind === 'shape'
        ? checkShape(claim, sidesOptions, declaredSizes(scope.declarations))
        : checkEquality(claim.lhs.latex, claim.rhs.latex, sidesOptions, options.seed ?? 1, deadline, used);
    if (verdict.verdict === 'wrong') {
      const loose = claim.kind === 'equal' ? undefinedName(claim, scope) : unknownShape(claim, scope);
      if (loose) return unchecked(loose);
      const applied =
        oneSidedFunction([claim.lhs, claim.rhs], scope.definitions) ??
        composedThroughParameters(used, scope) ??
        byDefinedName([claim.lhs, claim.rhs], scope.definitions);
      if (applied) return unchecked(applied);
      const conflict = declaredVersusDefined(used, scope.declarations, sidesOptions);
      if (conflict) return unchecked(conflict);
      if (verdict.suspect) return unchecked(verdict.suspect);
    }
    const { verdict: kind, layout, reason, expected, counterexample } = verdict;
    return {
      ...base,
      verdict: kind,
      layout,
      reason,
      ...(expected === undefined ? {} : { expected }),
      ...(counterexample === undefined ? {} : { counterexample }),
    };
  } catch (e) {
    if (e instanceof OverBudget) return unchecked('took too long');
    if (e instanceof LensError) return unchecked(e.message);
    if (isStackOverflow(e)) return unchecked('nested too deeply');
    throw e;
  }
}

/**
 * The names the other steps of the claim's chain and the definitions in scope use as values: a step
 * that only differentiates one (`\frac{\partial b}{\partial \mathbf{w}} = \vec{0}^T` after
 * `z = \mathbf{w}\cdot\mathbf{x} + b`) means a variable, not a function the note leaves undefined.
 * `cache`: the names of each formula, which the steps of a chain share.
 */
function valuesAround(
  note: Note,
  claim: Claim,
  definitions: readonly NoteStatement[],
  cache: Map<string, ReadonlySet<string>>,
): string[] {
  const latex = [
    ...note.claims
      .filter((c) => c.chain === claim.chain && c !== claim && c.kind === 'equal')
      .flatMap((c) => [c.lhs.latex, c.rhs.latex]),
    ...definitions.map((d) => d.latex.slice(d.latex.lastIndexOf(' = ') + 3)),
  ];
  const names = new Set<string>();
  for (const formula of latex) {
    let found = cache.get(formula);
    if (!found) {
      try {
        found = valueNames(parseLatex(formula).body);
      } catch (e) {
        if (!(e instanceof LensError) && !isStackOverflow(e)) throw e;
        found = new Set();
      }
      cache.set(formula, found);
    }
    for (const n of found) names.add(n);
  }
  return [...names];
}

/**
 * What the note leaves undefined in a wrong step: a side that is a lone name nothing introduces
 * (`|\mathbf{x}| = n` names the size n), or the derivative of a name nothing defines
 * (`\frac{dy}{db} = 1` after a definition of y the core cannot read): the core would take it
 * as an independent variable (derivative 0), which the note does not mean.
 */
function undefinedName(
  claim: Claim,
  scope: { definitions: NoteStatement[]; declarations: NoteStatement[] },
): string | undefined {
  const defined = new Set(scope.definitions.flatMap((d) => d.names));
  const declared = new Set(scope.declarations.flatMap((d) => d.names));
  for (const [side, other] of [
    [claim.lhs, claim.rhs],
    [claim.rhs, claim.lhs],
  ]) {
    const lone = isName(side.latex) ? mentionedNames(side.latex) : [];
    if (
      lone.length === 1 &&
      !defined.has(lone[0]) &&
      !declared.has(lone[0]) &&
      !mentionedNames(other.latex).includes(lone[0])
    )
      return `${lone[0]} is not defined in the note`;
    // `g_1` of a defined vector function g: a component the checker cannot resolve.
    const component = mentionedNames(side.latex).find(
      (n) => !defined.has(n) && /_/.test(n) && defined.has(n.slice(0, n.indexOf('_'))),
    );
    if (component !== undefined)
      return `${component} is a component of ${component.slice(0, component.indexOf('_'))}, which the checker cannot resolve`;
  }
  return undefined;
}

/**
 * A name the step uses that is declared with one shape and defined with another (`y \in \mathbb{R}^q`
 * and `y = f(x)`, which the core reads as a scalar): the step is about a reading the note did not mean.
 */
function declaredVersusDefined(
  used: readonly NoteStatement[],
  declarations: readonly NoteStatement[],
  options: SidesOptions,
): string | undefined {
  const defined = new Set(
    used.filter((u) => u.chain >= 0 && !declarations.includes(u)).flatMap((u) => u.names),
  );
  for (const d of used) {
    if (!declarations.includes(d) || !d.names.some((n) => defined.has(n))) continue;
    const name = d.latex.slice(0, d.latex.search(/\\in(?![a-zA-Z])/)).trim();
    const [declared, value] = [[], options.definitions].map(
      (definitions) => evaluateSides([name], { ...options, definitions }).exprs[0].shape,
    );
    if (shapeName(declared) !== shapeName(value))
      return `${name} is declared in ${setLatex(declared)} but its definition is ${shapeName(value)}`;
  }
  return undefined;
}

/**
 * A function the note never defines on one side of the step only (`\frac{dy}{dx} = \frac{\partial f(x)}{\partial x}`
 * with f undefined): it stands for any function, unrelated to the other side, so a difference says
 * nothing about the note.
 */
function oneSidedFunction(sides: readonly Side[], definitions: readonly NoteStatement[]): string | undefined {
  const defined = new Set(definitions.flatMap((d) => d.names));
  // A side uses the functions its definitions use: h'(x) with h(x) = f(g(x)) uses f and g.
  const [left, right] = sides.map((s) =>
    usedStatements({ definitions: [...definitions], declarations: [] }, [s.latex])
      .flatMap((d) => appliedNames(d.latex))
      .concat(appliedNames(s.latex))
      .filter((n) => !defined.has(n)),
  );
  const alone = left.find((n) => !right.includes(n)) ?? right.find((n) => !left.includes(n));
  return alone === undefined
    ? undefined
    : `${alone} is a function the note does not define, on one side only`;
}

/**
 * A definition used whose parameter is itself a name the note defines (`C(v) = \frac{1}{N}\sum v^2`
 * after `v(y, u) = y - u`): the note composes through parameter names, the core takes v as a variable.
 */
function composedThroughParameters(
  used: readonly NoteStatement[],
  scope: { definitions: NoteStatement[] },
): string | undefined {
  const defined = new Map(scope.definitions.flatMap((d) => d.names.map((n) => [n, d] as const)));
  for (const d of used) {
    const head = /^[^=(]*\(([^=]*)\)\s*=/.exec(d.latex);
    const parameter = head && mentionedNames(head[1]).find((p) => defined.get(p) && defined.get(p) !== d);
    if (parameter)
      return `${d.names[0]} takes ${parameter} as a parameter, which is defined at line ${defined.get(parameter)!.line}: the checker does not compose them`;
  }
  return undefined;
}

/**
 * A derivative by a name the note defines (`\frac{dy}{du}` with `u = g(x)`): it depends on how y is
 * written in terms of u, which the note leaves to the reader (y = f(g(x)) is f(u)).
 */
function byDefinedName(sides: readonly Side[], definitions: readonly NoteStatement[]): string | undefined {
  for (const name of sides.flatMap((s) => differentiatedBy(s.latex))) {
    const d = definitions.find((x) => x.names.includes(name));
    if (d)
      return `a derivative by ${name}, which is defined at line ${d.line}, depends on how the note writes the rest in terms of ${name}`;
  }
  return undefined;
}

/** A shape claim about a function the note never defines (`f'(x) \in \mathbb{R}^{m \times n}`): its shape is not known. */
function unknownShape(
  claim: Claim,
  scope: { definitions: NoteStatement[]; declarations: NoteStatement[] },
): string | undefined {
  const defined = new Set(scope.definitions.flatMap((d) => d.names));
  const unknown = claim.subjects.flatMap((s) => appliedNames(s.latex)).find((n) => !defined.has(n));
  return unknown === undefined
    ? undefined
    : `the shape of ${unknown} is not known: the note does not define it`;
}

/** The size names the declarations in scope give (`n` of `\mathbf{x} \in \mathbb{R}^n`). */
function declaredSizes(declarations: readonly NoteStatement[]): Set<string> {
  const sizes = new Set<string>();
  for (const d of declarations) {
    try {
      for (const decl of parseLatexDeclarations(d.latex))
        for (const x of decl.dims) if (typeof x === 'string') sizes.add(x);
    } catch (e) {
      if (!(e instanceof LensError)) throw e;
    }
  }
  return sizes;
}

type Verdict = Pick<StepCheck, 'verdict' | 'layout' | 'reason' | 'expected' | 'counterexample'> & {
  /** Set on a `wrong` verdict that more likely comes from a notation read otherwise: why, for `unchecked`. */
  readonly suspect?: string;
};

const other = (layout: Layout): Layout => (layout === 'numerator' ? 'denominator' : 'numerator');

/** Says what a matrix of samples the checker made up holds, for a value written with it. */
const samplesAsColumns = (names: readonly string[]): string =>
  names.length ? `, where ${names.join(', ')} holds the samples as its columns` : '';

function checkEquality(
  lhs: string,
  rhs: string,
  options: SidesOptions,
  seed: number,
  deadline: number,
  used: readonly NoteStatement[],
): Verdict {
  for (const side of [lhs, rhs]) {
    if (ELIDED_RE.test(side)) throw new LensError('entries are left out (\\cdots), which cannot be expanded');
    if (/\\lim(?![a-zA-Z])/.test(side)) throw new LensError('a limit cannot be evaluated');
  }
  const sides = evaluateSides([lhs, rhs], options);
  // The bodies of the definitions used too (`y = f(g(x))`), not their heads (`z(\mathbf{w}, b) = …`).
  requireFunctionsRead([lhs, rhs, ...used.map((u) => u.latex.slice(u.latex.lastIndexOf(' = ') + 3))], sides);
  const [a, b] = sides.exprs;
  if (key(a) === key(b)) return { verdict: 'holds', layout: null, reason: `symbolically${where(sides)}` };
  const found = compare([lhs, rhs], options, seed, deadline);
  if (found.kind === 'equal')
    return { verdict: 'holds', layout: null, reason: `at ${found.points} random points${where(sides)}` };
  if (DERIVATIVE_RE.test(lhs) || DERIVATIVE_RE.test(rhs)) {
    const flipped = { ...options, layout: other(options.layout) };
    try {
      if (compare([lhs, rhs], flipped, seed, deadline).kind === 'equal')
        return {
          verdict: 'layout',
          layout: flipped.layout,
          reason: `holds in ${flipped.layout} layout only`,
        };
    } catch (e) {
      if (!(e instanceof LensError)) throw e;
    }
  }
  // X = [𝐱₁ … 𝐱_N] holds the samples as columns; a note may mean a design matrix, one sample per row.
  if (sides.samples.length > 0 && options.samples !== 'rows') {
    try {
      if (compare([lhs, rhs], { ...options, samples: 'rows' }, seed, deadline).kind === 'equal')
        return {
          verdict: 'holds',
          layout: null,
          reason: `with the samples as the rows of ${sides.samples.join(', ')} (a design matrix: ${sides.samples[0]}\\mathbf{w} holds each \\mathbf{w}^\\top\\mathbf{x}_i)`,
        };
    } catch (e) {
      if (!(e instanceof LensError)) throw e;
    }
  }
  const mirrored = mirroredGradient(lhs, a, sides.symmetric);
  if (mirrored && compare([mirrored.latex, rhs], options, seed, deadline).kind === 'equal')
    return {
      verdict: 'holds',
      layout: null,
      reason: `for symmetric ${mirrored.name}, an entry off the diagonal standing for itself and its mirror image: G + G^\\top - I \\odot G of the gradient G = ${latexOf(a)}`,
    };
  // Sides of different shapes, or x_k beside 𝐱 both vectors, are far more often a notation the core
  // reads otherwise (𝐱 + z as a broadcast, ⊙ written as \cdot, softmax(x_k) for an entry) than a
  // step a person got wrong.
  const component = componentReadAsVector(sides.variables);
  const suspect =
    found.kind === 'shape'
      ? `the sides read with different shapes (${found.detail} and ${found.other}); the note may mean a notation this checker reads otherwise (a broadcast, ⊙ written as \\cdot, an operator read as a name)`
      : (component ?? sides.caveats[0]);
  const expected = latexOf(a);
  return {
    verdict: 'wrong',
    layout: null,
    reason:
      found.kind === 'transposed'
        ? `the right side is the transpose of the left side, ${expected}`
        : found.kind === 'shape'
          ? `the left side is ${found.detail}, the right side ${found.other}`
          : `the left side is ${expected}${samplesAsColumns(sides.samples)} (they differ at ${formatPoint(found.point)})`,
    expected,
    ...(found.kind === 'differ' ? { counterexample: found.point } : {}),
    ...(suspect ? { suspect } : {}),
  };
}

/**
 * The other gradient by a symmetric matrix Σ: with Σᵢⱼ and Σⱼᵢ one variable, ∂f/∂Σᵢⱼ is Gᵢⱼ + Gⱼᵢ off
 * the diagonal (G + Gᵀ − I ⊙ G, so 2Σ⁻¹ − I ⊙ Σ⁻¹ for ln det Σ). Books write either; `lhs` must take
 * the gradient by one name declared symmetric, and `g` be that gradient.
 */
function mirroredGradient(
  lhs: string,
  g: Expr,
  symmetric: ReadonlySet<string>,
): { name: string; latex: string } | undefined {
  const by = differentiatedBy(lhs);
  if (by.length !== 1 || !symmetric.has(by[0]) || g.shape.kind !== 'matrix') return undefined;
  const h = add(g, transpose(g), mul(num(-1), hadamard(identity(g.shape.m), g)));
  return { name: toLatex(sym(by[0], g.shape)), latex: toLatex(h) };
}

/**
 * `\operatorname{softmax}(x_k)` for the k-th entry of softmax(𝐱), `\frac{\partial}{\partial w_i} \mathbf{w}^T\mathbf{x} = x_i`:
 * `x_k` read as a name of its own while `x` is a vector or matrix.
 */
function componentReadAsVector(variables: readonly Sym[]): string | undefined {
  const wholes = new Map(variables.filter((v) => !isScalar(v)).map((v) => [v.name, v]));
  for (const v of variables) {
    const base = /^(.+)_(?:[a-z]|[0-9]+)$/.exec(v.name)?.[1];
    const whole = base === undefined ? undefined : wholes.get(base);
    if (whole)
      return `${v.name} is read as a ${kindName(v)} of its own beside the ${kindName(whole)} ${whole.name}; if it means an entry of ${whole.name}, this checker cannot read it`;
  }
  return undefined;
}

function kindName(v: Sym): string {
  return v.shape.kind === 'row' ? 'vector' : v.shape.kind;
}

/**
 * A function the note applies (`g(x, y)`, `\mathbf{f}(\mathbf{x})`) that the core read as a
 * product g·(x, y) — it has no definition in scope and the core has no abstract function
 * for it: comparing values of such a reading would judge a formula the note did not write.
 */
function requireFunctionsRead(latex: readonly string[], sides: Sides): void {
  const variables = new Set(sides.variables.filter((v) => v.role === 'var').map((v) => v.name));
  const misread = latex.flatMap(appliedNames).find((n) => variables.has(n));
  if (misread !== undefined)
    throw new LensError(`${misread}(…) would be read as the product ${misread}·(…), not as a function`);
}

/** The core's presentation of a value, without named intermediates (a fix must stand on its own). */
function latexOf(e: Expr): string {
  const shown = present(e);
  return toLatex(shown.definitions.length ? e : shown.expr);
}

/** Whether the sides have branches: kinks of their derivatives, piecewise parts, sign and step functions. */
function branched(exprs: readonly Expr[], conditions: readonly Condition[]): boolean {
  if (conditions.length) return true;
  for (const e of postorder(exprs))
    if (e.type === 'piecewise' || (e.type === 'fn' && ['abs', 'sign', 'step', 'max', 'min'].includes(e.name)))
      return true;
  return false;
}

/** ` where x ≠ 0` when the sides hold away from kinks (of the derivatives evaluated, or piecewise branches). */
function where(sides: Sides): string {
  const conditions = new Set(sides.conditions.map((c) => `${toText(c.lhs)} ≠ ${toText(c.rhs)}`));
  for (const e of postorder(sides.exprs))
    if (e.type === 'piecewise')
      for (const c of e.cases) conditions.add(`${toText(c.when.lhs)} ≠ ${toText(c.when.rhs)}`);
  return conditions.size ? ` where ${[...conditions].join(', ')}` : '';
}

type Comparison =
  | { kind: 'equal'; points: number }
  | { kind: 'transposed' }
  | { kind: 'shape'; detail: string; other: string; sizes: number }
  | { kind: 'differ'; point: Record<string, Value> };

/** Both sides at random points; when their shapes differ for random sizes, again with every size the same. */
function compare(
  sides: readonly string[],
  options: SidesOptions,
  seed: number,
  deadline: number,
): Comparison {
  const found = compareAt(sides, options, seed, deadline, false);
  // `\frac{\partial}{\partial \mathbf{x}}(\mathbf{x} + z) = \operatorname{diag}(\mathbf{1})`: the ones vector's size is
  // its own symbol; a reader takes it to be the size that makes the step make sense.
  return found.kind === 'shape' && found.sizes > 1 ? compareAt(sides, options, seed, deadline, true) : found;
}

/** Both sides at random points, with symbolic sizes random (2–4) or all the same (3). */
function compareAt(
  sides: readonly string[],
  options: SidesOptions,
  seed: number,
  deadline: number,
  equalSizes: boolean,
): Comparison {
  const draw = random(seed);
  // Functions the note never defines (f(x), \mathbf{f}(\mathbf{x})) are random smooth ones, the same on both sides.
  const functions = randomFunctions(seed);
  const symbolic = evaluateSides(sides, options);
  const names = sizeNames(symbolic.exprs);
  const least = leastSizes(symbolic.exprs);
  const sizes = Object.fromEntries(
    names.map((n) => [n, Math.max(least.get(n) ?? 0, equalSizes ? 3 : 2 + Math.floor(3 * draw()))]),
  );
  const { exprs } = Object.keys(sizes).length ? evaluateSides(sides, { ...options, dims: sizes }) : symbolic;
  // The variables the sides use (not every name declared in the note), once each.
  const vars = [
    ...new Map(
      postorder(exprs).flatMap((e) => (e.type === 'sym' && e.role === 'var' ? [[e.name, e] as const] : [])),
    ).values(),
  ];
  const units = unitVectors(exprs);
  // With indices, as many points as for branches: i = j at every point would hide A_{ij} against A_{ji}.
  const points = units.length || branched(exprs, symbolic.conditions) ? BRANCHED_POINTS : POINTS;
  let equal = true;
  let found = 0;
  let tiny = 0;
  let positive = false;
  for (let attempt = 0; attempt < points + RETRIES && found < points; attempt++) {
    if (performance.now() > deadline) throw new OverBudget();
    // Signed values, so both branches of a kink show; positive ones once a side was not finite (ln, √).
    const lo = positive ? 0.1 : -1;
    const point: Record<string, Value> = Object.fromEntries(
      vars.map((v) => [v.name, randomValue(v, () => lo + (1 - lo) * draw())]),
    );
    const env = new Map(Object.entries(point).map(([k, v]): [string, Tensor] => [k, toTensor(v)]));
    // ∂f/∂x_{ij} at a random entry (i, j), which the point then shows.
    const indices = drawIndices(units, draw);
    for (const u of units) env.set(u.name, unitVector(u, indices.get(u.unit!)!));
    for (const [index, at] of indices) if (!(index in point)) point[index] = at;
    const [x, y] = exprs.map((e) => evaluate(e, env, functions));
    const [fx, fy] = [flat(x), flat(y)];
    if (![...fx, ...fy].every(Number.isFinite)) {
      positive = !positive;
      continue;
    }
    const [dx, dy] = [dimsOf(x), dimsOf(y)];
    const scale = Math.max(...fx.map(Math.abs), ...fy.map(Math.abs));
    // Values this small (1 − tanh²(20)) are rounding noise, and so are exact zeros on both sides
    // (1 − tanh²(x⁴) rounds to 0 far out): a point where the sides differ only by rounding says nothing.
    if (scale < TINY) {
      tiny++;
      continue;
    }
    found++;
    const sameDims = dx[0] === dy[0] && dx[1] === dy[1];
    const swapped = dx[0] === dy[1] && dx[1] === dy[0];
    if (!sameDims && !swapped)
      return {
        kind: 'shape',
        detail: shapeName(exprs[0].shape),
        other: shapeName(exprs[1].shape),
        sizes: names.length,
      };
    const same = sameDims && close(fx, fy, scale);
    // A square matrix may equal the other side's transpose only: a layout mix-up, reported as such.
    const transposed = swapped && close(fx, transposeFlat(fy, dy[0], dy[1]), scale);
    if (!same && !transposed) return { kind: 'differ', point };
    if (!same) equal = false;
  }
  if (found === 0)
    throw new LensError(
      tiny
        ? 'the sides are too small to compare at random points'
        : 'found no point where both sides are finite',
    );
  return equal ? { kind: 'equal', points: found } : { kind: 'transposed' };
}

/** The unit vectors 𝐞ᵢ that entries differentiated by (∂f/∂x_{ij}) are read with. */
function unitVectors(exprs: readonly Expr[]): Sym[] {
  return postorder(exprs).filter((e): e is Sym => e.type === 'sym' && e.unit !== undefined);
}

/** One in-range value (1-based) per index: a written number as is, a name at random below every size it runs over. */
function drawIndices(units: readonly Sym[], draw: () => number): Map<string, number> {
  const bound = new Map<string, number>();
  for (const u of units) {
    const n = rows(u.shape);
    const size = typeof resolveDim(n) === 'number' ? (resolveDim(n) as number) : 0;
    bound.set(u.unit!, Math.min(bound.get(u.unit!) ?? size, size));
  }
  return new Map(
    [...bound].map(([index, n]) => [
      index,
      /^[0-9]/.test(index) ? Number(index) : 1 + Math.floor(n * draw()),
    ]),
  );
}

function unitVector(u: Sym, index: number): Tensor {
  const n = resolveDim(rows(u.shape));
  if (typeof n !== 'number' || index > n)
    throw new LensError(`the index ${u.unit} is out of range for ${u.name} of size ${String(n)}`);
  return toTensor(Array.from({ length: n }, (_, k) => (k + 1 === index ? 1 : 0)));
}

/** A size at least as large as every entry written with a number (∂f/∂w_3 needs w of size 3 or more). */
function leastSizes(exprs: readonly Expr[]): Map<string, number> {
  const least = new Map<string, number>();
  for (const u of unitVectors(exprs)) {
    const name = resolveDim(rows(u.shape));
    if (typeof name === 'string' && /^[0-9]+$/.test(u.unit!))
      least.set(name, Math.max(least.get(name) ?? 0, Number(u.unit)));
  }
  return least;
}

/** Entry by entry, relative to the larger of the two or to the largest entry of the point (`scale`). */
function close(a: readonly number[], b: readonly number[], scale: number): boolean {
  return a.every((x, i) => Math.abs(x - b[i]) <= TOLERANCE * Math.max(scale, Math.abs(x), Math.abs(b[i])));
}

function flat(t: Tensor): number[] {
  return typeof t === 'number' ? [t] : Array.from(t.data);
}

function dimsOf(t: Tensor): [number, number] {
  return typeof t === 'number' ? [1, 1] : [t.m, t.n];
}

function transposeFlat(values: readonly number[], m: number, n: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) out.push(values[i * n + j]);
  return out;
}

/** Size names still symbolic in the sides (`n`, `p`): a random point must fix them. */
function sizeNames(exprs: readonly Expr[]): string[] {
  const names = new Set<string>();
  for (const e of postorder(exprs))
    for (const d of shapeDims(e.shape)) {
      const r = resolveDim(d);
      if (typeof r === 'string') names.add(r);
    }
  return [...names];
}

function shapeDims(s: Shape): Dim[] {
  switch (s.kind) {
    case 'scalar':
      return [1, 1];
    case 'vector':
      return [s.n, 1];
    case 'row':
      return [1, s.n];
    case 'matrix':
      return [s.m, s.n];
  }
}

function dimLatex(d: Dim): string {
  const r = resolveDim(d);
  return typeof r === 'object' ? '?' : String(r);
}

/** `a scalar`, `a vector(3)`, `a matrix(p×q)`: as the core's messages say it. */
function shapeName(s: Shape): string {
  return s.kind === 'scalar' ? 'a scalar' : `a ${shapeText(s)}`;
}

/** `\mathbb{R}`, `\mathbb{R}^{p}`, `\mathbb{R}^{1 \times p}`. */
function setLatex(s: Shape): string {
  if (s.kind === 'scalar') return '\\mathbb{R}';
  if (s.kind === 'vector') return `\\mathbb{R}^{${dimLatex(s.n)}}`;
  const [m, n] = shapeDims(s).map(dimLatex);
  return `\\mathbb{R}^{${m} \\times ${n}}`;
}

/** `… \in \mathbb{R}^{p \times q}`: the claimed shape against the first subject that evaluates. */
function checkShape(claim: Claim, options: SidesOptions, declared: ReadonlySet<string>): Verdict {
  let claimed: readonly (number | string)[];
  try {
    claimed = parseLatexDeclarations(`s \\in ${claim.rhs.latex}`)[0].dims;
  } catch {
    throw new LensError(`cannot read the set ${claim.rhs.latex}`);
  }
  const shapeIn = (o: SidesOptions): Shape => {
    let first: unknown;
    for (const subject of claim.subjects) {
      try {
        if (!ELIDED_RE.test(subject.latex)) {
          const sides = evaluateSides([subject.latex], o);
          requireFunctionsRead([subject.latex], sides);
          return sides.exprs[0].shape;
        }
        first ??= new LensError('entries are left out (\\cdots), which cannot be expanded');
      } catch (e) {
        if (!(e instanceof LensError)) throw e;
        first ??= e;
      }
    }
    throw first;
  };
  const actual = shapeIn(options);
  // A size the core named itself (`n` for an undeclared vector) says nothing about the note's `n`.
  const undeclared = shapeDims(actual)
    .map(resolveDim)
    .find((d) => typeof d !== 'number' && !(typeof d === 'string' && declared.has(d)));
  if (undeclared !== undefined)
    throw new LensError(
      `the size ${typeof undeclared === 'string' ? `${undeclared} ` : ''}of ${claim.lhs.latex} is not declared in the note`,
    );
  const match = matchShape(claimed, actual);
  if (match === 'same') return { verdict: 'holds', layout: null, reason: `its shape is ${setLatex(actual)}` };
  if (DERIVATIVE_RE.test(claim.subjects.map((s) => s.latex).join(' '))) {
    const flipped = { ...options, layout: other(options.layout) };
    try {
      if (matchShape(claimed, shapeIn(flipped)) === 'same')
        return {
          verdict: 'layout',
          layout: flipped.layout,
          reason: `holds in ${flipped.layout} layout only`,
        };
    } catch (e) {
      if (!(e instanceof LensError)) throw e;
    }
  }
  const expected = setLatex(actual);
  return { verdict: 'wrong', layout: null, reason: `its shape is ${expected}`, expected };
}

function matchShape(claimed: readonly (number | string)[], actual: Shape): 'same' | 'differ' {
  const have = shapeDims(actual).map(resolveDim);
  const want = claimed.length === 0 ? [1, 1] : claimed.length === 1 ? [claimed[0], 1] : claimed;
  const same = (x: readonly unknown[]) => x[0] === have[0] && x[1] === have[1];
  // `\mathbb{R}^n` is said of row vectors too.
  if (same(want) || (claimed.length === 1 && same([1, claimed[0]]))) return 'same';
  return 'differ';
}

function formatPoint(point: Readonly<Record<string, Value>>): string {
  const show = (v: Value): string =>
    typeof v === 'number' ? String(Number(v.toPrecision(3))) : `[${(v as Value[]).map(show).join(', ')}]`;
  return (
    Object.entries(point)
      .map(([k, v]) => `${k} = ${show(v)}`)
      .join(', ') || 'any point'
  );
}

/** The statements in scope that the sides mention, and those their definitions mention in turn. */
function usedStatements(
  scope: { definitions: NoteStatement[]; declarations: NoteStatement[] },
  latex: readonly string[],
): NoteStatement[] {
  const names = new Set(latex.flatMap(mentionedNames));
  const used = new Set<NoteStatement>();
  for (let grew = true; grew;) {
    grew = false;
    for (const d of scope.definitions) {
      if (!used.has(d) && d.names.some((n) => names.has(n))) {
        used.add(d);
        for (const n of mentionedNames(d.latex)) names.add(n);
        grew = true;
      }
    }
  }
  for (const d of scope.declarations) if (d.names.some((n) => names.has(n))) used.add(d);
  return [...used].sort((x, y) => x.start - y.start);
}
