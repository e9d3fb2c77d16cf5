/**
 * What a hover says, as Markdown text. Pure (no `vscode`), so the wording,
 * the links and the escaping are unit-tested; `hover.ts` wraps it in a
 * `MarkdownString` whose trust is limited to `HOVER_COMMANDS`.
 */
import type { DifferentiateResult, Operation } from '../../core/api';
import { troubleMessage, type Trouble } from '../shared/engineProtocol';
import type { CommandTarget, FoundDeclaration } from '../shared/domain';

export const HOVER_COMMANDS = [
  'jacobianLens.openPanel',
  'jacobianLens.showSteps',
  'jacobianLens.copyLatex',
  'jacobianLens.chooseVariables',
] as const;

const OPERATION_TITLES: Readonly<Record<Operation, string>> = {
  gradient: 'Gradient',
  jacobian: 'Jacobian',
  hessian: 'Hessian',
  derivative: 'Derivative',
  evaluate: 'Value',
};

export function operationTitle(op: Operation): string {
  return OPERATION_TITLES[op];
}

/**
 * `jacobianLens.hover.enabled`: an object of language id → on/off (`"*"` for
 * the others, where only a selection is used) or an array of the language ids
 * where hovers are on. Anything else keeps hovers on.
 */
export function hoverEnabledFor(setting: unknown, languageId: string): boolean {
  if (Array.isArray(setting)) return setting.includes(languageId);
  if (typeof setting === 'object' && setting !== null) {
    const map = setting as Record<string, unknown>;
    const value = languageId in map ? map[languageId] : map['*'];
    return value !== false;
  }
  return setting !== false;
}

/** The TeX typeset in the hover: the derivative, then its conditions and named intermediates. */
export function hoverTex(result: DifferentiateResult): string {
  let tex = result.latex;
  if (result.conditions.length > 0) tex += `\\qquad (${result.conditions.map((c) => c.latex).join(',\\ ')})`;
  if (result.definitions.length === 0) return tex;
  const where = result.definitions.map((d) => d.definitionLatex).join(',\\quad ');
  return `\\begin{gathered}${tex}\\\\ \\text{where } ${where}\\end{gathered}`;
}

/** The plain-text result: the derivative, its conditions and its named intermediates. */
export function resultText(result: DifferentiateResult): string {
  let text = result.text;
  if (result.conditions.length > 0) text += `  (${result.conditions.map((c) => c.text).join(', ')})`;
  if (result.definitions.length > 0) text += `  where ${result.definitions.map((d) => d.text).join(', ')}`;
  return text;
}

/** How a 1-based line of the note is named for a person (in a notebook, with its cell). */
export type LineName = (line: number) => string;

export const lineName: LineName = (line) => `line ${line}`;

/**
 * The core's assumptions (operation, each variable's shape and why, layout),
 * with the document line of each declaration the core used.
 */
export function assumptionLines(
  result: DifferentiateResult,
  declarations: readonly FoundDeclaration[],
  named: LineName = lineName,
): string[] {
  const byName = new Map(declarations.map((d) => [d.name, d]));
  return result.assumptions.map((a) => {
    const d = a.reason === 'declared' && a.name !== undefined ? byName.get(a.name) : undefined;
    return d ? `${a.name}: ${a.shape} (declared ${d.latex}, ${named(d.line)})` : a.text;
  });
}

/** `uses z = \mathbf{w}^\top\mathbf{x} + b (line 4), …`: the note's definitions a formula or a chain used, each once. */
export function usesLine(
  definitions: readonly { readonly latex: string; readonly line: number }[],
  named: LineName = lineName,
): string {
  const seen = new Set<string>();
  const listed = definitions
    .map((d) => `${d.latex} (${named(d.line)})`)
    .filter((entry) => !seen.has(entry) && seen.add(entry));
  return `uses ${listed.join(', ')}`;
}

export function commandLink(title: string, command: string, target: CommandTarget): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify([target]))})`;
}

export interface HoverParts {
  readonly result: DifferentiateResult;
  readonly declarations: readonly FoundDeclaration[];
  /** The note's definitions the formula used. */
  readonly definitions?: readonly FoundDeclaration[];
  /** A `data:` URL of the typeset derivative; absent when typesetting was not ready in time. */
  readonly image?: string;
  readonly target: CommandTarget;
  readonly lineName?: LineName;
}

export function hoverMarkdown({
  result,
  declarations,
  definitions = [],
  image,
  target,
  lineName: named = lineName,
}: HoverParts): string {
  const text = resultText(result);
  const lines = [`**Jacobian Lens · ${operationTitle(result.op)}** of ${inlineCode(result.input.text)}`];
  // Alt text is read aloud: escape only what would end it, not every Markdown character.
  if (image) lines.push(`![${text.replace(/[[\]\\]/g, '\\$&')}](${image})`);
  lines.push(inlineCode(text));
  lines.push(`*${escapeMarkdown(assumptionLines(result, declarations, named).join(' · '))}*`);
  if (definitions.length > 0) lines.push(`*${escapeMarkdown(usesLine(definitions, named))}*`);
  lines.push(
    [
      commandLink('Open in panel', 'jacobianLens.openPanel', target),
      commandLink('Show steps', 'jacobianLens.showSteps', target),
      commandLink('Copy LaTeX', 'jacobianLens.copyLatex', target),
      commandLink('Choose variables…', 'jacobianLens.chooseVariables', target),
    ].join(' · '),
  );
  return lines.join('\n\n');
}

/**
 * The one line shown when the engine gave no answer in time or stopped; past the budget, a link to the panel,
 * which has more time.
 */
export function troubleMarkdown(trouble: Trouble, target: CommandTarget): string {
  const line = errorMarkdown(troubleMessage(trouble));
  if (trouble.kind !== 'timeout') return line;
  return `${line} — ${commandLink('open the panel', 'jacobianLens.openPanel', target)} to try with more time`;
}

/** The one line shown for bad input inside recognised math. */
export function errorMarkdown(message: string): string {
  return escapeMarkdown(`Jacobian Lens: ${message}`);
}

/** Backslash-escapes Markdown's punctuation so text (LaTeX included) shows as written. */
export function escapeMarkdown(s: string): string {
  return oneLine(s.replace(/[\\`*_{}[\]()#+\-.!|<>~$&]/g, (c) => `\\${c}`));
}

/**
 * Each run of white space with a line break in it becomes one space. Whole
 * runs are matched (`\s+` never backtracks), where `\s*\n\s*` would retry
 * from every space of a long run without a line break: quadratic.
 */
function oneLine(s: string): string {
  return s.replace(/\s+/g, (run) => (run.includes('\n') ? ' ' : run));
}

/** `code` with a backtick fence longer than any run of backticks inside it. */
export function inlineCode(s: string): string {
  const line = oneLine(s);
  // A loop, not Math.max(...runs): spreading hundreds of thousands of runs overflows the stack.
  let longest = 0;
  for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  return longest > 0 ? `${fence} ${line} ${fence}` : `${fence}${line}${fence}`;
}
