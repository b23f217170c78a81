// The segsim Web Worker: runs the Go core compiled to WebAssembly, so that
// parsing and scoring never block the page. Messages in: {id, op, ...};
// out: {id, ok, data} or {id, error}, and {progress: {phase, done, total}}.
/* global Go, segsimCore, readBlob */
importScripts('wasm_exec.js', 'blob-reader.js');

const CHUNK = 4 << 20;
let core = null;
let memory = null;
let module = null; // the compiled core, for the part reader

// spare is the part reader's worker, started ahead of need: a worker this
// one starts begins only when this one's thread is free, which it is not
// while it reads a file. It loads its script and waits, holding no core
// until it gets a file; it ends after each part, and a new one waits.
let spare = null;
function startSpare() {
  try {
    spare = new Worker('part-worker.js');
  } catch {
    spare = null;
  }
}

// cores is the number of processor cores the page reports (ready, load);
// with two or more a spare waits, and a large file is read in two parts.
let cores = 1;
function useCores(n) {
  cores = n || navigator.hardwareConcurrency || 1;
  if (cores >= 2 && !spare) startSpare();
}

// twoParts tells whether a file of size bytes is read in two parts. With
// a core to spare (three or more) from 16 MiB; with two, the instances
// share the cores with the page and the browser, and only a file of 64 MiB
// or more gains (measured on two cores: a 36 MB file 0.8–0.85 s either
// way, a 183 MB one 3.6–3.8 s in two parts against 4.4 s in one).
function twoParts(size) {
  return cores >= 3 ? size >= 16 << 20 : cores === 2 && size >= 64 << 20;
}

const started = (async () => {
  const go = new Go();
  const t0 = performance.now();
  const res = await WebAssembly.instantiateStreaming(fetch('segsim.wasm'), go.importObject);
  const { instance } = res;
  module = res.module;
  memory = instance.exports.mem;
  go.run(instance);
  core = segsimCore;
  return performance.now() - t0;
})();

self.segsimProgress = (done, total) => {
  self.postMessage({ progress: { phase: 'parsing', done, total } });
};

function parse(json) {
  const v = JSON.parse(json);
  if (v.error) {
    const e = new Error(v.error);
    e.details = v;
    throw e;
  }
  return v;
}

// readPart starts a second instance of the core (part-worker.js) on the
// other processor core to read blob from the first record after byte at,
// and resolves to its answer, {from, part, timing} or {error}, or
// null when the instance failed. The instance ends after answering,
// giving its memory back.
function readPart(blob, at, options, seed) {
  return new Promise((resolve) => {
    const w = spare;
    spare = null;
    if (!w) {
      resolve(null);
      return;
    }
    const done = (v) => {
      w.terminate();
      resolve(v);
      if (cores >= 2) startSpare();
    };
    w.onmessage = (ev) => done(ev.data || null);
    w.onerror = () => done(null);
    w.postMessage({ module, blob, at, options, seed });
  });
}

// lastBlob is the file the core read last. The core drops a file's bytes
// once it has parsed them, so that their memory goes to the runs; loading
// it again with other options (no blob in the message) reads it again.
let lastBlob = null;

// load streams a Blob into the Go buffer as the browser reads it, then
// parses it. A large file is read in two halves at once (see twoParts):
// the second by another instance of the core (readPart), whose rows this
// one joins to those of the first.
async function load(msg) {
  const blob = msg.blob || lastBlob;
  lastBlob = blob;
  const t0 = performance.now();
  const options = JSON.stringify(msg.options || {});
  let part = null;
  let stalls = 0; // reads given up and started again (see readBlob)
  if (blob) {
    // The core parses a large file while it arrives, with these options.
    core.alloc(blob.size, options);
    useCores(msg.cores);
    if (module && twoParts(blob.size)) {
      const at = Math.floor(blob.size / 2);
      const seed = core.split(at);
      if (seed) part = { at, answer: readPart(blob, at, options, seed) };
    }
    // Read here: the whole file, or with a part reader the first half.
    const at = part ? part.at : blob.size;
    stalls += await stream(blob.slice(0, at), 0, blob.size);
    if (part) {
      part.half = performance.now() - t0;
      const p = await part.answer;
      const j0 = performance.now();
      part.arrived = j0 - t0;
      if (p && p.part) {
        // The records up to where the part starts are read here, the rest
        // are the part's: unless it cannot be joined, their bytes are
        // never read into this instance.
        stalls += await stream(blob.slice(at, p.from), at, blob.size);
        part.write = performance.now() - j0;
        part.error = core.join(p.from, p.part) || null;
        if (part.error) stalls += await stream(blob.slice(p.from), p.from, blob.size);
        part.timing = { ...p.timing, began: p.timing.at - performance.timeOrigin - t0, half: part.half, arrived: part.arrived, write: part.write, join: performance.now() - j0 };
      } else {
        stalls += await stream(blob.slice(at), at, blob.size);
        part.error = (p && p.error) || 'the part reader failed';
      }
    }
  }
  const t2 = performance.now();
  const out = parse(core.load(options));
  out.timing = { read: (part ? part.arrived : t2 - t0), wait: part ? t2 - t0 - part.arrived : 0, parse: performance.now() - t2, part: part && part.timing, stalls };
  if (part && part.error) out.part_error = part.error;
  return out;
}

// stream copies a Blob, the file's bytes from byte off, into the Go
// buffer as the browser reads it (the core parses what has arrived),
// reporting progress against the file's total size; it resolves to the
// number of reads given up (see readBlob).
function stream(blob, off, total) {
  let reported = off;
  return readBlob(blob, off, (piece, at) => {
    core.write(piece, at);
    const end = at + piece.length;
    if (end - reported >= CHUNK || end === total) {
      self.postMessage({ progress: { phase: 'reading', done: end, total } });
      reported = end;
    }
  });
}

const ops = {
  async ready(msg) {
    useCores(msg.cores);
    return { wasmMs: await started };
  },
  load,
  // run returns the core's JSON text as is: the page parses it, which
  // spares the worker a parse and a structured clone per slider move.
  run(msg) {
    const t0 = performance.now();
    const json = core.run(msg.scenario || '', msg.near ?? 8, JSON.stringify(msg.options || {}));
    return { json, timing: { run: performance.now() - t0 } };
  },
  rows(msg) { return parse(core.rows(msg.filter || '', msg.offset, msg.limit)); },
  csv(msg) {
    const v = core.csv(!!msg.bom, !!msg.chinese, msg.filter || '');
    if (typeof v === 'string') parse(v);
    return v;
  },
  // warm prepares what the first slider move would (when idle).
  warm() { if (core) core.warm(); return null; },
  // predictions returns the last run's predictions as CSV bytes.
  predictions(msg) {
    const v = core.predictions(!!msg.chinese);
    if (typeof v === 'string') parse(v);
    return v;
  },
  // rejects returns the last load's skipped rows as CSV bytes.
  rejects(msg) {
    const v = core.rejects(JSON.stringify(msg.options || {}));
    if (typeof v === 'string') parse(v);
    return v;
  },
  defaults() { return JSON.parse(core.defaults()); },
  points(msg) { return parse(core.points(JSON.stringify(msg.options || {}))); },
  playbook(msg) { return parse(core.playbook(msg.json)); },
  profits(msg) { return JSON.parse(core.profits(msg.json)); },
  pin() { return parse(core.pin()); },
  unpin() { core.unpin(); return null; },
  // readout reads a campaign out: plan and orders are Blobs, or null for
  // the plan of the last run and the loaded file.
  async readout(msg) {
    const bytes = async (blob) => (blob ? new Uint8Array(await blob.arrayBuffer()) : null);
    return parse(core.readout(await bytes(msg.plan), await bytes(msg.orders), JSON.stringify(msg.options || {})));
  },
  measured() { return parse(core.measured()); },
  // snapshot returns the last run's states as JSON text, to keep as is.
  snapshot(msg) {
    const text = core.snapshot(msg.by || 'class');
    if (!text.startsWith('{"asof"')) parse(text); // an error: throws
    return text;
  },
  compareSnapshot(msg) { return parse(core.compareSnapshot(msg.text)); },
  kpi(msg) { return parse(core.kpi(Number(msg.target) || 0, Number(msg.period) || 30)); },
  stats() { return { wasmMemory: memory ? memory.buffer.byteLength : 0 }; },
};

// Messages are handled one at a time, in order.
let queue = Promise.resolve();
self.onmessage = (ev) => {
  const msg = ev.data;
  queue = queue.then(async () => {
    try {
      await started;
      const data = await ops[msg.op](msg);
      const transfer = data instanceof Uint8Array ? [data.buffer] : [];
      self.postMessage({ id: msg.id, ok: true, data }, transfer);
    } catch (e) {
      self.postMessage({ id: msg.id, error: String(e.message || e), details: e.details || null });
    }
  });
};
