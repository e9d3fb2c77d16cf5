/**
 * `jacobian-lens [options] <expression>` — the command-line face of the core.
 * Exit codes: 0 success, 2 bad input or usage (one line on stderr, never a stack trace),
 * 3 when --check finds the derivative disagreeing with finite differences.
 * `jacobian-lens check FILE...` checks the derivations of notes (check.ts).
 */
import { differentiate, LensError, type DifferentiateOptions, type Value } from '../core';
import { isStackOverflow } from '../core/errors';
import { isValue } from '../core/value';
import { runCheck } from './check';

const USAGE = `usage: jacobian-lens [options] <expression>

  --lang latex|ts|python          input language (default: detect)
  --op gradient|jacobian|hessian|derivative|evaluate
                                  default: evaluate when the expression writes its derivatives
                                  (\\frac{\\partial}{\\partial x} …, \\nabla_x …), else gradient for a scalar
                                  function, Jacobian for a vector function
  --wrt a,b,...                   variables, as written (x, x_1, theta)
  --layout numerator|denominator  default numerator
  --at '<JSON object>'            values of all variables; prints the value of the result
  --let '<declaration>'           e.g. '\\mathbf{x} \\in \\mathbb{R}^{n}' (repeatable)
  --def '<definition>'            e.g. 'z = \\mathbf{w}^\\top\\mathbf{x} + b' (repeatable; a later one wins)
  --dims n=3,m=2                  concrete sizes
  --steps[=all]                   print the derivation step by step (=all: with every detail)
  --check                         compare with central finite differences at --at or a random point
  --emit ts|numpy|torch|jax       print the derivative as a TypeScript, NumPy, PyTorch or JAX function
  --json                          print one JSON object
  -h, --help                      this text

       jacobian-lens check [options] FILE...   check every derivation step of notes (check --help)`;

class UsageError extends Error {}

interface CliArgs {
  readonly expression: string;
  readonly options: DifferentiateOptions;
  readonly json: boolean;
  /** Which steps to print: the collapsed view or every detail. */
  readonly stepsView: 'key' | 'all';
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got '${value}'`);
  return value as T;
}

export function parseArgs(argv: readonly string[]): CliArgs | 'help' {
  const options: { -readonly [K in keyof DifferentiateOptions]: DifferentiateOptions[K] } = {};
  const declarations: string[] = [];
  const definitions: string[] = [];
  const positional: string[] = [];
  let json = false;
  let stepsView: 'key' | 'all' = 'key';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--json':
        json = true;
        break;
      case '--steps':
        options.steps = true;
        if (eq > 0) stepsView = oneOf(flag, value(), ['key', 'all'] as const);
        break;
      case '--check':
        options.check = true;
        break;
      case '--emit':
        options.emit = oneOf(flag, value(), ['ts', 'numpy', 'torch', 'jax'] as const);
        break;
      case '--lang':
        options.lang = oneOf(flag, value(), ['latex', 'ts', 'python'] as const);
        break;
      case '--op':
        options.op = oneOf(flag, value(), [
          'gradient',
          'jacobian',
          'hessian',
          'derivative',
          'evaluate',
        ] as const);
        break;
      case '--layout':
        options.layout = oneOf(flag, value(), ['numerator', 'denominator'] as const);
        break;
      case '--wrt':
        options.wrt = value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case '--at':
        options.at = parseAt(value());
        break;
      case '--let':
        declarations.push(value());
        break;
      case '--def':
        definitions.push(value());
        break;
      case '--dims':
        options.dims = parseDims(value());
        break;
      case '--':
        positional.push(...argv.slice(i + 1));
        i = argv.length;
        break;
      default:
        if (arg.startsWith('--')) throw new UsageError(`unknown option ${flag}`);
        positional.push(arg);
    }
  }
  if (declarations.length) options.declarations = declarations;
  if (definitions.length) options.definitions = definitions;
  if (positional.length === 0) throw new UsageError('no expression given');
  if (positional.length > 1) throw new UsageError('give the expression as one argument (quote it)');
  return { expression: positional[0], options, json, stepsView };
}

function parseAt(text: string): Record<string, Value> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--at needs a JSON object: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UsageError('--at needs a JSON object');
  for (const [k, v] of Object.entries(parsed)) {
    if (!isValue(v))
      throw new UsageError(
        `--at: the value of ${k} must be a number, an array of numbers or a rectangular array of arrays`,
      );
  }
  return parsed as Record<string, Value>;
}

function parseDims(text: string): Record<string, number> {
  const dims: Record<string, number> = {};
  for (const part of text.split(',')) {
    const m = /^\s*([A-Za-z]\w*)\s*=\s*(\d+)\s*$/.exec(part);
    if (!m || Number(m[2]) < 1)
      throw new UsageError(`--dims takes name=size pairs such as n=3,m=2; got '${part}'`);
    dims[m[1]] = Number(m[2]);
  }
  return dims;
}

function formatValue(v: Value): string {
  const n = (x: number) => String(Number(x.toPrecision(10)));
  if (typeof v === 'number') return n(v);
  if (typeof v[0] === 'number') return `[${(v as number[]).map(n).join(', ')}]`;
  return `[${(v as number[][]).map((r) => `[${r.map(n).join(', ')}]`).join(', ')}]`;
}

export function run(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  if (argv[0] === 'check') return runCheck(argv.slice(1), out, err);
  try {
    const args = parseArgs(argv);
    if (args === 'help') {
      out(USAGE);
      return 0;
    }
    const result = differentiate(args.expression, args.options);
    const status = result.check?.verdict === 'disagrees' ? 3 : 0;
    if (args.json) {
      out(JSON.stringify(result));
      return status;
    }
    const language = args.options.emit;
    const code = typeof language === 'string' ? result.code?.[language] : undefined;
    if (code !== undefined) {
      out(code.trimEnd());
      return status;
    }
    out(result.text);
    for (const d of result.definitions) out(`  where ${d.text}`);
    if (result.conditions.length) out(`  valid where ${result.conditions.map((c) => c.text).join(', ')}`);
    if (result.value !== undefined) out(`  value: ${formatValue(result.value)}`);
    const what =
      result.op === 'evaluate'
        ? 'the derivatives written, evaluated'
        : `${result.op} with respect to ${result.wrt.map((w) => `${w.name}: ${w.shape}`).join(', ')}`;
    const used = result.usedDefinitions
      ? `; using the definitions of ${result.usedDefinitions.join(', ')}`
      : '';
    out(`  (${what}; ${result.layout} layout${used})`);
    if (result.steps) {
      out('steps:');
      const shown = result.steps.filter((s) => args.stepsView === 'all' || s.key);
      shown.forEach((s, i) => {
        const indent = '  '.repeat(s.depth);
        out(`  ${i + 1}. ${indent}${s.text}`);
        out(`  ${' '.repeat(String(i + 1).length + 2)}${indent}${s.explanation}`);
      });
    }
    if (result.check) out(`  check: ${result.check.message}`);
    return status;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`jacobian-lens: ${e.message}\n${USAGE.split('\n')[0]}`);
      return 2;
    }
    if (e instanceof LensError) {
      err(`jacobian-lens: ${e.message}`);
      return 2;
    }
    if (isStackOverflow(e)) {
      err('jacobian-lens: expression is nested too deeply');
      return 2;
    }
    err(`jacobian-lens: internal error: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = run(
    process.argv.slice(2),
    (s) => console.log(s),
    (s) => console.error(s),
  );
}
