/**
 * TeX → SVG with MathJax, bundled on its own (the desktop's `dist/mathjax.js`,
 * the web's `dist/web/mathjax.js`, which call `serveTypesetting` on their
 * channel) and run in a worker by `typeset.ts`: loading MathJax takes ~150 ms
 * and must never hold up the extension host or the first hover.
 */
import type { WorkerPort } from '../shared/workerPort';
import { mathjax } from 'mathjax-full/js/mathjax.js';
import { TeX } from 'mathjax-full/js/input/tex.js';
import { SVG } from 'mathjax-full/js/output/svg.js';
import { liteAdaptor } from 'mathjax-full/js/adaptors/liteAdaptor.js';
import { RegisterHTMLHandler } from 'mathjax-full/js/handlers/html.js';
// Only the TeX packages the core's LaTeX uses (matrices, \operatorname, \boldsymbol) and the verdicts of a
// derivation check (\textcolor), not all of them.
import 'mathjax-full/js/input/tex/base/BaseConfiguration.js';
import 'mathjax-full/js/input/tex/ams/AmsConfiguration.js';
import 'mathjax-full/js/input/tex/boldsymbol/BoldsymbolConfiguration.js';
import 'mathjax-full/js/input/tex/color/ColorConfiguration.js';

export interface TypesetRequest {
  readonly id: number;
  readonly tex: string;
  readonly display: boolean;
}

export type TypesetReply =
  { readonly id: number; readonly svg: string } | { readonly id: number; readonly error: string };

type Converter = (tex: string, display: boolean) => string;
let converter: Converter | undefined;

function createConverter(): Converter {
  const adaptor = liteAdaptor();
  RegisterHTMLHandler(adaptor);
  const tex = new TeX({
    packages: ['base', 'ams', 'boldsymbol', 'color'],
    // Report TeX errors to the caller instead of drawing them in red inside the image.
    // (MathJax's TexError is not an Error: keep only its message.)
    formatError: (_jax: unknown, error: { message: string }) => {
      throw new Error(error.message);
    },
  });
  // 'local' puts each glyph once in <defs>: a smaller data URL than inlining every use.
  const svg = new SVG({ fontCache: 'local' });
  const doc = mathjax.document('', { InputJax: tex, OutputJax: svg });
  return (source, display) => adaptor.innerHTML(doc.convert(source, { display }));
}

/** The `<svg>…</svg>` for `tex`; throws MathJax's message on TeX it cannot read. */
export function texToSvg(tex: string, display = true): string {
  converter ??= createConverter();
  return converter(tex, display);
}

/** Answers the host's `TypesetRequest`s on `port`. */
export function serveTypesetting(port: WorkerPort<TypesetRequest, TypesetReply>): void {
  port.onMessage((request) => {
    let reply: TypesetReply;
    try {
      reply = { id: request.id, svg: texToSvg(request.tex, request.display) };
    } catch (e) {
      reply = { id: request.id, error: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(reply);
  });
}
