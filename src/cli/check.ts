/**
 * `jacobian-lens check FILE...`: every derivation step of Markdown or LaTeX
 * notes, one line per finding in the format linters use
 * (`notes.md:74:35: wrong: … does not hold; the left side is 2x`).
 * Exit codes: 0 nothing wrong, 1 a step is wrong, 2 unreadable input
 * (a missing file, a bad option).
 */
import { readFileSync } from 'node:fs';
import type { Layout } from '../core/api';
import { check } from '../notes/check';
import type { FileCheck, NoteFormat, StepCheck } from '../notes/api';

export const CHECK_USAGE = `usage: jacobian-lens check [options] FILE...

  checks every derivation step (A = B = C, &= lines, \\in \\mathbb{R}^{p \\times q} claims)
  --format latex|markdown         default: .tex/.latex files are LaTeX, all others Markdown
  --layout numerator|denominator  the layout the notes use (default numerator)
  --all                           print every step (default: wrong and layout-only steps)
  --json                          print {"files": [{"file", "steps": [...]}]} with every step
  -h, --help                      this text`;

interface CheckArgs {
  readonly files: readonly string[];
  readonly format?: NoteFormat | undefined;
  readonly layout?: Layout | undefined;
  readonly all: boolean;
  readonly json: boolean;
}

class CheckUsageError extends Error {}

function parseCheckArgs(argv: readonly string[]): CheckArgs | 'help' {
  const files: string[] = [];
  let format: NoteFormat | undefined;
  let layout: Layout | undefined;
  let all = false;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (allowed: readonly string[]): string => {
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new CheckUsageError(`${flag} needs a value`);
      if (!allowed.includes(v))
        throw new CheckUsageError(`${flag} must be one of ${allowed.join(', ')}, got '${v}'`);
      return v;
    };
    if (flag === '-h' || flag === '--help') return 'help';
    else if (flag === '--format') format = value(['latex', 'markdown']) as NoteFormat;
    else if (flag === '--layout') layout = value(['numerator', 'denominator']) as Layout;
    else if (flag === '--all') all = true;
    else if (flag === '--json') json = true;
    else if (flag === '--') {
      files.push(...argv.slice(i + 1));
      break;
    } else if (arg.startsWith('--')) throw new CheckUsageError(`unknown option ${flag}`);
    else files.push(arg);
  }
  if (files.length === 0) throw new CheckUsageError('no file given');
  return { files, format, layout, all, json };
}

/** `.tex`/`.latex` are LaTeX; everything else (`.md`, `.txt`, no extension) Markdown. */
export function formatOf(file: string): NoteFormat {
  return /\.(tex|latex)$/i.test(file) ? 'latex' : 'markdown';
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** One finding as a linter line. */
export function findingLine(file: string, step: StepCheck): string {
  const relation = step.rhs.startsWith('\\mathbb') ? '\\in' : '=';
  const claim = `${oneLine(step.lhs)} ${relation} ${oneLine(step.rhs)}`;
  const what =
    step.verdict === 'wrong'
      ? `${claim} does not hold; ${step.reason}`
      : step.verdict === 'layout'
        ? `${claim} ${step.reason}`
        : `${claim}: ${step.reason}`;
  return `${file}:${step.line}:${step.column}: ${step.verdict}: ${what}`;
}

/** A step as the JSON other tools rely on: exactly the keys (`expected` null unless wrong). */
function jsonStep(s: StepCheck) {
  return {
    line: s.line,
    column: s.column,
    lhs: s.lhs,
    rhs: s.rhs,
    verdict: s.verdict,
    layout: s.layout,
    reason: s.reason,
    expected: s.expected ?? null,
  };
}

export function runCheck(
  argv: readonly string[],
  out: (s: string) => void,
  err: (s: string) => void,
): number {
  let args: CheckArgs | 'help';
  try {
    args = parseCheckArgs(argv);
  } catch (e) {
    if (!(e instanceof CheckUsageError)) throw e;
    err(`jacobian-lens check: ${e.message}\n${CHECK_USAGE.split('\n')[0]}`);
    return 2;
  }
  if (args === 'help') {
    out(CHECK_USAGE);
    return 0;
  }
  const results: FileCheck[] = [];
  let unreadable = false;
  for (const file of args.files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      err(
        `jacobian-lens check: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
      unreadable = true;
      continue;
    }
    const steps = check(text, args.format ?? formatOf(file), { layout: args.layout });
    results.push({ file, steps });
    if (!args.json) {
      for (const step of steps)
        if (args.all || step.verdict === 'wrong' || step.verdict === 'layout') out(findingLine(file, step));
    }
  }
  if (args.json)
    out(JSON.stringify({ files: results.map((r) => ({ file: r.file, steps: r.steps.map(jsonStep) })) }));
  if (unreadable) return 2;
  return results.some((r) => r.steps.some((s) => s.verdict === 'wrong')) ? 1 : 0;
}
