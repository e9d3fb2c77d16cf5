/**
 * Recursive-descent parser from LaTeX tokens to the untyped syntax tree.
 *
 * Grammar, loosest first:
 *   input      := [head '='] expr ['=' …ignored]        head: `f(x, y)` or a name
 *   expr       := term (('+' | '-') term)*
 *   term       := ('-' | '+') term | product
 *   product    := factor ((op signed) | factor)*        op: * / \cdot \times \odot \oslash; juxtaposition
 *   factor     := primary scripts                       scripts: _sub ^sup ' in TeX order
 * Function arguments without parentheses (`\sin 3x`) and `\sum` bodies are
 * product chains; see `functionChain` and `sum`.
 *
 * Every recursion goes through `factor`, `primary`, `term` or `signedFactor`, which count depth, so
 * pathological nesting is refused with a message long before the stack runs out.
 */
import { errorAt } from '../errors';
import { ELEMENTWISE } from '../functions';
import { MAX_NESTING_DEPTH } from '../limits';
import type { DefinitionSyntax, NameStyle, ParamSyntax, ParsedInput, Span, Syntax } from './syntax';
import { closingBrace, differentialAt, type Differential } from './latex-derivatives';
import type { Token } from './latex-lexer';
import { isCmd, isSym, readName, readSubscript, transposeMarkAt } from './latex-names';
import {
  BLACKBOARD_COMMANDS,
  DOTS,
  FORMULA_ENVIRONMENTS,
  FUNCTION_COMMANDS,
  FUNCTION_NAMES,
  INVERSE_FUNCTIONS,
  MATRIX_ENVIRONMENTS,
  MULTI_ARG_FUNCTIONS,
  PRODUCT_OPERATORS,
  UNSUPPORTED,
} from './latex-tables';
import { ACCENTS, BOLD_COMMANDS, GREEK_COMMANDS, TEXT_COMMANDS } from '../vocabulary';
import { nameTable } from '../table';

type Op = Extract<Syntax, { type: 'binary' }>['op'];

/** Commands that end an operand: closers, relations, operators. */
// prettier-ignore
const NON_FACTOR_COMMANDS = new Set([
  'right', 'rangle', 'rvert', 'rVert', '}', 'rbrace', 'end', '\\', 'in', 'notin', 'leq', 'geq', 'le', 'ge', 'neq',
  'ne', 'approx', 'sim', 'simeq', 'equiv', 'to', 'rightarrow', 'Rightarrow', 'leftarrow', 'Leftarrow', 'mapsto',
  'coloneqq', 'triangleq', 'doteq', 'propto', 'lt', 'gt', 'top', 'intercal', 'cdot', 'times', 'div', 'odot', 'circ',
  'oslash',
]);

/** How a bracket pair is read. */
type BracketKind = 'group' | 'abs' | 'norm' | 'inner';

interface Bracket {
  readonly kind: BracketKind;
  readonly items: Syntax[];
  readonly start: number;
  readonly end: number;
  /** Commas are allowed between items (`(a, b)`, `\langle u, v \rangle`), not in `{…}` or `|…|`. */
  readonly list: boolean;
}

interface Closer {
  /** As the message shows it: `)`, `\right)`, `|`. */
  readonly display: string;
  readonly match: (t: Token, after: Token) => boolean;
  /** Tokens the closer takes: 2 for `\right)`. */
  readonly width: number;
}

const closer = (display: string, kind: Token['kind'], text: string): Closer => ({
  display,
  match: (t) => t.kind === kind && t.text === text,
  width: 1,
});
const rightCloser = (display: string, texts: readonly string[]): Closer => ({
  display: '\\right' + display,
  match: (t, after) =>
    isCmd(t, 'right') && (after.kind === 'sym' || after.kind === 'cmd') && texts.includes(after.text),
  width: 2,
});

/** Openers of bracket pairs: token key → kind, closer, and the key of a bar that closes itself. */
const OPENERS: ReadonlyMap<string, { kind: BracketKind; close: Closer; list: boolean }> = new Map([
  ['sym(', { kind: 'group', close: closer(')', 'sym', ')'), list: true }],
  ['sym[', { kind: 'group', close: closer(']', 'sym', ']'), list: true }],
  ['sym{', { kind: 'group', close: closer('}', 'sym', '}'), list: false }],
  ['cmd{', { kind: 'group', close: closer('\\}', 'cmd', '}'), list: true }],
  ['cmdlbrace', { kind: 'group', close: closer('\\rbrace', 'cmd', 'rbrace'), list: true }],
  ['sym|', { kind: 'abs', close: closer('|', 'sym', '|'), list: false }],
  ['cmdvert', { kind: 'abs', close: closer('\\vert', 'cmd', 'vert'), list: false }],
  ['cmdlvert', { kind: 'abs', close: closer('\\rvert', 'cmd', 'rvert'), list: false }],
  ['cmd|', { kind: 'norm', close: closer('\\|', 'cmd', '|'), list: false }],
  ['cmdVert', { kind: 'norm', close: closer('\\Vert', 'cmd', 'Vert'), list: false }],
  ['cmdlVert', { kind: 'norm', close: closer('\\rVert', 'cmd', 'rVert'), list: false }],
  ['cmdlangle', { kind: 'inner', close: closer('\\rangle', 'cmd', 'rangle'), list: true }],
]);

/** `\left<delimiter>` → what it opens and the `\right<delimiter>`s that close it. */
const LEFT_DELIMITERS: ReadonlyMap<string, { kind: BracketKind; close: Closer }> = new Map([
  ['sym(', { kind: 'group', close: rightCloser(')', [')']) }],
  ['sym[', { kind: 'group', close: rightCloser(']', [']', 'rbrack']) }],
  ['cmdlbrack', { kind: 'group', close: rightCloser(']', [']', 'rbrack']) }],
  ['cmd{', { kind: 'group', close: rightCloser('\\}', ['}', 'rbrace']) }],
  ['cmdlbrace', { kind: 'group', close: rightCloser('\\}', ['}', 'rbrace']) }],
  ['sym|', { kind: 'abs', close: rightCloser('|', ['|', 'vert', 'rvert']) }],
  ['cmdvert', { kind: 'abs', close: rightCloser('|', ['|', 'vert', 'rvert']) }],
  ['cmdlvert', { kind: 'abs', close: rightCloser('|', ['|', 'vert', 'rvert']) }],
  ['cmd|', { kind: 'norm', close: rightCloser('\\|', ['|', 'Vert', 'rVert']) }],
  ['cmdVert', { kind: 'norm', close: rightCloser('\\|', ['|', 'Vert', 'rVert']) }],
  ['cmdlVert', { kind: 'norm', close: rightCloser('\\|', ['|', 'Vert', 'rVert']) }],
  ['cmdlangle', { kind: 'inner', close: rightCloser('\\rangle', ['rangle']) }],
]);

/** Bars that open and close with the same token; inside one, that token ends the operand. */
const SELF_CLOSING = new Set(['sym|', 'cmdvert', 'cmd|', 'cmdVert']);

// The commands among OPENERS and SELF_CLOSING, by text: a command is tested on every factor, without a key made.
const OPENER_COMMANDS = commandsOf(OPENERS.keys());
const SELF_CLOSING_COMMANDS = commandsOf(SELF_CLOSING);

function commandsOf(keys: Iterable<string>): ReadonlySet<string> {
  return new Set([...keys].filter((k) => k.startsWith('cmd')).map((k) => k.slice('cmd'.length)));
}

const key = (t: Token): string => t.kind + t.text;

/** A bracket's opener as messages show it: `(`, or `\\left(` when `open` is `\\left` and `delimiter` follows. */
function openerText(open: Token, delimiter: Token): string {
  return open === delimiter ? describe(open) : '\\left' + describe(delimiter);
}

export function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of input';
  if (t.kind === 'cmd') return t.text === '\\' ? '\\\\' : '\\' + t.text;
  return t.kind === 'other' ? t.text[0] : t.text;
}

export class LatexParser {
  private pos = 0;
  private depth = 0;
  /** Key of the bar closing the innermost `|…|`/`\|…\|`, which must not start a factor there. */
  private bar: string | null = null;

  /** Names applied somewhere in the input as a function of 2+ arguments or with primes (`u(w, b)`, `y'(t)`). */
  private readonly appliedNames: ReadonlySet<string>;
  /** Indices of the `(` tokens that hold a list (see `listParens`). */
  private readonly lists: ReadonlySet<number>;

  /** `functions`: names defined as functions elsewhere (in the document), applied wherever followed by `(`. */
  constructor(
    private readonly tokens: readonly Token[],
    functions?: ReadonlySet<string>,
  ) {
    this.lists = listParens(tokens);
    this.appliedNames = functions?.size
      ? new Set([...appliedNames(tokens, this.lists), ...functions])
      : appliedNames(tokens, this.lists);
  }

  parseInput(): ParsedInput {
    const first = this.tokens[0];
    if (first.kind === 'eof') this.fail('empty expression', first);
    // A continuation line of a derivation, `= \frac{…}{…}`: the expression follows.
    this.pos = this.definitionSign(0);
    const head = this.definitionHead();
    if (head) {
      this.pos = head.next;
      if (this.peek().kind === 'eof') this.fail('empty expression after =', this.peek());
    }
    const body = this.expressionUpToRestatement();
    if (!head) return { body };
    return head.params ? { body, params: head.params, functionName: head.functionName } : { body };
  }

  /**
   * `z = …`, `f(x, y) = …`, `y = f(x) = …`: every name (or `f(params)`) before the first side that is
   * no name is defined by that side; a further `= …` restates it and is not read.
   */
  parseDefinition(): DefinitionSyntax[] {
    const first = this.tokens[0];
    if (first.kind === 'eof') this.fail('empty definition', first);
    const heads = [];
    for (let head = this.definitionHead(); head; head = this.definitionHead()) {
      heads.push(head);
      this.pos = head.next;
    }
    if (heads.length === 0) this.fail('expected a definition such as z = … or f(x) = …', first);
    if (this.peek().kind === 'eof') this.fail('empty expression after =', this.peek());
    const body = this.expressionUpToRestatement();
    return heads.map((h) => (h.params ? { name: h.name, params: h.params, body } : { name: h.name, body }));
  }

  /** An expression that ends the input, or a first right side followed by `= …` (which is not read). */
  private expressionUpToRestatement(): Syntax {
    const body = this.expression();
    const t = this.peek();
    // A chain `f(x) = a = b` restates the function; the first right side is it.
    if (t.kind !== 'eof' && this.definitionSign(this.pos) === 0) {
      if (isCmd(t, 'in'))
        this.fail('unexpected \\in (a declaration such as x \\in \\mathbb{R}^n is not an expression)', t);
      this.fail(
        t.kind === 'other' ? `unexpected character '${describe(t)}'` : `unexpected ${describe(t)}`,
        t,
      );
    }
    return body;
  }

  // ---- token access -------------------------------------------------------

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)];
  }
  private next(): Token {
    const t = this.tokens[this.pos];
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  /** End offset of the last consumed token. */
  private lastEnd(): number {
    return this.tokens[this.pos - 1].end;
  }
  private fail(message: string, t: Token): never {
    throw errorAt(message, { start: t.start, end: t.end });
  }
  private enter(t: Token): void {
    if (++this.depth > MAX_NESTING_DEPTH) {
      this.fail(`expression is nested too deeply (more than ${MAX_NESTING_DEPTH} levels)`, t);
    }
  }

  // ---- definitions --------------------------------------------------------

  /** `=`, `:=`, `\coloneqq`, `\triangleq`, `\equiv` at token i: how many tokens it takes (0: none). */
  private definitionSign(i: number): number {
    const t = this.tokens[i];
    if (isSym(t, '=')) return 1;
    if (isSym(t, ':') && isSym(this.tokens[i + 1], '=')) return 2;
    return t.kind === 'cmd' && (t.text === 'coloneqq' || t.text === 'triangleq' || t.text === 'equiv')
      ? 1
      : 0;
  }

  /** `f(x, y) =`, `\text{logistic}(x) =`, `y =`, `\mathbf{y} =`: the left side of a definition. */
  private definitionHead(): {
    name: string;
    params?: ParamSyntax[];
    functionName?: string;
    next: number;
  } | null {
    const tokens = this.tokens;
    const first = this.pos;
    let i = first;
    let functionName: string;
    if (tokens[i].kind === 'letter') {
      // A function's own name may be a word: `activation(x) = …`.
      functionName = '';
      while (tokens[i].kind === 'letter' && (i === first || tokens[i].start === tokens[i - 1].end)) {
        functionName += tokens[i++].text;
      }
      if (isSym(tokens[i], '_')) {
        const sub = readSubscript(tokens, i + 1);
        if (!sub) return null;
        functionName += '_' + sub.text;
        i = sub.next;
      }
    } else {
      const n = readName(tokens, i, true);
      if (!n) return null;
      functionName = n.name;
      i = n.next;
    }
    let params: ParamSyntax[] | undefined;
    const leftParen = isCmd(tokens[i], 'left');
    if (isSym(tokens[i + (leftParen ? 1 : 0)], '(')) {
      i += leftParen ? 2 : 1;
      params = [];
      for (;;) {
        const p = readName(tokens, i, true);
        if (!p || p.word) return null;
        params.push({ name: p.name, style: p.style, span: { start: p.start, end: p.end } });
        i = p.next;
        if (isSym(tokens[i], ',')) i++;
        else break;
      }
      if (leftParen) {
        if (!isCmd(tokens[i], 'right')) return null;
        i++;
      }
      if (!isSym(tokens[i], ')')) return null;
      i++;
    }
    const sign = this.definitionSign(i);
    if (sign === 0) return null;
    return params
      ? { name: functionName, params, functionName, next: i + sign }
      : { name: functionName, next: i + sign };
  }

  // ---- expressions --------------------------------------------------------

  private expression(): Syntax {
    let left = this.term();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'sym' || (t.text !== '+' && t.text !== '-')) return left;
      this.next();
      const right = this.term();
      left = binary(t.text as Op, left, right);
    }
  }

  private term(): Syntax {
    const t = this.peek();
    if (isSym(t, '-') || isSym(t, '+')) {
      this.next();
      this.enter(t);
      const arg = this.term();
      this.depth--;
      return t.text === '+' ? arg : { type: 'neg', arg, span: { start: t.start, end: arg.span.end } };
    }
    return this.product();
  }

  private product(): Syntax {
    let left = this.factor();
    for (;;) {
      const t = this.peek();
      const op = productOperator(t);
      if (op) {
        this.next();
        left = binary(op, left, this.signedFactor());
      } else if (this.startsFactor(t)) {
        left = binary('implicit', left, this.factor());
      } else {
        return left;
      }
    }
  }

  /** The operand after an explicit operator may carry a sign: `a \cdot -b`. */
  private signedFactor(): Syntax {
    const t = this.peek();
    if (!isSym(t, '-')) return this.factor();
    this.next();
    this.enter(t);
    const arg = this.signedFactor();
    this.depth--;
    return { type: 'neg', arg, span: { start: t.start, end: arg.span.end } };
  }

  private factor(): Syntax {
    const t = this.peek();
    this.enter(t);
    const node = this.scripts(this.primaryAt(t));
    this.depth--;
    return node;
  }

  private startsFactor(t: Token): boolean {
    switch (t.kind) {
      case 'num':
      case 'letter':
        return true;
      case 'sym':
        return t.text === '(' || t.text === '[' || t.text === '{' || (t.text === '|' && this.bar !== 'sym|');
      case 'cmd':
        if (SELF_CLOSING_COMMANDS.has(t.text)) return this.bar !== key(t);
        return !NON_FACTOR_COMMANDS.has(t.text);
      default:
        return false;
    }
  }

  /** A factor that is a function application ends a `\sin` argument: `\sin x \cos y`. */
  private startsFunction(i: number): boolean {
    const t = this.tokens[i];
    if (t.kind === 'letter') return this.letterFunction(i) !== null;
    if (t.kind !== 'cmd') return false;
    if (FUNCTION_COMMANDS.has(t.text) || t.text === 'sum') return true;
    if (t.text === 'sigma') return this.opensArguments(i + 1);
    return TEXT_COMMANDS.has(t.text) && readName(this.tokens, i, false)?.word === true;
  }

  private opensArguments(i: number): boolean {
    const t = this.tokens[i];
    return isSym(t, '(') || (isCmd(t, 'left') && isSym(this.tokens[i + 1], '('));
  }

  /** A run of adjacent letters that is a known function name and is followed by `(`: `softmax(x)`. */
  private letterFunction(i: number): { canonical: string; name: string; next: number } | null {
    const tokens = this.tokens;
    let j = i + 1;
    // Bounded: no function name is longer, and a long run of letters must stay linear to scan.
    while (
      tokens[j].kind === 'letter' &&
      tokens[j].start === tokens[j - 1].end &&
      j - i <= LONGEST_FUNCTION_NAME
    )
      j++;
    if (j - i < 2 || j - i > LONGEST_FUNCTION_NAME || !this.opensArguments(j)) return null;
    let name = '';
    for (let k = i; k < j; k++) name += tokens[k].text;
    const canonical = FUNCTION_NAMES.get(name.toLowerCase());
    return canonical ? { canonical, name, next: j } : null;
  }

  // ---- scripts ------------------------------------------------------------

  /** `_` and `^` (one each, either order) and primes after a factor; `x^2_1` is `(x_1)^2`. */
  private scripts(base: Syntax): Syntax {
    let sub: { text: string; at: Token } | undefined;
    let sup: Syntax | 'T' | '-T' | undefined;
    let primes = 0;
    let layer: { index: string; transposed: boolean } | undefined;
    /** `J_f`, `\mathbf{J}_{\mathbf{x}}`: the Jacobian of the name in the subscript. */
    let jacobianOf: Extract<Syntax, { type: 'ident' }> | undefined;
    for (;;) {
      const t = this.peek();
      if (isSym(t, '_')) {
        if (sub || jacobianOf) this.fail('double subscript', t);
        this.next();
        jacobianOf = base.type === 'ident' && base.name === 'J' ? this.subscriptName() : undefined;
        if (!jacobianOf) sub = { text: this.subscriptText(), at: t };
      } else if (isSym(t, '^')) {
        if (sup !== undefined || layer !== undefined) this.fail('double superscript', t);
        this.next();
        layer =
          base.type === 'ident' && !(base.name === 'e' && base.style === 'plain')
            ? this.layerIndex()
            : undefined;
        if (layer === undefined) sup = this.superscript();
        else if (layer.transposed) sup = 'T';
      } else if (isSym(t, "'")) {
        if (sup !== undefined) this.fail('double superscript', t);
        this.next();
        primes++;
      } else {
        break;
      }
    }
    if (layer !== undefined && base.type === 'ident')
      base = {
        ...base,
        name: `${base.name}_${layer.index}`,
        span: { start: base.span.start, end: this.lastEnd() },
      };
    if (jacobianOf) {
      // `J_f(\mathbf{x})`: the Jacobian of f at its arguments (f applied, not J_f times a bracket).
      const applied = sup === undefined && primes === 0 && this.opensArguments(this.pos);
      const of = applied
        ? this.abstractApplication(jacobianOf.name, jacobianOf.style, 0, jacobianOf.span.start)
        : jacobianOf;
      const span = { start: base.span.start, end: this.lastEnd() };
      base = { type: 'derivative', notation: 'jacobian', of, wrt: [], order: 1, span };
      // Scripts after the arguments are on the Jacobian: J_f(\mathbf{x})^\top.
      if (applied) return this.scripts(base);
    }
    if (base.type === 'ident' && sup === undefined && this.opensArguments(this.pos)) {
      const name = sub ? `${base.name}_${sub.text}` : base.name;
      // 𝐱'(𝐚 + 𝐛) is a transposed vector times a bracket; f'(x), y'(t), 𝐟'(t) are derivatives.
      const derivative = primes > 0 && (base.style === 'plain' || isFunctionLetter(name));
      if (derivative || isFunctionLetter(name) || this.appliedNames.has(name) || this.listFollows())
        // Scripts after the arguments are on the value: f(x)^2, \mathbf{f}(\mathbf{x})^\top.
        return this.scripts(this.abstractApplication(name, base.style, primes, base.span.start));
    }
    if (sub === undefined && sup === undefined && primes === 0) return base;
    const end = this.lastEnd();
    let node = sub ? this.applySubscript(base, sub.text, sub.at) : base;
    // `y'`: the derivative of y when y is defined, else (x' for a vector) a transpose; `(f(x) + g(x))'` the
    // derivative of a scalar, `(AB)'` a transpose: the elaborator decides.
    if (
      primes > 0 &&
      ((node.type === 'ident' && node.style === 'plain' && /^[a-z]/.test(node.name)) || node.type !== 'ident')
    )
      node = {
        type: 'derivative',
        notation: 'prime',
        of: node,
        wrt: [],
        order: primes,
        span: { start: base.span.start, end },
      };
    else
      for (let k = 0; k < primes; k++)
        node = { type: 'transpose', arg: node, span: { start: base.span.start, end } };
    if (sup === 'T') return { type: 'transpose', arg: node, span: { start: base.span.start, end } };
    if (sup === '-T') {
      const one: Syntax = { type: 'number', value: 1, text: '1', span: { start: end - 1, end } };
      const minusOne: Syntax = { type: 'neg', arg: one, span: one.span };
      const inverse = binary('^', node, minusOne);
      return { type: 'transpose', arg: inverse, span: { start: base.span.start, end } };
    }
    if (sup === undefined) return node;
    if (node.type === 'ident' && node.name === 'e' && node.style === 'plain') {
      return { type: 'call', fn: 'exp', args: [sup], span: { start: base.span.start, end }, written: 'e^' };
    }
    return { type: 'binary', op: '^', left: node, right: sup, span: { start: base.span.start, end } };
  }

  private subscriptText(): string {
    const t = this.peek();
    const sub = readSubscript(this.tokens, this.pos);
    if (!sub) this.fail(`expected a subscript such as x_1 or x_{ij}, found ${describe(t)}`, t);
    this.pos = sub.next;
    return sub.text;
  }

  private applySubscript(base: Syntax, text: string, at: Token): Syntax {
    const span = { start: base.span.start, end: this.lastEnd() };
    if (base.type === 'ident') return { ...base, name: `${base.name}_${text}`, span };
    // `1_K`: the ones vector of size K.
    if (base.type === 'number' && (base.text === '1' || base.text === '0')) {
      return { type: 'ident', name: `${base.text}_${text}`, style: 'bold', span };
    }
    if (base.type === 'norm') {
      const p = NORM_INDEX[text];
      if (p === undefined) this.fail(`unsupported norm \\|…\\|_${text}; use 1, 2, F or \\infty`, at);
      return { ...base, p, span };
    }
    return this.fail('unexpected _ (a subscript needs a name or a norm before it)', at);
  }

  /**
   * After `^`: a layer or sample index, `W^{(1)}`, `\mathbf{a}^{[l+1]}`, `x^{\{i\}}`,
   * which is part of the name (W^{(1)} is the first layer's matrix, not W¹).
   * In parentheses only a letter or a number, as `x^{(n-1)}` may be a power.
   */
  private layerIndex(): { index: string; transposed: boolean } | undefined {
    const tokens = this.tokens;
    const open = tokens[this.pos + 1];
    if (!isSym(tokens[this.pos], '{')) return undefined;
    const parens = isSym(open, '(');
    const close = parens ? ')' : isSym(open, '[') ? ']' : isCmd(open, '{') ? '}' : undefined;
    if (close === undefined) return undefined;
    let text = '';
    let i = this.pos + 2;
    // Bounded: an index is short, and a scan must stay linear.
    for (; i < this.pos + 18; i++) {
      const u = tokens[i];
      if (u.kind === 'letter' || u.kind === 'num' || (!parens && (isSym(u, '+') || isSym(u, '-'))))
        text += u.text;
      else break;
    }
    const closed = close === '}' ? isCmd(tokens[i], '}') : isSym(tokens[i], close);
    // \mathbf{s}^{(j)\top}: the j-th sample, transposed.
    const mark = isSym(tokens[i + 1], '}') ? -1 : this.transposeMark(i + 1);
    const end = mark >= 0 ? mark : i + 1;
    if (!closed || !isSym(tokens[end], '}') || text === '') return undefined;
    if (parens && !/^(?:[A-Za-z]|\d+)$/.test(text)) return undefined;
    this.pos = end + 1;
    // The bracket is kept: W^{[l]} prints as written, not as W^{(l)}.
    return { index: parens ? `(${text})` : close === ']' ? `[${text}]` : `{${text}}`, transposed: mark >= 0 };
  }

  /** After `^`: a transpose mark, `-T` (inverse transpose), or the exponent. */
  private superscript(): Syntax | 'T' | '-T' {
    const t = this.peek();
    let end = this.transposeMark(this.pos);
    if (end >= 0) {
      this.pos = end;
      return 'T';
    }
    if (isSym(t, '{')) {
      const minus = isSym(this.peek(1), '-') ? 1 : 0;
      end = this.transposeMark(this.pos + 1 + minus);
      if (end >= 0 && isSym(this.tokens[end], '}')) {
        this.pos = end + 1;
        return minus ? '-T' : 'T';
      }
    }
    if (isSym(t, '-')) {
      // `x^-1` is written for `x^{-1}`.
      this.next();
      const arg = this.argument('^', 'expected an exponent after ^-');
      return { type: 'neg', arg, span: { start: t.start, end: arg.span.end } };
    }
    return this.argument('^', 'expected an exponent after ^');
  }

  private transposeMark(i: number): number {
    return transposeMarkAt(this.tokens, i);
  }

  /** A TeX argument: `{…}` or one token (`\frac12`, `x^2`, `\sqrt x`, `x^\alpha`). */
  private argument(owner: string, missing: string): Syntax {
    const t = this.peek();
    if (isSym(t, '{')) {
      this.next();
      if (isSym(this.peek(), '}')) this.fail(`empty argument of ${owner}`, this.peek());
      // `\frac{1}{` cut short: the unclosed brace is the problem, not the missing expression.
      if (this.peek().kind === 'eof')
        this.fail(`expected } to close ${owner}, found end of input`, this.peek());
      const saved = this.bar;
      this.bar = null;
      const e = this.expression();
      this.bar = saved;
      const c = this.peek();
      if (!isSym(c, '}')) this.fail(`expected } to close ${owner}, found ${describe(c)}`, c);
      this.next();
      return e;
    }
    if (t.kind === 'num' || t.kind === 'letter' || (t.kind === 'cmd' && this.startsFactor(t)))
      return this.primary();
    return this.fail(missing, t);
  }

  // ---- primaries ----------------------------------------------------------

  private primary(): Syntax {
    const t = this.peek();
    this.enter(t);
    const node = this.primaryAt(t);
    this.depth--;
    return node;
  }

  private primaryAt(t: Token): Syntax {
    switch (t.kind) {
      case 'num':
        this.next();
        return { type: 'number', value: Number(t.text), text: t.text, span: { start: t.start, end: t.end } };
      case 'letter': {
        const fn = this.letterFunction(this.pos);
        if (fn) {
          this.pos = fn.next;
          return this.application(fn.canonical, fn.name, t);
        }
        if (t.text === 'D') {
          const d = this.derivativeD(t);
          if (d) return d;
        }
        this.next();
        return { type: 'ident', name: t.text, style: 'plain', span: { start: t.start, end: t.end } };
      }
      case 'sym':
        if (OPENERS.has(key(t))) return this.shapeBracket(this.bracket());
        return this.fail(`expected an expression, found ${describe(t)}`, t);
      case 'cmd':
        return this.command(t);
      case 'eof':
        return this.fail('expected an expression, found end of input', t);
      default:
        return this.fail(`unexpected character '${describe(t)}'`, t);
    }
  }

  private command(t: Token): Syntax {
    const name = t.text;
    if (GREEK_COMMANDS.has(name)) {
      this.next();
      if (name === 'sigma' && this.opensArguments(this.pos)) return this.application('sigma', '\\sigma', t);
      return {
        type: 'ident',
        name: GREEK_COMMANDS.get(name) as string,
        style: 'plain',
        span: { start: t.start, end: t.end },
      };
    }
    if (
      BOLD_COMMANDS.has(name) ||
      BLACKBOARD_COMMANDS.has(name) ||
      TEXT_COMMANDS.has(name) ||
      ACCENTS.has(name)
    ) {
      return this.styledName(t);
    }
    if (OPENER_COMMANDS.has(name)) return this.shapeBracket(this.bracket());
    if (FUNCTION_COMMANDS.has(name)) {
      this.next();
      return this.application(FUNCTION_NAMES.get(name.toLowerCase()) ?? name, '\\' + name, t);
    }
    switch (name) {
      case 'frac':
      case 'dfrac':
      case 'tfrac':
      case 'cfrac':
        return this.fraction(t);
      case 'sqrt':
        return this.root(t);
      case 'left':
        return this.shapeBracket(this.bracket());
      case 'sum':
        return this.sum(t);
      case 'begin':
        return this.environment(t);
      case 'right':
        return this.fail(`unexpected \\right${describe(this.peek(1))} without a matching \\left`, t);
      case 'end':
        return this.fail('unexpected \\end without a matching \\begin', t);
      case '\\':
        return this.fail('unexpected \\\\ (a line break) outside a matrix', t);
    }
    if (DOTS.has(name)) {
      this.fail(`\\${name} (an elided sum) cannot be differentiated; write the terms out or use \\sum`, t);
    }
    if (name === 'partial') return this.partial(t);
    if (name === 'nabla' || name === 'triangledown') return this.nabla(t);
    if (name === 'cdot' && isSym(this.peek(1), ')')) {
      this.fail('(\\cdot) is a placeholder; apply the function to an expression, as in \\sigma(x)', t);
    }
    const refusal = UNSUPPORTED.get(name);
    if (refusal) this.fail(refusal, t);
    if (NON_FACTOR_COMMANDS.has(name)) this.fail(`expected an expression, found \\${name}`, t);
    return this.fail(`unknown command \\${name}`, t);
  }

  /** `\mathbf{x}`, `\vec 1`, `\hat{z}`, `\mathrm{e}`, or a function named in `\operatorname{…}`/`\text{…}`. */
  private styledName(t: Token): Syntax {
    const m = readName(this.tokens, this.pos, false);
    if (!m) {
      const hint = TEXT_COMMANDS.has(t.text)
        ? 'a variable or function name'
        : 'a single name (\\mathbf{A}\\mathbf{x}, not \\mathbf{Ax})';
      return this.fail(`\\${t.text}{…} must contain ${hint}`, t);
    }
    this.pos = m.next;
    if (m.word) {
      const known = FUNCTION_NAMES.get(m.name.toLowerCase());
      // \operatorname{target}(\mathbf{x}): a function the notes name but do not define.
      // (Not argmax/argmin: they are not smooth, and stay unknown functions.)
      if (known === undefined && !/^arg/.test(m.name) && this.opensArguments(this.pos))
        return this.abstractApplication(m.name, 'word', 0, t.start);
      return this.application(known ?? m.name, m.name, t);
    }
    // 𝔼[x], ℙ(A), 𝕍[x]: operators of probability, not a matrix named E times a bracket.
    const operator = m.style === 'blackboard' ? PROBABILITY_OPERATORS.get(m.name) : undefined;
    if (operator)
      return this.fail(
        `\\mathbb{${m.name}} (${operator}) is not supported; write it out as a sum or its value`,
        t,
      );
    return { type: 'ident', name: m.name, style: m.style, span: { start: m.start, end: m.end } };
  }

  private fraction(t: Token): Syntax {
    const derivative = this.derivativeFraction(t);
    if (derivative) return derivative;
    this.next();
    const missing = `\\${t.text} needs two arguments`;
    const num = this.argument(`\\${t.text}`, missing);
    const den = this.argument(`\\${t.text}`, missing);
    return { type: 'binary', op: '/', left: num, right: den, span: { start: t.start, end: this.lastEnd() } };
  }

  // ---- derivative notation --------------------------------------------------
  //
  // A prefix operator (`\frac{\partial}{\partial x}`, `\nabla_{\mathbf{x}}`, `D_x`, `\partial_x`) applies to
  // the term after it, as textbooks read it: up to the next + or − at the same level
  // (`\frac{d}{dx} x^2 + y` is (x²)' + y, `\frac{d}{dx} x \sin x` is (x sin x)'); brackets say otherwise.

  /**
   * `\frac{\partial f}{\partial x}`, `\frac{d}{dx} E`, `\frac{\partial^2 f}{\partial x \partial y}`, `\frac{d^2 y}{dx^2}`;
   * null when the fraction is no derivative (`\frac{d}{2}`: d is a name unless the denominator is a differential too).
   */
  private derivativeFraction(t: Token): Syntax | null {
    const tokens = this.tokens;
    const open = this.pos + 1;
    if (!isSym(tokens[open], '{')) return null;
    const mark = differentialAt(tokens, open + 1);
    const close = mark ? closingBrace(tokens, open) : -1;
    if (!mark || close < 0) return null;
    const denMark = isSym(tokens[close + 1], '{') ? differentialAt(tokens, close + 2) : null;
    if (!denMark) {
      if (mark.notation === 'total') return null;
      this.fail(
        `expected \\partial and a variable in the denominator of \\${t.text}{\\partial …}`,
        tokens[close + 1],
      );
    }
    this.pos = mark.next;
    const order = this.differentialOrder();
    let of: Syntax | undefined;
    if (this.pos !== close) {
      const saved = this.bar;
      this.bar = null;
      of = this.expression();
      this.bar = saved;
      const c = this.peek();
      if (this.pos !== close) this.fail(`expected } to close \\${t.text}, found ${describe(c)}`, c);
    }
    this.pos = close + 2;
    const wrt = this.differentials(mark, () => isSym(this.peek(), '}'));
    this.next();
    this.requireOrder(order, wrt, tokens[open + 1]);
    of ??= this.operand(`\\${t.text}{${mark.display}}{${mark.display}…}`);
    return {
      type: 'derivative',
      notation: mark.notation,
      of,
      wrt,
      order: wrt.length,
      span: this.spanFrom(t),
    };
  }

  /** `\partial f / \partial x`, `\partial^2 f / \partial x^2`, `\partial_x E`, `\partial_{\mathbf{x}} E`. */
  private partial(t: Token): Syntax {
    this.next();
    if (isSym(this.peek(), '_')) {
      this.next();
      const v = this.subscriptName() ?? this.fail('expected a variable after \\partial_', this.peek());
      const of = this.operand('\\partial_');
      return { type: 'derivative', notation: 'partial', of, wrt: [v], order: 1, span: this.spanFrom(t) };
    }
    const order = this.differentialOrder();
    const of = this.factor();
    const slash = this.peek();
    if (!isSym(slash, '/') || !isCmd(this.peek(1), 'partial'))
      this.fail('expected / \\partial x after \\partial f (as in \\partial f / \\partial x)', slash);
    this.next();
    const mark = differentialAt(this.tokens, this.pos) as Differential;
    const wrt = this.differentials(mark, () => !isCmd(this.peek(), 'partial'));
    this.requireOrder(order, wrt, t);
    return { type: 'derivative', notation: 'partial', of, wrt, order: wrt.length, span: this.spanFrom(t) };
  }

  /** `\nabla E`, `\nabla_{\mathbf{x}} E`, `\nabla^2 E`, `\nabla_x^2 E` (and `\triangledown`). */
  private nabla(t: Token): Syntax {
    this.next();
    let vars: Syntax[] | undefined;
    let order: number | undefined;
    for (;;) {
      const s = this.peek();
      if (isSym(s, '_')) {
        if (vars) this.fail('double subscript', s);
        this.next();
        vars = this.subscriptNames() ?? this.fail(`expected a variable after \\${t.text}_`, this.peek());
      } else if (isSym(s, '^')) {
        if (order !== undefined) this.fail('double superscript', s);
        order = this.differentialOrder();
      } else break;
    }
    const of = this.operand(`\\${t.text}`);
    const n = order ?? 1;
    // One variable: one per order (∇²ₓ → [x, x]); several (∇_{x,y}): the variables, stacked.
    const wrt = vars?.length === 1 ? Array.from({ length: n }, () => vars[0]) : (vars ?? []);
    return { type: 'derivative', notation: 'nabla', of, wrt, order: n, span: this.spanFrom(t) };
  }

  /**
   * `D_{\mathbf{x}} E`, `D_x E`, and `Df(x)` / `D\mathbf{f}(\mathbf{x})` (D applied to a function application);
   * anywhere else `D` is a name (`D\mathbf{x}` with a diagonal matrix D). Null when it is the name.
   */
  private derivativeD(t: Token): Syntax | null {
    const start = this.pos;
    this.next();
    if (isSym(this.peek(), '_')) {
      this.next();
      const v = this.subscriptName();
      if (v && (this.startsFactor(this.peek()) || isSym(this.peek(), '-'))) {
        const of = this.operand('D_');
        return { type: 'derivative', notation: 'D', of, wrt: [v], order: 1, span: this.spanFrom(t) };
      }
    } else {
      const f = readName(this.tokens, this.pos, false);
      if (f && !f.word && /^[a-zA-Z]/.test(f.name) && this.opensArguments(f.next)) {
        let of = this.factor();
        // `f(x)` as one factor: an application (before applications are parsed as such, the product f·(x)).
        if (of.type === 'ident' && this.opensArguments(this.pos)) of = binary('implicit', of, this.factor());
        return { type: 'derivative', notation: 'D', of, wrt: [], order: 1, span: this.spanFrom(t) };
      }
      // `D \mathbf{A}\mathbf{x}`, `D \mathbf{x}^T A \mathbf{x}`: D of the term after it, unless the input
      // uses D as a name (the elaborator decides: `bare`). `D(…)` stays a name applied or multiplied.
      if (this.startsFactor(this.peek()) && !this.opensArguments(this.pos)) {
        const bare = {
          type: 'ident',
          name: 'D',
          style: 'plain',
          span: { start: t.start, end: t.end },
        } as const;
        const of = this.operand('D');
        return { type: 'derivative', notation: 'D', of, wrt: [], order: 1, bare, span: this.spanFrom(t) };
      }
    }
    this.pos = start;
    return null;
  }

  /** The operand of a prefix derivative operator: the term after it. */
  private operand(owner: string): Syntax {
    const t = this.peek();
    if (!this.startsFactor(t) && !isSym(t, '-') && !isSym(t, '+'))
      this.fail(`expected an expression after ${owner}, found ${describe(t)}`, t);
    return this.term();
  }

  /** `\partial x \partial y`, `dx^2`, `\partial \mathbf{x}`, `\partial x_{ij}`, `\partial W^{[l]}`: one variable per order. */
  private differentials(first: Differential, done: () => boolean): Syntax[] {
    const wrt: Syntax[] = [];
    do {
      const mark = differentialAt(this.tokens, this.pos);
      if (!mark || mark.notation !== first.notation)
        this.fail(`expected ${first.display} and a variable, found ${describe(this.peek())}`, this.peek());
      this.pos = mark.next;
      const at = this.peek();
      // `\partial {x_j}`: a braced variable, its subscript inside the braces.
      const braced = isSym(at, '{') ? 1 : 0;
      const n = readName(this.tokens, this.pos + braced, true);
      if (!n || (braced && !isSym(this.tokens[n.next], '}')))
        this.fail(`expected a variable after ${mark.display}`, at);
      this.pos = n.next + braced;
      let v: Syntax = { type: 'ident', name: n.name, style: n.style, span: { start: n.start, end: n.end } };
      if (isSym(this.peek(), '^')) {
        const caret = this.pos;
        this.next();
        const layer = this.layerIndex();
        if (layer === undefined) this.pos = caret;
        else v = { ...v, name: `${n.name}_${layer.index}`, span: { start: n.start, end: this.lastEnd() } };
      }
      const k = this.differentialOrder();
      for (let i = 0; i < k; i++) wrt.push(v);
    } while (!done());
    return wrt;
  }

  /** `^2`, `^{2}` after a differential mark or variable: the order (1 when absent). */
  private differentialOrder(): number {
    if (!isSym(this.peek(), '^')) return 1;
    const caret = this.next();
    const k = this.argument('^', 'expected the order of the derivative after ^');
    if (k.type !== 'number' || !Number.isInteger(k.value) || k.value < 1 || k.value > MAX_DERIVATIVE_ORDER)
      this.fail(`the order of a derivative must be a whole number from 1 to ${MAX_DERIVATIVE_ORDER}`, caret);
    return k.value;
  }

  private requireOrder(order: number, wrt: readonly Syntax[], at: Token): void {
    if (order !== wrt.length)
      this.fail(
        `the numerator says order ${order} but the denominator has ${wrt.length} variable${wrt.length === 1 ? '' : 's'}`,
        at,
      );
  }

  /** After `_`: one name, `x`, `{\mathbf{x}}`, `\mathbf{w}`, `\theta` (not consumed when there is none). */
  /** `x`, `{\mathbf{x}}` or a list `{\mathbf{x}, \mathbf{y}}`, `{x,y}`: the variables of a subscript. */
  private subscriptNames(): Syntax[] | undefined {
    const start = this.pos;
    if (isSym(this.peek(), '{')) {
      this.next();
      const names: Syntax[] = [];
      for (let v = this.subscriptName(); v; v = this.subscriptName()) {
        names.push(v);
        if (isSym(this.peek(), '}') && names.length > 1) {
          this.next();
          return names;
        }
        if (!isSym(this.peek(), ',')) break;
        this.next();
      }
      this.pos = start;
    }
    const v = this.subscriptName();
    return v && [v];
  }

  private subscriptName(): Extract<Syntax, { type: 'ident' }> | undefined {
    const n = readName(this.tokens, this.pos, false);
    // Not `J_{1}`: \mathbf{1} is the ones vector, and J_1 a name.
    if (!n || n.word || !/^[A-Za-z]/.test(n.name)) return undefined;
    this.pos = n.next;
    return { type: 'ident', name: n.name, style: n.style, span: { start: n.start, end: n.end } };
  }

  private spanFrom(t: Token): Span {
    return { start: t.start, end: this.lastEnd() };
  }

  private root(t: Token): Syntax {
    this.next();
    let index: Syntax | undefined;
    const open = this.peek();
    if (isSym(open, '[')) {
      this.next();
      index = this.expression();
      const c = this.peek();
      if (!isSym(c, ']')) this.fail(`expected ] to close \\sqrt[, found ${describe(c)}`, c);
      this.next();
    }
    const x = this.argument('\\sqrt', '\\sqrt needs an argument');
    const span = { start: t.start, end: this.lastEnd() };
    return index
      ? { type: 'call', fn: 'root', args: [x, index], span }
      : { type: 'call', fn: 'sqrt', args: [x], span };
  }

  // ---- brackets -----------------------------------------------------------

  /** Any bracket pair at the current token, `\left…\right` included. */
  private bracket(): Bracket {
    const open = this.next();
    const openKey = key(open);
    // The opener as messages show it (`(`, `\\left(`) is only made for a message.
    let delimiter = open;
    let spec: { kind: BracketKind; close: Closer; list?: boolean } | undefined;
    if (isCmd(open, 'left')) {
      delimiter = this.next();
      spec = LEFT_DELIMITERS.get(key(delimiter));
      if (!spec) this.fail(`unsupported delimiter ${describe(delimiter)} after \\left`, delimiter);
    } else {
      spec = OPENERS.get(openKey);
      if (!spec) this.fail(`unexpected ${describe(open)}`, open);
    }
    const list = spec.list ?? (spec.kind !== 'abs' && spec.kind !== 'norm');
    const saved = this.bar;
    this.bar = SELF_CLOSING.has(openKey) ? openKey : null;
    const close = spec.close;
    if (close.match(this.peek(), this.peek(1)))
      this.fail(`empty ${openerText(open, delimiter)}${close.display}`, this.peek());
    const items = [this.expression()];
    while (list && isSym(this.peek(), ',')) {
      this.next();
      items.push(this.expression());
    }
    const c = this.peek();
    if (!close.match(c, this.peek(1))) {
      this.fail(
        `expected ${close.display} to close ${openerText(open, delimiter)} opened at column ${open.start + 1}, found ${describe(c)}`,
        c,
      );
    }
    this.pos += close.width;
    this.bar = saved;
    return { kind: spec.kind, items, start: open.start, end: this.lastEnd(), list };
  }

  private shapeBracket(b: Bracket): Syntax {
    const span = { start: b.start, end: b.end };
    switch (b.kind) {
      case 'group':
        // `(a, b)` / `[a, b]` outside a call is a tuple of components: a vector-valued function
        // (a column, like a TypeScript array literal), so its Jacobian has one row per component.
        return b.items.length === 1
          ? b.items[0]
          : { type: 'matrix', rows: b.items.map((item) => [item]), span };
      case 'abs':
        return { type: 'call', fn: 'abs', args: b.items, span, written: '|·|' };
      case 'norm':
        return { type: 'norm', arg: b.items[0], p: 2, span };
      case 'inner':
        if (b.items.length !== 2) {
          throw errorAt(`\\langle … \\rangle needs two entries separated by a comma`, span);
        }
        return { type: 'inner', left: b.items[0], right: b.items[1], span };
    }
  }

  // ---- functions ----------------------------------------------------------

  /**
   * After a function's name: its scripts (`\sin^2`, `\sin^{-1}`, `\log_2`), then
   * its arguments in parentheses, or a `{…}` group, or the product chain after
   * it (`\sin 3x`, `\ln x + 1` = ln(x) + 1).
   */
  private application(canonical: string, display: string, start: Token): Syntax {
    if (canonical === 'ln' && isCmd(this.peek(), 'det')) {
      this.next();
      canonical = 'logdet';
      display += '\\det';
    }
    let power: Syntax | undefined;
    let base: Syntax | undefined;
    let inverted = false;
    let primes = 0;
    for (;;) {
      const t = this.peek();
      if (isSym(t, "'") && !power && !base) {
        this.next();
        primes++;
      } else if (isSym(t, '^')) {
        if (power || inverted || primes) this.fail('double superscript', t);
        this.next();
        const sup = this.superscript();
        if (typeof sup === 'string') this.fail(`unexpected transpose on ${display}`, t);
        const inverse = INVERSE_FUNCTIONS.get(canonical);
        inverted = inverse !== undefined && isMinusOne(sup);
        if (inverted) canonical = inverse as string;
        else power = sup;
      } else if (isSym(t, '_')) {
        if (canonical !== 'ln' || base) this.fail(`unexpected _ after ${display}`, t);
        this.next();
        base = this.argument(`${display}_`, `expected a base after ${display}_`);
      } else {
        break;
      }
    }
    const args = this.functionArguments(display);
    // \tanh'(x): the derivative of a known element-wise function, as f'(x) is of an abstract one.
    if (primes) {
      if (!Object.hasOwn(ELEMENTWISE, canonical) || args.length !== 1)
        this.fail(`${display}' is read only for a function of one scalar, such as \\tanh'(x)`, start);
      return {
        type: 'apply',
        name: canonical,
        style: 'plain',
        args,
        primes,
        span: { start: start.start, end: this.lastEnd() },
      };
    }
    if (base) {
      if (base.type === 'number' && (base.value === 2 || base.value === 10)) canonical = `log${base.value}`;
      else if (base.type === 'ident' && base.name === 'e' && base.style === 'plain') canonical = 'ln';
      else {
        canonical = 'log';
        args.push(base);
      }
    }
    const arity = MULTI_ARG_FUNCTIONS.get(canonical);
    const given = base && canonical === 'log' ? args.length - 1 : args.length;
    if (arity === undefined && given !== 1) this.fail(`${display} takes one argument, found ${given}`, start);
    if (arity !== undefined && given < arity)
      this.fail(`${display} needs at least ${arity} arguments`, start);
    const span = { start: start.start, end: this.lastEnd() };
    const call: Syntax =
      canonical === 'norm'
        ? { type: 'norm', arg: args[0], p: 2, span }
        : { type: 'call', fn: canonical, args, span };
    return power ? { type: 'binary', op: '^', left: call, right: power, span } : call;
  }

  private functionArguments(display: string): Syntax[] {
    const t = this.peek();
    if (isSym(t, '(') || isSym(t, '[') || isCmd(t, 'left')) {
      const b = this.bracket();
      return b.kind === 'group' && b.list ? b.items : [this.shapeBracket(b)];
    }
    if (isSym(t, '{')) return [this.argument(display, `${display} needs an argument`)];
    if (!this.startsFactor(t) && !isSym(t, '-')) this.fail(`${display} needs an argument`, t);
    return [this.functionChain()];
  }

  /** `\sin 3x y` = sin(3xy); the chain stops at the next function: `\sin x \cos y`. */
  private functionChain(): Syntax {
    let chain = this.signedFactor();
    while (this.startsFactor(this.peek()) && !this.startsFunction(this.pos)) {
      chain = binary('implicit', chain, this.factor());
    }
    return chain;
  }

  /** `f(x, y)` after the name `f` (and its primes): the arguments of an abstract function. */
  private abstractApplication(
    name: string,
    style: NameStyle | 'word',
    primes: number,
    start: number,
  ): Syntax {
    const b = this.bracket();
    const args = b.kind === 'group' && b.list ? b.items : [this.shapeBracket(b)];
    return { type: 'apply', name, style, args, primes, span: { start, end: this.lastEnd() } };
  }

  /** The `(` at the current token holds a list, `(a, b)`: after a name, that is a function's arguments. */
  private listFollows(): boolean {
    const open = isCmd(this.peek(), 'left') ? this.pos + 1 : this.pos;
    // Only right after the name: `t (x, y)` is a scalar times a tuple.
    return this.tokens[this.pos].start === this.lastEnd() && this.lists.has(open);
  }

  /** `\sum_{i=1}^{n} body`, `\sum_i body`; the body is a product chain, or one parenthesized factor. */
  private sum(t: Token): Syntax {
    this.next();
    let index: string | undefined;
    let from: Syntax | undefined;
    let to: Syntax | undefined;
    for (;;) {
      const s = this.peek();
      if (isSym(s, '_')) {
        if (index !== undefined) this.fail('double subscript', s);
        this.next();
        const braced = isSym(this.peek(), '{');
        const n = readName(this.tokens, this.pos + (braced ? 1 : 0), true);
        if (!n || n.word) {
          this.fail('expected the summation index, as in \\sum_{i=1}^{n}', this.peek(braced ? 1 : 0));
        }
        index = n.name;
        this.pos = n.next;
        if (isSym(this.peek(), ','))
          this.fail('a sum over several indices (\\sum_{i,j}) is not supported', this.peek());
        if (braced) {
          if (isSym(this.peek(), '=')) {
            this.next();
            from = this.expression();
          }
          const c = this.peek();
          if (!isSym(c, '}')) this.fail(`expected } to close \\sum_{, found ${describe(c)}`, c);
          this.next();
        }
      } else if (isSym(s, '^')) {
        if (to) this.fail('double superscript', s);
        this.next();
        to = this.argument('\\sum^', 'expected the upper limit after \\sum^');
      } else {
        break;
      }
    }
    if (index === undefined) this.fail('\\sum needs an index, as in \\sum_{i=1}^{n}', t);
    // The body is the whole product after the sum, up to the next + or −, brackets or not:
    // \sum_i (\mathbf{x}_i - \boldsymbol{\mu})(\mathbf{x}_i - \boldsymbol{\mu})^\top is one sum.
    const body = this.term();
    const span = { start: t.start, end: this.lastEnd() };
    const node: { type: 'sum'; index: string; body: Syntax; span: typeof span; from?: Syntax; to?: Syntax } =
      {
        type: 'sum',
        index,
        body,
        span,
      };
    if (from) node.from = from;
    if (to) node.to = to;
    return node;
  }

  // ---- environments -------------------------------------------------------

  private environmentName(at: Token): string {
    const open = this.next();
    if (!isSym(open, '{')) this.fail(`expected {name} after \\${at.text}`, open);
    let name = '';
    while (this.peek().kind === 'letter' || isSym(this.peek(), '*')) name += this.next().text;
    const c = this.peek();
    if (!isSym(c, '}') || name === '') this.fail(`expected {name} after \\${at.text}`, c);
    this.next();
    return name;
  }

  private environment(t: Token): Syntax {
    this.next();
    const name = this.environmentName(t);
    if (!MATRIX_ENVIRONMENTS.has(name)) {
      if (name === 'cases') this.fail('piecewise definitions (\\begin{cases}) are not supported', t);
      if (FORMULA_ENVIRONMENTS.has(name)) {
        this.fail(`\\begin{${name}} (several equations) is not supported here; select one equation`, t);
      }
      this.fail(`unknown environment ${name}`, t);
    }
    if (name === 'array') this.columnSpec();
    const saved = this.bar;
    this.bar = null;
    const rows: Syntax[][] = [];
    let row: Syntax[] = [];
    let emptyAt: Token | undefined;
    for (;;) {
      const c = this.peek();
      if (isSym(c, '&') || isCmd(c, '\\') || isCmd(c, 'end')) emptyAt ??= c;
      else row.push(this.expression());
      const sep = this.next();
      if (isSym(sep, '&')) continue;
      const last = isCmd(sep, 'end');
      if (!last && !isCmd(sep, '\\')) {
        this.fail(
          `expected \\end{${name}} to close \\begin{${name}} opened at column ${t.start + 1}, found ${describe(sep)}`,
          sep,
        );
      }
      // A row of nothing is the trailing `\\` (or a `\\\\` spacer): skipped.
      if (row.length > 0) {
        if (emptyAt) this.fail('empty matrix entry', emptyAt);
        if (rows.length > 0 && row.length !== rows[0].length) {
          this.fail(
            `matrix row ${rows.length + 1} has ${row.length} entries but row 1 has ${rows[0].length}`,
            sep,
          );
        }
        rows.push(row);
      }
      row = [];
      emptyAt = undefined;
      if (last) {
        const endName = this.environmentName(sep);
        if (endName !== name) {
          this.fail(`expected \\end{${name}} to close \\begin{${name}} opened at column ${t.start + 1}`, sep);
        }
        break;
      }
      if (isSym(this.peek(), '[')) this.skipBalanced('[', ']'); // `\\[2pt]`
    }
    this.bar = saved;
    if (rows.length === 0) this.fail(`empty ${name}`, t);
    const matrix: Syntax = { type: 'matrix', rows, span: { start: t.start, end: this.lastEnd() } };
    return name === 'vmatrix' ? { type: 'call', fn: 'det', args: [matrix], span: matrix.span } : matrix;
  }

  /** `\begin{array}{c|ll}`: the column spec says nothing about values. */
  private columnSpec(): void {
    if (isSym(this.peek(), '[')) this.skipBalanced('[', ']');
    if (!isSym(this.peek(), '{')) this.fail('\\begin{array} needs a column spec such as {cc}', this.peek());
    this.skipBalanced('{', '}');
  }

  private skipBalanced(open: string, close: string): void {
    const start = this.next();
    let depth = 1;
    for (;;) {
      const t = this.next();
      if (t.kind === 'eof')
        this.fail(`expected ${close} to close ${open} opened at column ${start.start + 1}`, t);
      if (isSym(t, open)) depth++;
      else if (isSym(t, close) && --depth === 0) return;
    }
  }
}

const LONGEST_FUNCTION_NAME = Math.max(...[...FUNCTION_NAMES.keys()].map((n) => n.length));

const NORM_INDEX: Readonly<Record<string, 1 | 2 | 'inf' | 'F'>> = nameTable({
  1: 1,
  2: 2,
  F: 'F',
  infty: 'inf',
});

const PROBABILITY_OPERATORS = new Map([
  ['E', 'an expectation'],
  ['P', 'a probability'],
  ['V', 'a variance'],
]);

function productOperator(t: Token): Op | undefined {
  if (t.kind === 'sym') return t.text === '*' ? '*' : t.text === '/' ? '/' : undefined;
  return t.kind === 'cmd' ? PRODUCT_OPERATORS.get(t.text) : undefined;
}

function binary(op: Op, left: Syntax, right: Syntax): Syntax {
  return { type: 'binary', op, left, right, span: { start: left.span.start, end: right.span.end } };
}

function isMinusOne(e: Syntax): boolean {
  return e.type === 'neg' && e.arg.type === 'number' && e.arg.value === 1;
}

/** `\nabla^9` is a typo, not a ninth derivative; and the work grows with the order. */
const MAX_DERIVATIVE_ORDER = 4;

/**
 * Letters that conventionally name functions: `f(x)` is f applied to x, where `a(b + c)` and
 * `x(1 - x)` stay products. (\sigma is the logistic function, read by the parser itself.)
 */
const FUNCTION_LETTERS = new Set(['f', 'g', 'h', 'F', 'G', 'H', 'phi', 'psi', 'ell']);

function isFunctionLetter(name: string): boolean {
  return FUNCTION_LETTERS.has(name.split('_')[0]);
}

/** Indices of the `(` tokens whose parentheses hold a comma at their own level, in one pass. */
function listParens(tokens: readonly Token[]): ReadonlySet<number> {
  let lists: Set<number> | undefined;
  // The open brackets' token indices, negated for `[` and `{` (whose commas make no list).
  const open: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'sym') continue;
    const c = t.text;
    if (c === '(') open.push(i);
    else if (c === '[' || c === '{') open.push(-1);
    else if (c === ')' || c === ']' || c === '}') open.pop();
    else if (c === ',' && open.length && open[open.length - 1] >= 0)
      (lists ??= new Set()).add(open[open.length - 1]);
  }
  return lists ?? NO_LISTS;
}

// Shared empty sets: most inputs have no lists and no applied names.
const NO_LISTS: ReadonlySet<number> = new Set();
const NO_NAMES: ReadonlySet<string> = new Set();

/** Names applied as a function somewhere in the input: to several arguments, or with primes. */
function appliedNames(tokens: readonly Token[], lists: ReadonlySet<number>): ReadonlySet<string> {
  // A name is applied only before a list or after a prime: most inputs have neither, and skip the scan.
  if (lists.size === 0 && !tokens.some((t) => isSym(t, "'"))) return NO_NAMES;
  let names: Set<string> | undefined;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].kind !== 'letter' && tokens[i].kind !== 'cmd') continue;
    const n = readName(tokens, i, true);
    if (!n || n.word) continue;
    let j = n.next;
    const primed = isSym(tokens[j], "'");
    while (isSym(tokens[j], "'")) j++;
    if (isCmd(tokens[j], 'left')) j++;
    const adjacent = tokens[j].start === tokens[j - 1].end;
    if (isSym(tokens[j], '(') && ((primed && n.style === 'plain') || (adjacent && lists.has(j))))
      (names ??= new Set()).add(n.name);
  }
  return names ?? NO_NAMES;
}
