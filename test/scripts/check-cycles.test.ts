import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = join(__dirname, '../../scripts/check-cycles.mjs');

function check(files: Record<string, string>): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
  try {
    for (const [name, body] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), body);
    }
    const r = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
    return { status: r.status, out: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a cycle through a type-only import is reported with its modules', () => {
  const r = check({
    'a.ts': "import type { B } from './b';\nexport type A = B[];\n",
    'b.ts': "import { c } from './sub/c';\nexport type B = number;\nexport const b = c;\n",
    'sub/c.ts': "import type { A } from '../a';\nexport const c: A = [];\n",
  });
  assert.equal(r.status, 1);
  assert.match(r.out, /import cycle among: .*a\.ts, .*b\.ts, .*c\.ts/);
});

test('a one-way graph (with packages and index modules) passes', () => {
  const r = check({
    'a.ts':
      "import { b } from './lib';\nimport * as path from 'node:path';\nexport const a = b + path.sep;\n",
    'lib/index.ts': "export const b = 'b';\n",
  });
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /no import cycles among 2 modules/);
});
