/* global acquireVsCodeApi, window, document */
/**
 * Webview script of the Jacobian Lens panel and side view: draws the model the
 * extension sends (src/extension/webviewHtml.ts, `ViewModel`) with KaTeX and
 * sends the person's choices back. Plain JS, no framework; KaTeX is the
 * global `katex` from media/vendor/katex.
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
 *   #copy-numpy         copy the NumPy function
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
 *
 * Messages to the extension:
 *   {type:'ready'} {type:'op', op} {type:'layout', layout} {type:'wrt', wrt: string[]}
 *   {type:'at', point: string} {type:'copy', format: 'latex'|'text'|'code'|'numpy'} {type:'history', index}
 *   {type:'steps', view: 'none'|'key'|'all'} {type:'layouts', both: boolean}
 * Message from the extension: {type:'show', model, reveal?: 'steps'}
 */
(function () {
  const vscode = acquireVsCodeApi();
  // KaTeX is loaded by the script tag before this one.
  const katex = /** @type {any} */ (window).katex;
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));
  const panelMode = document.body.getAttribute('data-mode') === 'panel';
  /** The model shown last (the steps section's toggle event compares with it). */
  let current = /** @type {any} */ (undefined);

  /** @param {string} tag @param {Record<string, string>} [attrs] @param {(Node|string)[]} [children] */
  function el(tag, attrs = {}, children = []) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    for (const c of children) node.append(c);
    return node;
  }

  /** Typesets `tex` into `target`; a TeX error is shown in words under the source, never thrown. */
  function math(target, tex, display) {
    target.replaceChildren();
    target.setAttribute('data-latex', tex);
    const options = { displayMode: display, throwOnError: true, trust: false, strict: 'ignore' };
    try {
      katex.render(tex, target, options);
    } catch (e) {
      katex.render(tex, target, { ...options, throwOnError: false });
      target.append(el('div', { class: 'render-error' }, [String(e && e.message ? e.message : e)]));
    }
  }

  function section(id, label) {
    return el('section', { id: `${id}-section`, class: 'section' }, [
      el('h3', {}, [label]),
      el('div', { id }),
    ]);
  }

  function button(id, label, onClick) {
    const b = el('button', { id, type: 'button' }, [label]);
    b.addEventListener('click', onClick);
    return b;
  }

  const post = (message) => vscode.postMessage(message);

  /** Builds the page once; `show` fills it. */
  function skeleton() {
    const operation = el('select', { id: 'operation', title: 'Operation' }, [
      el('option', { value: 'auto' }, ['Auto']),
      el('option', { value: 'gradient' }, ['Gradient']),
      el('option', { value: 'jacobian' }, ['Jacobian']),
      el('option', { value: 'hessian' }, ['Hessian']),
    ]);
    operation.addEventListener('change', () =>
      post({ type: 'op', op: /** @type {HTMLSelectElement} */ (operation).value }),
    );
    const layout = el('fieldset', { id: 'layout', class: 'layout' }, [el('legend', {}, ['Layout'])]);
    for (const name of ['numerator', 'denominator']) {
      const input = el('input', { type: 'radio', name: 'layout', id: `layout-${name}`, value: name });
      input.addEventListener('change', () => post({ type: 'layout', layout: name }));
      layout.append(el('label', { for: `layout-${name}` }, [input, ` ${name}`]));
    }
    const both = el('input', { type: 'checkbox', id: 'layouts-both' });
    both.addEventListener('change', () =>
      post({ type: 'layouts', both: /** @type {HTMLInputElement} */ (both).checked }),
    );
    layout.append(el('label', { for: 'layouts-both', id: 'layouts-both-label' }, [both, ' show both']));
    const point = el('input', {
      id: 'point',
      type: 'text',
      placeholder: 'x=1, y=[1, 2]  or  {"x": 1}',
      spellcheck: 'false',
    });
    const evaluate = () => post({ type: 'at', point: /** @type {HTMLInputElement} */ (point).value });
    point.addEventListener('keydown', (e) => {
      if (/** @type {KeyboardEvent} */ (e).key === 'Enter') evaluate();
    });
    app.replaceChildren(
      el('p', { id: 'message', class: 'message' }),
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
  function stepsSection() {
    const details = el('details', { id: 'steps-section', class: 'section steps' }, [
      el('summary', {}, ['Steps']),
      el('p', { id: 'steps-message', class: 'message' }),
      el('ol', { id: 'steps', class: 'steps-list' }),
    ]);
    const toggle = button('steps-toggle', 'Show all steps', () =>
      post({ type: 'steps', view: current && current.steps.view === 'all' ? 'key' : 'all' }),
    );
    details.append(toggle);
    details.addEventListener('toggle', () => {
      const open = /** @type {HTMLDetailsElement} */ (details).open;
      // Setting `open` while drawing a model fires this too: only a change by the person is sent.
      if (!current || !current.steps || open === (current.steps.view !== 'none')) return;
      if (open) {
        byId('steps-message').textContent = 'Working out the steps…';
        byId('steps-message').hidden = false;
      }
      post({ type: 'steps', view: open ? 'key' : 'none' });
    });
    return details;
  }

  function layoutsSection() {
    const column = (name, label) =>
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

  const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

  function showSteps(steps) {
    const details = /** @type {HTMLDetailsElement} */ (byId('steps-section'));
    details.hidden = !steps;
    if (!steps) return;
    details.open = steps.view !== 'none';
    const message = byId('steps-message');
    message.textContent = steps.message || '';
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

  function showCheck(check) {
    byId('check-section').hidden = !check;
    if (!check) return;
    byId('check').setAttribute('data-verdict', check.verdict);
    const verdict = byId('check-verdict');
    verdict.textContent = check.summary;
    verdict.className = `verdict verdict-${check.verdict}`;
    const line = (id, text) => {
      byId(id).textContent = text || '';
      byId(id).hidden = !text;
    };
    line('check-error', check.error);
    line('check-where', check.where);
    // The core's account adds to the verdict when something is off (which entry, which kink).
    line('check-detail', check.verdict === 'agrees' ? '' : check.detail);
  }

  function showLayouts(layouts) {
    const both = /** @type {HTMLInputElement} */ (byId('layouts-both'));
    byId('layouts-both-label').hidden = !layouts || !layouts.matters;
    both.checked = Boolean(layouts && layouts.both);
    const shown = Boolean(layouts && layouts.numerator && layouts.denominator);
    byId('layouts-section').hidden = !shown;
    if (!shown) return;
    for (const name of ['numerator', 'denominator']) {
      const form = layouts[name];
      const box = byId(`layouts-${name}`);
      if (form.latex !== undefined) math(box, form.latex, true);
      else box.replaceChildren(el('p', { class: 'message error' }, [form.message]));
      byId(`layouts-${name}-shape`).textContent = form.shape ? ` (${form.shape})` : '';
    }
    byId('layouts-relation').textContent = layouts.relation || '';
  }

  /** Shows a section with `tex` typeset in it, or hides it when there is nothing. */
  function fill(id, tex) {
    const box = byId(id);
    const sectionNode = byId(`${id}-section`);
    sectionNode.hidden = !tex;
    if (tex) math(box, tex, true);
    else box.replaceChildren();
  }

  function show(model, reveal) {
    current = model;
    vscode.setState({ model });
    const message = byId('message');
    message.textContent = model.message || '';
    message.hidden = !model.message;
    message.classList.toggle('error', model.state === 'error');
    byId('content').hidden = model.state === 'empty';
    byId('title').textContent = model.title || '';
    fill('input', model.inputLatex);
    fill('result', model.resultLatex);
    fill('expanded', model.expandedLatex);
    fill('definitions', model.definitions.join(',\\quad '));
    fill('conditions', model.conditions.join(',\\quad '));
    fill('value', model.valueLatex);
    byId('assumptions').replaceChildren(...model.assumptions.map((a) => el('li', {}, [a])));
    /** @type {HTMLSelectElement} */ (byId('operation')).value = model.op;
    for (const name of ['numerator', 'denominator']) {
      /** @type {HTMLInputElement} */ (byId(`layout-${name}`)).checked = model.layout === name;
    }
    const variables = byId('variables');
    variables.replaceChildren(
      el('legend', {}, ['Variables']),
      ...model.variables.map((v) => {
        const box = el('input', {
          type: 'checkbox',
          class: 'variable',
          'data-name': v.name,
          id: `variable-${v.name}`,
        });
        /** @type {HTMLInputElement} */ (box).checked = v.chosen;
        box.addEventListener('change', () => {
          const chosen = [...variables.querySelectorAll('input.variable')]
            .filter((b) => /** @type {HTMLInputElement} */ (b).checked)
            .map((b) => b.getAttribute('data-name'));
          post({ type: 'wrt', wrt: chosen });
        });
        return el('label', { for: `variable-${v.name}` }, [
          box,
          ` ${v.name}`,
          v.shape ? el('span', { class: 'shape' }, [` ${v.shape}`]) : '',
        ]);
      }),
    );
    const point = /** @type {HTMLInputElement} */ (byId('point'));
    if (document.activeElement !== point) point.value = model.point;
    for (const id of ['copy-latex', 'copy-text', 'copy-code']) {
      /** @type {HTMLButtonElement} */ (byId(id)).disabled = model.state !== 'result';
    }
    /** @type {HTMLButtonElement} */ (byId('copy-numpy')).disabled = model.numpy === undefined;
    showSteps(model.steps);
    showCheck(model.check);
    showLayouts(model.layouts);
    if (reveal === 'steps' && model.steps) byId('steps-section').scrollIntoView({ block: 'start' });
    const history = byId('history');
    byId('history-section').hidden = model.history.length === 0;
    history.replaceChildren(
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

  skeleton();
  window.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'show') show(event.data.model, event.data.reveal);
  });
  const saved = vscode.getState();
  if (saved && saved.model) show(saved.model);
  post({ type: 'ready' });
})();
