// The segsim Web Worker: runs the Go core compiled to WebAssembly, so that
// parsing and scoring never block the page. Messages in: {id, op, ...};
// out: {id, ok, data} or {id, error}, and {progress: {phase, done, total}}.
/* global Go, segsimCore */
importScripts('wasm_exec.js');

const CHUNK = 4 << 20;
let core = null;
let memory = null;

const started = (async () => {
  const go = new Go();
  const t0 = performance.now();
  const { instance } = await WebAssembly.instantiateStreaming(fetch('segsim.wasm'), go.importObject);
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

// load streams a Blob into the Go buffer as the browser reads it, then
// parses it.
async function load(msg) {
  const blob = msg.blob;
  const t0 = performance.now();
  const options = JSON.stringify(msg.options || {});
  if (blob) {
    // The core parses a large file while it arrives, with these options.
    core.alloc(blob.size, options);
    const reader = blob.stream().getReader();
    let off = 0;
    let reported = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      core.write(value, off);
      off += value.length;
      if (off - reported >= CHUNK || off === blob.size) {
        self.postMessage({ progress: { phase: 'reading', done: off, total: blob.size } });
        reported = off;
      }
    }
  }
  const t1 = performance.now();
  const out = parse(core.load(options));
  out.timing = { read: t1 - t0, parse: performance.now() - t1 };
  return out;
}

const ops = {
  async ready() { return { wasmMs: await started }; },
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
