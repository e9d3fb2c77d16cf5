/**
 * The worker's end of its channel to the extension host: Node's `parentPort`
 * on the desktop, a Web Worker's global scope in the browser. The engine and
 * MathJax are written against it, so one module serves both builds.
 */
export interface WorkerPort<In, Out> {
  onMessage(listener: (message: In) => void): void;
  postMessage(message: Out): void;
}
