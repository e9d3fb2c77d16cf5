/**
 * The engine's worker: bundled on its own (the core and Babel inside; the
 * desktop's `dist/engineWorker.js` and the web's `dist/web/engineWorker.js`
 * call `serveEngine` on their channel) and started by `engineClient.ts`,
 * which bounds its time. It answers `WorkerRequest`s one at a time.
 */
import { DEFAULT_SETTINGS, expressionKey } from '../shared/documents';
import { candidateVariables, differentiateAt, differentiateMath, worthDifferentiating } from './engine';
import {
  HOVER_REGION_BUDGET_MS,
  type EngineAnswers,
  EngineRequest,
  SentOutcome,
  WorkerReply,
  WorkerRequest,
} from '../shared/engineProtocol';
import { chainAt, checkDocument } from './checks';
import { locateMath } from './locate';
import type { WorkerPort } from '../shared/workerPort';
import type { Outcome } from '../shared/domain';

/** One small formula per front end (LaTeX, TypeScript, Python), hovered before the worker says it is ready. */
const WARM_UP = [
  { text: '$\\mathbf{x}^\\top A \\mathbf{x} + \\sin(x y)$', languageId: 'markdown', where: 1 },
  { text: 'const f = (x: number) => Math.sin(x * x);', languageId: 'typescript', where: 30 },
  { text: 'import numpy as np\ndef f(x):\n    return np.sin(x @ x)\n', languageId: 'python', where: 40 },
];

export function answer<K extends EngineRequest['kind']>(
  request: Extract<EngineRequest, { kind: K }>,
): EngineAnswers[K];
export function answer(request: EngineRequest): EngineAnswers[EngineRequest['kind']] {
  switch (request.kind) {
    case 'hover': {
      const { doc, where, settings, remembered } = request;
      // On a chain (`A = B = C`) the hover says whether each step holds; a selection asks for a derivative.
      const chain =
        typeof where === 'number' ? chainAt(doc, where, settings, HOVER_REGION_BUDGET_MS) : undefined;
      if (chain) return chain;
      const outcome = differentiateAt(doc, where, settings, (math) => {
        const key = expressionKey(math);
        return Object.hasOwn(remembered, key) ? { wrt: remembered[key] } : {};
      });
      return outcome && sendable(outcome);
    }
    case 'locate': {
      const math = locateMath(request.doc.text, request.doc.languageId, request.where);
      return math && { math, worth: worthDifferentiating(math) };
    }
    case 'differentiate':
      return sendable(differentiateMath(request.doc, request.math, request.settings, request.overrides));
    case 'candidates':
      return candidateVariables(request.math);
    case 'check':
      return checkDocument(request.doc, request.settings);
    case 'chain':
      return chainAt(request.doc, request.where, request.settings);
  }
}

/** A core bug's error may not survive structured cloning: its stack text does. */
function sendable(outcome: Outcome): SentOutcome {
  if (outcome.kind === 'result') return outcome;
  const { internal, ...rest } = outcome;
  return internal === undefined ? rest : { ...rest, internal: describe(internal) };
}

function describe(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

function reply(message: WorkerRequest): WorkerReply {
  try {
    return { id: message.id, ok: true, answer: answer(message.request) };
  } catch (e) {
    return { id: message.id, ok: false, why: describe(e) };
  }
}

/** Answers the host's requests on `port`, after warming up. */
export function serveEngine(port: WorkerPort<WorkerRequest, WorkerReply>): void {
  port.onMessage((message) => {
    try {
      // Cloning reads the lazy `code` of a panel's result: computed here, in the worker, within the budget.
      port.postMessage(reply(message));
    } catch (e) {
      port.postMessage({ id: message.id, ok: false, why: describe(e) });
    }
  });
  // A small hover per front end before saying ready: a fresh worker's first request otherwise pays for
  // compiling that parser (Babel, lezer's tables), the rules and the printers, and a first hover in a
  // TypeScript or Python file ran past the 300 ms budget on a loaded machine (the replacement of a dropped
  // worker is asked at once, on a budget).
  for (const { where, ...doc } of WARM_UP)
    answer({ kind: 'hover', doc, where, settings: DEFAULT_SETTINGS, remembered: {} });
  port.postMessage({ ready: true });
}
