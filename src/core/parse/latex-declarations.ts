/**
 * Declarations `\mathbf{x} \in \mathbb{R}^{n}`, `A \in \mathbb{R}^{m \times n}`,
 * `b \in \mathbb{R}`, `x\in\R^n`, `W \in R^{m\times n}`, and several names at
 * once: `\mathbf{x}, \mathbf{y} \in \mathbb{R}^n`. Symmetric matrices:
 * `\Sigma \in \mathbb{S}^n` (also `\mathbb{S}^n_{++}`, `\mathbb{S}^n_+`), and the
 * claims `\Sigma = \Sigma^\top`, `\Sigma^\top = \Sigma`, `\Sigma \succ 0`, `\Sigma \succeq 0`.
 */
import { errorAt } from '../errors';
import { requireWithinLength } from '../limits';
import type { DeclarationSyntax } from './syntax';
import { tokenize, type Token } from './latex-lexer';
import { isCmd, isSym, readName, readSubscript, transposeMarkAt, type NameMatch } from './latex-names';
import { stripMathDelimiters } from './latex-delimiters';
import { describe } from './latex-parser';

type SetResult = { dims: (number | string)[]; next: number; symmetric?: true } | { error: string; at: Token };

/** `\mathbb{R}`, `\mathbb R`, `\Bbb{R}`, `\R`, `\reals`, `R`, `ℝ` at token i: the index after it, else -1. */
function realsAt(tokens: readonly Token[], i: number): number {
  const t = tokens[i];
  if (isCmd(t, 'R') || isCmd(t, 'reals') || isCmd(t, 'Reals')) return i + 1;
  if (t.kind === 'letter') return t.text === 'R' ? i + 1 : -1;
  return blackboardAt(tokens, i, 'R');
}

/** `\mathbb{L}`, `\mathbb L`, `\Bbb{L}`, `\mathbf{L}` for the letter L at token i: the index after it, else -1. */
function blackboardAt(tokens: readonly Token[], i: number, letter: string): number {
  const t = tokens[i];
  if (!isCmd(t, 'mathbb') && !isCmd(t, 'Bbb') && !isCmd(t, 'mathbf')) return -1;
  const a = tokens[i + 1];
  if (a.kind === 'letter') return a.text === letter ? i + 2 : -1;
  return isSym(a, '{') && tokens[i + 2].text === letter && isSym(tokens[i + 3], '}') ? i + 4 : -1;
}

/** `_+`, `_{+}`, `_{++}` at token i (the positive (semi)definite cone): the index after it, else i. */
function coneAt(tokens: readonly Token[], i: number): number {
  if (!isSym(tokens[i], '_')) return i;
  if (isSym(tokens[i + 1], '+')) return i + 2;
  if (!isSym(tokens[i + 1], '{')) return i;
  let j = i + 2;
  while (isSym(tokens[j], '+')) j++;
  return j > i + 2 && isSym(tokens[j], '}') ? j + 1 : i;
}

/** `\mathbb{S}^n`, `\mathbb{S}^{n}_{++}`, `\mathbb{S}_+^n` at token i: n×n symmetric matrices. */
function symmetricSet(tokens: readonly Token[], i: number): SetResult | undefined {
  const after = blackboardAt(tokens, i, 'S');
  if (after < 0) return undefined;
  const j = coneAt(tokens, after);
  const missing = { error: 'expected the size of \\mathbb{S}, such as \\mathbb{S}^n', at: tokens[j] };
  if (!isSym(tokens[j], '^')) return missing;
  const braced = isSym(tokens[j + 1], '{');
  // Unbraced, the size is one token: the `_{++}` of `\mathbb{S}^n_{++}` is the cone's, not n's.
  const bare = tokens[j + 1];
  const size =
    braced || bare.kind === 'num'
      ? sizeAt(tokens, braced ? j + 2 : j + 1)
      : bare.kind === 'letter'
        ? { size: bare.text, next: j + 2 }
        : null;
  if (!size || (braced && !isSym(tokens[size.next], '}'))) return missing;
  return {
    dims: [size.size, size.size],
    next: coneAt(tokens, braced ? size.next + 1 : size.next),
    symmetric: true,
  };
}

/** `^\top` (any transpose mark, braced or not) at token i: the index after it, else -1. */
function transposedAt(tokens: readonly Token[], i: number): number {
  if (!isSym(tokens[i], '^')) return -1;
  const bare = transposeMarkAt(tokens, i + 1);
  if (bare >= 0 || !isSym(tokens[i + 1], '{')) return bare;
  const braced = transposeMarkAt(tokens, i + 2);
  return braced >= 0 && isSym(tokens[braced], '}') ? braced + 1 : -1;
}

/**
 * After the names at token i, a claim that they are symmetric and nothing more (no size):
 * `\succ 0`, `\succeq 0`, or, for one name Σ, `= Σ^\top` or `^\top = Σ`. The index after it, else -1.
 */
function symmetricClaimAt(tokens: readonly Token[], i: number, names: readonly NameMatch[]): number {
  const t = tokens[i];
  if ((isCmd(t, 'succ') || isCmd(t, 'succeq')) && tokens[i + 1].kind === 'num' && tokens[i + 1].text === '0')
    return i + 2;
  if (names.length !== 1) return -1;
  const same = (j: number) => {
    const n = readName(tokens, j, true);
    return n && !n.word && n.name === names[0].name && n.style === names[0].style ? n.next : -1;
  };
  if (isSym(t, '=')) {
    const j = same(i + 1);
    return j < 0 ? -1 : transposedAt(tokens, j);
  }
  const j = transposedAt(tokens, i);
  return j >= 0 && isSym(tokens[j], '=') ? same(j + 1) : -1;
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
  const symmetric = symmetricSet(tokens, i);
  if (symmetric) return symmetric;
  const after = realsAt(tokens, i);
  if (after < 0) {
    const t = tokens[i];
    const blackboard = isCmd(t, 'mathbb') || isCmd(t, 'Bbb');
    const error = blackboard
      ? 'only real spaces \\mathbb{R}, \\mathbb{R}^{n}, \\mathbb{R}^{m \\times n} and symmetric matrices \\mathbb{S}^{n} can be declared'
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
  symmetric?: true,
): DeclarationSyntax[] {
  return names.map((n) => ({
    name: n.name,
    style: n.style,
    dims,
    span: { start: n.start, end },
    ...(symmetric ? { symmetric } : {}),
  }));
}

/** A claim that ends a formula's statement (`\Sigma = \Sigma^\top,`), not one that goes on (`A = A^\top B`). */
function endsClaim(t: Token): boolean {
  return (
    t.kind === 'eof' ||
    t.kind === 'other' ||
    (t.kind === 'sym' && ',.;&$)'.includes(t.text)) ||
    isCmd(t, '\\') ||
    isCmd(t, 'quad') ||
    isCmd(t, 'qquad') ||
    isCmd(t, 'text')
  );
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
  const claim = symmetricClaimAt(tokens, i, names);
  if (claim < 0 && !isCmd(tokens[i], 'in'))
    fail(`expected \\in after the name, found ${describe(tokens[i])}`, tokens[i]);
  // A claim of symmetry alone declares no size: [] with `symmetric` (see DeclarationSyntax).
  const set: SetResult = claim >= 0 ? { dims: [], next: claim, symmetric: true } : readSet(tokens, i + 1);
  if ('error' in set) return fail(set.error, set.at);
  const t = tokens[set.next];
  if (t.kind !== 'eof' && !(isSym(t, ';') && tokens[set.next + 1].kind === 'eof')) {
    fail(`unexpected ${describe(t)} after the declaration`, t);
  }
  return declarations(names, set.dims, tokens[set.next - 1].end, set.symmetric);
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
    const claim = names.length > 0 && !afterComma ? symmetricClaimAt(tokens, i, names) : -1;
    // `\Sigma \succ 0` is a claim wherever it stands; `A = A^\top` only when nothing follows it.
    if (claim >= 0 && (t.kind === 'cmd' || endsClaim(tokens[claim]))) {
      found.push(...declarations(names, [], tokens[claim - 1].end, true));
      i = claim;
      names = [];
      continue;
    }
    if (isCmd(t, 'in') && names.length > 0 && !afterComma) {
      const set = readSet(tokens, i + 1);
      if ('dims' in set) {
        found.push(...declarations(names, set.dims, tokens[set.next - 1].end, set.symmetric));
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
