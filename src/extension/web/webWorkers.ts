/**
 * The web build's transport: Web Workers. The browser's extension host is
 * itself a Web Worker; VS Code lets it start workers of its own from the
 * extension's files (in code-server and vscode.dev, through a blob that
 * imports the script). A Web Worker has no memory limit of its own: a
 * runaway formula is stopped by its time budget (the client terminates it).
 */
import type { TransportFactory } from '../host/transport';
import type { WorkerPort } from '../shared/workerPort';

/** What this file needs of the DOM's `Worker` (VS Code's stand-in for nested workers has as much). */
export interface WebWorker {
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  onmessageerror: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
  terminate(): void;
}

export type WebWorkerConstructor = new (url: string, options?: WorkerOptions) => WebWorker;

/**
 * A factory of Web Workers running the script `script` resolves to (a URL the `Worker` constructor
 * takes: see `scriptUrl`). Messages posted before the worker exists wait for it.
 */
export function webWorkers<Request, Reply>(
  script: () => Promise<string>,
  name: string,
  WorkerClass: WebWorkerConstructor | undefined = (globalThis as { Worker?: WebWorkerConstructor }).Worker,
): TransportFactory<Request, Reply> {
  return (events) => {
    if (!WorkerClass) throw new Error('this extension host cannot start Web Workers');
    let worker: WebWorker | undefined;
    let gone = false;
    const waiting: Request[] = [];
    // An uncaught error in a Web Worker does not end it, but what it was doing is lost: end it, and
    // the client starts a fresh one for the next request, as after a worker thread's exit.
    const failed = (why: string) => {
      if (gone) return;
      gone = true;
      worker?.terminate();
      events.exited(why, false);
    };
    const started = (url: string) => {
      if (gone) return;
      worker = new WorkerClass(url, { name });
      worker.onmessage = (event) => events.message(event.data as Reply);
      worker.onerror = (event) => {
        event.preventDefault?.();
        failed(event.message || `${name} failed to load or run`);
      };
      worker.onmessageerror = () => failed(`${name} sent a message that could not be read`);
      for (const message of waiting.splice(0)) worker.postMessage(message);
    };
    script()
      .then(started)
      .catch((e: unknown) => failed(`${name} did not start: ${e instanceof Error ? e.message : String(e)}`));
    return {
      postMessage: (message) => (worker ? worker.postMessage(message) : waiting.push(message)),
      terminate: () => {
        gone = true;
        worker?.terminate();
      },
    };
  };
}

/**
 * A `blob:` URL of the extension's script at `uri` (its `toString()`), fetched once. VS Code starts a
 * worker from a web URL but refuses an extension's `vscode-remote:` one (code-server's extensions are
 * remote); its extension host's `fetch` reads both, and a worker starts from a blob of the text.
 */
export function scriptUrl(uri: string): () => Promise<string> {
  let url: Promise<string> | undefined;
  const load = async () => {
    const response = await fetch(uri);
    if (!response.ok) throw new Error(`${uri}: ${response.status} ${response.statusText}`);
    return URL.createObjectURL(new Blob([await response.text()], { type: 'text/javascript' }));
  };
  return () => {
    // A failed fetch is tried again by the next worker.
    url ??= load().catch((e: unknown) => {
      url = undefined;
      throw e;
    });
    return url;
  };
}

/** This Web Worker's channel to the script that started it. */
export function selfWorkerPort<In, Out>(): WorkerPort<In, Out> {
  const scope = globalThis as unknown as {
    addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
    postMessage(message: unknown): void;
  };
  return {
    onMessage: (listener) => scope.addEventListener('message', (event) => listener(event.data as In)),
    postMessage: (message) => scope.postMessage(message),
  };
}
