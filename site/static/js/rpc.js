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

let xlsxWorker = null;
const xlsxPending = new Map();

// xlsxStarted tells whether the .xlsx reader's worker is running.
export const xlsxStarted = () => xlsxWorker !== null;

// xlsxCall sends a workbook to the .xlsx reader, starting it if need be.
// If the worker fails, every call waiting for it fails with the code
// xlsx_reader, and the next call starts it again.
export function xlsxCall(msg) {
  if (!xlsxWorker) {
    xlsxWorker = new Worker('xlsx-worker.js');
    xlsxWorker.onmessage = (ev) => settle(xlsxPending, ev.data);
    xlsxWorker.onerror = (ev) => {
      ev.preventDefault();
      for (const p of xlsxPending.values()) {
        const e = new Error(ev.message || 'xlsx worker failed');
        e.details = { code: 'xlsx_reader' };
        p.reject(e);
      }
      xlsxPending.clear();
      xlsxWorker = null;
    };
  }
  return send(xlsxWorker, xlsxPending, msg);
}
