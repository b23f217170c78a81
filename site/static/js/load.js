// Loading a dataset: the file picker, drag and drop and the bundled
// samples, the hand-off of an .xlsx workbook to its reader, the load
// itself (streamed into the worker, then scored), reading the same bytes
// again with other options or another sheet, and the summary line under
// the file picker.

import { state } from './state.js';
import { $, $$ } from './dom.js';
import { t, fill, fillNodes, plain, fmtInt } from './i18n.js';
import { encodingLabel } from './labels.js';
import { call, parquetCall, parquetStarted, xlsxCall, xlsxStarted } from './rpc.js';
import { showError, showLoadError, status } from './status.js';
import { rescore } from './run.js';
import { updateHash } from './share.js';
import { clearResults } from './view.js';
import { renderMapping } from './mapping.js';
import { renderReports } from './reports.js';
import { clearPin } from './compare.js';
import { setExports } from './exports.js';
import { keepFile } from './keep.js';

// loadBlob loads a file (or, with no blob, the bytes the worker already
// holds) and scores it. state.busy settles when it is done. The numbers,
// charts, tables and exports of the data shown so far are cleared at once,
// before the new file's bytes are read. An .xlsx workbook (by its zip
// signature) is turned into CSV by the .xlsx reader first (xlsx.sheet
// picks a sheet).
export function loadBlob(blob, name, options = {}, xlsx = {}) {
  state.gen++;
  clearResults(name);
  const p = loadBlobNow(blob, name, options, xlsx);
  state.busy = p.catch(() => {});
  return p;
}

async function loadBlobNow(blob, name, options, xlsx) {
  await state.busy;
  const gen = state.gen;
  showError('');
  // A pinned scenario's numbers belong to the data it was pinned on.
  if (state.pin) clearPin('compare_cleared');
  state.name = name;
  if (blob) {
    state.sample = null; // loadSample names it once loaded
    // A sample's playbook does not carry over to another file.
    if (state.playbookBy === 'sample' && state.scenario && !$$('.sample').some((b) => b.dataset.file === name)) {
      state.scenario.plan.playbook = '';
      state.playbookBy = null;
    }
    state.blob = blob;
    state.xlsx = null;
    state.parquet = false;
    state.report = null;
    state.rejects = 0;
  }
  for (const b of $$('.sample')) b.classList.toggle('on', b.dataset.file === name);
  state.options = options;
  $('#ambiguous').hidden = true;
  $('#mapping-missing').hidden = true;
  renderLoadSummary();
  const t0 = performance.now();
  status('loading');
  let loaded;
  try {
    const kind = blob ? await converted(blob) : '';
    if (kind === 'xlsx') {
      const csv = await readWorkbook(blob, xlsx.sheet || '');
      if (csv) blob = csv;
    } else if (kind === 'parquet') {
      blob = await readParquet(blob);
    }
    loaded = await call('load', { blob, options: { ...options, rejects: true }, cores: navigator.hardwareConcurrency || 1 });
  } catch (e) {
    const d = e.details || {};
    if (d.report !== undefined) {
      state.report = d.report || null;
      state.rejects = state.report?.rows_skipped || 0;
    }
    if (d.code === 'ambiguous_dates') $('#ambiguous').hidden = false;
    if (d.code === 'missing_column' || d.code === 'ambiguous_dates') $('#mapping').open = true;
    showLoadError(e);
    renderMapping();
    renderLoadSummary();
    if (state.report) renderReports();
    status('error');
    throw e;
  }
  state.report = loaded.report;
  state.rejects = loaded.rejects || 0;
  state.hasData = true;
  renderMapping();
  renderLoadSummary();
  status('scoring');
  let out;
  try {
    out = await rescore();
  } finally {
    // The data is loaded even when its first run fails (a scenario the
    // core refuses): the next scenario runs on it.
    if (gen === state.gen) state.loaded = name;
  }
  if (gen !== state.gen) return out;
  const first = performance.now() - t0;
  state.timings.push({ name, first, ...loaded.timing, streamed: !!loaded.streamed, split: !!loaded.split, partError: loaded.part_error || '', run: state.workerRun, render: state.lastRender });
  status('ready');
  setExports(true);
  keepFile(state.blob, name, options);
  $('#progress').value = $('#progress').max;
  return out;
}

// converted names the reader a file needs before the core reads it, by
// its signature: 'xlsx' for a zip (as an .xlsx workbook is), 'parquet'
// for a Parquet file, '' for text.
export async function converted(blob) {
  if (blob.size < 4) return '';
  const b = new Uint8Array(await blob.slice(0, 4).arrayBuffer());
  if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'xlsx';
  if (String.fromCharCode(...b) === 'PAR1') return 'parquet';
  return '';
}

// readParquet turns a Parquet file into a CSV Blob with the reader that
// also reads workbooks (fetched the first time either arrives).
async function readParquet(file) {
  status(parquetStarted() ? 'reading_parquet' : 'loading_parquet');
  let out;
  try {
    out = await parquetCall({ blob: file });
  } catch (e) {
    e.details = { ...(e.details || {}), report: null };
    throw e;
  }
  state.parquet = true;
  return new Blob([out.csv], { type: 'text/csv' });
}

// readWorkbook turns an .xlsx file into a CSV Blob (null when the zip is
// not a workbook: the core then says what it is) and remembers the sheet
// read and the workbook's sheets. The reader's wasm is fetched the first
// time a workbook arrives.
async function readWorkbook(file, sheet) {
  status(xlsxStarted() ? 'reading_xlsx' : 'loading_xlsx');
  const t0 = performance.now();
  let out;
  try {
    out = await xlsxCall({ blob: file, sheet });
  } catch (e) {
    if (e.details?.code === 'not_xlsx') return null;
    e.details = { ...(e.details || {}), report: null };
    throw e;
  }
  state.xlsx = { file, sheet: out.sheet, sheets: out.sheets, ms: performance.now() - t0, wasmMs: out.wasmMs };
  return new Blob([out.csv], { type: 'text/csv' });
}

// reloadWithOptions parses the same bytes again with other column roles,
// encoding, date format or carried columns (the worker keeps the bytes).
export async function reloadWithOptions(options) {
  return loadBlob(null, state.name, options);
}

// reloadSheet reads another sheet of the workbook loaded last.
function reloadSheet(sheet) {
  const x = state.xlsx;
  if (!x) return Promise.resolve(null);
  return loadBlob(x.file, state.name, {}, { sheet });
}

// renderLoadSummary writes the line under the file picker: the sheet (a
// picker when the workbook has several), encoding, format, the shop
// back-end recognised, rows read, kept and skipped, and the button that
// downloads the skipped rows.
export function renderLoadSummary() {
  const box = $('#load-summary');
  const rep = state.report;
  const x = state.xlsx;
  box.hidden = !rep && !x;
  const facts = [];
  const sep = () => document.createTextNode(' · ');
  const sheetBox = $('#sheet-box');
  sheetBox.hidden = !(x && x.sheets.length > 1);
  if (x && x.sheets.length > 1) {
    const sel = $('#sheet');
    sel.replaceChildren(...x.sheets.map((n) => new Option(n, n)));
    sel.value = x.sheet;
  } else if (x) {
    facts.push(...fillNodes('sheet_is', { sheet: x.sheet }));
  }
  if (rep) {
    if (!x && rep.encoding) {
      if (facts.length) facts.push(sep());
      facts.push(...fillNodes('encoding_is', { enc: encodingLabel(rep.encoding) }));
      if (rep.bom) facts.push(document.createTextNode(` ${t('with_bom')}`));
    }
    if (rep.format && !x) {
      facts.push(sep(), document.createTextNode(t(`format_${rep.format}`)));
      if (state.parquet) facts.push(document.createTextNode(` (${t('from_parquet')})`));
    }
    if (rep.stats_missing?.length) {
      facts.push(sep(), document.createTextNode(fill('stats_missing', { fields: rep.stats_missing.join(', ') })));
    }
    if (rep.platform) {
      facts.push(sep(), ...fillNodes('recognised', { platform: plain(t(`platform_${rep.platform}`)) }));
    }
    if (rep.rows_read || rep.rows_kept) {
      if (facts.length) facts.push(sep());
      facts.push(document.createTextNode(fill('rows_summary', { read: fmtInt(rep.rows_read), kept: fmtInt(rep.rows_kept), skipped: fmtInt(rep.rows_skipped) })));
    }
  }
  $('#load-facts').replaceChildren(...facts);
  $('#export-rejects').hidden = !(state.rejects > 0);
}

// loadSample loads a bundled sample by its file name; share links name it.
export async function loadSample(file) {
  // The sample's industry chooses the playbook, unless one was chosen on
  // the page or came with a scenario.
  const pb = $$('.sample').find((b) => b.dataset.file === file)?.dataset.playbook;
  if (pb && state.scenario && (!state.scenario.plan.playbook || state.playbookBy === 'sample') && !state.scenario.plan.custom) {
    state.scenario.plan.playbook = pb;
    state.playbookBy = 'sample';
    updateHash();
  }
  const blob = await (await fetch(`samples/${file}`)).blob();
  const out = await loadBlob(blob, file);
  state.sample = file;
  return out;
}

// bindLoad binds the file picker, the drop zone, the sample buttons and
// the workbook's sheet picker.
export function bindLoad() {
  $('#sheet').addEventListener('change', (e) => reloadSheet(e.target.value).catch(() => {}));
  $('#file').addEventListener('change', (e) => {
    const f = e.target.files[0];
    if (f) loadBlob(f, f.name).catch(() => {});
    e.target.value = ''; // the same file chosen again loads again
  });
  const drop = $('#drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer.files[0];
    if (f) loadBlob(f, f.name).catch(() => {});
  });
  for (const b of $$('.sample')) b.addEventListener('click', () => loadSample(b.dataset.file).catch(() => {}));
}
