/**
 * Webview script of the Jacobian Lens panel and side view: draws the model the
 * extension sends (`ViewModel`, protocol.ts) with KaTeX and sends the person's
 * choices back. No framework; KaTeX is the global `katex` loaded by the script
 * tag before this bundle (media/vendor/katex). Bundled for the browser by
 * scripts/build.mjs into dist/webview/panel.js.
 *
 * Stable DOM, for end-to-end tests (do not rename):
 *   body[data-mode="panel"|"view"]
 *   #message            empty/error text (.message; .error when it is an error)
 *   #title              "Gradient (vector(2))"
 *   #input              the input as understood (KaTeX: .katex inside)
 *   #assumptions        <ul> of assumption lines
 *   #result             the derivative (KaTeX: .katex inside); data-latex has its source
 *   #expanded           component form, when sizes are known
 *   #definitions, #conditions, #value
 *   #operation          <select>: auto | gradient | jacobian | hessian
 *   #layout-numerator, #layout-denominator   radio buttons (name="layout")
 *   #variables          input.variable[type=checkbox][data-name]
 *   #point, #evaluate   a point (`x=1, y=2` or JSON) and its button (in the panel it also runs the check)
 *   #copy-latex, #copy-text, #copy-code      copy buttons (#copy-code: the TypeScript function)
 *   #copy-numpy         copy the NumPy function (jax.numpy for input that calls JAX)
 *   #copy-torch         copy the PyTorch function
 * Panel only ("Show the work"; hidden in the view):
 *   #steps-section      <details>, closed until opened (then the steps are computed); [open] when shown
 *   #steps              <ol> of li.step[data-rule][data-depth]: .step-math (KaTeX, data-latex) + .step-explanation
 *   #steps-toggle       "Show all steps" / "Show key steps only"; hidden when every stage is a key stage
 *   #steps-message      why there are no steps, or "Working out the steps…"
 *   #check              data-verdict="agrees"|"disagrees"|"not-differentiable"|"unavailable";
 *                       #check-verdict, #check-error (max relative error), #check-where (the point), #check-detail
 *   #layouts-both       checkbox in the layout fieldset; its label is hidden when the layout does not matter
 *   #layouts-section    both layouts: #layouts-numerator, #layouts-denominator (KaTeX, data-latex),
 *                       #layouts-numerator-shape, #layouts-denominator-shape, #layouts-relation (one sentence)
 *   #history            (view) .history-item[data-index] buttons
 *   .render-error       a KaTeX parse error, shown under the formula
 * Panel on a chain `A = B = C` (then #content is hidden):
 *   #chain-section      #chain-summary ("3 steps: 1 wrong, 2 hold"), #chain-used (definitions used)
 *   #chain              <ol> of li.chain-step[data-verdict="holds"|"wrong"|"layout"|"unchecked"][data-line]:
 *                       .chain-mark (✓ ✗ ⇄ ?), .chain-math (KaTeX, data-latex), .chain-text,
 *                       .chain-expected (KaTeX, data-latex: the correct right side of a wrong step)
 */
import type {
  ChainModel,
  CheckModel,
  LayoutsModel,
  OperationChoice,
  SavedState,
  ShowMessage,
  StepsModel,
  ViewModel,
  WebviewMessage,
} from './protocol';

/** The part of the webview API this script uses (VS Code injects `acquireVsCodeApi`). */
interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}

/** The part of KaTeX's API this script uses. */
interface Katex {
  render(tex: string, target: HTMLElement, options: Record<string, unknown>): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const katex = (window as unknown as { katex: Katex }).katex;
const app = byId('app');
const panelMode = document.body.getAttribute('data-mode') === 'panel';
/** The model shown last (the steps section's toggle event compares with it). */
let current: ViewModel | undefined;

const post = (message: WebviewMessage) => vscode.postMessage(message);

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

function el(tag: string, attrs: Record<string, string> = {}, children: (Node | string)[] = []): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

/** Typesets `tex` into `target`; a TeX error is shown in words under the source, never thrown. */
function math(target: HTMLElement, tex: string, display: boolean): void {
  target.replaceChildren();
  target.setAttribute('data-latex', tex);
  const options = { displayMode: display, throwOnError: true, trust: false, strict: 'ignore' };
  try {
    katex.render(tex, target, options);
  } catch (e) {
    katex.render(tex, target, { ...options, throwOnError: false });
    target.append(el('div', { class: 'render-error' }, [e instanceof Error ? e.message : String(e)]));
  }
}

function section(id: string, label: string): HTMLElement {
  return el('section', { id: `${id}-section`, class: 'section' }, [el('h3', {}, [label]), el('div', { id })]);
}

function button(id: string, label: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', { id, type: 'button' }, [label]) as HTMLButtonElement;
  b.addEventListener('click', onClick);
  return b;
}

/** Builds the page once; `show` fills it. */
function skeleton(): void {
  const operation = el('select', { id: 'operation', title: 'Operation' }, [
    el('option', { value: 'auto' }, ['Auto']),
    el('option', { value: 'gradient' }, ['Gradient']),
    el('option', { value: 'jacobian' }, ['Jacobian']),
    el('option', { value: 'hessian' }, ['Hessian']),
  ]) as HTMLSelectElement;
  // The host validates the value (readWebviewMessage); the options above are the only ones offered.
  operation.addEventListener('change', () => post({ type: 'op', op: operation.value as OperationChoice }));
  const layout = el('fieldset', { id: 'layout', class: 'layout' }, [el('legend', {}, ['Layout'])]);
  for (const name of ['numerator', 'denominator'] as const) {
    const input = el('input', { type: 'radio', name: 'layout', id: `layout-${name}`, value: name });
    input.addEventListener('change', () => post({ type: 'layout', layout: name }));
    layout.append(el('label', { for: `layout-${name}` }, [input, ` ${name}`]));
  }
  const both = el('input', { type: 'checkbox', id: 'layouts-both' }) as HTMLInputElement;
  both.addEventListener('change', () => post({ type: 'layouts', both: both.checked }));
  layout.append(el('label', { for: 'layouts-both', id: 'layouts-both-label' }, [both, ' show both']));
  const point = el('input', {
    id: 'point',
    type: 'text',
    placeholder: 'x=1, y=[1, 2]  or  {"x": 1}',
    spellcheck: 'false',
  }) as HTMLInputElement;
  const evaluate = () => post({ type: 'at', point: point.value });
  point.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') evaluate();
  });
  app.replaceChildren(
    el('p', { id: 'message', class: 'message' }),
    el('section', { id: 'chain-section', class: 'section chain' }, [
      el('h3', {}, ['Derivation check']),
      el('p', { id: 'chain-summary' }),
      el('ol', { id: 'chain', class: 'chain-list' }),
      el('p', { id: 'chain-used', class: 'message' }),
    ]),
    el('div', { id: 'content' }, [
      el('h2', { id: 'title' }),
      section('input', 'Input'),
      el('ul', { id: 'assumptions', class: 'assumptions' }),
      section('result', 'Result'),
      section('expanded', 'Components'),
      section('definitions', 'Where'),
      section('conditions', 'Valid where'),
      layoutsSection(),
      stepsSection(),
      el('div', { class: 'controls' }, [
        el('label', { for: 'operation' }, ['Operation ']),
        operation,
        layout,
        el('fieldset', { id: 'variables', class: 'variables' }, [el('legend', {}, ['Variables'])]),
        el('div', { class: 'point' }, [
          el('label', { for: 'point' }, ['At ']),
          point,
          button('evaluate', panelMode ? 'Evaluate and check' : 'Evaluate', evaluate),
        ]),
        section('value', 'Value'),
        el('section', { id: 'check-section', class: 'section' }, [
          el('h3', {}, ['Numeric check']),
          el('div', { id: 'check' }, [
            el('p', { id: 'check-verdict', class: 'verdict' }),
            el('p', { id: 'check-error' }),
            el('p', { id: 'check-where', class: 'check-where' }),
            el('p', { id: 'check-detail', class: 'check-detail' }),
          ]),
        ]),
        el('div', { class: 'copy' }, [
          button('copy-latex', 'Copy LaTeX', () => post({ type: 'copy', format: 'latex' })),
          button('copy-text', 'Copy text', () => post({ type: 'copy', format: 'text' })),
          button('copy-code', 'Copy as TypeScript', () => post({ type: 'copy', format: 'code' })),
          button('copy-numpy', 'Copy as NumPy', () => post({ type: 'copy', format: 'numpy' })),
          button('copy-torch', 'Copy as PyTorch', () => post({ type: 'copy', format: 'torch' })),
        ]),
      ]),
    ]),
    el('section', { id: 'history-section', class: 'section history' }, [
      el('h3', {}, ['Recent']),
      el('div', { id: 'history' }),
    ]),
  );
}

/** The steps: a <details> closed by default; opening it asks the extension to work them out. */
function stepsSection(): HTMLElement {
  const details = el('details', { id: 'steps-section', class: 'section steps' }, [
    el('summary', {}, ['Steps']),
    el('p', { id: 'steps-message', class: 'message' }),
    el('ol', { id: 'steps', class: 'steps-list' }),
  ]) as HTMLDetailsElement;
  const toggle = button('steps-toggle', 'Show all steps', () =>
    post({ type: 'steps', view: current?.steps?.view === 'all' ? 'key' : 'all' }),
  );
  details.append(toggle);
  details.addEventListener('toggle', () => {
    const open = details.open;
    // Setting `open` while drawing a model fires this too: only a change by the person is sent.
    if (!current?.steps || open === (current.steps.view !== 'none')) return;
    if (open) {
      byId('steps-message').textContent = 'Working out the steps…';
      byId('steps-message').hidden = false;
    }
    post({ type: 'steps', view: open ? 'key' : 'none' });
  });
  return details;
}

function layoutsSection(): HTMLElement {
  const column = (name: string, label: string) =>
    el('div', { class: 'layout-column' }, [
      el('h4', {}, [label, el('span', { id: `layouts-${name}-shape`, class: 'shape' })]),
      el('div', { id: `layouts-${name}` }),
    ]);
  return el('section', { id: 'layouts-section', class: 'section' }, [
    el('h3', {}, ['Both layouts']),
    el('div', { class: 'layout-columns' }, [
      column('numerator', 'Numerator layout'),
      column('denominator', 'Denominator layout'),
    ]),
    el('p', { id: 'layouts-relation', class: 'relation' }),
  ]);
}

function showSteps(steps: StepsModel | undefined): void {
  const details = byId<HTMLDetailsElement>('steps-section');
  details.hidden = !steps;
  if (!steps) return;
  details.open = steps.view !== 'none';
  const message = byId('steps-message');
  message.textContent = steps.message ?? '';
  message.hidden = !steps.message;
  byId('steps').replaceChildren(
    ...steps.stages.map((stage) => {
      const formula = el('div', { class: 'step-math' });
      math(formula, stage.latex, true);
      return el(
        'li',
        {
          class: `step depth-${Math.min(stage.depth, 3)}`,
          'data-rule': stage.rule,
          'data-depth': String(stage.depth),
        },
        [formula, el('div', { class: 'step-explanation' }, [stage.explanation])],
      );
    }),
  );
  const toggle = byId('steps-toggle');
  toggle.hidden = steps.view === 'none' || steps.detailCount === 0;
  toggle.textContent =
    steps.view === 'all' ? 'Show key steps only' : `Show all steps (${steps.detailCount} more)`;
}

function showCheck(check: CheckModel | undefined): void {
  byId('check-section').hidden = !check;
  if (!check) return;
  byId('check').setAttribute('data-verdict', check.verdict);
  const verdict = byId('check-verdict');
  verdict.textContent = check.summary;
  verdict.className = `verdict verdict-${check.verdict}`;
  const line = (id: string, text: string | undefined) => {
    byId(id).textContent = text ?? '';
    byId(id).hidden = !text;
  };
  line('check-error', check.error);
  line('check-where', check.where);
  // The core's account adds to the verdict when something is off (which entry, which kink).
  line('check-detail', check.verdict === 'agrees' ? '' : check.detail);
}

function showLayouts(layouts: LayoutsModel | undefined): void {
  byId('layouts-both-label').hidden = !layouts?.matters;
  byId<HTMLInputElement>('layouts-both').checked = layouts?.both === true;
  const numerator = layouts?.numerator;
  const denominator = layouts?.denominator;
  byId('layouts-section').hidden = !numerator || !denominator;
  if (!numerator || !denominator) return;
  for (const [name, form] of [
    ['numerator', numerator],
    ['denominator', denominator],
  ] as const) {
    const box = byId(`layouts-${name}`);
    if ('latex' in form) math(box, form.latex, true);
    else box.replaceChildren(el('p', { class: 'message error' }, [form.message]));
    byId(`layouts-${name}-shape`).textContent = 'shape' in form ? ` (${form.shape})` : '';
  }
  byId('layouts-relation').textContent = layouts?.relation ?? '';
}

const VERDICT_MARKS = { holds: '✓', wrong: '✗', layout: '⇄', unchecked: '?' } as const;

function showChain(chain: ChainModel | undefined): void {
  byId('chain-section').hidden = !chain;
  if (!chain) return;
  byId('chain-summary').textContent = chain.summary;
  byId('chain').replaceChildren(
    ...chain.steps.map((step) => {
      const formula = el('div', { class: 'chain-math' });
      math(formula, step.latex, true);
      const parts: (Node | string)[] = [
        el('span', { class: `chain-mark verdict-${step.verdict}` }, [VERDICT_MARKS[step.verdict]]),
        formula,
        el('p', { class: 'chain-text' }, [`${step.place}: ${step.text}`]),
      ];
      if (step.expectedLatex !== undefined) {
        const expected = el('div', { class: 'chain-expected' });
        math(expected, step.expectedLatex, true);
        parts.push(el('p', { class: 'chain-text' }, ['The right side should be']), expected);
      }
      return el(
        'li',
        { class: 'chain-step', 'data-verdict': step.verdict, 'data-line': String(step.line) },
        parts,
      );
    }),
  );
  const used = byId('chain-used');
  used.textContent = chain.used.length > 0 ? `Uses ${chain.used.join(', ')}` : '';
  used.hidden = chain.used.length === 0;
}

/** Shows a section with `tex` typeset in it, or hides it when there is nothing. */
function fill(id: string, tex: string | undefined): void {
  const box = byId(id);
  byId(`${id}-section`).hidden = !tex;
  if (tex) math(box, tex, true);
  else box.replaceChildren();
}

function showVariables(model: ViewModel): void {
  const variables = byId('variables');
  variables.replaceChildren(
    el('legend', {}, ['Variables']),
    ...model.variables.map((v) => {
      const box = el('input', {
        type: 'checkbox',
        class: 'variable',
        'data-name': v.name,
        id: `variable-${v.name}`,
      }) as HTMLInputElement;
      box.checked = v.chosen;
      box.addEventListener('change', () => {
        const chosen = [...variables.querySelectorAll<HTMLInputElement>('input.variable')]
          .filter((b) => b.checked)
          .map((b) => b.getAttribute('data-name') ?? '');
        post({ type: 'wrt', wrt: chosen });
      });
      return el('label', { for: `variable-${v.name}` }, [
        box,
        ` ${v.name}`,
        v.shape ? el('span', { class: 'shape' }, [` ${v.shape}`]) : '',
      ]);
    }),
  );
}

function showHistory(model: ViewModel): void {
  byId('history-section').hidden = model.history.length === 0;
  byId('history').replaceChildren(
    ...model.history.map((h, index) => {
      const item = button(`history-${index}`, '', () => post({ type: 'history', index }));
      item.className = 'history-item';
      item.setAttribute('data-index', String(index));
      item.title = h.text;
      math(item, h.latex, false);
      return item;
    }),
  );
}

function show(model: ViewModel, reveal?: ShowMessage['reveal']): void {
  current = model;
  vscode.setState({ model });
  const message = byId('message');
  message.textContent = model.message ?? '';
  message.hidden = !model.message;
  message.classList.toggle('error', model.state === 'error');
  byId('content').hidden = model.state === 'empty' || model.chain !== undefined;
  showChain(model.chain);
  byId('title').textContent = model.title ?? '';
  fill('input', model.inputLatex);
  fill('result', model.resultLatex);
  fill('expanded', model.expandedLatex);
  fill('definitions', model.definitions.join(',\\quad '));
  fill('conditions', model.conditions.join(',\\quad '));
  fill('value', model.valueLatex);
  byId('assumptions').replaceChildren(...model.assumptions.map((a) => el('li', {}, [a])));
  byId<HTMLSelectElement>('operation').value = model.op;
  for (const name of ['numerator', 'denominator']) {
    byId<HTMLInputElement>(`layout-${name}`).checked = model.layout === name;
  }
  showVariables(model);
  const point = byId<HTMLInputElement>('point');
  if (document.activeElement !== point) point.value = model.point;
  for (const id of ['copy-latex', 'copy-text']) {
    byId<HTMLButtonElement>(id).disabled = model.state !== 'result';
  }
  byId<HTMLButtonElement>('copy-code').disabled = model.code === undefined;
  byId<HTMLButtonElement>('copy-numpy').disabled = model.numpy === undefined;
  byId<HTMLButtonElement>('copy-torch').disabled = model.torch === undefined;
  showSteps(model.steps);
  showCheck(model.check);
  showLayouts(model.layouts);
  if (reveal === 'steps' && model.steps) byId('steps-section').scrollIntoView({ block: 'start' });
  showHistory(model);
}

skeleton();
window.addEventListener('message', (event: MessageEvent<ShowMessage>) => {
  if (event.data?.type === 'show') show(event.data.model, event.data.reveal);
});
const saved = vscode.getState();
if (saved?.model) show(saved.model);
post({ type: 'ready' });
