// Fails when a module of src/ reaches itself through its imports. Type-only imports count too: they tie the
// modules' meanings together as much as value imports do, and the structure is meant to be one-way
// (core ← extension, protocol ← webview and host). Uses TypeScript's own import scanner; no resolution
// beyond relative paths is needed because src/ imports only relative modules and packages.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(process.argv[2] ?? 'src');

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function resolveImport(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

const graph = new Map();
for (const file of files(root)) {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  graph.set(
    file,
    importedFiles.map((i) => resolveImport(file, i.fileName)).filter((f) => f !== undefined),
  );
}

// Tarjan's strongly connected components: every component with more than one module (or a self-import) is a cycle.
let index = 0;
const indices = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
function connect(v) {
  indices.set(v, index);
  low.set(v, index++);
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!indices.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), indices.get(w)));
  }
  if (low.get(v) !== indices.get(v)) return;
  const component = [];
  let w;
  do {
    w = stack.pop();
    onStack.delete(w);
    component.push(w);
  } while (w !== v);
  if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component);
}
for (const v of graph.keys()) if (!indices.has(v)) connect(v);

if (cycles.length > 0) {
  for (const c of cycles) {
    const names = c.map((f) => relative(process.cwd(), f)).sort();
    console.error(`import cycle among: ${names.join(', ')}`);
  }
  process.exit(1);
}
console.log(`no import cycles among ${graph.size} modules of ${relative(process.cwd(), root) || '.'}`);
