/**
 * How a stage reads: labels (f, z, ∂f/∂x, ∇ₓf, d𝐠), values shown as the notes
 * write them, and each local rule in words.
 */
import type { StepRule } from '../api';
import { type Expr, type Sym, isScalar } from '../expr';
import { elementwise } from '../functions';
import { present } from '../present';
import { toLatex, toText } from '../print';
import { isElementwise } from '../simplify';
import { nameTable } from '../table';
import type { ClaimForm } from './records';

export interface Label {
  readonly latex: string;
  readonly text: string;
  /** A single name (f, z, 𝐠) rather than an expression. */
  readonly atom: boolean;
}

export function nameLabel(s: Sym): Label {
  return { latex: toLatex(s), text: toText(s), atom: true };
}

export function exprLabel(e: Expr): Label {
  return { latex: toLatex(e), text: toText(e), atom: false };
}

export function partialOf(l: Label, wrt: readonly Sym[], form: ClaimForm): { latex: string; text: string } {
  if (wrt.length > 1 && l.atom) {
    return form === 'gradient'
      ? { latex: `\\nabla ${l.latex}`, text: `∇${l.text}` }
      : { latex: `J_{${l.latex}}`, text: `J_${l.text}` };
  }
  const x = wrt.map((v) => toLatex(v)).join(', ');
  const xt = wrt.map((v) => toText(v)).join(', ');
  switch (form) {
    case 'jacobian':
      return l.atom
        ? { latex: `\\frac{\\partial ${l.latex}}{\\partial ${x}}`, text: `∂${l.text}/∂${xt}` }
        : {
            latex: `\\frac{\\partial}{\\partial ${x}}\\left(${l.latex}\\right)`,
            text: `∂(${l.text})/∂${xt}`,
          };
    case 'gradient':
      return l.atom
        ? { latex: `\\nabla_{${x}} ${l.latex}`, text: `∇_${xt} ${l.text}` }
        : { latex: `\\nabla_{${x}}\\left(${l.latex}\\right)`, text: `∇_${xt}(${l.text})` };
    case 'differential':
      return l.atom
        ? { latex: `\\mathrm{d}${l.latex}`, text: `d${l.text}` }
        : { latex: `\\mathrm{d}\\left(${l.latex}\\right)`, text: `d(${l.text})` };
  }
}

/** A value as the notes would write it (common factors pulled out, softmax named). */
export function shown(e: Expr): { latex: string; text: string } {
  const p = present(e);
  const where = p.definitions.map((d) => ({
    latex: `${toLatex(d.symbol)} = ${toLatex(d.value)}`,
    text: `${toText(d.symbol)} = ${toText(d.value)}`,
  }));
  return {
    latex: toLatex(p.expr) + (where.length ? `,\\quad ${where.map((w) => w.latex).join(',\\ ')}` : ''),
    text: toText(p.expr) + (where.length ? `, where ${where.map((w) => w.text).join(', ')}` : ''),
  };
}

/** The structural functions' rules in words; the element-wise ones are in functions.ts. */
const FN_RULE: Partial<Record<string, string>> = nameTable({
  softmax: '∂sᵢ/∂xⱼ = sᵢ(δᵢⱼ − sⱼ), so the Jacobian is diag(s) − s sᵀ',
  logsoftmax: 'd logsoftmax(u) = du − 𝟏 softmax(u)ᵀ du',
  logsumexp: 'd logsumexp(u) = softmax(u)ᵀ du',
  norm2: 'd‖u‖ = uᵀdu / ‖u‖, for u ≠ 0',
  norm1: 'd‖u‖₁ = sign(u)ᵀ du',
  normF: 'd‖X‖_F = tr(Xᵀ dX) / ‖X‖_F',
  tr: 'the trace is linear: d tr(A) = tr(dA)',
  det: "Jacobi's formula: d det A = det A · tr(A⁻¹ dA)",
  logdet: 'd log det A = tr(A⁻¹ dA)',
  sum: 'd sum(u) = 𝟏ᵀ du',
  diag: 'diag is linear: d diag(u) = diag(du)',
});

export function ruleOf(e: Expr): StepRule {
  if (e.type === 'pow') return 'power';
  if (e.type === 'fn' && (e.name === 'max' || e.name === 'min')) return 'piecewise';
  if (e.type === 'fn' && isElementwise(e.name)) return 'elementwise';
  return 'matrix-identity';
}

export function localExplanation(e: Expr, shownE: Expr): string {
  if (e.type === 'pow') {
    if (e.base.type === 'fn' && e.base.name === 'norm2') return `Squared norm: d‖g‖² = 2gᵀdg.`;
    return `Power rule: (uⁿ)′ = n uⁿ⁻¹, here n = ${toText(e.exp)}.`;
  }
  if (e.type === 'fn') {
    if (e.name === 'max' || e.name === 'min') {
      return `${toText(shownE)} follows whichever argument is ${e.name === 'max' ? 'larger' : 'smaller'}, so its slope is piecewise (the notes take the left branch at the tie).`;
    }
    const rule = elementwise(e.name)?.rule ?? FN_RULE[e.name];
    const each =
      isElementwise(e.name) && !isScalar(e) ? ', applied element by element (a diagonal Jacobian)' : '';
    if (rule) return `Derivative of ${e.name}: ${rule}${each}.`;
    return `Derivative of ${e.name}${each}.`;
  }
  return 'Matrix differential of this operation.';
}

export function wrapLatex(s: string, e: Expr): string {
  return e.type === 'add' ? `\\left(${s}\\right)` : s;
}

export function wrapText(s: string, e: Expr): string {
  return e.type === 'add' ? `(${s})` : s;
}
