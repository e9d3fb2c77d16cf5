/**
 * Reading a note (Markdown or LaTeX) the way a reader does: its math regions,
 * its sections, the names it defines and declares (with the part of the note
 * where each applies), and the claims its chains make — `A = B = C` link by
 * link, and shape claims `… \in \mathbb{R}^{p \times q}`.
 *
 * One pass over the text (the region scanner) and one over each region's
 * content, so reading is linear in the size of the note; nothing here
 * evaluates math (check.ts does).
 *
 * Definitions vs claims: a chain whose first sides are names (`y`,
 * `\mathbf{s}`, `f(x, y)`, `\hat{z}`) defines those names by the first side
 * that is not a name (`y = f(x) = x + x^2` defines y and f; a chain of names
 * only, `y = f(x)`, defines the first by the last). Every link after that
 * side is a claim: `\mathbf{s} = \operatorname{softmax}(\mathbf{x}) = …`
 * defines 𝐬 and claims that softmax(𝐱) equals the rest. A name with a prime,
 * a `^T` or any derivative notation is not a name here, so `f'(x) = …` and
 * `\frac{\partial z}{\partial x} = …` are claims.
 */
import { normalizeName } from '../core/derivation';
import { findLatexDeclarations } from '../core/parse/latex';
import { FUNCTION_NAMES } from '../core/parse/latex-tables';
import { ACCENTS, alternation, BOLD_COMMANDS, GREEK_COMMANDS, TEXT_COMMANDS } from '../core/vocabulary';
import type { NoteFormat, TextRange } from './api';
import { lineStarts, position } from './lines';
import {
  cleanLatex,
  documentRegions,
  regionAt,
  ENVIRONMENT_RE,
  RELATION_RE,
  splitEquations,
  topLevel,
  type MathRegion,
  type Piece,
} from './regions';

/** A side of a chain: its cleaned LaTeX and where it is in the note. */
export interface Side extends TextRange {
  readonly latex: string;
}

/** A claim of the note: `lhs = rhs`, or `lhs \in rhs` (rhs a set `\mathbb{R}^{p \times q}`). */
export interface Claim {
  readonly kind: 'equal' | 'shape';
  readonly lhs: Side;
  readonly rhs: Side;
  /** For a shape claim: every side the set is claimed for, in order (the first that evaluates is used). */
  readonly subjects: readonly Side[];
  /** The `=` or `\in`. */
  readonly relation: TextRange;
  /** The chain it belongs to (definitions of the same chain do not apply to it). */
  readonly chain: number;
  /** The region it is in (index into `Note.regions`). */
  readonly region: number;
}

/** A definition (`z = \mathbf{w}^\top\mathbf{x} + b`) or declaration (`\mathbf{x} \in \mathbb{R}^n`) of the note. */
export interface NoteStatement {
  /** Names it defines or declares, as the core names them (`x`, `z_hat`, `f`). */
  readonly names: readonly string[];
  /** What is passed to the core: `y = f(x) = x + x^2`, `\mathbf{x} \in \mathbb{R}^n`. */
  readonly latex: string;
  /** Where it is: it applies after this offset … */
  readonly start: number;
  /** … up to the end of its section. */
  readonly scopeEnd: number;
  /** 1-based line. */
  readonly line: number;
  /** The chain it comes from (-1 for a declaration found on its own). */
  readonly chain: number;
  /** A claim of symmetry alone (`\Sigma \succ 0`): it adds to the name's size declaration, never replaces it. */
  readonly symmetryClaim?: boolean;
}

export interface Note {
  readonly text: string;
  readonly format: NoteFormat;
  readonly regions: readonly MathRegion[];
  readonly claims: readonly Claim[];
  readonly definitions: readonly NoteStatement[];
  readonly declarations: readonly NoteStatement[];
  /** Line starts, for positions. */
  readonly lines: readonly number[];
}

/** What is in scope at a claim: the definitions and declarations that apply there, a later one of a name overriding an earlier one. */
/**
 * The definitions and declarations that apply to the math at `offset` (a hover on an expression
 * that uses names defined earlier): those of earlier regions whose section is still open there.
 */
export function scopeAt(
  note: Note,
  offset: number,
): { definitions: NoteStatement[]; declarations: NoteStatement[] } {
  const region = regionAt(note.regions, offset);
  return scopeBefore(note, region ? region.start : offset, -1);
}

export function inScope(
  note: Note,
  claim: Claim,
): { definitions: NoteStatement[]; declarations: NoteStatement[] } {
  // A region's own definitions apply to all of its claims: `\frac{dy}{dx} = \frac{dy}{du}\frac{du}{dx}, \ u = g(x)`.
  return scopeBefore(note, note.regions[claim.region].end, claim.chain);
}

/** Statements before `at` whose scope reaches it (not those of `chain`), a later one of a name overriding an earlier one. */
function scopeBefore(
  note: Note,
  at: number,
  chain: number,
): { definitions: NoteStatement[]; declarations: NoteStatement[] } {
  const pick = (all: readonly NoteStatement[]): NoteStatement[] => {
    const live = all.filter((s) => s.start < at && at <= s.scopeEnd && (chain < 0 || s.chain !== chain));
    // A name's symmetry claim and its size declaration are kept side by side (the latest of each).
    const slot = (s: NoteStatement, n: string) => (s.symmetryClaim ? `${n} ≻` : n);
    const last = new Map<string, NoteStatement>();
    for (const s of live) for (const n of s.names) last.set(slot(s, n), s);
    // Document order, so that a definition comes after those it uses.
    return live.filter((s) => s.names.some((n) => last.get(slot(s, n)) === s));
  };
  return { definitions: pick(note.definitions), declarations: pick(note.declarations) };
}

let noteCache: Note | undefined;

/** The note's reading; the last one is cached, since hovers and checks repeat on the same text. */
export function readNote(text: string, format: NoteFormat): Note {
  if (noteCache?.format === format && noteCache.text === text) return noteCache;
  noteCache = scanNote(text, format);
  return noteCache;
}

function scanNote(text: string, format: NoteFormat): Note {
  const lines = lineStarts(text);
  const regions = documentRegions(text, format);
  const sectionEnd = sectionEnds(text, format);
  const claims: Claim[] = [];
  const definitions: NoteStatement[] = [];
  const declarations: NoteStatement[] = [];
  const statement = (names: string[], latex: string, start: number, chain: number): NoteStatement => ({
    names,
    latex,
    start,
    scopeEnd: sectionEnd(start),
    line: position(lines, start).line,
    chain,
  });
  let chains = 0;
  /** The last side of the previous formula, which a formula starting with `=` continues. */
  let previous: Side | undefined;
  regions.forEach((region, r) => {
    const content = text.slice(region.contentStart, region.contentEnd);
    for (const piece of splitEquations(content, region.env).flatMap(arrayRows)) {
      const base = region.contentStart + piece.start;
      const cleaned = cleanLatex(piece.text);
      for (const d of findLatexDeclarations(cleaned)) {
        // One name per declaration: `\mathbf{w}, \mathbf{x} \in \mathbb{R}^n` declares w and x.
        const written = cleaned.slice(d.span.start, d.span.end);
        // A claim of symmetry (`\Sigma \succ 0`, `A^\top = A`) has no `\in`: it is restated as `Σ = Σ^\top`.
        const claim = d.symmetric && d.dims.length === 0;
        const end = claim
          ? /\s*(?:,|=|\\succ|\^\s*\{?\s*(?:\\top|\\intercal|\\mathsf|T))/
          : /\s*(?:,|\\in(?![a-zA-Z]))/;
        const name = written.slice(0, written.search(end));
        const set = written.slice(written.lastIndexOf('\\in') + 3).trim();
        const latex = claim ? `${name} = ${name}^\\top` : `${name} \\in ${set}`;
        declarations.push({
          ...statement([d.name], latex, base + d.span.start, -1),
          ...(claim ? { symmetryClaim: true } : {}),
        });
      }
      for (const formula of formulas(piece.text, cleaned)) {
        const sides = formula.sides.map((s) => side(cleaned, base, s));
        const links = formula.links.map((l) => ({ kind: l.kind, start: base + l.start, end: base + l.end }));
        let continued = false;
        if (sides[0].latex === '' && links[0]?.kind === '=') {
          // `&= …` continues the chain of the line before (or of the previous region: `$$= …$$`).
          if (previous) {
            sides[0] = previous;
            continued = true;
          } else {
            sides.shift();
            links.shift();
          }
        }
        previous = sides[sides.length - 1];
        if (previous.latex === '') previous = undefined;
        let from = 0;
        for (let k = 0; k <= links.length; k++) {
          if (k < links.length && links[k].kind !== 'other') continue;
          const chain = chains++;
          readChain(sides.slice(from, k + 1), links.slice(from, k), from === 0 && !continued, chain, r);
          from = k + 1;
        }
      }
    }
  });

  function readChain(
    sides: Side[],
    links: { kind: string; start: number; end: number }[],
    first: boolean,
    chain: number,
    region: number,
  ): void {
    // An empty side, or prose (`例如从n = 1000项后`) caught between two `$`: no claim.
    if (sides.some((s) => s.latex === '' || PROSE_RE.test(s.latex))) return;
    let prefix = 0;
    if (first)
      while (prefix < links.length && links[prefix].kind === '=' && isName(sides[prefix].latex)) prefix++;
    if (prefix > 0) {
      const heads = sides.slice(0, prefix);
      const body = sides[prefix];
      const names = heads.map((s) => nameOf(s.latex));
      if (usableDefinition(body.latex, names)) {
        const latex = [...heads, body].map((s) => s.latex).join(' = ');
        definitions.push(statement(names, latex, heads[0].start, chain));
      }
    }
    for (let j = prefix; j < links.length; j++) {
      const link = links[j];
      const relation = { start: link.start, end: link.end };
      if (link.kind === '=') {
        claims.push({
          kind: 'equal',
          lhs: sides[j],
          rhs: sides[j + 1],
          subjects: [sides[j]],
          relation,
          chain,
          region,
        });
      } else if (link.kind === 'in' && j === links.length - 1) {
        const set = sides[j + 1];
        if (prefix > 0 && j === prefix) {
          // `y = f(x) \in \mathbb{R}^q`: a definition that also declares its names' shape.
          for (const head of sides.slice(0, prefix).filter((s) => !s.latex.includes('('))) {
            declarations.push(
              statement([nameOf(head.latex)], `${head.latex} \\in ${set.latex}`, head.start, chain),
            );
          }
        } else if (!(j === 0 && sides[0].latex.split(',').every((n) => isName(n.trim())))) {
          const subjects = sides.slice(prefix, j + 1);
          claims.push({ kind: 'shape', lhs: subjects[0], rhs: set, subjects, relation, chain, region });
        }
      }
    }
  }

  return { text, format, regions, claims, definitions, declarations, lines };
}

/** `\begin{array}{l} u = … \\ v = … \end{array}` as the whole equation: one equation per row. */
const ARRAY_RE = /^(\s*\\begin\{array\}\s*\{[^{}]*\})([^]*)\\end\{array\}\s*$/;

function arrayRows(piece: Piece): Piece[] {
  const m = ARRAY_RE.exec(piece.text);
  if (!m) return [piece];
  const body = m[2];
  const rows: Piece[] = [];
  let from = 0;
  for (const b of [...topLevel(body).breaks, body.length]) {
    rows.push({ text: body.slice(from, b), start: piece.start + m[1].length + from });
    from = b + 2;
  }
  return rows;
}

/** CJK characters and full-width punctuation: prose, not math. */
const PROSE_RE = /[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]/;

/** Spacing around a side (`\quad 0 + 1 \quad`): not part of it. */
const SPACING_START_RE = /^(?:\s|~|\\(?:quad|qquad|[,;:! ])(?![a-zA-Z]))+/;
const SPACING_END_RE = /(?:\s|~|\\(?:quad|qquad|[,;:! ])(?![a-zA-Z]))+$/;

function side(cleaned: string, base: number, range: { start: number; end: number }): Side {
  const raw = cleaned.slice(range.start, range.end);
  const lead = SPACING_START_RE.exec(raw)?.[0].length ?? 0;
  const latex = raw.slice(lead).replace(SPACING_END_RE, '');
  const start = base + range.start + lead;
  return { latex, start, end: start + latex.length };
}

/** A definition the core can use: not a display of components (`x = [x_1, \dots, x_n]^T`), not of a name by itself. */
function usableDefinition(body: string, names: readonly string[]): boolean {
  if (/\\(c|v|d|l)?dots(?![a-zA-Z])|\\cdots|\\vdots|\\ddots/.test(body)) return false;
  const tokens = new Set(mentionedNames(body));
  return !names.some((n) => tokens.has(n));
}

const WRAPPERS = alternation([...BOLD_COMMANDS, ...TEXT_COMMANDS, ...ACCENTS.keys(), 'mathcal']);
const GREEK = alternation(GREEK_COMMANDS.keys());
/** One name: `x`, `\mathbf{x}`, `\theta`, `\hat{z}`, `x_1`, `W_{ij}`, `\mathbf{x}^{(j)}`, `W^{[l]}`. */
const NAME = `(?:\\\\(?:${WRAPPERS})\\s*\\{\\s*(?:\\\\(?:${GREEK})|[A-Za-z]+)\\s*\\}|\\\\(?:${GREEK})(?![A-Za-z])|[A-Za-z])(?:\\s*_\\s*(?:\\{[A-Za-z0-9,+\\-\\s]*\\}|[A-Za-z0-9]))?(?:\\s*\\^\\s*\\{\\s*(?:\\(|\\[|\\\\\\{)[A-Za-z0-9]*(?:\\)|\\]|\\\\\\})\\s*\\})?`;
/** A name (`\Delta x`, an increment, too) or a function of names: `f(x, y)`, `u(\mathbf{w}, b, \mathbf{x})`, `activation(z)`. */
const NAME_RE = new RegExp(
  `^((?:\\\\Delta\\s*)?${NAME}|[A-Za-z]{2,}(?=\\s*\\())(?:\\s*\\(\\s*${NAME}(?:\\s*,\\s*${NAME})*\\s*\\))?$`,
);
/** A name, or a command that is not one (skipped, so `\\frac` is not read as f, r, a, c). */
const NAME_TOKEN_RE = new RegExp(`(${NAME})|\\\\[A-Za-z]+`, 'g');

/** The names a formula mentions, as the core names them. */
export function mentionedNames(latex: string): string[] {
  // The T of a transpose `^T` is not a name.
  const text = latex.replace(TRANSPOSE_RE, ' ');
  return [...text.matchAll(NAME_TOKEN_RE)].flatMap((m) =>
    m[1] && !isFunctionWord(m[1]) ? [normalizeName(m[1])] : [],
  );
}

/** `\operatorname{sign}`, `\text{diag}`, `\mathrm{softmax}`: a function's name, not a variable. */
function isFunctionWord(written: string): boolean {
  const word =
    /^\\(?:operatorname|text|mathrm|textrm|mathsf|textsf|textit|mathit)\s*\{\s*([A-Za-z]{2,})\s*\}$/.exec(
      written,
    );
  return word !== null || FUNCTION_NAMES.has(normalizeName(written).toLowerCase());
}

const TRANSPOSE_RE = /\^\s*(?:\{\s*(?:T|\\top|\\intercal|\\mathsf\s*\{\s*T\s*\}|\*)\s*\}|T|\\top|\*)/g;

/** The variables a formula differentiates by: `x` of `\frac{\partial f}{\partial x}`, `\frac{d}{dx}`, `\nabla_{\mathbf{x}}`, `D_x`. */
export function differentiatedBy(latex: string): string[] {
  return [...latex.matchAll(WRT_RE)].map((m) => normalizeName(m[1] ?? m[2]));
}

const WRT_RE = new RegExp(
  `\\\\[dt]?frac\\s*\\{[^{}]*(?:\\{[^{}]*\\}[^{}]*)*\\}\\s*\\{\\s*(?:\\\\partial|d|\\\\mathrm\\s*\\{\\s*d\\s*\\})\\s*\\{?\\s*(${NAME})|(?:\\\\nabla|\\\\triangledown|D)\\s*_\\s*\\{?\\s*(${NAME})`,
  'g',
);
/** A name followed by `(`, perhaps primed (`f(`, `h'(`, `\mathbf{f}(`, `activation(`), but not a command's name (`\sin(`). */
const APPLIED_RE = new RegExp(
  `(?<![A-Za-z\\\\])(${NAME}|[A-Za-z]{2,})\\s*(?:'|′)*\\s*(?:\\\\left\\s*)?\\(`,
  'g',
);
/** Letters that name functions in notes: `f(x)` is f applied to x, while `x(1 - x)` is a product. */
const FUNCTION_LETTER_RE = /^(?:f|g|h|F|G|H|phi|varphi|psi|ell)(?:_.*)?$/;

/**
 * Names the formula applies like functions: a function letter (`f(x)`, `g_1(z)`), a primed name
 * (`y'(z)`), a bold or multi-letter name (`\mathbf{f}(\mathbf{x})`, `activation(z)`), or any name given several
 * arguments (`u(\mathbf{w}, b)`); not the core's own functions (`\sigma(z)`, `softmax(x)`).
 */
export function appliedNames(latex: string): string[] {
  const out: string[] = [];
  for (const m of latex.matchAll(APPLIED_RE)) {
    const name = normalizeName(m[1]);
    if (FUNCTION_NAMES.has(name.toLowerCase())) continue;
    const bold = /^\\(?:mathbf|boldsymbol|bm|textbf|vec|pmb)/.test(m[1]);
    if (
      FUNCTION_LETTER_RE.test(name) ||
      bold ||
      /['′]/.test(m[0]) ||
      (name.length > 1 && !name.includes('_')) ||
      hasComma(latex, m.index + m[0].length)
    )
      out.push(name);
  }
  return out;
}

/** Whether the parenthesis opened just before `from` holds a top-level comma. */
function hasComma(latex: string, from: number): boolean {
  let depth = 0;
  for (let i = from; i < latex.length; i++) {
    const c = latex[i];
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      if (depth === 0) return false;
      depth--;
    } else if (c === ',' && depth === 0) return true;
  }
  return false;
}

/** `J_f`, `\mathbf{J}_{\mathbf{x}}`: the Jacobian, derivative notation rather than a name. */
const JACOBIAN_RE = /^(?:J|\\mathbf\s*\{\s*J\s*\}|\\boldsymbol\s*\{\s*J\s*\})\s*_/;

export function isName(latex: string): boolean {
  // `\operatorname{softmax}(x)`, `\sigma(z)` are the core's functions, not names to define.
  return NAME_RE.test(latex) && !JACOBIAN_RE.test(latex) && !FUNCTION_NAMES.has(nameOf(latex).toLowerCase());
}

/** The name a head defines: `f` for `f(x, y)`, `x` for `\mathbf{x}`. */
function nameOf(latex: string): string {
  const m = NAME_RE.exec(latex);
  return normalizeName(m ? m[1] : latex);
}

interface Formula {
  /** Ranges in the piece; `sides.length === links.length + 1`. */
  readonly sides: { start: number; end: number }[];
  readonly links: { kind: '=' | 'in' | 'other'; start: number; end: number }[];
}

/**
 * The formulas of one equation (`f(x) = … \quad g(x) = …` is two) with their
 * top-level relations. `raw` is the equation as written (a leading `=` or
 * `&=` says it continues the previous line); `cleaned` the same length with
 * labels, `&` and `\\` blanked.
 */
function formulas(raw: string, cleaned: string): Formula[] {
  const out: Formula[] = [];
  let current: Formula = { sides: [], links: [] };
  let start = 0;
  const cut = (end: number) => current.sides.push({ start, end });
  const lead = /^[\s&]*=/.exec(raw);
  if (lead) {
    cut(lead[0].length - 1);
    current.links.push({ kind: '=', start: lead[0].length - 1, end: lead[0].length });
    start = lead[0].length;
  }
  let depth = 0;
  const s = cleaned;
  for (let i = lead ? lead[0].length : 0; i < s.length; i++) {
    const c = s[i];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth = Math.max(0, depth - 1);
    else if (c === '\\') {
      ENVIRONMENT_RE.lastIndex = i;
      const env = ENVIRONMENT_RE.exec(s);
      if (env) {
        depth = s[i + 1] === 'b' ? depth + 1 : Math.max(0, depth - 1);
        i += env[0].length - 1;
        continue;
      }
      const command = /^\\([a-zA-Z]+|.)/.exec(s.slice(i, i + 40));
      const name = command ? command[1] : '';
      if (depth === 0) {
        const separator = separatorAt(s, i, name);
        if (separator > 0) {
          cut(i);
          if (current.sides.length > 1) out.push(current);
          current = { sides: [], links: [] };
          start = i + separator;
          i += separator - 1;
          continue;
        }
        RELATION_RE.lastIndex = i;
        if (RELATION_RE.test(s)) {
          cut(i);
          current.links.push({ kind: name === 'in' ? 'in' : 'other', start: i, end: i + name.length + 1 });
          start = i + name.length + 1;
        }
      }
      i += Math.max(1, name.length);
    } else if (depth === 0 && (c === '=' || c === '<' || c === '>')) {
      // `:=` defines as `=` does; `<`/`>` are relations a chain cannot cross.
      // `\\not=` and `\\neq`-like spellings are not equalities.
      const kind = c === '=' && !/\\not\s*$/.test(s.slice(Math.max(0, i - 8), i)) ? '=' : 'other';
      cut(s[i - 1] === ':' ? i - 1 : i);
      current.links.push({ kind, start: i, end: i + 1 });
      start = i + 1;
    }
  }
  cut(s.length);
  if (current.sides.length > 1) out.push(current);
  return out;
}

/** Length of a separator between formulas at `i` (`\quad`, `\qquad`, `\ \ `, a prose `\text{…}`), else 0. */
function separatorAt(s: string, i: number, command: string): number {
  const spacing =
    command === 'quad' || command === 'qquad'
      ? command.length + 1
      : command === ' ' && s.startsWith('\\ ', i + 2)
        ? /^(\\ )+/.exec(s.slice(i))![0].length
        : 0;
  // `u \quad=\quad \max(0, z)`: spacing around a relation, not between two formulas.
  if (spacing) return /[=&]\s*$/.test(s.slice(0, i)) || /^\s*[=&]/.test(s.slice(i + spacing)) ? 0 : spacing;
  if (command === 'text') {
    // `\text{标注: }`, `\text{ where }`: prose inside the math ends a formula.
    const m = /^\\text\s*\{([^{}]*)\}/.exec(s.slice(i, i + 200));
    if (m && (/[^ -~]|:/.test(m[1]) || /^\s|\s$/.test(m[1]))) return m[0].length;
  }
  return 0;
}

/** Markdown headings `#`…`######`; LaTeX sectioning commands from `\part` to `\subparagraph`. */
const LATEX_LEVELS = [
  'part',
  'chapter',
  'section',
  'subsection',
  'subsubsection',
  'paragraph',
  'subparagraph',
];
const LATEX_HEADING_RE = new RegExp(`\\\\(${LATEX_LEVELS.join('|')})\\*?\\s*[[{]`, 'g');
const MARKDOWN_HEADING_RE = /^ {0,3}(#{1,6})(?:[ \t]|$)/gm;
const FENCE_LINE_RE = /^ {0,3}(`{3,}|~{3,})/gm;

/**
 * For an offset, where its section ends: at the next heading of the same or a
 * higher level than the heading it is under, or at the end of the note (and
 * before the first heading, the whole note).
 */
function sectionEnds(text: string, format: NoteFormat): (offset: number) => number {
  const headings: { start: number; level: number }[] = [];
  if (format === 'markdown') {
    const fences = [...text.matchAll(FENCE_LINE_RE)].map((m) => m.index);
    let f = 0;
    let inFence = false;
    for (const m of text.matchAll(MARKDOWN_HEADING_RE)) {
      // A `#` line inside a code fence is code, not a heading.
      while (f < fences.length && fences[f] < m.index) {
        inFence = !inFence;
        f++;
      }
      if (!inFence) headings.push({ start: m.index, level: m[1].length });
    }
  } else {
    for (const m of text.matchAll(LATEX_HEADING_RE)) {
      const lineStart = text.lastIndexOf('\n', m.index) + 1;
      if (!text.slice(lineStart, m.index).includes('%'))
        headings.push({ start: m.index, level: LATEX_LEVELS.indexOf(m[1]) });
    }
  }
  // Each heading's section end, with a stack of open sections: linear.
  const ends = headings.map(() => text.length);
  const open: number[] = [];
  headings.forEach((h, k) => {
    while (open.length && headings[open[open.length - 1]].level >= h.level) ends[open.pop()!] = h.start;
    open.push(k);
  });
  return (offset) => {
    let lo = 0;
    let hi = headings.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (headings[mid].start <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? text.length : ends[lo - 1];
  };
}
