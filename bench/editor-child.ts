/**
 * The editor path in a fresh process, on the bundles the extension ships
 * (dist/, from `npm run build`): `node --import tsx bench/editor-child.ts <rounds>`
 * prints one JSON `EditorReport`.
 *
 * A hover is: a request to the engine's worker (dist/engineWorker.js, through
 * the extension's own client and its hover budget; the document goes with it)
 * to locate the math under the cursor + gather declarations + differentiate,
 * then TeX → SVG with MathJax (dist/mathjax.js, a worker in the extension),
 * colour/size the SVG, make the data URL and the hover's Markdown. Only VS
 * Code's own rendering is left out.
 *
 * Activation is measured by loading dist/extension.js and calling `activate`
 * with every `vscode` API call answered by a do-nothing stand-in: it counts the
 * extension's own work at activation, not VS Code's.
 */
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import vm from 'node:vm';
import { DEFAULT_SETTINGS } from '../src/extension/shared/documents';
import { EngineClient } from '../src/extension/host/engineClient';
import { HOVER_BUDGET_MS } from '../src/extension/shared/engineProtocol';
import { ENGINE_LIMITS, workerThreads } from '../src/extension/desktop/workerThreads';
import { hoverMarkdown, hoverTex } from '../src/extension/host/hoverContent';
import type * as MathJax from '../src/extension/typesetter/mathjax';
import { styleSvg, svgDataUri, ThemeKind } from '../src/extension/host/svg';
import { SCALAR_CORPUS } from './corpus';
import { contextStandIn, vscodeStandIn } from './vscodeStandIn';
import { median, nowUs, p95, timeOnce } from './stats';

export interface EditorReport {
  /** Start the engine's worker and load the engine in it, until its first answer. */
  readonly engineStartUs: number;
  readonly mathjaxLoadUs: number;
  /** The first hover: the core's code paths cold, MathJax's converter created on the way. */
  readonly firstHoverUs: number;
  readonly firstTypesetUs: number;
  readonly warm: {
    readonly p50: number;
    readonly p95: number;
    readonly coreP50: number;
    readonly coreP95: number;
    readonly typesetP50: number;
    readonly typesetP95: number;
  };
  readonly hovers: number;
  /** The engine's part of a hover on the same functions in a TypeScript and in a Python file (warm). */
  readonly code?: {
    readonly ts: { readonly p50: number; readonly p95: number };
    readonly python: { readonly p50: number; readonly p95: number };
  };
  readonly failures: readonly string[];
  readonly activationUs?: number;
  readonly activationError?: string;
  /** The web build's activation (dist/web/extension.js), in a V8 context without Node's globals. */
  readonly webActivationUs?: number;
  readonly webActivationError?: string;
}

const dist = path.join(__dirname, '..', 'dist');
const requireBundle = createRequire(__filename);
const load = <T>(file: string): { module: T; us: number } => {
  let module: T | undefined;
  const us = timeOnce(() => (module = requireBundle(path.join(dist, file)) as T));
  return { module: module!, us };
};

async function hover(engine: EngineClient, texToSvg: typeof MathJax.texToSvg, latex: string) {
  const text = `Consider $${latex}$ here.`;
  const doc = { text, languageId: 'markdown' };
  const offset = text.indexOf('$') + 1 + Math.floor(latex.length / 2);
  const asked = nowUs();
  const reply = await engine.request(
    { kind: 'hover', doc, where: offset, settings: DEFAULT_SETTINGS, remembered: {} },
    HOVER_BUDGET_MS,
  );
  const coreUs = nowUs() - asked;
  if (reply.kind !== 'done') throw new Error(`the engine's answer: ${reply.kind}`);
  const outcome = reply.answer;
  if (!outcome || outcome.kind !== 'result') {
    throw new Error(
      outcome?.kind === 'error'
        ? outcome.message
        : `no derivative under the cursor (${outcome?.kind ?? 'no math'})`,
    );
  }
  const result = outcome.result;
  const declarations = outcome.declarations;
  const typesetUs = timeOnce(() => {
    const uri = svgDataUri(styleSvg(texToSvg(hoverTex(result), true), ThemeKind.Dark, 1));
    hoverMarkdown({
      result,
      declarations,
      image: uri,
      target: { uri: 'file:///bench.md', start: offset, end: offset },
    });
  });
  return { coreUs, typesetUs };
}

/** The same functions as TypeScript and as NumPy, for hovers in code files (the function is the cursor's line). */
const CODE_CASES: readonly (readonly [ts: string, python: string])[] = [
  ['Math.exp(-x * x) * Math.cos(y)', 'np.exp(-x * x) * np.cos(y)'],
  ['Math.log(1 + Math.exp(x * y))', 'np.log(1 + np.exp(x * y))'],
  ['Math.tanh(w * x + b)', 'np.tanh(w * x + b)'],
  ['Math.sqrt(x * x + y * y)', 'np.sqrt(x * x + y * y)'],
  ['1 / (1 + Math.exp(-(w * x + b)))', '1 / (1 + np.exp(-(w * x + b)))'],
  ['Math.sin(x) ** 2 + Math.cos(y) ** 3', 'np.sin(x) ** 2 + np.cos(y) ** 3'],
];

/** A file of the language with each function in it, and where to hover each (inside its expression). */
function codeFile(language: 'ts' | 'python'): { text: string; offsets: number[] } {
  const lines = language === 'ts' ? [] : ['import numpy as np', ''];
  const offsets: number[] = [];
  CODE_CASES.forEach(([ts, python], i) => {
    const head =
      language === 'ts'
        ? `export const f${i} = (x: number, y: number, w: number, b: number) => `
        : `def f${i}(x, y, w, b):\n    return `;
    const body = language === 'ts' ? ts : python;
    const before = lines.join('\n').length + (lines.length ? 1 : 0);
    offsets.push(before + head.length + Math.floor(body.length / 2));
    lines.push(`${head}${body}${language === 'ts' ? ';' : ''}`, '');
  });
  return { text: lines.join('\n'), offsets };
}

/** The engine's time for a hover in a code file (locate + differentiate); the typesetting is as for any result. */
async function codeHover(engine: EngineClient, doc: { text: string; languageId: string }, offset: number) {
  const asked = nowUs();
  const reply = await engine.request(
    { kind: 'hover', doc, where: offset, settings: DEFAULT_SETTINGS, remembered: {} },
    HOVER_BUDGET_MS,
  );
  const us = nowUs() - asked;
  if (reply.kind !== 'done' || reply.answer?.kind !== 'result')
    throw new Error(`no derivative at ${offset} in ${doc.languageId}`);
  return us;
}

function activation(): number {
  const moduleApi = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = moduleApi._load;
  const vscode = vscodeStandIn();
  moduleApi._load = (request, ...rest) => (request === 'vscode' ? vscode : original(request, ...rest));
  try {
    const context = contextStandIn(dist);
    const us = timeOnce(() => {
      (requireBundle(path.join(dist, 'extension.js')) as { activate: (c: unknown) => void }).activate(
        context,
      );
    });
    // Cancels the MathJax warm-up timer activation starts (there is no worker file behind the stand-in).
    for (const d of context.subscriptions) d.dispose();
    return us;
  } finally {
    moduleApi._load = original;
  }
}

/** As the web extension host loads `browser`: CommonJS with `require('vscode')` only, no Node global. */
function webActivation(): number {
  const vscode = vscodeStandIn();
  const module = { exports: {} as { activate?: (c: unknown) => void } };
  const sandbox = vm.createContext({
    module,
    exports: module.exports,
    require: () => vscode,
    console,
    setTimeout,
    clearTimeout,
    crypto,
    performance,
  });
  const context = contextStandIn(dist);
  const us = timeOnce(() => {
    vm.runInContext(readFileSync(path.join(dist, 'web', 'extension.js'), 'utf8'), sandbox);
    module.exports.activate!(context);
  });
  for (const d of context.subscriptions) d.dispose();
  return us;
}

async function main(): Promise<EditorReport> {
  const rounds = Number(process.argv[2] ?? 5);
  let activationUs: number | undefined;
  let activationError: string | undefined;
  try {
    activationUs = activation();
  } catch (e) {
    activationError = e instanceof Error ? e.message : String(e);
  }
  let webActivationUs: number | undefined;
  let webActivationError: string | undefined;
  try {
    webActivationUs = webActivation();
  } catch (e) {
    webActivationError = e instanceof Error ? e.message : String(e);
  }
  const engine = new EngineClient(workerThreads(path.join(dist, 'engineWorker.js'), ENGINE_LIMITS));
  const started = nowUs();
  await engine.request(
    { kind: 'candidates', math: { text: 'x', range: { start: 0, end: 1 }, base: 0 } },
    60_000,
  );
  const engineStartUs = nowUs() - started;
  const mathjax = load<typeof MathJax>('mathjax.js');
  const first = await hover(engine, mathjax.module.texToSvg, SCALAR_CORPUS[0].latex);
  const total: number[] = [];
  const core: number[] = [];
  const typeset: number[] = [];
  const failures = new Set<string>();
  for (let r = 0; r < rounds; r++) {
    for (const c of SCALAR_CORPUS) {
      try {
        const t = await hover(engine, mathjax.module.texToSvg, c.latex);
        total.push(t.coreUs + t.typesetUs);
        core.push(t.coreUs);
        typeset.push(t.typesetUs);
      } catch (e) {
        failures.add(`${c.id}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  // Hovers in the two files alternate, so that both see the same load; the first pass warms the code paths.
  const code = { ts: [] as number[], python: [] as number[] };
  const files = (['ts', 'python'] as const).map((language) => {
    const { text, offsets } = codeFile(language);
    return { language, offsets, doc: { text, languageId: language === 'ts' ? 'typescript' : 'python' } };
  });
  for (let r = 0; r <= rounds; r++) {
    for (let k = 0; k < CODE_CASES.length; k++) {
      for (const { language, offsets, doc } of files) {
        try {
          const us = await codeHover(engine, doc, offsets[k]);
          if (r > 0) code[language].push(us);
        } catch (e) {
          failures.add(e instanceof Error ? e.message : String(e));
        }
      }
    }
  }
  engine.dispose();
  return {
    code: {
      ts: { p50: median(code.ts), p95: p95(code.ts) },
      python: { p50: median(code.python), p95: p95(code.python) },
    },
    engineStartUs,
    mathjaxLoadUs: mathjax.us,
    firstHoverUs: first.coreUs + first.typesetUs,
    firstTypesetUs: first.typesetUs,
    warm: {
      p50: median(total),
      p95: p95(total),
      coreP50: median(core),
      coreP95: p95(core),
      typesetP50: median(typeset),
      typesetP95: p95(typeset),
    },
    hovers: total.length,
    failures: [...failures],
    ...(activationUs !== undefined ? { activationUs } : {}),
    ...(activationError !== undefined ? { activationError } : {}),
    ...(webActivationUs !== undefined ? { webActivationUs } : {}),
    ...(webActivationError !== undefined ? { webActivationError } : {}),
  };
}

void main().then((report) => process.stdout.write(`${JSON.stringify(report)}\n`));
