// The file readers' Web Worker: runs xlsx.wasm (the excelize library,
// kept out of the page's main wasm), or the wasm its name gives
// (parquet.wasm for Parquet files), which the page starts only when
// such a file arrives. Message in: {id, blob, sheet}; out: {id, ok, data:
// {csv: Uint8Array, sheet, sheets, rows, wasmMs}} or {id, error, details:
// {code, kind, sheet, sheets}}.
/* global Go, segsimXLSX */
importScripts('wasm_exec.js');

let wasmMs = 0;
const started = (async () => {
  const go = new Go();
  const t0 = performance.now();
  const { instance } = await WebAssembly.instantiateStreaming(fetch(self.name || 'xlsx.wasm'), go.importObject);
  go.run(instance);
  wasmMs = performance.now() - t0;
})();

// Messages are handled one at a time, in order.
let queue = Promise.resolve();
self.onmessage = (ev) => {
  const msg = ev.data;
  queue = queue.then(async () => {
    try {
      await started;
    } catch (e) {
      self.postMessage({ id: msg.id, error: String(e.message || e), details: { code: 'xlsx_reader' } });
      return;
    }
    try {
      const bytes = new Uint8Array(await msg.blob.arrayBuffer());
      const t0 = performance.now();
      const out = segsimXLSX.convert(bytes, msg.sheet || '');
      const sheets = out.sheets ? [...out.sheets] : [];
      if (out.error) {
        self.postMessage({ id: msg.id, error: out.error, details: { code: out.code, kind: out.kind || '', sheet: out.sheet || '', sheets } });
        return;
      }
      const data = { csv: out.csv, sheet: out.sheet, sheets, rows: out.rows, wasmMs, convertMs: performance.now() - t0 };
      self.postMessage({ id: msg.id, ok: true, data }, [out.csv.buffer]);
    } catch (e) {
      self.postMessage({ id: msg.id, error: String(e.message || e), details: { code: 'xlsx_unreadable' } });
    }
  });
};
