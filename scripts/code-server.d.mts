// Types of code-server.mjs for the TypeScript end-to-end harness.
import type { ChildProcess } from 'node:child_process';

export declare const root: string;
/** The two builds of the extension: `main` (Node extension host) and `browser` (web worker extension host). */
export type Build = 'desktop' | 'web';
export declare function installExtension(extensionsDir: string, build?: Build): void;
export declare function freePort(): Promise<number>;

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export declare function startCodeServer(options: {
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  port?: number;
  quiet?: boolean;
}): Promise<CodeServer>;
