// The plain JavaScript baseline: the scanner runs in a Web Worker, as
// segsim's core does, and answers each message with the class counts.

import { harness } from './bench.js';

harness(async () => {
  const t0 = performance.now();
  const worker = new Worker('scan-worker.js');
  const waiting = new Map();
  let next = 0;
  worker.onmessage = (ev) => {
    const { id, out, error } = ev.data;
    const p = waiting.get(id);
    waiting.delete(id);
    if (error) p.reject(new Error(error));
    else p.resolve(out);
  };
  const call = (msg) => new Promise((resolve, reject) => {
    const id = ++next;
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, ...msg });
  });
  await call({ ping: true });
  const engine = {
    load: (file) => call({ file }),
    rescore: async (cuts) => (await call({ cuts })).counts,
  };
  return { engine, load: performance.now() - t0 };
});
