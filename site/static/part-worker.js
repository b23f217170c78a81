// The part reader: a second instance of the segsim core, started by the
// core's own worker (worker.js) for a large file, that reads the file's
// second half on another processor core while the first instance reads
// the first half. It gets the compiled module, the file and where to
// start, and answers {from, part, timing} (the rows from the first record
// after byte at, as bytes the first instance joins) or {error}. The first
// instance checks that its own records end where the part starts, so a
// wrong start (inside a quoted field) costs time, never a wrong result.
/* global Go, segsimCore, readBlob */
importScripts('wasm_exec.js', 'blob-reader.js');

// HEAD is how much of the file's start the part reader looks at to find
// the header and the date format, as the first instance does.
const HEAD = 4 << 20;

self.onmessage = async (ev) => {
  const { module, blob, at, options, seed } = ev.data;
  try {
    const t0 = performance.now();
    const go = new Go();
    const instance = await WebAssembly.instantiate(module, go.importObject);
    go.run(instance);
    const head = await blob.slice(0, Math.min(blob.size, HEAD)).arrayBuffer();
    const error = segsimCore.partStart(new Uint8Array(head), at, blob.size, options, seed);
    if (error) {
      self.postMessage({ error });
      return;
    }
    const t1 = performance.now();
    // The part is read as its bytes arrive, as the first instance reads
    // its half.
    const stalls = await readBlob(blob.slice(at), 0, (piece, off) => segsimCore.partWrite(piece, off));
    const r = segsimCore.partEnd();
    if (typeof r === 'string') {
      self.postMessage({ error: r });
      return;
    }
    const timing = { at: performance.timeOrigin + t0, start: t1 - t0, read: performance.now() - t1, stalls };
    self.postMessage({ from: r.from, part: r.part, timing }, [r.part.buffer]);
  } catch (e) {
    self.postMessage({ error: String(e.message || e) });
  }
};
