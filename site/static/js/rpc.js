// The Web Worker protocol. worker.js runs the Go core compiled to
// WebAssembly: a message {id, op, ...} gets {id, ok, data} or {id, error,
// details} back, and {progress: {phase, done, total}} arrives while a file
// loads. xlsx-worker.js turns an .xlsx workbook into CSV with a second
// wasm, started the first time a workbook arrives so that it is not part
// of the page's first load; it answers {id, blob, sheet} the same way.

let nextId = 1;

// settle resolves or rejects the pending call a worker's answer is for;
// an error keeps the worker's details (code, report…) on the Error.
function settle(pending, m) {
  const p = pending.get(m.id);
  if (!p) return;
  pending.delete(m.id);
  if (m.error) {
    const e = new Error(m.error);
    e.details = m.details;
    p.reject(e);
  } else p.resolve(m.data);
}

function send(worker, pending, msg) {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ ...msg, id });
  });
}

const worker = new Worker('worker.js');
const pending = new Map();
let progress = () => {};
worker.onmessage = (ev) => {
  const m = ev.data;
  if (m.progress) return progress(m.progress);
  settle(pending, m);
};

// onProgress sets what receives the worker's progress while a file loads.
export function onProgress(fn) {
  progress = fn;
}

// call sends an operation to the core's worker: ready, defaults, load,
// run, rows, csv, rejects, points, playbook, stats.
export function call(op, msg = {}) {
  return send(worker, pending, { ...msg, op });
}

// readers are the on-demand file readers' workers, by wasm: each starts
// when a file first needs it.
const readers = new Map(); // wasm → {worker, pending}

// readerStarted tells whether the reader running wasm has started.
const readerStarted = (wasm) => readers.has(wasm);

// readerCall sends a file to the reader running wasm, starting it if need
// be. If the worker fails, every call waiting for it fails with the code
// xlsx_reader, and the next call starts it again.
function readerCall(wasm, msg) {
  let r = readers.get(wasm);
  if (!r) {
    // The worker's name tells it which wasm to run.
    r = { worker: new Worker('xlsx-worker.js', { name: wasm }), pending: new Map() };
    r.worker.onmessage = (ev) => settle(r.pending, ev.data);
    r.worker.onerror = (ev) => {
      ev.preventDefault();
      for (const p of r.pending.values()) {
        const e = new Error(ev.message || `${wasm} worker failed`);
        e.details = { code: 'xlsx_reader' };
        p.reject(e);
      }
      readers.delete(wasm);
    };
    readers.set(wasm, r);
  }
  return send(r.worker, r.pending, msg);
}

// xlsxStarted tells whether the .xlsx reader's worker is running.
export const xlsxStarted = () => readerStarted('xlsx.wasm');

// xlsxCall sends a workbook to the .xlsx reader.
export const xlsxCall = (msg) => readerCall('xlsx.wasm', msg);

// parquetStarted tells whether the Parquet reader's worker is running.
export const parquetStarted = () => readerStarted('parquet.wasm');

// parquetCall sends a Parquet file to its reader.
export const parquetCall = (msg) => readerCall('parquet.wasm', msg);
