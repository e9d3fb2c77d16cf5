// The stand-in engine of stub-engine-worker.mjs, taking 600 ms to load, as
// the real one can on a busy machine.
const loaded = Date.now() + 600;
while (Date.now() < loaded);
await import('./stub-engine-worker.mjs');
