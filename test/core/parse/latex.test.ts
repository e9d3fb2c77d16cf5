import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  findLatexDeclarations,
  parseLatex,
  parseLatexDeclaration,
  parseLatexDeclarations,
  stripMathDelimiters,
} from '../../../src/core/parse/latex';
import { LensError } from '../../../src/core/errors';
import { MAX_INPUT_LENGTH } from '../../../src/core/limits';
import type { Syntax } from '../../../src/core/parse/syntax';

/**
 * Compact tree printer: `(* 3 (^ x 2) y)`. Implicit products print as `*`,
 * explicit `*`/`\times` as `×`; chains of one associative operator are flattened.
 * Bold names end in `:b`, blackboard in `:bb`.
 */
function sexp(n: Syntax): string {
  switch (n.type) {
    case 'number':
      return n.text;
    case 'ident':
      return n.name + (n.style === 'bold' ? ':b' : n.style === 'blackboard' ? ':bb' : '');
    case 'binary': {
      const parts: string[] = [];
      const flatten = (m: Syntax): void => {
        if (m.type === 'binary' && m.op === n.op && ['implicit', '+', '*', 'cdot'].includes(n.op)) {
          flatten(m.left);
          parts.push(sexp(m.right));
        } else parts.push(sexp(m));
      };
      flatten(n.left);
      parts.push(sexp(n.right));
      const op = n.op === 'implicit' ? '*' : n.op === '*' ? '×' : n.op;
      return `(${op} ${parts.join(' ')})`;
    }
    case 'neg':
      return `(- ${sexp(n.arg)})`;
    case 'call':
      return `(${n.fn} ${n.args.map(sexp).join(' ')})`;
    case 'apply':
      return `(@${n.name}${n.style === 'bold' ? ':b' : n.style === 'word' ? ':w' : ''}${"'".repeat(n.primes)} ${n.args.map(sexp).join(' ')})`;
    case 'transpose':
      return `(T ${sexp(n.arg)})`;
    case 'norm':
      return `(norm${n.p} ${sexp(n.arg)})`;
    case 'inner':
      return `(inner ${sexp(n.left)} ${sexp(n.right)})`;
    case 'matrix':
      return `[${n.rows.map((r) => r.map(sexp).join(' ')).join('; ')}]`;
    case 'derivative':
      return `(${n.notation}${n.wrt.length === 0 && n.order > 1 ? `^${n.order}` : ''} ${sexp(n.of)}${n.wrt.map((v) => ` /${sexp(v)}`).join('')})`;
    case 'sum':
      return `(sum ${n.index} ${n.from ? sexp(n.from) : '_'} ${n.to ? sexp(n.to) : '_'} ${sexp(n.body)})`;
  }
}

const tree = (input: string): string => sexp(parseLatex(input).body);

function table(rows: readonly (readonly [string, string])[]): void {
  for (const [input, expected] of rows) {
    test(input, () => assert.equal(tree(input), expected));
  }
}

function errorOf(input: string, parse: (s: string) => unknown = parseLatex): string {
  try {
    parse(input);
  } catch (e) {
    assert.ok(e instanceof LensError, `not a LensError: ${String(e)}`);
    return e.message;
  }
  return assert.fail(`no error for ${input}`);
}

describe('arithmetic and implicit multiplication', () => {
  table([
    ['a + b - c', '(- (+ a b) c)'],
    ['a \\cdot b', '(cdot a b)'],
    ['a \\times b', '(× a b)'],
    ['a * b', '(× a b)'],
    ['a / b / c', '(/ (/ a b) c)'],
    ['a \\div b', '(/ a b)'],
    ['3x^2y', '(* 3 (^ x 2) y)'],
    ['2\\pi r', '(* 2 pi r)'],
    ['xy', '(* x y)'],
    ['-x^2', '(- (^ x 2))'],
    ['--x', '(- (- x))'],
    ['+x', 'x'],
    ['a \\cdot -b', '(cdot a (- b))'],
    ['a - -b', '(- a (- b))'],
    ['3', '3'],
    ['2.5', '2.5'],
    ['.5x', '(* .5 x)'],
    ['x(y + z)', '(* x (+ y z))'],
    ['(a)(b)', '(* a b)'],
    ['{(z - w)}^2', '(^ (- z w) 2)'],
  ]);
});

describe('scripts and names', () => {
  table([
    ['x_1', 'x_1'],
    ['x_{12}', 'x_12'],
    ['w_{ij}', 'w_ij'],
    ['x_{t+1}', 'x_t+1'],
    ['x_\\alpha', 'x_alpha'],
    ['x_{\\text{in}}', 'x_in'],
    ['x^2_1', '(^ x_1 2)'],
    ['x_1^2', '(^ x_1 2)'],
    // TeX takes one token as a script: x^23 is x²·3, x_12 is x₁·2.
    ['x^23', '(* (^ x 2) 3)'],
    ['x_12', '(* x_1 2)'],
    ['x^{23}', '(^ x 23)'],
    ['x^-1', '(^ x (- 1))'],
    ['x^{-1}', '(^ x (- 1))'],
    ['x^\\alpha', '(^ x alpha)'],
    ['\\theta', 'theta'],
    ['\\varepsilon', 'epsilon'],
    ['\\vartheta', 'theta'],
    ['\\Omega', 'Omega'],
    ['\\pi', 'pi'],
    ['\\mathbf{x}', 'x:b'],
    ['\\boldsymbol{x}', 'x:b'],
    ['\\boldsymbol{\\theta}', 'theta:b'],
    ['\\bm{x}', 'x:b'],
    ['\\vec{x}', 'x:b'],
    ['\\vec x', 'x:b'],
    ['\\textbf{x}', 'x:b'],
    ['\\mathbf{1}', '1:b'],
    ['\\vec 1', '1:b'],
    ['\\overrightarrow{1}', '1:b'],
    ['\\overrightarrow{{1}}', '1:b'],
    ['\\overrightarrow{\\mathbf{1}}', '1:b'],
    ['\\mathbf{0}', '0:b'],
    ['\\overrightarrow{0}', '0:b'],
    ['\\mathbb{1}', '1:bb'],
    ['\\mathbf{x}_i', 'x_i:b'],
    ['\\mathbf{x}_{12}', 'x_12:b'],
    ['1_K', '1_K:b'],
    ['\\hat{z}', 'z_hat'],
    ['\\mathrm{x}', 'x'],
    ['\\mathsf{T}', 'T'],
    ['α + θ', '(+ alpha theta)'],
  ]);
});

describe('transpose', () => {
  table([
    ['x^\\top', '(T x)'],
    ['x^T', '(T x)'],
    ['x^{T}', '(T x)'],
    ['x^{\\top}', '(T x)'],
    ['x^{\\mathsf T}', '(T x)'],
    ['x^\\mathsf{T}', '(T x)'],
    ['x^{\\mathsf{T}}', '(T x)'],
    ['x^{\\intercal}', '(T x)'],
    ['x^\\intercal', '(T x)'],
    // A prime on a plain name: the derivative when the name is defined, else a transpose (the elaborator decides).
    ["x'", '(prime x)'],
    ["\\mathbf{A}'\\mathbf{x}", '(* (T A:b) x:b)'],
    ['X^{-1}', '(^ X (- 1))'],
    ['A^{-T}', '(T (^ A (- 1)))'],
    ['x_1^\\top', '(T x_1)'],
    ['x^\\top_1', '(T x_1)'],
    ['\\mathbf{x}_i^T', '(T x_i:b)'],
    ['(A B)^T', '(T (* A B))'],
    ['\\mathbf{x}^T \\mathbf{A} \\mathbf{x}', '(* (T x:b) A:b x:b)'],
  ]);
});

describe('derivative notation', () => {
  table([
    ['\\frac{\\partial}{\\partial x} E', '(partial E /x)'],
    ['\\frac{\\partial E}{\\partial x}', '(partial E /x)'],
    ['\\frac{d}{dx}E', '(total E /x)'],
    ['\\frac{dE}{dx}', '(total E /x)'],
    ['\\frac{d y}{d x }', '(total y /x)'],
    ['\\frac{\\mathrm{d}}{\\mathrm{d}x} E', '(total E /x)'],
    ['\\frac{\\text{d} y}{\\mathrm d t}', '(total y /t)'],
    ['\\dfrac{\\partial}{\\partial x} E', '(partial E /x)'],
    ['\\tfrac{\\partial E}{\\partial x}', '(partial E /x)'],
    ['\\partial E / \\partial x', '(partial E /x)'],
    ['\\partial^2 f/\\partial x^2', '(partial f /x /x)'],
    ['\\partial_x E', '(partial E /x)'],
    ['\\partial_{\\mathbf{w}} L', '(partial L /w:b)'],
    ['\\frac{\\partial^2 f}{\\partial x \\partial y}', '(partial f /x /y)'],
    ['\\frac{\\partial^2 f}{\\partial x^2}', '(partial f /x /x)'],
    ['\\frac{d^2 y}{dx^{2}}', '(total y /x /x)'],
    ['\\frac{\\partial f}{\\partial x_{ij}}', '(partial f /x_ij)'],
    ['\\frac{\\partial \\mathbf{y}}{\\partial \\mathbf{x}}', '(partial y:b /x:b)'],
    ['\\frac{\\partial L}{\\partial W}', '(partial L /W)'],
    ['\\frac{\\partial L}{\\partial W^{[l]}}', '(partial L /W_[l])'],
    ['\\frac{\\partial y^T z}{\\partial x}', '(partial (* (T y) z) /x)'],
    ['\\frac{\\partial(x_i + z)}{\\partial z}', '(partial (+ x_i z) /z)'],
    ['\\nabla E', '(nabla E)'],
    ['\\nabla_{\\mathbf{x}} E', '(nabla E /x:b)'],
    ['\\nabla_x^2 E', '(nabla E /x /x)'],
    ['\\nabla^2_x E', '(nabla E /x /x)'],
    ['\\nabla^2 E', '(nabla^2 E)'],
    ['\\triangledown f', '(nabla f)'],
    ['∇f', '(nabla f)'],
    ['-\\triangledown f', '(- (nabla f))'],
    ['\\mathbf{J}_f', '(jacobian f)'],
    ['J_{\\mathbf{x}}', '(jacobian x:b)'],
    ['J^T_f', '(T (jacobian f))'],
    ['J_1 + J_{ij}', '(+ J_1 J_ij)'],
    // D before an operand is the operator (the elaborator reads it as a product where D is a name).
    ['D E', '(D E)'],
    ['D\\mathbf{x}', '(D x:b)'],
    ['D \\mathbf{A}\\mathbf{x} + \\mathbf{y}', '(+ (D (* A:b x:b)) y:b)'],
    ['D(x + y)', '(* D (+ x y))'],
    ['D^{-1} x', '(* (^ D (- 1)) x)'],
    ['\\nabla_{x,y} E', '(nabla E /x /y)'],
    ['\\nabla_{\\mathbf{x}, \\mathbf{y}} E', '(nabla E /x:b /y:b)'],
    ['\\nabla_{x} E', '(nabla E /x)'],
    ['J_f(\\mathbf{x})', '(jacobian (@f x:b))'],
    ['J_f(x, y)^T', '(T (jacobian (@f x y)))'],
    ['D_{\\mathbf{x}} E', '(D E /x:b)'],
    ['Df(x)', '(D (@f x))'],
    ['Df(x)(z-x)', '(* (D (@f x)) (- z x))'],
    ["y'", '(prime y)'],
    ["y''", '(prime^2 y)'],
    // \dot{x} is a name (a velocity), not a derivative: nothing says by what.
    ['\\dot{x} + \\ddot{x}', '(+ x_dot x_ddot)'],
    ['\\frac{d}{2}', '(/ d 2)'],
    ['\\frac{\\partial {f} }{\\partial {x_j} }', '(partial f /x_j)'],
    ['\\frac{\\partial f}{\\partial {\\mathbf{x}}}', '(partial f /x:b)'],
  ]);

  test('a prefix operator takes the term after it, up to + or − at the same level', () => {
    assert.equal(tree('\\frac{\\partial}{\\partial x} x^2 + y'), '(+ (partial (^ x 2) /x) y)');
    assert.equal(tree('\\frac{d}{dx} x \\sin x - 1'), '(- (total (* x (sin x)) /x) 1)');
    assert.equal(tree('2\\frac{d}{dx} x^3'), '(* 2 (total (^ x 3) /x))');
    assert.equal(tree('\\frac{d}{dx} -x'), '(total (- x) /x)');
    assert.equal(
      tree('\\nabla_{\\mathbf{x}} \\mathbf{x}^\\top\\mathbf{x} = 2\\mathbf{x}'),
      '(nabla (* (T x:b) x:b) /x:b)',
    );
  });

  test("the order: y'' has two primes, \\nabla^2 says 2", () => {
    const order = (input: string) => {
      const b = parseLatex(input).body;
      return b.type === 'derivative' ? b.order : 0;
    };
    assert.equal(order("y''"), 2);
    assert.equal(order('\\nabla^2 f'), 2);
    assert.equal(order('\\frac{\\partial^3 f}{\\partial x^2 \\partial y}'), 3);
  });
});

describe('fractions, roots, brackets', () => {
  table([
    ['\\frac{a}{b}', '(/ a b)'],
    ['\\dfrac{a}{b}', '(/ a b)'],
    ['\\tfrac{a}{b}', '(/ a b)'],
    ['\\frac12', '(/ 1 2)'],
    ['\\frac 1 2', '(/ 1 2)'],
    ['\\frac{\\pi}2', '(/ pi 2)'],
    ['\\frac{1}{2}x', '(* (/ 1 2) x)'],
    ['\\sqrt{x}', '(sqrt x)'],
    ['\\sqrt x', '(sqrt x)'],
    ['\\sqrt2x', '(* (sqrt 2) x)'],
    ['\\sqrt[n]{x}', '(root x n)'],
    ['\\sqrt[3]{x + 1}', '(root (+ x 1) 3)'],
    ['\\left( x + 1 \\right)^2', '(^ (+ x 1) 2)'],
    ['\\left[ x \\right]', 'x'],
    ['\\left\\{ x \\right\\}', 'x'],
    ['[x + 1]', '(+ x 1)'],
    ['\\big( x \\big)', 'x'],
    ['\\Big( x \\Big)', 'x'],
    ['\\bigg( x \\bigg)', 'x'],
    ['\\Bigg( x \\Bigg)', 'x'],
    ['\\bigl( x \\bigr)', 'x'],
    ['\\Bigl[ x \\Bigr]', 'x'],
    ['(x_1, x_2)', '[x_1; x_2]'],
    ['[2, 8y^7]', '[2; (* 8 (^ y 7))]'],
  ]);
});

describe('absolute values, norms, inner products, element-wise operators', () => {
  table([
    ['|x|', '(abs x)'],
    ['|x| |y|', '(* (abs x) (abs y))'],
    ['|x - |y||', '(abs (- x (abs y)))'],
    ['\\lvert x\\rvert', '(abs x)'],
    ['\\left| x \\right|', '(abs x)'],
    ['\\vert x \\vert', '(abs x)'],
    ['\\|x\\|', '(norm2 x)'],
    ['\\Vert x\\Vert', '(norm2 x)'],
    ['\\lVert x \\rVert', '(norm2 x)'],
    ['\\left\\| x \\right\\|', '(norm2 x)'],
    ['\\|x\\|_2', '(norm2 x)'],
    ['\\|x\\|_1', '(norm1 x)'],
    ['\\|X\\|_F', '(normF X)'],
    ['\\|x\\|_\\infty', '(norminf x)'],
    ['\\|x\\|_{\\infty}', '(norminf x)'],
    ['\\left\\| x \\right\\|_1', '(norm1 x)'],
    ['\\|x\\|^2', '(^ (norm2 x) 2)'],
    ['\\|x\\|_2^2', '(^ (norm2 x) 2)'],
    ['\\|x\\|^2_2', '(^ (norm2 x) 2)'],
    ['\\|\\mathbf{x}\\|_2', '(norm2 x:b)'],
    ['\\langle u, v \\rangle', '(inner u v)'],
    ['\\left\\langle u, v \\right\\rangle', '(inner u v)'],
    ['a \\odot b', '(odot a b)'],
    ['a \\circ b', '(odot a b)'],
    ['a \\oslash b', '(oslash a b)'],
  ]);
});

describe('functions', () => {
  table([
    ['\\exp(x)', '(exp x)'],
    ['\\exp x', '(exp x)'],
    ['e^{x}', '(exp x)'],
    ['e^x', '(exp x)'],
    ['\\mathrm{e}^{x}', '(exp x)'],
    ['e', 'e'],
    ['\\ln x', '(ln x)'],
    ['\\ln x + 1', '(+ (ln x) 1)'],
    ['\\log x', '(ln x)'],
    ['\\log(x)', '(ln x)'],
    ['\\log_2 x', '(log2 x)'],
    ['\\log_{10}(x)', '(log10 x)'],
    ['\\log_e x', '(ln x)'],
    ['\\log_b x', '(log x b)'],
    ['\\sin^2(x)', '(^ (sin x) 2)'],
    ['\\sin^2 x', '(^ (sin x) 2)'],
    ['\\sin(x)^2', '(^ (sin x) 2)'],
    ['\\sin x', '(sin x)'],
    ['\\sin x \\cos y', '(* (sin x) (cos y))'],
    ['\\sin 3x', '(sin (* 3 x))'],
    ['\\sin x^2', '(sin (^ x 2))'],
    ['\\sin x \\cdot y', '(cdot (sin x) y)'],
    ['\\sin \\sin x', '(sin (sin x))'],
    ['\\sin{x}', '(sin x)'],
    ['\\sin -x', '(sin (- x))'],
    ['\\tan x', '(tan x)'],
    ['\\arcsin x', '(arcsin x)'],
    ['\\arccos x', '(arccos x)'],
    ['\\arctan x', '(arctan x)'],
    ['\\sin^{-1} x', '(arcsin x)'],
    ['\\cos^{-1}(x)', '(arccos x)'],
    ['\\tanh^{-1} x', '(artanh x)'],
    ['\\sinh x', '(sinh x)'],
    ['\\cosh x', '(cosh x)'],
    ['\\tanh(x)', '(tanh x)'],
    ['\\max(a, b)', '(max a b)'],
    ['\\min(a, b, c)', '(min a b c)'],
    ['\\max \\left(0, z\\right)', '(max 0 z)'],
    ['\\sigma(x)', '(sigma x)'],
    ['\\sigma', 'sigma'],
    ['\\sigma x', '(* sigma x)'],
    ['\\operatorname{name}(x)', '(@name:w x)'],
    ['\\operatorname{ReLU}(x)', '(relu x)'],
    ['\\operatorname{tr}(X)', '(tr X)'],
    ['\\operatorname{tr} X', '(tr X)'],
    ['\\operatorname{diag}(x)', '(diag x)'],
    ['\\operatorname{logsumexp}(x)', '(logsumexp x)'],
    ['\\operatorname{softmax}(\\mathbf{x})', '(softmax x:b)'],
    ['\\operatorname*{argmax}(x)', '(argmax x)'],
    ['\\mathrm{softmax}(x)', '(softmax x)'],
    ['\\text{diag}(x)', '(diag x)'],
    ['\\text{sigmoid}(x)', '(sigma x)'],
    ['softmax(x)', '(softmax x)'],
    ['max(0, z)', '(max 0 z)'],
    ['sum(x)', '(sum x)'],
    ['diag(x)', '(diag x)'],
    ['tr(X)', '(tr X)'],
    ['sin(x^2)', '(sin (^ x 2))'],
    ['x sin(x)', '(* x (sin x))'],
    ['\\det(X)', '(det X)'],
    ['\\det X', '(det X)'],
    ['\\log\\det X', '(logdet X)'],
    ['\\log \\det(X)', '(logdet X)'],
    ['\\log|x|', '(ln (abs x))'],
    ['\\log \\left| x \\right|', '(ln (abs x))'],
    ['\\exp(x)^T', '(T (exp x))'],
  ]);
});

describe('abstract functions: a name applied like a function', () => {
  table([
    ['f(x)', '(@f x)'],
    ['g(y)', '(@g y)'],
    ['f(g(x))', '(@f (@g x))'],
    ['h(x, y)', '(@h x y)'],
    ['F(x)', '(@F x)'],
    ['f_1(x)', '(@f_1 x)'],
    ['\\phi(x)', '(@phi x)'],
    ['\\ell(y, \\hat{y})', '(@ell y y_hat)'],
    ['\\mathbf{f}(\\mathbf{x})', '(@f:b x:b)'],
    ['\\operatorname{target}(\\mathbf{x})', '(@target:w x:b)'],
    ['u(\\mathbf{w}, b, \\mathbf{x})', '(@u w:b b x:b)'],
    // applied to several arguments elsewhere, so u(z) is an application too
    ['u(x, y) + u(z)', '(+ (@u x y) (@u z))'],
    ["f'(x)", "(@f' x)"],
    ["f''(x)", "(@f'' x)"],
    ['f\u2032(x)', "(@f' x)"],
    ["y'(t) + y(t)", "(+ (@y' t) (@y t))"],
    ['f\\left(x\\right)', '(@f x)'],
    ['f(x)^2', '(^ (@f x) 2)'],
    ['\\mathbf{f}(\\mathbf{x})^\\top', '(T (@f:b x:b))'],
    // products stay products
    ['x(1 - x)', '(* x (- 1 x))'],
    ['a(b + c)', '(* a (+ b c))'],
    ['t (x, y)', '(* t [x; y])'],
    ['\\sigma(z)', '(sigma z)'],
    ["\\mathbf{x}'(\\mathbf{a} + \\mathbf{b})", '(* (T x:b) (+ a:b b:b))'],
    ['\\operatorname*{argmax}(x)', '(argmax x)'],
    // a layer or sample index keeps its bracket
    ['\\mathbf{x}^{(j)}', 'x_(j):b'],
    ['W^{[l]}', 'W_[l]'],
    ['x^{\\{i\\}}', 'x_{i}'],
  ]);
});

describe('sums', () => {
  table([
    ['\\sum_{i=1}^{n} e^{x_i}', '(sum i 1 n (exp x_i))'],
    ['\\sum_i w_i x_i', '(sum i _ _ (* w_i x_i))'],
    ['\\sum_i w_i x_i + b', '(+ (sum i _ _ (* w_i x_i)) b)'],
    ['\\sum_{i}^{k} x_i', '(sum i _ k x_i)'],
    ['\\sum_i^k x_i', '(sum i _ k x_i)'],
    ['\\sum^{n}_{i=1} x_i', '(sum i 1 n x_i)'],
    ['\\sum\\limits_{i=1}^n x_i', '(sum i 1 n x_i)'],
    ['\\displaystyle\\sum_{i=1}^n x_i', '(sum i 1 n x_i)'],
    ['\\sum_{i=1}^{n} (x_i - 1)^2 + 1', '(+ (sum i 1 n (^ (- x_i 1) 2)) 1)'],
    // Brackets do not end the body: the product after the sum is summed, as a person reads it.
    ['\\sum_i (a_i) b_i', '(sum i _ _ (* a_i b_i))'],
    ['\\sum_i \\sum_j w_{ij}', '(sum i _ _ (sum j _ _ w_ij))'],
    ['\\sum_{k=1}^K \\exp(x_k)', '(sum k 1 K (exp x_k))'],
    ['\\sum_i -x_i', '(sum i _ _ (- x_i))'],
  ]);
});

describe('matrices', () => {
  table([
    ['\\begin{bmatrix} a \\\\ b \\end{bmatrix}', '[a; b]'],
    ['\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}', '[a b; c d]'],
    ['\\begin{bmatrix} a \\\\ b \\\\ \\end{bmatrix}', '[a; b]'],
    ['\\begin{bmatrix} a \\\\\\\\ b \\end{bmatrix}', '[a; b]'],
    ['\\begin{pmatrix} a \\\\ b \\end{pmatrix}', '[a; b]'],
    ['\\begin{matrix} a & b \\end{matrix}', '[a b]'],
    ['\\begin{Bmatrix} a \\end{Bmatrix}', '[a]'],
    ['\\begin{array}{c} a \\\\ b \\end{array}', '[a; b]'],
    ['\\begin{array}{ll} a & b \\\\ c & d \\end{array}', '[a b; c d]'],
    ['\\left[\\begin{array}{c} a \\\\ b \\end{array}\\right]', '[a; b]'],
    ['\\begin {bmatrix} x_1\\\\ x_2\\\\ \\end {bmatrix}', '[x_1; x_2]'],
    ['\\begin{vmatrix} a & b \\\\ c & d \\end{vmatrix}', '(det [a b; c d])'],
    ['\\begin{bmatrix} \\ln(x^2) \\\\ \\sin(3x) \\end{bmatrix}', '[(ln (^ x 2)); (sin (* 3 x))]'],
    ['\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix} \\mathbf{x}', '(* [1 2; 3 4] x:b)'],
  ]);
});

describe('delimiters and spacing', () => {
  table([
    ['$x^2$', '(^ x 2)'],
    ['$$x^2$$', '(^ x 2)'],
    ['\\(x^2\\)', '(^ x 2)'],
    ['\\[x^2\\]', '(^ x 2)'],
    ['$x^2$.', '(^ x 2)'],
    ['$$ x^2, $$', '(^ x 2)'],
    ['\\begin{equation} x^2 \\end{equation}', '(^ x 2)'],
    ['\\begin{equation*} x^2 \\end{equation*}', '(^ x 2)'],
    ['$$\\begin{equation*}\n  x^2\n\\end{equation*}$$', '(^ x 2)'],
    ['\\begin{align} y &= x^2 \\end{align}', '(^ x 2)'],
    ['\\begin{align*} y &= x^2 \\\\ \\end{align*}', '(^ x 2)'],
    ['\\begin{gather} x^2 \\end{gather}', '(^ x 2)'],
    ['x \\, y \\; z \\! w \\quad v \\qquad u ~ t \\ s', '(* x y z w v u t s)'],
    ['\\left. x \\right.', 'x'],
    ['x^2 \\tag{8}', '(^ x 2)'],
    ['x^2 % comment', '(^ x 2)'],
    ['x · y × z − w', '(- (× (cdot x y) z) w)'],
  ]);
  test('stripMathDelimiters returns the inner range of the original input', () => {
    const input = '  $$ \\begin{equation} x \\end{equation} $$. ';
    const r = stripMathDelimiters(input);
    assert.equal(input.slice(r.start, r.end).trim(), 'x');
    assert.equal(r.multiline, false);
    assert.equal(stripMathDelimiters('\\begin{align*} a &= b \\end{align*}').multiline, true);
    assert.deepEqual(stripMathDelimiters('x \\right.'), { start: 0, end: 9, multiline: false });
    assert.deepEqual(stripMathDelimiters('a\\,'), { start: 0, end: 3, multiline: false });
  });
  test('spans are offsets into the original input', () => {
    const input = '$$ 3x^2 + \\sin(y) $$';
    const body = parseLatex(input).body;
    assert.equal(body.type, 'binary');
    if (body.type !== 'binary') return;
    assert.equal(input.slice(body.span.start, body.span.end), '3x^2 + \\sin(y)');
    assert.equal(input.slice(body.right.span.start, body.right.span.end), '\\sin(y)');
    const p = parseLatex('$f(\\mathbf{x}, y) = y$').params ?? [];
    assert.deepEqual(
      p.map((q) => q.span),
      [
        { start: 3, end: 13 },
        { start: 15, end: 16 },
      ],
    );
  });
});

describe('definitions', () => {
  const def = (input: string): string => {
    const p = parseLatex(input);
    const params = p.params?.map((q) => q.name + (q.style === 'bold' ? ':b' : '')).join(', ');
    return p.params ? `${p.functionName}(${params}) = ${sexp(p.body)}` : sexp(p.body);
  };
  const rows: [string, string][] = [
    ['f(x, y) = 3x^2y', 'f(x, y) = (* 3 (^ x 2) y)'],
    ['f(\\mathbf{x}) = \\mathbf{x}^T\\mathbf{x}', 'f(x:b) = (* (T x:b) x:b)'],
    ['\\text{logistic}(x) = \\frac{1}{1 + e^{-x}}', 'logistic(x) = (/ 1 (+ 1 (exp (- x))))'],
    [
      'activation(\\mathbf{x}) = max(0, \\mathbf{w} \\cdot \\mathbf{x} + b)',
      'activation(x:b) = (max 0 (+ (cdot w:b x:b) b))',
    ],
    ['f_i(\\mathbf{x}) = x_i', 'f_i(x:b) = x_i'],
    ['f\\left(x\\right) = x', 'f(x) = x'],
    ['C(\\mathbf{w}, b, X, \\mathbf{y}) = b', 'C(w:b, b, X, y:b) = b'],
    ['f(x) := x^2', 'f(x) = (^ x 2)'],
    ['y = x^2', '(^ x 2)'],
    ['\\mathbf{y} = \\mathbf{A}\\mathbf{x}', '(* A:b x:b)'],
    ['\\hat{z} = softmax(x)', '(softmax x)'],
    ['J = \\begin{bmatrix} a & b \\end{bmatrix}', '[a b]'],
    // A chain restates the function: the first right side is it.
    ['f(x)=softmax(x)=\\begin{bmatrix} a \\end{bmatrix}', 'f(x) = (softmax x)'],
    ['z_k = \\text{softmax}(x_k) = \\frac{\\exp(x_k)}{\\sum_{i=1}^K \\exp(x_i)}', '(softmax x_k)'],
    // A continuation line of a derivation.
    ['= \\frac{1}{2}x', '(* (/ 1 2) x)'],
  ];
  for (const [input, expected] of rows) test(input, () => assert.equal(def(input), expected));
  test('a bare name on the left is ignored; no params', () => {
    const p = parseLatex('y = x');
    assert.equal(p.params, undefined);
    assert.equal(p.functionName, undefined);
  });
});

describe('seed expressions', () => {
  table([
    ['f(x, y) = 3x^2y', '(* 3 (^ x 2) y)'],
    ['3x_1^2 + 5e^{x_2}', '(+ (* 3 (^ x_1 2)) (* 5 (exp x_2)))'],
    ['\\frac{1}{1 + e^{-x}}', '(/ 1 (+ 1 (exp (- x))))'],
    ['\\max(0, \\mathbf{w} \\cdot \\mathbf{x} + b)', '(max 0 (+ (cdot w:b x:b) b))'],
    ['\\frac{\\exp(x)}{1_K^T \\exp(x)}', '(/ (exp x) (* (T 1_K:b) (exp x)))'],
    ['\\operatorname{diag}(\\mathbf{s}) - \\mathbf{s}\\mathbf{s}^\\top', '(- (diag s:b) (* s:b (T s:b)))'],
    ['\\begin{bmatrix} \\ln(x^2) \\\\ \\sin(3x) \\end{bmatrix}', '[(ln (^ x 2)); (sin (* 3 x))]'],
    ['\\|\\mathbf{x}\\|_2', '(norm2 x:b)'],
    ['\\mathbf{x}^T \\mathbf{A} \\mathbf{x}', '(* (T x:b) A:b x:b)'],
    [
      '\\frac{1}{N} \\sum_{i=1}^{N}(y_i - \\max(0, \\mathbf{w} \\cdot \\mathbf{x}_i + b))^2',
      '(* (/ 1 N) (sum i 1 N (^ (- y_i (max 0 (+ (cdot w:b x_i:b) b))) 2)))',
    ],
    [
      '\\frac{1}{N} \\sum_{i=1}^{N}\\left(y_{i}-\\max \\left(0, \\mathbf{w} \\cdot \\mathbf{x}_{i}+b\\right)\\right)^{2}',
      '(* (/ 1 N) (sum i 1 N (^ (- y_i (max 0 (+ (cdot w:b x_i:b) b))) 2)))',
    ],
    [
      '\\frac{1}{N} \\sum_{\\mathbf{x}}\\left(\\operatorname{target}(\\mathbf{x})-\\max \\left(0, \\sum_{i}^{|x|} w_{i} x_{i}+b\\right)\\right)^{2}',
      '(* (/ 1 N) (sum x _ _ (^ (- (@target:w x:b) (max 0 (+ (sum i _ (abs x) (* w_i x_i)) b))) 2)))',
    ],
    ['z(\\textbf{x}) = \\sum_i^n w_i x_i + b', '(+ (sum i _ n (* w_i x_i)) b)'],
    ['g(x, y) = 2 x + y^8', '(+ (* 2 x) (^ y 8))'],
    ['\\mathbf{g}(z)=\\overrightarrow{1} z', '(* 1:b z)'],
    ['y = sum(\\mathbf{x})', '(sum x:b)'],
    ['y = \\frac{1}{2} {(z-\\hat{z})}^2', '(* (/ 1 2) (^ (- z z_hat) 2))'],
    ['\\mathbf{x}^T(\\mathbf{A}^T + \\mathbf{A})', '(* (T x:b) (+ (T A:b) A:b))'],
    ['\\langle\\mathbf{u},\\mathbf{v}\\rangle=\\mathbf{u}^T\\mathbf{v}', '(inner u:b v:b)'],
    ['f(\\mathbf{x}) = 3x_1^2 + 5e^{x_2}', '(+ (* 3 (^ x_1 2)) (* 5 (exp x_2)))'],
    ['f(\\mathbf{x}) = \\|\\mathbf{x}\\|_2', '(norm2 x:b)'],
    ['y=\\|\\mathbf{x}\\|^2', '(^ (norm2 x:b) 2)'],
    ['f(\\mathbf{x})=\\sqrt{y}', '(sqrt y)'],
    ['\\text{diag}(\\sigma(x)) \\odot (1 - \\sigma(x))', '(odot (diag (sigma x)) (- 1 (sigma x)))'],
    [
      '= \\text{diag}(\\text{softmax}(x)) - \\text{softmax}(x) \\cdot \\text{softmax}(x)^T',
      '(- (diag (softmax x)) (cdot (softmax x) (T (softmax x))))',
    ],
    [
      '\\frac{\\text{diag}(\\exp(x))}{1_K^T \\exp(x)} - \\frac{1}{(1_K^T \\exp(x))^2} \\exp(x) \\exp(x)^T',
      '(- (/ (diag (exp x)) (* (T 1_K:b) (exp x))) (* (/ 1 (^ (* (T 1_K:b) (exp x)) 2)) (exp x) (T (exp x))))',
    ],
    [
      'f(x) = 4(2 x_1 + 4 x_2 +7x_3)+3(3 x_1 +5 x_2 +  4 x_3)',
      '(+ (* 4 (+ (* 2 x_1) (* 4 x_2) (* 7 x_3))) (* 3 (+ (* 3 x_1) (* 5 x_2) (* 4 x_3))))',
    ],
    [
      '\\left[\\begin{array}{l}\n\\ln \\left(x^{2}\\right) \\\\\n\\sin (3 x)\n\\end{array}\\right]',
      '[(ln (^ x 2)); (sin (* 3 x))]',
    ],
    [
      '\\left[\\begin{array}{cc}\n6 y x & 3 x^{2} \\\\\n2 & 8 y^{7}\n\\end{array}\\right]',
      '[(* 6 y x) (* 3 (^ x 2)); 2 (* 8 (^ y 7))]',
    ],
    ['\\mathbf{w} \\cdot \\mathbf{x}_{i}+b-y_{i}', '(- (+ (cdot w:b x_i:b) b) y_i)'],
    ['max(\\textbf{w}, \\textbf{x})', '(max w:b x:b)'],
    ['y = sin(x^2)', '(sin (^ x 2))'],
  ]);
});

describe('errors name the problem and the column of the original input', () => {
  const rows: [string, string][] = [
    ['', 'empty expression at column 1'],
    ['$$  $$', 'empty expression at column 5'],
    ['\\frac{1}{2', 'expected } to close \\frac, found end of input at column 11'],
    ['\\frac{1}', '\\frac needs two arguments at column 9'],
    ['\\frac', '\\frac needs two arguments at column 6'],
    ['\\frac{}{x}', 'empty argument of \\frac at column 7'],
    ['2*(x + 1', 'expected ) to close ( opened at column 3, found end of input at column 9'],
    ['(x + 1]', 'expected ) to close ( opened at column 1, found ] at column 7'],
    ['$(x + 1$', 'expected ) to close ( opened at column 2, found end of input at column 8'],
    ['x + )', 'expected an expression, found ) at column 5'],
    ['x + ', 'expected an expression, found end of input at column 4'],
    ['x)', 'unexpected ) at column 2'],
    ['()', 'empty () at column 2'],
    ['\\foo', 'unknown command \\foo at column 1'],
    ['x + \\foo{y}', 'unknown command \\foo at column 5'],
    ['a & b', 'unexpected & at column 3'],
    [
      'x_1 + \\dots + x_n',
      '\\dots (an elided sum) cannot be differentiated; write the terms out or use \\sum at column 7',
    ],
    [
      'x_1 + \\cdots + x_n',
      '\\cdots (an elided sum) cannot be differentiated; write the terms out or use \\sum at column 7',
    ],
    [
      '\\begin{bmatrix} a \\\\ \\vdots \\end{bmatrix}',
      '\\vdots (an elided sum) cannot be differentiated; write the terms out or use \\sum at column 22',
    ],
    ['\\frac{\\partial}{\\partial}', 'expected a variable after \\partial at column 25'],
    ['\\left( x', 'expected \\right) to close \\left( opened at column 1, found end of input at column 9'],
    [
      '\\left( x \\right]',
      'expected \\right) to close \\left( opened at column 1, found \\right at column 10',
    ],
    ['\\left< x \\right>', 'unsupported delimiter < after \\left at column 6'],
    ['\\right)', 'unexpected \\right) without a matching \\left at column 1'],
    ['|x', 'expected | to close | opened at column 1, found end of input at column 3'],
    ['|x| + |y', 'expected | to close | opened at column 7, found end of input at column 9'],
    ['\\|x', 'expected \\| to close \\| opened at column 1, found end of input at column 4'],
    ['\\begin{foo} x \\end{foo}', 'unknown environment foo at column 1'],
    ['\\begin{cases} x \\end{cases}', 'piecewise definitions (\\begin{cases}) are not supported at column 1'],
    [
      '\\begin{bmatrix} a \\end{pmatrix}',
      'expected \\end{bmatrix} to close \\begin{bmatrix} opened at column 1 at column 19',
    ],
    [
      '\\begin{bmatrix} a & b',
      'expected \\end{bmatrix} to close \\begin{bmatrix} opened at column 1, found end of input at column 22',
    ],
    [
      '\\begin{bmatrix} a & b \\\\ c \\end{bmatrix}',
      'matrix row 2 has 1 entries but row 1 has 2 at column 28',
    ],
    ['\\begin{bmatrix} a & & b \\end{bmatrix}', 'empty matrix entry at column 21'],
    ['\\begin{bmatrix} \\end{bmatrix}', 'empty bmatrix at column 1'],
    ['\\begin{array} a \\end{array}', '\\begin{array} needs a column spec such as {cc} at column 15'],
    ['x^', 'expected an exponent after ^ at column 3'],
    ['x^2^3', 'double superscript at column 4'],
    ['x_1_2', 'double subscript at column 4'],
    ['x_', 'expected a subscript such as x_1 or x_{ij}, found end of input at column 3'],
    ['(a+b)_1', 'unexpected _ (a subscript needs a name or a norm before it) at column 6'],
    ['\\|x\\|_p', 'unsupported norm \\|…\\|_p; use 1, 2, F or \\infty at column 6'],
    ['\\sum x_i', '\\sum needs an index, as in \\sum_{i=1}^{n} at column 1'],
    ['\\sum_{i=1', 'expected } to close \\sum_{, found end of input at column 10'],
    ['\\sin', '\\sin needs an argument at column 5'],
    ['\\sin(x, y)', '\\sin takes one argument, found 2 at column 1'],
    ['\\max_i x_i', 'unexpected _ after \\max at column 5'],
    ['\\sqrt', '\\sqrt needs an argument at column 6'],
    ['\\langle u \\rangle', '\\langle … \\rangle needs two entries separated by a comma at column 1'],
    [
      '\\mathbf{Ax}',
      '\\mathbf{…} must contain a single name (\\mathbf{A}\\mathbf{x}, not \\mathbf{Ax}) at column 1',
    ],
    ['\\text{维向量} x', '\\text{…} must contain a variable or function name at column 1'],
    [
      'x \\in \\mathbb{R}^n',
      'unexpected \\in (a declaration such as x \\in \\mathbb{R}^n is not an expression) at column 3',
    ],
    ['x \\\\ y', 'unexpected \\\\ at column 3'],
    ['\\\\', 'unexpected \\\\ (a line break) outside a matrix at column 1'],
    [
      '\\begin{align} a &= b \\\\ c &= d \\end{align}',
      'several equations (\\\\); select one line at column 22',
    ],
    ['\\int x', '\\int (an integral) is not supported at column 1'],
    ['\\lim x', '\\lim (a limit) is not supported at column 1'],
    ['\\prod_i x_i', '\\prod (a product over an index) is not supported; write the factors out at column 1'],
    [
      '\\sigma(\\cdot)',
      '(\\cdot) is a placeholder; apply the function to an expression, as in \\sigma(x) at column 8',
    ],
    ['x < y', 'unexpected < at column 3'],
    ['x @ y', 'unexpected @ at column 3'],
    ['x 维', "unexpected character '维' at column 3"],
    ['\\cdot x', 'expected an expression, found \\cdot at column 1'],
  ];
  for (const [input, expected] of rows)
    test(JSON.stringify(input), () => assert.equal(errorOf(input), expected));
});

describe('limits', () => {
  const fast = (input: string, expected: string | RegExp): void => {
    const t = performance.now();
    const message = errorOf(input);
    assert.ok(performance.now() - t < 500, 'took too long');
    if (typeof expected === 'string') assert.equal(message, expected);
    else assert.match(message, expected);
  };
  test('too long', () => {
    fast(
      'x+'.repeat(6000) + 'x',
      `expression is too long (12001 characters; the limit is ${MAX_INPUT_LENGTH})`,
    );
  });
  test('20,000 nested parentheses', () => {
    fast('('.repeat(20000) + 'x' + ')'.repeat(20000), /^expression is too long \(40001 characters/);
  });
  const nested: [string, string][] = [
    ['(', 'x)'],
    ['\\left(', 'x\\right)'],
    ['\\frac{', '1}{2}'],
    ['x^{', '2}'],
    ['-', ''],
    ['\\sqrt', 'x'],
    ['\\sin ', 'x'],
    ['{', '}'],
    ['\\left|', '\\right|'],
    ['\\begin{bmatrix}', '\\end{bmatrix}'],
    ['\\sum_i ', 'x'],
  ];
  for (const [open, close] of nested) {
    test(`nested ${open}`, () => {
      const n = Math.floor((MAX_INPUT_LENGTH - 1) / (open.length + close.length));
      const input = open.repeat(n) + 'x' + close.repeat(n);
      const column = 200 * open.length + 1;
      fast(input, `expression is nested too deeply (more than 200 levels) at column ${column}`);
    });
  }
  test('200 levels are accepted', () => {
    assert.equal(tree('('.repeat(199) + 'x' + ')'.repeat(199)), 'x');
  });
  test('unterminated input', () => {
    fast('\\frac{'.repeat(100), /^empty argument of \\frac|expected/);
    fast('\\begin{bmatrix}'.repeat(100), /^expected/);
  });
  test('a long flat expression parses', () => {
    assert.equal(parseLatex('x+'.repeat(4000) + 'x').body.type, 'binary');
  });
});

describe('declarations', () => {
  const decl = (text: string): string =>
    parseLatexDeclarations(text)
      .map((d) => `${d.name}${d.style === 'bold' ? ':b' : ''} ${JSON.stringify(d.dims)}`)
      .join('; ');
  const rows: [string, string][] = [
    ['\\mathbf{x} \\in \\mathbb{R}^{n}', 'x:b ["n"]'],
    ['x\\in\\R^n', 'x ["n"]'],
    ['A \\in \\mathbb{R}^{m \\times n}', 'A ["m","n"]'],
    ['A\\in\\mathbb{R}^{3\\times 3}', 'A [3,3]'],
    ['b \\in \\mathbb{R}', 'b []'],
    ['W \\in R^{m\\times n}', 'W ["m","n"]'],
    ['x \\in R^n', 'x ["n"]'],
    ['\\theta \\in \\mathbb R^{d}', 'theta ["d"]'],
    ['x_1 \\in \\R', 'x_1 []'],
    ['$\\mathbf{x}, \\mathbf{y} \\in \\mathbb{R}^n$', 'x:b ["n"]; y:b ["n"]'],
    ['X \\in \\mathbb{R}^{k \\times bs}', 'X ["k","bs"]'],
    ['x ∈ ℝ^n', 'x ["n"]'],
  ];
  for (const [input, expected] of rows) test(input, () => assert.equal(decl(input), expected));
  test('spans', () => {
    const d = parseLatexDeclaration('$A \\in \\mathbb{R}^{m \\times n}$');
    assert.deepEqual(d.span, { start: 1, end: 30 });
  });
  const errors: [string, string][] = [
    [
      'x \\in \\mathbb{C}^n',
      'only real spaces \\mathbb{R}, \\mathbb{R}^{n}, \\mathbb{R}^{m \\times n} and symmetric matrices \\mathbb{S}^{n} can be declared at column 7',
    ],
    ['x \\in', 'expected \\mathbb{R} after \\in, found end of input at column 6'],
    ['x = 3', 'expected \\in after the name, found = at column 3'],
    ['3 \\in \\R', 'expected a name to declare, found 3 at column 1'],
    ['x \\in \\R^{m \\times (n)}', 'expected a size such as n or 3, found ( at column 20'],
    ['x \\in \\R^{m + n}', 'expected \\times or } in the size, found + at column 13'],
    [
      'x \\in \\R^{a \\times b \\times c}',
      'only vectors and matrices can be declared (at most two sizes) at column 9',
    ],
    ['x \\in \\R^n y', 'unexpected y after the declaration at column 12'],
    ['x, y \\in \\R^n', 'declares 2 names; declare one name per entry at column 4'],
  ];
  for (const [input, expected] of errors) {
    test(`error: ${input}`, () => assert.equal(errorOf(input, parseLatexDeclaration), expected));
  }
});

describe('findLatexDeclarations', () => {
  const found = (text: string): string =>
    findLatexDeclarations(text)
      .map(
        (d) =>
          `${d.name}${d.style === 'bold' ? ':b' : ''} ${JSON.stringify(d.dims)} @${text.slice(d.span.start, d.span.end)}`,
      )
      .join('; ');
  test('in Markdown prose', () => {
    const text =
      '假设，有一个样本为$x\\in \\R^k$，$k$表示类别的个数。若$x \\in R^n$，则$softmax(x) \\in R^n$。';
    assert.equal(found(text), 'x ["k"] @x\\in \\R^k; x ["n"] @x \\in R^n');
  });
  test('several names in one span, and a document', () => {
    const text = [
      '# Notes',
      'Let $\\mathbf{x}, \\mathbf{y} \\in \\mathbb{R}^n$ and $A \\in \\mathbb{R}^{m \\times n}$, $b \\in \\mathbb{R}$.',
      '$$ f(\\mathbf{x}) = \\mathbf{x}^T A \\mathbf{x} $$',
    ].join('\n');
    assert.equal(
      found(text),
      'x:b ["n"] @\\mathbf{x}, \\mathbf{y} \\in \\mathbb{R}^n; y:b ["n"] @\\mathbf{y} \\in \\mathbb{R}^n; ' +
        'A ["m","n"] @A \\in \\mathbb{R}^{m \\times n}; b [] @b \\in \\mathbb{R}',
    );
  });
  test('expressions before \\in are not declarations', () => {
    assert.equal(
      found('$f(x) \\in \\mathbb{R}$ $M^T \\in \\mathbb{R}^{n}$ $A y \\in \\mathbb{R}^p$ $x \\in [0, 1]$'),
      '',
    );
  });
  test('never throws, stays linear', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        findLatexDeclarations(s);
      }),
    );
    const pieces = ['\\in', '\\R^', '{', '}', 'x', ',', '_', '\\mathbf{', '$', ' ', '\\times', 'n', '1'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (parts) => {
        findLatexDeclarations(parts.join(''));
      }),
    );
    const evil =
      '{'.repeat(100000) +
      '\\mathbf{'.repeat(20000) +
      ',x'.repeat(50000) +
      '\\in \\R^{' +
      'n\\times'.repeat(5000);
    const t = performance.now();
    findLatexDeclarations(evil);
    assert.ok(performance.now() - t < 1000);
  });
});

describe('robustness', () => {
  test('parseLatex throws only LensError on arbitrary input', () => {
    const pieces = [
      '\\frac',
      '{',
      '}',
      '(',
      ')',
      'x',
      '^',
      '_',
      '|',
      '\\|',
      '\\left(',
      '\\right)',
      '\\sum_i',
      '\\sin',
      ',',
      '&',
      '\\\\',
      '\\begin{bmatrix}',
      '\\end{bmatrix}',
      '2',
      "'",
      '=',
      '-',
      '\\mathbf{x}',
      'e',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => {
        try {
          parseLatex(parts.join(' '));
        } catch (e) {
          assert.ok(e instanceof LensError, String(e));
          assert.match(e.message, / at column \d+$/);
        }
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        try {
          parseLatex(s);
        } catch (e) {
          assert.ok(e instanceof LensError, String(e));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
