/**
 * Step-by-step derivations, the way the notes write them: name the inner
 * parts of a composite (`z = 𝐰·𝐱 + b`, `u = max(0, z)`, `v = y − u`), take
 * each local derivative, and combine them link by link with the chain rule.
 *
 * Every local derivative is computed by the core (`differential` with the
 * intermediate as a fresh variable), never written by hand, and every stage
 * carries a `claim` (d target / d wrt = value) that tests check numerically.
 * Internally a derivative is a differential linear in dv (dv = 1 for a scalar
 * variable): sums, products and the chain rule are then plain substitutions
 * whatever the shapes; a stage shows it as a Jacobian or gradient when it has one.
 */
import type { Step, StepRule } from '../api';
import { requireDerivative, type Derivation, type Part } from '../derivation';
import { differential } from '../diff';
import { LensError } from '../errors';
import { type Expr, type Sym, dependsOn, isScalar, key } from '../expr';
import { gradientFromDifferential, jacobianFromDifferential } from '../extract';
import { requireExplainable } from '../limits';
import { liftPiecewise, perBranch } from '../piecewise';
import { toLatex, toText } from '../print';
import {
  ONE,
  add,
  block,
  hadamard,
  isNum,
  matmul,
  mul,
  neg,
  numValue,
  rebuild,
  sym,
  transpose,
  zero,
  readSymmetric,
} from '../simplify';
import { Naming, type BlockIntermediate } from './naming';
import type { ClaimForm, Claim, StepRecord, DerivationSteps } from './records';
import {
  type Label,
  nameLabel,
  exprLabel,
  partialOf,
  shown,
  ruleOf,
  localExplanation,
  wrapLatex,
  wrapText,
} from './wording';

// ---------------------------------------------------------------- derivatives as shown

/** What a derivative of a `shape`-valued expression with respect to `x` is shown as. */
function formFor(shape: Expr['shape'], x: Sym): ClaimForm {
  if (isScalar(x)) return 'jacobian';
  if (x.shape.kind === 'vector' && (shape.kind === 'scalar' || shape.kind === 'vector')) return 'jacobian';
  if (x.shape.kind === 'matrix' && shape.kind === 'scalar') return 'gradient';
  return 'differential';
}

/** Reads the shown derivative out of a differential `r` (linear in dx; dx = 1 for a scalar x). */
function readOff(r: Expr, shape: Expr['shape'], x: Sym): { value: Expr; form: ClaimForm } {
  const form = formFor(shape, x);
  try {
    if (form === 'jacobian' && isScalar(x))
      return { value: liftPiecewise(replaceDifferential(r, x.name, ONE)), form };
    if (form === 'jacobian' && shape.kind === 'scalar') {
      return { value: perBranch(r, (b) => transpose(gradientFromDifferential(b, x.shape))), form };
    }
    if (form === 'jacobian')
      return { value: perBranch(r, (b) => jacobianFromDifferential(b, x.shape)), form };
    if (form === 'gradient')
      return { value: perBranch(r, (b) => gradientFromDifferential(b, x.shape)), form };
  } catch (e) {
    if (!(e instanceof LensError)) throw e;
  }
  return { value: liftPiecewise(r), form: 'differential' };
}

/** `e` with the differential d`name` replaced by `value`, each shared subexpression rebuilt once. */
function replaceDifferential(e: Expr, name: string, value: Expr): Expr {
  const memo = new Map<Expr, Expr>();
  const replace = (x: Expr): Expr => {
    let r = memo.get(x);
    if (r === undefined) {
      r = x.type === 'sym' ? (x.role === 'differential' && x.name === name ? value : x) : rebuild(x, replace);
      memo.set(x, r);
    }
    return r;
  };
  return replace(e);
}

function differentialOf(x: Sym): Expr {
  return sym(x.name, x.shape, 'differential');
}

/** A k×k Jacobian block times a k-component column block, multiplied out cell by cell. */
function blockTimesColumn(a: Extract<Expr, { type: 'block' }> | Expr, b: Expr): Expr {
  const rowsOf = (e: Expr): Expr[][] => (e.type === 'block' ? e.rows.map((r) => [...r]) : [[e]]);
  const ar = rowsOf(a);
  const bc = rowsOf(b).flat();
  return block(ar.map((r) => [add(...r.map((c, j) => mul(c, bc[j])))]));
}

// ---------------------------------------------------------------- the walk

export function derivationSteps(d: Derivation): DerivationSteps {
  requireDerivative(d, 'steps');
  const f = d.program.body;
  const wrt = d.parts.flatMap((p) => p.wrt);
  const naming = new Naming(f, new Set(wrt.map((v) => v.name)), wrt.every(isScalar));
  const steps: StepRecord[] = [];
  const fLabel: Label = { latex: isScalar(f) ? 'f' : '\\mathbf{f}', text: 'f', atom: true };

  if (naming.list.length) {
    const defs = naming.list.map((i) => ({
      latex: `${toLatex(i.symbol)} = ${toLatex(i.definition)}`,
      text: `${toText(i.symbol)} = ${toText(i.definition)}`,
    }));
    const top = naming.display(f);
    steps.push({
      rule: 'intermediate',
      latex: `${defs.map((x) => x.latex).join(',\\quad ')},\\quad ${fLabel.latex} = ${toLatex(top)}`,
      text: `${defs.map((x) => x.text).join(', ')}; ${fLabel.text} = ${toText(top)}`,
      explanation: `Name the inner parts (${naming.list.map((i) => toText(i.symbol)).join(', ')}) and differentiate link by link.`,
      key: true,
      depth: 0,
    });
  }

  const walked = new Set<Sym>();
  for (const part of d.parts) {
    for (const v of part.wrt) {
      // The blocks of a joint Hessian share their row's first derivative: derive it once.
      if (part.by && walked.has(v)) continue;
      walked.add(v);
      new VariableWalk(naming, f, fLabel, v, steps, d.program.symmetric).run();
    }
    const result = resultStep(d, part, f, fLabel);
    const last = steps[steps.length - 1];
    // When the last stage already is the core's result, say so instead of repeating it.
    if (last?.claim && result.claim && sameClaim(last.claim, result.claim)) {
      steps[steps.length - 1] = { ...last, rule: last.rule === 'substitute' ? 'result' : last.rule };
    } else steps.push(result);
  }
  return { intermediates: naming.list, steps };
}

/** The derivation of f with respect to one variable; pushes its stages and returns ∂f/∂v as shown. */
class VariableWalk {
  private readonly dv: Expr;
  private readonly memo = new Map<string, Expr>();

  constructor(
    private readonly naming: Naming,
    private readonly root: Expr,
    private readonly rootLabel: Label,
    private readonly v: Sym,
    private readonly steps: StepRecord[],
    /** Matrices declared symmetric: each stage is shown read with Σᵀ = Σ, as the result is (its claim stays general). */
    private readonly symmetric: ReadonlySet<string>,
  ) {
    this.dv = isScalar(v) ? ONE : differentialOf(v);
  }

  run(): void {
    const r = this.explain(this.root, 0);
    const shownRoot = readOff(r, this.root.shape, this.v);
    const expanded = readOff(this.naming.expand(r), this.root.shape, this.v);
    if (key(expanded.value) !== key(shownRoot.value)) {
      const names = this.naming.list.filter(
        (i) =>
          dependsOn(shownRoot.value, i.symbol.name) ||
          [...this.naming.components].some(
            (c) => c.startsWith(`${i.symbol.name}_`) && dependsOn(shownRoot.value, c),
          ),
      );
      this.push(
        'substitute',
        this.rootLabel,
        expanded,
        `Substitute back ${names.map((i) => `${toText(i.symbol)} = ${toText(i.value)}`).join(', ') || 'the intermediates'}.`,
        0,
        this.root,
      );
    }
  }

  private explain(e: Expr, depth: number): Expr {
    if (!dependsOn(e, this.v.name)) return zero(e.shape);
    if (e.type === 'sym') return this.dv;
    if (e.type === 'transpose' && e.arg.type === 'sym') return transpose(this.dv);
    const k = key(e);
    const cached = this.memo.get(k);
    if (cached) return cached;
    const name = e === this.root ? undefined : this.naming.byKey.get(k);
    const label =
      e === this.root ? this.rootLabel : name ? nameLabel(name) : exprLabel(this.naming.display(e));
    const r = this.body(e, name && !this.naming.components.has(name.name) ? 0 : depth, label);
    this.memo.set(k, r);
    return r;
  }

  /** A stage's value as shown: read with Σᵀ = Σ for the matrices declared symmetric, as the result is. */
  private shown(value: Expr): { latex: string; text: string } {
    return shown(readSymmetric(value, this.symmetric));
  }

  /** Records "label's derivative = value" and returns nothing; `target` is what the claim differentiates. */
  private push(
    rule: StepRule,
    label: Label,
    shownValue: { value: Expr; form: ClaimForm },
    explanation: string,
    depth: number,
    target: Expr,
    middle?: { latex: string; text: string },
    wrt: Sym = this.v,
  ): void {
    const lhs = partialOf(label, [wrt], shownValue.form);
    const v = this.shown(shownValue.value);
    const mid = middle ? { latex: ` = ${middle.latex}`, text: ` = ${middle.text}` } : { latex: '', text: '' };
    this.steps.push({
      rule,
      latex: `${lhs.latex}${mid.latex} = ${v.latex}`,
      text: `${lhs.text}${mid.text} = ${v.text}`,
      explanation,
      key: depth === 0,
      depth,
      claim: { target, wrt: [wrt], value: shownValue.value, form: shownValue.form },
    });
  }

  private body(e: Expr, depth: number, label: Label): Expr {
    const vector = this.naming.blocks.get(key(e));
    if (vector) return this.vectorChain(e, vector, depth, label);
    const inner = this.naming.innerArgs(e).filter((a) => this.naming.byKey.has(key(a)));
    if (inner.length) return this.chain(e, inner, depth, label);
    switch (e.type) {
      case 'add':
        return this.sum(e, depth, label);
      case 'mul':
      case 'matmul':
      case 'hadamard':
        return this.product(e, depth, label);
      case 'block': {
        const r = block(e.rows.map((row) => row.map((c) => this.explain(c, depth + 1))));
        this.push('component', label, readOff(r, e.shape, this.v), 'Differentiate each component.', depth, e);
        return r;
      }
      case 'transpose':
        return transpose(this.explain(e.arg, depth));
      default: {
        const r = differential(e, this.v, this.dv, { conditions: [] });
        const shownR = readOff(r, e.shape, this.v);
        this.push(ruleOf(e), label, shownR, localExplanation(e, e), depth, e);
        if (e.type === 'fn' && e.name === 'softmax' && e.args[0].type === 'sym') this.softmaxComponents(e);
        return r;
      }
    }
  }

  /** The notes' component form of softmax's Jacobian, stated before its matrix form. */
  private softmaxComponents(e: Expr): void {
    const x = toLatex((e as Extract<Expr, { type: 'fn' }>).args[0]);
    const last = this.steps.pop()!;
    if (e.shape.kind === 'matrix') {
      // Column-wise: the same rule on each column, and columns do not mix.
      this.steps.push({
        rule: 'quotient',
        latex: `S = \\operatorname{softmax}\\left(${x}\\right),\\ S_{ij} = \\frac{e^{x_{ij}}}{\\sum_k e^{x_{kj}}}:\\quad \\frac{\\partial S_{ij}}{\\partial x_{kj}} = \\begin{cases} S_{ij}(1 - S_{ij}) & i = k \\\\ -S_{ij} S_{kj} & i \\neq k \\end{cases}`,
        text: 'S = softmax(X), Sᵢⱼ = e^{xᵢⱼ}/Σₖ e^{xₖⱼ}: ∂Sᵢⱼ/∂xₖⱼ = Sᵢⱼ(1 − Sᵢⱼ) if i = k, −SᵢⱼSₖⱼ if i ≠ k',
        explanation:
          'Softmax of each column (a sample) on its own: the quotient rule in each column, and 0 across columns.',
        key: last.key,
        depth: last.depth,
      });
      this.steps.push({
        ...last,
        explanation: 'In each column j: diag(𝐬^{(j)}) − 𝐬^{(j)}𝐬^{(j)ᵀ} applied to its column of dX.',
      });
      return;
    }
    this.steps.push({
      rule: 'quotient',
      latex: `\\mathbf{s} = \\operatorname{softmax}\\left(${x}\\right),\\ s_i = \\frac{e^{x_i}}{\\sum_k e^{x_k}}:\\quad \\frac{\\partial s_i}{\\partial x_j} = \\begin{cases} s_i(1 - s_i) & i = j \\\\ -s_i s_j & i \\neq j \\end{cases}`,
      text: 's = softmax(x), sᵢ = e^{xᵢ}/Σₖ e^{xₖ}: ∂sᵢ/∂xⱼ = sᵢ(1 − sᵢ) if i = j, −sᵢsⱼ if i ≠ j',
      explanation: 'Quotient rule on each component e^{xᵢ}/Σₖ e^{xₖ}.',
      key: last.key,
      depth: last.depth,
    });
    this.steps.push({ ...last, explanation: 'Diagonal terms sᵢ minus the outer product s sᵀ.' });
  }

  private sum(e: Extract<Expr, { type: 'add' }>, depth: number, label: Label): Expr {
    const dependent = e.terms.filter((t) => dependsOn(t, this.v.name));
    const constant = e.terms.filter((t) => !dependsOn(t, this.v.name));
    const r = add(...dependent.map((t) => this.explain(t, depth + 1)));
    const middle = this.combination(dependent.map((t) => ({ coefficient: undefined, inner: t })));
    const drops = constant.length
      ? `; ${constant.map((t) => toText(this.naming.display(t))).join(', ')} ${constant.length > 1 ? 'do' : 'does'} not depend on ${toText(this.v)}`
      : '';
    this.push(
      'sum',
      label,
      readOff(r, e.shape, this.v),
      `Sum rule: differentiate term by term${drops}.`,
      depth,
      e,
      middle,
    );
    return r;
  }

  private product(
    e: Extract<Expr, { type: 'mul' | 'matmul' | 'hadamard' }>,
    depth: number,
    label: Label,
  ): Expr {
    const build = e.type === 'mul' ? mul : e.type === 'matmul' ? matmul : hadamard;
    const dependent = e.factors.map((f, i) => (dependsOn(f, this.v.name) ? i : -1)).filter((i) => i >= 0);
    const r = add(
      ...dependent.map((i) => {
        const parts = e.factors.slice();
        parts[i] = this.explain(e.factors[i], depth + 1);
        return build(...parts);
      }),
    );
    const shownR = readOff(r, e.shape, this.v);
    const others = (i: number) => this.naming.display(build(...e.factors.filter((_, j) => j !== i)));
    const only = dependent.length === 1 ? e.factors[dependent[0]] : undefined;
    // −u or 3u: the caller's sum already reads −∂u/∂w; a stage of its own would repeat it.
    if (
      only &&
      e.type === 'mul' &&
      (only.type === 'sym' || this.naming.byKey.has(key(only))) &&
      isNum(others(dependent[0]))
    ) {
      return r;
    }
    let rule: StepRule;
    let explanation: string;
    if (dependent.length === 1 && e.type === 'mul') {
      rule = 'constant';
      explanation = `Constant factor: ${toText(others(dependent[0]))} does not depend on ${toText(this.v)}.`;
    } else if (dependent.length === 1) {
      rule = 'matrix-identity';
      explanation = `Linear in ${toText(this.v)}${isScalar(e) && !isScalar(this.v) ? '; a scalar equals its transpose' : ''}.`;
    } else if (
      e.factors.some(
        (f) => f.type === 'pow' && isNum(f.exp) && numValue(f.exp) < 0 && dependsOn(f, this.v.name),
      )
    ) {
      rule = 'quotient';
      explanation = 'Quotient rule: (a/b)′ = (a′b − ab′)/b².';
    } else {
      rule = 'product';
      explanation =
        e.type === 'mul'
          ? 'Product rule: (ab)′ = a′b + ab′.'
          : `Product rule for ${e.type === 'matmul' ? 'matrix products, d(AB) = dA·B + A·dB' : 'element-wise products'}${
              isScalar(e) && !isScalar(this.v)
                ? '; a scalar equals its transpose, so each term is read as (…)ᵀ d' + toText(this.v)
                : ''
            }.`;
    }
    // Matrix products are read in differentials (dA·B + A·dB); scalar products in ∂ symbols.
    const differentialForm = partialOf(label, [this.v], 'differential');
    const middle =
      e.type === 'mul'
        ? this.combination(dependent.map((i) => ({ coefficient: others(i), inner: e.factors[i] })))
        : shownR.form === 'differential'
          ? undefined
          : {
              latex: `${differentialForm.latex} = ${toLatex(r)} \\;\\Rightarrow\\; ${partialOf(label, [this.v], shownR.form).latex}`,
              text: `${differentialForm.text} = ${toText(r)}, so ${partialOf(label, [this.v], shownR.form).text}`,
            };
    if (!middle || e.type === 'mul') this.push(rule, label, shownR, explanation, depth, e, middle);
    else this.pushNamed(rule, middle, shownR, explanation, depth, e);
    return r;
  }

  /** Σ coefficient·∂inner/∂v, written with ∂ symbols. */
  private combination(terms: { coefficient: Expr | undefined; inner: Expr }[]): {
    latex: string;
    text: string;
  } {
    const parts = terms.map(({ coefficient, inner }) => {
      let sign = '';
      let c = coefficient;
      let t = inner;
      if (t.type === 'mul' && isNum(t.factors[0]) && numValue(t.factors[0]) < 0) {
        sign = '-';
        t = neg(t);
      }
      if (c && isNum(c) && numValue(c) < 0) {
        sign = sign ? '' : '-';
        c = neg(c);
      }
      const name = this.naming.byKey.get(key(t));
      const l = name ? nameLabel(name) : t.type === 'sym' ? nameLabel(t) : exprLabel(this.naming.display(t));
      const p = partialOf(l, [this.v], formFor(t.shape, this.v));
      const cl = c && !isNum(c, 1) ? { latex: toLatex(c), text: toText(c) } : undefined;
      return {
        sign,
        latex: cl ? `${wrapLatex(cl.latex, c!)} ${p.latex}` : p.latex,
        text: cl ? `${wrapText(cl.text, c!)}·${p.text}` : p.text,
      };
    });
    const join = (target: 'latex' | 'text') =>
      parts
        .map((p, i) => (i === 0 ? (p.sign ? '-' : '') + p[target] : `${p.sign ? ' - ' : ' + '}${p[target]}`))
        .join('')
        .replace(/^-/, target === 'text' ? '−' : '-')
        .replace(/ - /g, target === 'text' ? ' − ' : ' - ');
    return { latex: join('latex'), text: join('text') };
  }

  /** f(u₁, …) with named arguments: ∂f/∂v = Σ ∂f/∂uᵢ ∂uᵢ/∂v (plus any direct dependence). */
  private chain(e: Expr, inner: Expr[], depth: number, label: Label): Expr {
    const local = this.naming.display(e, true);
    const ctx = { conditions: [] };
    const terms = [differential(local, this.v, this.dv, ctx)];
    const middles: { latex: string; text: string }[] = [];
    for (const a of inner) {
      if (!dependsOn(a, this.v.name)) continue;
      const ru = this.explain(a, depth);
      const u = this.naming.byKey.get(key(a))!;
      const du = differentialOf(u);
      const ld = differential(local, u, du, ctx);
      this.push(
        ruleOf(e),
        label,
        readOff(ld, e.shape, u),
        localExplanation(e, local),
        depth,
        local,
        undefined,
        u,
      );
      terms.push(replaceDifferential(ld, u.name, ru));
      const fu = partialOf(label, [u], formFor(e.shape, u));
      const uv = partialOf(
        nameLabel(u),
        [this.v],
        this.v.shape.kind === 'matrix' ? 'differential' : formFor(u.shape, this.v),
      );
      middles.push({ latex: `${fu.latex} ${uv.latex}`, text: `${fu.text}·${uv.text}` });
    }
    const r = add(...terms);
    const shownR = readOff(r, e.shape, this.v);
    const via = inner.map((a) => toText(this.naming.byKey.get(key(a))!)).join(', ');
    const explanation =
      shownR.form === 'gradient'
        ? `Chain rule in differentials through ${via}; df = ⟨G, d${toText(this.v)}⟩ = tr(Gᵀ d${toText(this.v)}) reads off the gradient G.`
        : `Chain rule through ${via}.`;
    const middle = {
      latex: middles.map((m) => m.latex).join(' + '),
      text: middles.map((m) => m.text).join(' + '),
    };
    const shownMiddle =
      shownR.form === 'gradient'
        ? {
            latex: `\\mathrm{d}${label.latex} = ${middle.latex} = ${toLatex(r)} \\;\\Rightarrow\\; ${partialOf(label, [this.v], 'gradient').latex}`,
            text: `d${label.text} = ${middle.text} = ${toText(r)}, so ${partialOf(label, [this.v], 'gradient').text}`,
          }
        : middle;
    if (shownR.form === 'gradient') this.pushNamed('chain', shownMiddle, shownR, explanation, depth, e);
    else this.push('chain', label, shownR, explanation, depth, e, shownMiddle);
    return r;
  }

  /** A stage whose `lead` ("df = … ⇒ ∇f") already names the left side. */
  private pushNamed(
    rule: StepRule,
    lead: { latex: string; text: string },
    shownR: { value: Expr; form: ClaimForm },
    explanation: string,
    depth: number,
    target: Expr,
  ): void {
    const v = this.shown(shownR.value);
    this.steps.push({
      rule,
      latex: `${lead.latex} = ${v.latex}`,
      text: `${lead.text} = ${v.text}`,
      explanation,
      key: depth === 0,
      depth,
      claim: { target, wrt: [this.v], value: shownR.value, form: shownR.form },
    });
  }

  /** 𝐟(𝐠(x)): ∂𝐟/∂x = ∂𝐟/∂𝐠 · ∂𝐠/∂x, the notes' vector chain rule. */
  private vectorChain(e: Expr, b: BlockIntermediate, depth: number, label: Label): Expr {
    const g = b.vector;
    const rg = block(b.args.map((a) => [this.explain(a, depth + 1)]));
    const gValue = block(b.args.map((a) => [a]));
    this.push(
      'component',
      nameLabel(g),
      readOff(rg, gValue.shape, this.v),
      'Differentiate each component of g.',
      depth,
      gValue,
    );
    const cells = (this.naming.display(e) as Extract<Expr, { type: 'block' }>).rows.flat();
    const ctx = { conditions: [] };
    const jf = block(cells.map((c) => b.components.map((gj) => differential(c, gj, ONE, ctx))));
    const diagonal = cells.every((c, i) => b.components.every((gj, j) => i === j || !dependsOn(c, gj.name)));
    const column = block(cells.map((c) => [c]));
    const fg = partialOf(label, [g], 'jacobian');
    this.steps.push({
      rule: 'elementwise',
      latex: `${fg.latex} = ${toLatex(jf)}`,
      text: `${fg.text} = ${toText(jf)}`,
      explanation: diagonal
        ? 'Each component fᵢ depends only on gᵢ, so ∂f/∂g is diagonal.'
        : 'One row per component of f, one column per component of g.',
      key: depth === 0,
      depth,
      claim: { target: column, wrt: b.components, value: jf, form: 'jacobian' },
    });
    const product = blockTimesColumn(jf, rg);
    const r = e.shape.kind === 'row' ? transpose(product) : product;
    const gx = partialOf(nameLabel(g), [this.v], 'jacobian');
    this.push(
      'chain',
      label,
      readOff(r, e.shape, this.v),
      'Vector chain rule: the Jacobians multiply.',
      depth,
      e,
      {
        latex: `${fg.latex} ${gx.latex} = ${toLatex(jf)} ${toLatex(rg)}`,
        text: `${fg.text}·${gx.text} = ${toText(jf)}·${toText(rg)}`,
      },
    );
    return r;
  }
}

/** The last stage: the core's own result, with the layout step that turns the shown derivative into it. */
function resultStep(d: Derivation, part: Part, f: Expr, fLabel: Label): StepRecord {
  const value = part.expr;
  const v = part.wrt;
  const single = v.length === 1 ? v[0] : undefined;
  const form: ClaimForm =
    d.op === 'gradient' || (single?.shape.kind === 'matrix' && isScalar(f)) ? 'gradient' : 'jacobian';
  const transposed = part.entrywise
    ? false
    : d.op !== 'gradient' && !isScalar(f) && d.layout === 'denominator'
      ? true
      : single?.shape.kind === 'matrix' && d.op !== 'gradient' && d.layout === 'numerator';
  let explanation: string;
  if (part.columns && single)
    explanation = `Column by column: the Jacobian of column j of f by column j of ${toText(single)}, the same for every j; columns do not mix, so every other block is 0.`;
  else if (part.entrywise && single)
    explanation = `Entry by entry: f is element-wise in ${toText(single)}, so entry (i, j) is the factor of d${toText(single)}ᵢⱼ; every other partial derivative is 0.`;
  else if (d.op === 'hessian' && part.by)
    explanation = `Differentiate the gradient in ${toText(v[0])} with respect to ${toText(part.by)}: one block of the Hessian.`;
  else if (d.op === 'hessian')
    explanation = 'Differentiate each component of the gradient again: the Hessian.';
  else if (!single)
    explanation = `Stack the partial derivatives${d.op === 'gradient' ? ' into the gradient (a column)' : ''}.`;
  else if (form === 'gradient' && single.shape.kind === 'vector') {
    explanation = `The gradient is the transpose of ∂f/∂${toText(single)}: a column, shaped like ${toText(single)}.`;
  } else if (form === 'gradient' && single.shape.kind === 'matrix') {
    explanation = transposed
      ? `Numerator layout: the derivative with respect to ${toText(single)} is the transpose of the gradient.`
      : `The gradient has ${toText(single)}'s shape: entry (i, j) is ∂f/∂${toText(single)}ᵢⱼ.`;
  } else if (transposed) explanation = 'Denominator layout: the transpose of the numerator-layout Jacobian.';
  else explanation = 'The result, simplified.';
  const lhs = part.columns
    ? {
        latex: `\\frac{\\partial ${toLatex(part.columns.output)}}{\\partial ${toLatex(part.columns.input)}}`,
        text: `∂${toText(part.columns.output)}/∂${toText(part.columns.input)}`,
      }
    : d.op === 'hessian' && part.by
      ? {
          latex: `\\nabla^2_{${toLatex(v[0])},${toLatex(part.by)}} ${fLabel.latex}`,
          text: `∇²_${toText(v[0])},${toText(part.by)} ${fLabel.text}`,
        }
      : d.op === 'hessian'
        ? { latex: `\\nabla^2 ${fLabel.latex}`, text: `∇²${fLabel.text}` }
        : partialOf(fLabel, v, form === 'gradient' ? 'gradient' : 'jacobian');
  const stacked = !single
    ? {
        latex: ` = \\begin{bmatrix} ${v.map((x) => partialOf(fLabel, [x], 'jacobian').latex).join(' \\\\ ')} \\end{bmatrix}`,
        text: ` = [${v.map((x) => partialOf(fLabel, [x], 'jacobian').text).join(', ')}]`,
      }
    : { latex: '', text: '' };
  const s = shown(value);
  return {
    rule: 'result',
    latex: `${lhs.latex}${stacked.latex} = ${s.latex}`,
    text: `${lhs.text}${stacked.text} = ${s.text}`,
    explanation,
    key: true,
    depth: 0,
    ...(d.op === 'hessian' ? {} : { claim: { target: f, wrt: v, value, form, transposed } }),
  };
}

function sameClaim(a: Claim, b: Claim): boolean {
  return (
    key(a.value) === key(b.value) &&
    a.form === b.form &&
    !!a.transposed === !!b.transposed &&
    a.wrt.length === b.wrt.length
  );
}

/** The public form: plain strings, ready for JSON and the panel. */
export function steps(d: Derivation): Step[] {
  requireExplainable(d.parts.map((p) => p.expr));
  return derivationSteps(d).steps.map(({ rule, latex, text, explanation, key: isKey, depth }) => ({
    rule,
    latex,
    text,
    explanation,
    key: isKey,
    depth,
  }));
}
