import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LensError } from '../../../src/core/errors';
import { MAX_INPUT_LENGTH } from '../../../src/core/limits';
import type { Syntax } from '../../../src/core/parse/syntax';
import { parseTypeScript } from '../../../src/core/parse/typescript';

/** Compact s-expression of a tree: `(* (exp (* (neg x) x)) (cos y))`, matrices as `[a; b]` (rows). */
function sexp(node: Syntax): string {
  switch (node.type) {
    case 'number':
      return node.text;
    case 'ident':
      return node.name;
    case 'binary':
      return `(${node.op} ${sexp(node.left)} ${sexp(node.right)})`;
    case 'neg':
      return `(neg ${sexp(node.arg)})`;
    case 'call':
      return `(${node.fn} ${node.args.map(sexp).join(' ')})`;
    case 'matrix':
      return `[${node.rows.map((r) => r.map(sexp).join(' ')).join('; ')}]`;
    default:
      throw new Error(`the TypeScript front end never makes ${node.type}`);
  }
}

const body = (input: string): string => sexp(parseTypeScript(input).body);

function rejects(input: string, message: string): void {
  let error: unknown;
  try {
    parseTypeScript(input);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof LensError, `${JSON.stringify(input.slice(0, 60))} should fail with a LensError`);
  assert.equal(error.message, message);
}

describe('parseTypeScript: expressions', () => {
  test('numbers keep their written form', () => {
    assert.equal(body('0.5'), '0.5');
    assert.equal(body('1e-3'), '1e-3');
    assert.equal(body('.5'), '.5');
    const n = parseTypeScript('1e-3').body;
    assert.ok(n.type === 'number' && n.value === 0.001);
  });

  test('separators and non-decimal literals are shown as the decimal value', () => {
    assert.equal(body('1_000'), '1000');
    assert.equal(body('0x10'), '16');
  });

  test('identifiers, including subscript-like names', () => {
    assert.equal(body('x_1 * theta'), '(* x_1 theta)');
    const x = parseTypeScript('x').body;
    assert.deepEqual(x, { type: 'ident', name: 'x', style: 'plain', span: { start: 0, end: 1 } });
  });

  test('arithmetic with JavaScript precedence and associativity', () => {
    assert.equal(body('x + y * z - w / v'), '(- (+ x (* y z)) (/ w v))');
    assert.equal(body('x ** y ** z'), '(^ x (^ y z))');
    assert.equal(body('(x + y) * z'), '(* (+ x y) z)');
    assert.equal(body('x ** -2'), '(^ x (neg 2))');
  });

  test('unary minus nests, unary plus vanishes', () => {
    assert.equal(body('-x'), '(neg x)');
    assert.equal(body('-(x + 1)'), '(neg (+ x 1))');
    assert.equal(body('+x * 2'), '(* x 2)');
    assert.equal(body('(-x) ** 2'), '(^ (neg x) 2)');
  });

  test('type-only syntax is ignored', () => {
    assert.equal(body('x ** 2 as number'), '(^ x 2)');
    assert.equal(body('(x satisfies number) * y'), '(* x y)');
    assert.equal(body('x! + 1'), '(+ x 1)');
    assert.equal(body('<number>x * y'), '(* x y)');
  });

  test('the worked example', () => {
    assert.equal(body('Math.exp(-x*x) * Math.cos(y)'), '(* (exp (* (neg x) x)) (cos y))');
  });
});

describe('parseTypeScript: Math', () => {
  test('one-argument functions map to canonical names', () => {
    const names: Record<string, string> = {
      exp: 'exp',
      log: 'ln',
      log1p: 'log1p',
      log2: 'log2',
      log10: 'log10',
      sqrt: 'sqrt',
      cbrt: 'cbrt',
      abs: 'abs',
      sign: 'sign',
      sin: 'sin',
      cos: 'cos',
      tan: 'tan',
      asin: 'arcsin',
      acos: 'arccos',
      atan: 'arctan',
      sinh: 'sinh',
      cosh: 'cosh',
      tanh: 'tanh',
      asinh: 'arsinh',
      acosh: 'arcosh',
      atanh: 'artanh',
    };
    for (const [js, canonical] of Object.entries(names)) {
      assert.equal(body(`Math.${js}(x)`), `(${canonical} x)`, `Math.${js}`);
    }
  });

  test('pow is a power, atan2 keeps (y, x), expm1 is exp(x) - 1', () => {
    assert.equal(body('Math.pow(x, 3)'), '(^ x 3)');
    assert.equal(body('Math.atan2(y, x)'), '(atan2 y x)');
    assert.equal(body('Math.expm1(x)'), '(- (exp x) 1)');
  });

  test('hypot, max and min take any number of arguments', () => {
    assert.equal(body('Math.hypot(x, y)'), '(hypot x y)');
    assert.equal(body('Math.hypot(x, y, z)'), '(hypot x y z)');
    assert.equal(body('Math.hypot(x)'), '(abs x)');
    assert.equal(body('Math.max(x, y)'), '(max x y)');
    assert.equal(body('Math.min(x, 0, y)'), '(min x 0 y)');
    assert.equal(body('Math.max(x)'), 'x');
  });

  test('constants', () => {
    assert.equal(body('2 * Math.PI * r'), '(* (* 2 pi) r)');
    assert.equal(body('Math.E ** x'), '(^ e x)');
    assert.equal(body('Math.SQRT2'), '(sqrt 2)');
    assert.equal(body('Math.SQRT1_2'), '(sqrt (/ 1 2))');
    assert.equal(body('Math.LN2 + Math.LN10'), '(+ (ln 2) (ln 10))');
    assert.equal(body('Math.LOG2E * Math.LOG10E'), '(* (/ 1 (ln 2)) (/ 1 (ln 10)))');
  });

  test('a call spans the whole call', () => {
    assert.deepEqual(parseTypeScript('1 + Math.sin(x)').body, {
      type: 'binary',
      op: '+',
      left: { type: 'number', value: 1, text: '1', span: { start: 0, end: 1 } },
      right: {
        type: 'call',
        fn: 'sin',
        args: [{ type: 'ident', name: 'x', style: 'plain', span: { start: 13, end: 14 } }],
        span: { start: 4, end: 15 },
      },
      span: { start: 0, end: 15 },
    });
  });
});

describe('parseTypeScript: functions and statements', () => {
  const example = 'Math.exp(-x*x) * Math.cos(y)';
  const exampleTree = '(* (exp (* (neg x) x)) (cos y))';

  test('typed arrow function', () => {
    const input = `(x: number, y: number) => ${example}`;
    const parsed = parseTypeScript(input);
    assert.equal(sexp(parsed.body), exampleTree);
    assert.deepEqual(parsed.params, [
      { name: 'x', style: 'plain', span: { start: 1, end: 2 } },
      { name: 'y', style: 'plain', span: { start: 12, end: 13 } },
    ]);
    assert.equal(parsed.functionName, undefined);
  });

  test('const declaration keeps offsets into the original text', () => {
    const input = `const f = (x: number, y: number) => ${example};`;
    const parsed = parseTypeScript(input);
    assert.equal(sexp(parsed.body), exampleTree);
    assert.equal(parsed.functionName, 'f');
    assert.deepEqual(
      parsed.params?.map((p) => input.slice(p.span.start, p.span.end)),
      ['x', 'y'],
    );
    assert.equal(input.slice(parsed.body.span.start, parsed.body.span.end), example);
  });

  test('other arrow and function forms', () => {
    assert.deepEqual(
      parseTypeScript('x => x * x').params?.map((p) => p.name),
      ['x'],
    );
    assert.equal(body('(x, y) => { return x * y; }'), '(* x y)');
    assert.deepEqual(parseTypeScript('() => 1').params, []);
    const named = parseTypeScript('function g(t) { return Math.sin(t); }');
    assert.equal(named.functionName, 'g');
    assert.equal(sexp(named.body), '(sin t)');
    const anonymous = parseTypeScript('(function (t: number): number { return t; })');
    assert.equal(anonymous.functionName, undefined);
    assert.deepEqual(
      anonymous.params?.map((p) => p.name),
      ['t'],
    );
    assert.equal(parseTypeScript('const h = function (t) { return t; }').functionName, 'h');
    assert.equal(body('((x) => x * 2) as (x: number) => number'), '(* x 2)');
  });

  test('function declaration with types', () => {
    const parsed = parseTypeScript('function f(x: number): number { return x ** 2; }');
    assert.equal(parsed.functionName, 'f');
    assert.deepEqual(
      parsed.params?.map((p) => p.name),
      ['x'],
    );
    assert.equal(sexp(parsed.body), '(^ x 2)');
  });

  test('value declarations, return statements, trailing semicolons, exports', () => {
    const declared = parseTypeScript('let y = x * x;');
    assert.equal(sexp(declared.body), '(* x x)');
    assert.equal(declared.functionName, 'y');
    assert.equal(declared.params, undefined);
    assert.equal(body('return x + 1;'), '(+ x 1)');
    assert.equal(body('x * y;'), '(* x y)');
    assert.equal(parseTypeScript('export const f = (x: number) => x;').functionName, 'f');
    assert.deepEqual(
      parseTypeScript('export default (x: number) => x').params?.map((p) => p.name),
      ['x'],
    );
    assert.equal(body('// the loss\nx * x'), '(* x x)');
  });
});

describe('parseTypeScript: arrays', () => {
  test('a flat array is a column vector', () => {
    assert.equal(body('[x*y, Math.sin(x)]'), '[(* x y); (sin x)]');
  });

  test('nested arrays are rows', () => {
    assert.equal(body('[[a, b], [c, d]]'), '[a b; c d]');
    assert.equal(body('[[x, y]]'), '[x y]');
    assert.equal(body('(x, y) => [[x, y], [y, x]] as number[][]'), '[x y; y x]');
  });
});

describe('parseTypeScript: errors name the construct and its column', () => {
  const cases: [string, string][] = [
    ['', 'empty expression'],
    ['   ', 'empty expression'],
    ['// nothing', 'empty expression'],
    ['x > 0 ? x : -x', 'conditional expressions (?:) are not supported at column 7'],
    ['foo()', 'call to unknown function foo at column 1'],
    ['2 * sin(x)', 'call to unknown function sin (did you mean Math.sin?) at column 5'],
    ['a.norm(x)', 'call to unknown function a.norm at column 1'],
    ['Math.foo(x)', 'Math.foo is not supported at column 1'],
    ['1 + Math.floor(x)', 'Math.floor is not supported at column 5'],
    ['Math.TAU', 'Math.TAU is not supported at column 1'],
    ['Math.PI(x)', 'Math.PI is not a function at column 1'],
    ['Math.sin + 1', 'Math.sin must be called at column 1'],
    ['Math.sin(x, y)', 'Math.sin takes 1 argument, not 2 at column 1'],
    ['Math.pow(x)', 'Math.pow takes 2 arguments, not 1 at column 1'],
    ['Math.max()', 'Math.max needs at least 1 argument at column 1'],
    ['Math.max(...xs)', 'spread arguments (...) are not supported at column 10'],
    ['Math["sin"](x)', 'call to unknown function Math["sin"] at column 1'],
    ['x.length', 'property access (x.length) is not supported at column 1'],
    ['x[i] * 2', 'indexing (x[i]) is not supported at column 2'],
    ['y = x * x', 'assignments (=) are not supported at column 3'],
    ['x += 1', 'assignments (+=) are not supported at column 3'],
    ['x++', 'increment and decrement (++) are not supported at column 2'],
    ['`${x}`', 'template strings are not supported at column 1'],
    ['"x"', 'strings are not supported at column 1'],
    ['x & y', 'bitwise operators (&) are not supported at column 3'],
    ['~x', 'bitwise operators (~) are not supported at column 1'],
    ['x << 2', 'bitwise operators (<<) are not supported at column 3'],
    ['x^2', 'bitwise operators (^) are not supported; write x ** 2 for a power at column 2'],
    ['x < y', 'comparisons (<) are not supported at column 3'],
    ['(x) === y', 'comparisons (===) are not supported at column 5'],
    ['x % 2', 'the remainder operator (%) is not supported at column 3'],
    ['x && y', 'logical operators (&&) are not supported at column 3'],
    ['!x', 'logical operators (!) are not supported at column 1'],
    ['typeof x', 'the typeof operator is not supported at column 1'],
    ['x in y', 'the in operator is not supported at column 3'],
    ['(x, y)', 'comma expressions (a, b) are not supported at column 3'],
    ['true', 'booleans are not supported at column 1'],
    ['({ a: x })', 'object literals are not supported at column 2'],
    ['new Foo(x)', 'new expressions are not supported at column 1'],
    ['x?.y', 'optional chains (?.) are not supported at column 1'],
    ['x * NaN', 'NaN is not supported at column 5'],
    ['[]', 'empty arrays are not supported at column 1'],
    ['[x, , y]', 'empty array elements are not supported at column 1'],
    ['[[a, b], c]', 'an array mixes rows ([…]) and single entries at column 10'],
    ['[[a, b], [c]]', 'matrix rows differ in length (2 and 1 entries) at column 10'],
    ['[[[a]]]', 'arrays nested more than two levels are not supported at column 3'],
    ['x => y => x * y', 'nested functions are not supported at column 6'],
    ['async (x) => x', 'async functions are not supported at column 1'],
    ['(x = 1) => x', 'default parameter values are not supported at column 2'],
    ['(...xs) => xs', 'rest parameters are not supported at column 2'],
    ['({ x }) => x', 'destructured parameters are not supported at column 2'],
    ['(x) => { const y = x; return y; }', 'a function body must be a single return statement at column 10'],
    ['(x) => { }', 'a function body must be a single return statement at column 8'],
    ['const f = 1, g = 2;', 'declare one function or value at a time at column 14'],
    ['const { a } = b;', 'destructuring is not supported at column 7'],
    ['let y;', 'y has no value at column 5'],
    ['x; y', 'expected a single expression, function or declaration at column 4'],
    ['if (x) { y }', 'if statements are not supported at column 1'],
    ['return;', 'return needs a value at column 1'],
  ];
  for (const [input, message] of cases) {
    test(JSON.stringify(input), () => rejects(input, message));
  }

  test("Babel's syntax errors without its (line:column) suffix", () => {
    rejects('x +', 'Unexpected token at column 4');
    rejects('Math.exp(x', 'Unexpected token, expected "," at column 11');
    rejects('const f = (x) =>', 'Unexpected token at column 17');
    rejects(
      '-x ** 2',
      'Illegal expression. Wrap left hand side or entire exponentiation in parentheses. at column 2',
    );
  });

  test('the input is never run', () => {
    const before = (globalThis as { pwned?: boolean }).pwned;
    rejects('(globalThis.pwned = true)', 'assignments (=) are not supported at column 19');
    rejects(
      '(() => { globalThis.pwned = true; })()',
      'call to unknown function () => { globalThis.pwned = true; } at column 1',
    );
    assert.equal((globalThis as { pwned?: boolean }).pwned, before);
  });
});

describe('parseTypeScript: limits', () => {
  const elapsed = (f: () => void): number => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };

  test('too long', () => {
    const input = 'x+'.repeat(MAX_INPUT_LENGTH / 2) + 'x';
    rejects(input, `expression is too long (${input.length} characters; the limit is ${MAX_INPUT_LENGTH})`);
  });

  test('20,000 nested parentheses are refused in well under a second', () => {
    const input = '('.repeat(20_000) + 'x' + ')'.repeat(20_000);
    assert.ok(elapsed(() => assert.throws(() => parseTypeScript(input), LensError)) < 1000);
  });

  test('nesting is measured before parsing', () => {
    const parens = (n: number): string => '('.repeat(n) + 'x' + ')'.repeat(n);
    assert.equal(body(parens(200)), 'x');
    const ms = elapsed(() =>
      rejects(parens(4000), 'expression is nested too deeply (more than 200 levels) at column 201'),
    );
    assert.ok(ms < 1000, `${ms} ms`);
    rejects(
      '['.repeat(201) + 'x' + ']'.repeat(201),
      'expression is nested too deeply (more than 200 levels) at column 201',
    );
  });

  test('200 nested calls are fine, 201 are not', () => {
    const calls = (n: number): string => 'Math.sin('.repeat(n) + 'x' + ')'.repeat(n);
    assert.ok(body(calls(200)).startsWith('(sin (sin'));
    rejects(calls(201), 'expression is nested too deeply (more than 200 levels) at column 1809');
  });

  test('runs of unary operators count as nesting, separate terms do not', () => {
    rejects('- '.repeat(300) + 'x', 'expression is nested too deeply (more than 200 levels) at column 401');
    rejects(
      '-('.repeat(150) + 'x' + ')'.repeat(150),
      'expression is nested too deeply (more than 200 levels) at column 201',
    );
    const terms = Array.from({ length: 300 }, (_, i) => `-x${i}`).join(' + ');
    assert.ok(body(terms).startsWith('(+ (+'));
  });

  test('a stack overflow inside Babel on a long flat chain is reported as what it is, not as nesting', () => {
    const input = 'x+'.repeat(4999) + 'x';
    const ms = elapsed(() =>
      rejects(
        input,
        'expression is too long a chain of operators for the TypeScript parser; split it into shorter expressions',
      ),
    );
    assert.ok(ms < 1000, `${ms} ms`);
  });
});
