import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { emitCoreTypes } from '../../scripts/core-types.mjs';

// What a library user writes against dist/core.js, type-checked as Node resolves it (NodeNext, CommonJS).
const CONSUMER = `import { differentiate, LensError, type Assumption, type DifferentiateResult } from './core.js';

const r: DifferentiateResult = differentiate('x^2', { emit: ['ts', 'numpy'], steps: true });
const first: Assumption | undefined = r.assumptions[0];
const code: string | undefined = r.code?.ts;
// @ts-expect-error: no such language
differentiate('x', { emit: 'c' });
export const out = [first?.text, first?.name, code, r.conditions.map((c) => c.latex), new LensError('x').message];
`;

test('dist/core.d.ts: a consumer of dist/core.js type-checks against the emitted declarations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lens-types-'));
  try {
    emitCoreTypes(dir);
    writeFileSync(join(dir, 'consumer.ts'), CONSUMER);
    const program = ts.createProgram([join(dir, 'consumer.ts')], {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: [],
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(problems, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
