// The part reader: a second instance of the segsim core, started by the
// core's own worker (worker.js) for a large file, that reads the file's
// second half on the second processor core while the first instance reads
// the first half. It gets the compiled module, the file and where to
// start, and answers {from, part, tail} (the rows from the first record
// after byte at, as bytes the first instance joins, and the file's bytes
// from at) or {error, tail}. The first
// instance checks that its own records end where the part starts, so a
// wrong start (inside a quoted field) costs time, never a wrong result.
/* global Go, segsimCore */
importScripts('wasm_exec.js');

// HEAD is how much of the file's start the part reader looks at to find
// the header and the date format, as the first instance does.
const HEAD = 4 << 20;

self.onmessage = async (ev) => {
  const { module, blob, at, options, seed } = ev.data;
  let tail = null;
  try {
    const t0 = performance.now();
    const go = new Go();
    const instance = await WebAssembly.instantiate(module, go.importObject);
    go.run(instance);
    const [head, rest] = await Promise.all([
      blob.slice(0, Math.min(blob.size, HEAD)).arrayBuffer(),
      blob.slice(at).arrayBuffer(),
    ]);
    tail = rest;
    const t1 = performance.now();
    const r = segsimCore.part(new Uint8Array(head), new Uint8Array(tail), at, blob.size, options, seed);
    if (typeof r === 'string') {
      self.postMessage({ error: r, tail }, [tail]);
      return;
    }
    // The file's bytes from at go back too: the first instance keeps the
    // whole file but reads only its first half from the disk.
    const timing = { at: performance.timeOrigin + t0, start: t1 - t0, read: performance.now() - t1 };
    self.postMessage({ from: r.from, part: r.part, tail, timing }, [r.part.buffer, tail]);
  } catch (e) {
    self.postMessage({ error: String(e.message || e), tail }, tail ? [tail] : []);
  }
};
