/**
 * A stand-in for the `vscode` module, to activate a built extension outside
 * VS Code (bench/editor-child.ts times it, test/scripts/web-bundle.test.ts
 * runs the web build's): every property is a function returning another
 * stand-in, so each API call does nothing and never fails.
 */
function standIn(): unknown {
  const target = function () {} as unknown as Record<string | symbol, unknown>;
  return new Proxy(target, {
    get: (_t, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => '' : standIn()),
    apply: () => standIn(),
    construct: () => standIn() as object,
  });
}

/** The `vscode` namespaces and classes; bundles copy a module's own keys, so they are listed. */
const VSCODE_API = [
  'window',
  'workspace',
  'commands',
  'languages',
  'env',
  'extensions',
  'Uri',
  'Range',
  'Position',
  'Selection',
  'Hover',
  'MarkdownString',
  'Disposable',
  'EventEmitter',
  'ViewColumn',
  'ColorThemeKind',
  'ThemeIcon',
  'ConfigurationTarget',
  'StatusBarAlignment',
  'CodeAction',
  'CodeActionKind',
  'Diagnostic',
  'DiagnosticSeverity',
  'WorkspaceEdit',
];

export function vscodeStandIn(): Record<string, unknown> {
  return Object.fromEntries(VSCODE_API.map((name) => [name, standIn()]));
}

/** An `ExtensionContext` whose subscriptions can be disposed after activation (it starts a warm-up timer). */
export function contextStandIn(extensionPath: string) {
  return { subscriptions: [] as { dispose(): void }[], extensionUri: standIn(), extensionPath };
}
