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
 *   #point, #evaluate   a point (`x=1, y=2` or JSON) and its button
 *   #copy-latex, #copy-text, #copy-code      copy buttons
 *   #history            (view) .history-item[data-index] buttons
 *   .render-error       a KaTeX parse error, shown under the formula
 *
 * Messages to the extension:
 *   {type:'ready'} {type:'op', op} {type:'layout', layout} {type:'wrt', wrt: string[]}
 *   {type:'at', point: string} {type:'copy', format: 'latex'|'text'|'code'} {type:'history', index}
 * Message from the extension: {type:'show', model}
 */
(function () {
  const vscode = acquireVsCodeApi();
  // KaTeX is loaded by the script tag before this one.
  const katex = /** @type {any} */ (window).katex;
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));

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
        el('div', { class: 'controls' }, [
          el('label', { for: 'operation' }, ['Operation ']),
          operation,
          layout,
          el('fieldset', { id: 'variables', class: 'variables' }, [el('legend', {}, ['Variables'])]),
          el('div', { class: 'point' }, [
            el('label', { for: 'point' }, ['At ']),
            point,
            button('evaluate', 'Evaluate', evaluate),
          ]),
          section('value', 'Value'),
          el('div', { class: 'copy' }, [
            button('copy-latex', 'Copy LaTeX', () => post({ type: 'copy', format: 'latex' })),
            button('copy-text', 'Copy text', () => post({ type: 'copy', format: 'text' })),
            button('copy-code', 'Copy TypeScript', () => post({ type: 'copy', format: 'code' })),
          ]),
        ]),
      ]),
      el('section', { id: 'history-section', class: 'section history' }, [
        el('h3', {}, ['Recent']),
        el('div', { id: 'history' }),
      ]),
    );
  }

  const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

  /** Shows a section with `tex` typeset in it, or hides it when there is nothing. */
  function fill(id, tex) {
    const box = byId(id);
    const sectionNode = byId(`${id}-section`);
    sectionNode.hidden = !tex;
    if (tex) math(box, tex, true);
    else box.replaceChildren();
  }

  function show(model) {
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
    if (event.data && event.data.type === 'show') show(event.data.model);
  });
  const saved = vscode.getState();
  if (saved && saved.model) show(saved.model);
  post({ type: 'ready' });
})();
