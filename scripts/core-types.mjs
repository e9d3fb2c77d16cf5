// Emits the declarations of the core library: dist/types/**/*.d.ts from src/core (the core imports nothing
// outside itself), and dist/core.d.ts beside dist/core.js, where TypeScript looks for the types of
// `require('jacobian-lens/dist/core.js')`. Run by the build; a test compiles a small consumer against them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');

/** Writes `<dist>/types/…` and `<dist>/core.d.ts`; throws with the compiler's messages if it cannot. */
export function emitCoreTypes(dist = join(ROOT, 'dist')) {
  const options = {
    declaration: true,
    emitDeclarationOnly: true,
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts'],
    types: [],
    skipLibCheck: true,
    rootDir: join(ROOT, 'src/core'),
    outDir: join(dist, 'types'),
  };
  const program = ts.createProgram([join(ROOT, 'src/core/index.ts')], options);
  const result = program.emit();
  const problems = result.diagnostics;
  if (problems.length > 0)
    throw new Error(
      ts.formatDiagnostics(problems, {
        ...ts.sys,
        getCanonicalFileName: (f) => f,
        getNewLine: () => '\n',
        getCurrentDirectory: () => ROOT,
      }),
    );
  mkdirSync(dist, { recursive: true });
  writeFileSync(join(dist, 'core.d.ts'), "export * from './types/index';\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) emitCoreTypes();
