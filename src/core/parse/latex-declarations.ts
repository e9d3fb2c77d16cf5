/**
 * Declarations `\mathbf{x} \in \mathbb{R}^{n}`, `A \in \mathbb{R}^{m \times n}`,
 * `b \in \mathbb{R}`, `x\in\R^n`, `W \in R^{m\times n}`, and several names at
 * once: `\mathbf{x}, \mathbf{y} \in \mathbb{R}^n`.
 */
import { errorAt } from '../errors';
import { requireWithinLength } from '../limits';
import type { DeclarationSyntax } from './syntax';
import { tokenize, type Token } from './latex-lexer';
import { isCmd, isSym, readName, readSubscript, type NameMatch } from './latex-names';
import { stripMathDelimiters } from './latex-delimiters';
import { describe } from './latex-parser';

type SetResult = { dims: (number | string)[]; next: number } | { error: string; at: Token };

/** `\mathbb{R}`, `\mathbb R`, `\Bbb{R}`, `\R`, `\reals`, `R`, `ℝ` at token i: the index after it, else -1. */
function realsAt(tokens: readonly Token[], i: number): number {
  const t = tokens[i];
  if (isCmd(t, 'R') || isCmd(t, 'reals') || isCmd(t, 'Reals')) return i + 1;
  if (t.kind === 'letter') return t.text === 'R' ? i + 1 : -1;
  if (!isCmd(t, 'mathbb') && !isCmd(t, 'Bbb') && !isCmd(t, 'mathbf')) return -1;
  const a = tokens[i + 1];
  if (a.kind === 'letter') return a.text === 'R' ? i + 2 : -1;
  return isSym(a, '{') && tokens[i + 2].text === 'R' && isSym(tokens[i + 3], '}') ? i + 4 : -1;
}

/** One size: a positive integer or a size name (`n`, `K`, `bs`, `n_1`). */
function sizeAt(tokens: readonly Token[], i: number): { size: number | string; next: number } | null {
  const t = tokens[i];
  if (t.kind === 'num') {
    const v = Number(t.text);
    return Number.isInteger(v) && v > 0 ? { size: v, next: i + 1 } : null;
  }
  if (t.kind !== 'letter') return null;
  let name = t.text;
  let j = i + 1;
  while (tokens[j].kind === 'letter' && tokens[j].start === tokens[j - 1].end) name += tokens[j++].text;
  if (isSym(tokens[j], '_')) {
    const sub = readSubscript(tokens, j + 1);
    if (!sub) return null;
    name += '_' + sub.text;
    j = sub.next;
  }
  return { size: name, next: j };
}

/** The space after `\in` at token i. */
function readSet(tokens: readonly Token[], i: number): SetResult {
  const after = realsAt(tokens, i);
  if (after < 0) {
    const t = tokens[i];
    const blackboard = isCmd(t, 'mathbb') || isCmd(t, 'Bbb');
    const error = blackboard
      ? 'only real spaces \\mathbb{R}, \\mathbb{R}^{n}, \\mathbb{R}^{m \\times n} can be declared'
      : `expected \\mathbb{R} after \\in, found ${describe(t)}`;
    return { error, at: t };
  }
  if (!isSym(tokens[after], '^')) return { dims: [], next: after };
  const first = sizeAt(tokens, after + 1);
  if (first) return { dims: [first.size], next: first.next };
  if (!isSym(tokens[after + 1], '{'))
    return { error: 'expected a size such as n or 3', at: tokens[after + 1] };
  const dims: (number | string)[] = [];
  let j = after + 2;
  for (;;) {
    const s = sizeAt(tokens, j);
    if (!s) return { error: `expected a size such as n or 3, found ${describe(tokens[j])}`, at: tokens[j] };
    dims.push(s.size);
    j = s.next;
    const sep = tokens[j];
    if (isSym(sep, '}')) break;
    if (!isCmd(sep, 'times') && !isSym(sep, '*') && !isSym(sep, ',')) {
      return { error: `expected \\times or } in the size, found ${describe(sep)}`, at: sep };
    }
    j++;
  }
  if (dims.length > 2)
    return { error: 'only vectors and matrices can be declared (at most two sizes)', at: tokens[after] };
  return { dims, next: j + 1 };
}

function declarations(
  names: readonly NameMatch[],
  dims: (number | string)[],
  end: number,
): DeclarationSyntax[] {
  return names.map((n) => ({ name: n.name, style: n.style, dims, span: { start: n.start, end } }));
}

/** Tokens after which a name can begin a declaration; after others (`A y \in`, `M^T \in`) it ends an expression. */
const LIST_STARTS = new Set([
  'sym$',
  'sym,',
  'sym(',
  'sym[',
  'sym{',
  'sym;',
  'sym:',
  'sym&',
  'sym.',
  'cmd\\',
  'cmd(',
  'cmd[',
  'cmd{',
  'cmdforall',
  'cmdexists',
  'cmdcolon',
  'cmdmid',
]);

function startsList(tokens: readonly Token[], i: number): boolean {
  if (i === 0) return true;
  const p = tokens[i - 1];
  return p.kind === 'other' || LIST_STARTS.has(p.kind + p.text);
}

/** Every declaration in `text` (a formula, possibly in `$…$`); several names may share one `\in`. */
export function parseLatexDeclarations(text: string): DeclarationSyntax[] {
  requireWithinLength(text, 'declaration');
  const range = stripMathDelimiters(text);
  const tokens = tokenize(text, range.start, range.end);
  const fail = (message: string, t: Token): never => {
    throw errorAt(message, { start: t.start, end: t.end });
  };
  if (tokens[0].kind === 'eof') fail('empty declaration', tokens[0]);
  const names: NameMatch[] = [];
  let i = 0;
  for (;;) {
    const n = readName(tokens, i, true);
    if (!n || n.word) return fail(`expected a name to declare, found ${describe(tokens[i])}`, tokens[i]);
    names.push(n);
    i = n.next;
    if (!isSym(tokens[i], ',')) break;
    i++;
  }
  if (!isCmd(tokens[i], 'in')) fail(`expected \\in after the name, found ${describe(tokens[i])}`, tokens[i]);
  const set = readSet(tokens, i + 1);
  if ('error' in set) return fail(set.error, set.at);
  const t = tokens[set.next];
  if (t.kind !== 'eof' && !(isSym(t, ';') && tokens[set.next + 1].kind === 'eof')) {
    fail(`unexpected ${describe(t)} after the declaration`, t);
  }
  return declarations(names, set.dims, tokens[set.next - 1].end);
}

/** One declaration; several names sharing one `\in` are refused (use `parseLatexDeclarations`). */
export function parseLatexDeclaration(text: string): DeclarationSyntax {
  const all = parseLatexDeclarations(text);
  if (all.length > 1) {
    throw errorAt(`declares ${all.length} names; declare one name per entry`, all[1].span);
  }
  return all[0];
}

/**
 * Every declaration `names \in \mathbb{R}^…` in free text (a Markdown or LaTeX
 * document). One pass over the tokens: a list of names separated by commas
 * directly before `\in` is declared. Never throws; offsets are into `text`.
 */
export function findLatexDeclarations(text: string): DeclarationSyntax[] {
  const tokens = tokenize(text, 0, text.length, false);
  const found: DeclarationSyntax[] = [];
  let names: NameMatch[] = [];
  let afterComma = false;
  for (let i = 0; i < tokens.length - 1;) {
    const t = tokens[i];
    if (isCmd(t, 'in') && names.length > 0 && !afterComma) {
      const set = readSet(tokens, i + 1);
      if ('dims' in set) {
        found.push(...declarations(names, set.dims, tokens[set.next - 1].end));
        i = set.next;
      } else {
        i++;
      }
      names = [];
      continue;
    }
    if (isSym(t, ',') && names.length > 0 && !afterComma) {
      afterComma = true;
      i++;
      continue;
    }
    const n = afterComma || startsList(tokens, i) ? readName(tokens, i, true) : null;
    if (n && !n.word) {
      if (afterComma) names.push(n);
      else names = [n];
      afterComma = false;
      i = n.next;
    } else {
      names = [];
      afterComma = false;
      i++;
    }
  }
  return found;
}
