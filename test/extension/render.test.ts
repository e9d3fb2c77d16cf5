import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { texToSvg } from '../../src/extension/typesetter/mathjax';
import { styleSvg, svgDataUri, themeColour, ThemeKind } from '../../src/extension/host/svg';
import { Typesetter } from '../../src/extension/host/typeset';
import { workerThreads } from '../../src/extension/desktop/workerThreads';

const rootAttributes = (svg: string) =>
  Object.fromEntries(
    [...(/^<svg\b([^>]*)>/.exec(svg)?.[1] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
  );

test('MathJax typesets the core’s LaTeX (matrices, \\operatorname, bold) to SVG and reports TeX errors', () => {
  const svg = texToSvg(
    '\\begin{bmatrix} 6 x y \\\\ 3 x^{2} \\end{bmatrix} + \\operatorname{softmax}(\\mathbf{x})',
  );
  assert.match(svg, /^<svg\b/);
  assert.match(svg, /<\/svg>$/);
  assert.throws(() => texToSvg('\\frac{a}{'), /Missing close brace/);
});

test('hover SVG colour follows each of the four theme kinds, set on the root element', () => {
  const svg = texToSvg('\\nabla f = 2x');
  const seen = new Set<string>();
  for (const kind of [ThemeKind.Light, ThemeKind.Dark, ThemeKind.HighContrast, ThemeKind.HighContrastLight]) {
    const styled = styleSvg(svg, kind, 1);
    const root = rootAttributes(styled);
    assert.equal(root.fill, themeColour(kind));
    assert.equal(root.stroke, themeColour(kind));
    assert.equal(root.color, themeColour(kind));
    assert.doesNotMatch(styled, /currentColor/, 'an image cannot inherit currentColor');
    seen.add(root.fill);
  }
  assert.equal(seen.size, 4);
  assert.equal(themeColour(ThemeKind.HighContrast), '#ffffff');
  assert.equal(themeColour(ThemeKind.HighContrastLight), '#000000');
});

test('hover SVG size is in pixels and follows the scale setting', () => {
  const svg = texToSvg('x^2 + y^2');
  const one = rootAttributes(styleSvg(svg, ThemeKind.Dark, 1));
  const two = rootAttributes(styleSvg(svg, ThemeKind.Dark, 2));
  assert.match(one.width, /^[\d.]+px$/);
  assert.ok(Math.abs(parseFloat(two.width) - 2 * parseFloat(one.width)) < 0.2);
  assert.ok(Math.abs(parseFloat(two.height) - 2 * parseFloat(one.height)) < 0.2);
  const silly = rootAttributes(styleSvg(svg, ThemeKind.Dark, -3));
  assert.equal(silly.width, one.width);
});

test('svgDataUri is a base64 data URL of the SVG', () => {
  const uri = svgDataUri('<svg>é</svg>');
  assert.match(uri, /^data:image\/svg\+xml;base64,/);
  assert.equal(Buffer.from(uri.split(',')[1], 'base64').toString('utf8'), '<svg>é</svg>');
  // Longer than one slice of the encoder, with multi-byte characters across the slices' ends.
  const large = `<svg>${'∂x é '.repeat(30_000)}</svg>`;
  assert.equal(Buffer.from(svgDataUri(large).split(',')[1], 'base64').toString('utf8'), large);
});

test('the typesetter answers from a worker thread within its budget once warm, and caches', async () => {
  const logs: string[] = [];
  const typesetter = new Typesetter(workerThreads(path.join(__dirname, 'mathjax-worker.mjs')), (m) =>
    logs.push(m),
  );
  try {
    // Cold: loading MathJax may not fit a tiny budget, and the caller gets undefined instead of waiting.
    const cold = await typesetter.typeset('a + b', true, 1);
    assert.equal(cold, undefined);
    let svg: string | undefined;
    for (let i = 0; i < 100 && !svg; i++) svg = await typesetter.typeset('a + b', true, 100);
    assert.match(svg ?? '', /^<svg\b/);
    const start = Date.now();
    assert.equal(await typesetter.typeset('a + b', true, 0), svg, 'served from the cache');
    assert.ok(Date.now() - start < 50);
    assert.equal(await typesetter.typeset('\\frac{a}{', true, 2000), undefined);
    assert.ok(
      logs.some((l) => l.includes('Missing close brace')),
      logs.join('\n'),
    );
  } finally {
    typesetter.dispose();
  }
});
