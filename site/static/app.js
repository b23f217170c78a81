// segsim page glue: talks to the Web Worker that runs the Go core, renders
// knobs, tables and charts, and exposes window.segsim for automation.
/* global echarts */

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

// ---------- worker RPC ----------

const worker = new Worker('worker.js');
let nextId = 1;
const pending = new Map();
worker.onmessage = (ev) => {
  const m = ev.data;
  if (m.progress) return onProgress(m.progress);
  const p = pending.get(m.id);
  if (!p) return;
  pending.delete(m.id);
  if (m.error) {
    const e = new Error(m.error);
    e.details = m.details;
    p.reject(e);
  } else p.resolve(m.data);
};
function call(op, msg = {}) {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ ...msg, id, op });
  });
}

// ---------- state ----------

const state = {
  lang: 'en',
  dict: { en: {}, zh: {} },
  presets: {},
  samples: [],
  scenario: null,
  defaults: null,
  view: null,
  report: null,
  name: '',
  blob: null,
  options: {},
  page: 0,
  pageSize: 50,
  segmentFilter: -1,
  timings: [],
  busy: Promise.resolve(),
  loaded: '',
  violations: [],
  planOn: false,
  holdoutShare: 0.25,
  prediction: null,
  plan: null,
  planError: '',
  cohortOn: false,
  kpiOn: false,
  pointsOn: false,
  pointsOpts: { per_order: 10, per_yuan: 1, threshold: 500, expiry_months: 12, point_value: 0.01, months: 12 },
  points: null,
  pointsError: '',
  migrationOn: false,
  migrationBy: 'class',
  migrationDays: 30,
  migration: null,
  migrationError: '',
  kpiPeriod: 30,
  kpiTarget: null,
  kpi: null,
  kpiError: '',
  cohorts: null,
  cohortsError: '',
  runs: 0,
  // gen counts loads: a run answered for an earlier load is not shown.
  gen: 0,
  // hasData: the worker holds a dataset (the last load succeeded).
  hasData: false,
  // the last load's report (also of a load that failed), the workbook it
  // came from ({file, sheet, sheets}), and how many rows it skipped.
  report: null,
  xlsx: null,
  rejects: 0,
  error: null,
  // pin is scenario A of the compare panel: {scenario, planOn, dataset,
  // at, numbers}; pinNote says why it was cleared.
  pin: null,
  pinNote: '',
};
const charts = {};

document.addEventListener('securitypolicyviolation', (e) => {
  state.violations.push(`${e.violatedDirective} ${e.blockedURI}`);
});

const t = (key) => state.dict[state.lang][key] ?? state.dict.en[key] ?? key;
const locale = () => (state.lang === 'zh' ? 'zh-CN' : 'en-US');
// Number formats per locale, made once: building an Intl formatter costs
// far more than using one.
const formats = {};
function nf(name, opts) {
  const key = `${locale()}|${name}`;
  return (formats[key] ??= new Intl.NumberFormat(locale(), opts));
}
const fmtInt = (n) => nf('int').format(n);
const fmtMoney = (n) => nf('money', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
const fmtPct = (x) => nf('pct', { style: 'percent', maximumFractionDigits: 1 }).format(x);
const fmtNum = (n, d = 1) => nf(`num${d}`, { maximumFractionDigits: d }).format(n);
function fmtDate(s) {
  if (!s) return '–';
  const [y, m, d] = s.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
}

// Labels of segments, classes, tiers, stages and tags in the current language.
function labelOf(kind, name) {
  const lang = state.lang;
  if (kind === 'tier' || kind === 'stage') return t(`${kind}_${name}`);
  if (kind === 'tag') {
    const tag = (state.presets['tags.default'] || []).find((x) => x.name === name);
    return tag?.label?.[lang] || name;
  }
  const scheme = state.scenario?.segments?.scheme;
  const lists = [];
  if (kind === 'segment' && scheme === 'custom') lists.push(state.scenario.segments.custom?.rules || []);
  lists.push(state.presets['schemes.rfm11']?.rules || [], state.presets['schemes.rfm8']?.classes || []);
  for (const list of lists) {
    const hit = list.find((x) => x.name === name);
    if (hit?.label) return typeof hit.label === 'string' ? hit.label : hit.label[lang] || name;
  }
  // The catch-all segment of a scheme.
  for (const sc of [kind === 'segment' && scheme === 'custom' ? state.scenario.segments.custom : null, state.presets['schemes.rfm11']]) {
    if (sc?.default === name && sc.default_label) return sc.default_label[lang] || name;
  }
  return name;
}
function actionOf(name) {
  for (const list of [state.presets['schemes.rfm11']?.rules || [], state.presets['schemes.rfm8']?.classes || []]) {
    const hit = list.find((x) => x.name === name);
    if (hit?.action) return hit.action[state.lang] || '';
  }
  return '';
}

// ---------- language ----------

function setLang(lang) {
  state.lang = lang === 'zh' ? 'zh' : 'en';
  localStorage.setItem('segsim.lang', state.lang);
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of $$('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  document.title = t('title');
  for (const b of $$('.lang button')) b.classList.toggle('on', b.dataset.lang === state.lang);
  if (state.status) status(state.status);
  renderTags();
  renderError();
  renderLoadSummary();
  renderMapping(true);
  if (state.view) render();
  else if (state.report) renderReports();
}

// ---------- progress ----------

function onProgress(p) {
  const bar = $('#progress');
  bar.max = p.total || 1;
  bar.value = p.done;
  $('#status').textContent = `${t(p.phase)} ${fmtPct(p.total ? p.done / p.total : 0)}`;
}
function status(key) {
  state.status = key;
  $('#status').textContent = t(key);
}

// showError shows a message that is already in words (a scenario the core
// refused); showLoadError a load's error, translated by its code.
function showError(msg) {
  state.error = msg ? { text: msg } : null;
  renderError();
}
function showLoadError(e) {
  const d = e.details || {};
  state.error = { code: d.code || 'error', kind: d.kind || '', missing: d.missing || [], ambiguous: d.ambiguous || null, sheet: d.sheet || '', message: e.message };
  renderError();
}

// fillNodes is fill() as DOM nodes: the values (column names, cell values,
// file and sheet names) go into spans of class v, the rest is text.
function fillNodes(key, vars) {
  const out = [];
  const text = t(key);
  let last = 0;
  for (const m of text.matchAll(/\{(\w+)\}/g)) {
    out.push(document.createTextNode(text.slice(last, m.index)));
    const v = vars[m[1]];
    if (v instanceof Node) out.push(v);
    else if (v && typeof v === 'object') out.push(document.createTextNode(v.text ?? ''));
    else out.push(val(v ?? ''));
    last = m.index + m[0].length;
  }
  out.push(document.createTextNode(text.slice(last)));
  return out;
}
// val is a value in a sentence: a span of class v.
function val(text) {
  const el = document.createElement('span');
  el.className = 'v';
  el.textContent = text;
  return el;
}
const plain = (text) => ({ text });
const listOf = (items) => items.join(t('list_sep'));
const missingList = (roles) => listOf(roles.map((r) => t(`missing_${r}`)));

function renderError() {
  const box = $('#error');
  const e = state.error;
  box.hidden = !e;
  const text = $('#error-text');
  const advice = $('#error-advice');
  advice.hidden = true;
  text.removeAttribute('title');
  if (!e) { text.replaceChildren(); advice.replaceChildren(); return; }
  if (e.text) { text.textContent = `${t('error')}: ${e.text}`; return; }
  let nodes;
  switch (e.code) {
    case 'missing_column':
      nodes = fillNodes('err_missing_column', { roles: plain(missingList(e.missing)) });
      break;
    case 'not_text': {
      const kind = state.dict.en[`what_${e.kind}`] ? e.kind : 'binary';
      nodes = fillNodes('err_not_text', { what: plain(t(`what_${kind}`)) });
      advice.textContent = t(`advice_${kind}`);
      advice.hidden = false;
      break;
    }
    case 'ambiguous_dates':
      nodes = fillNodes('err_ambiguous_dates', { col: e.ambiguous?.column || '', ex: (e.ambiguous?.examples || []).slice(0, 3).join(', ') });
      break;
    case 'no_sheet':
      nodes = fillNodes('err_no_sheet', { sheet: e.sheet });
      break;
    case 'xlsx_unreadable':
      nodes = fillNodes('err_xlsx_unreadable', {});
      advice.textContent = t('advice_xlsx_unreadable');
      advice.hidden = false;
      break;
    default: {
      const key = state.dict.en[`err_${e.code}`] ? `err_${e.code}` : 'err_error';
      nodes = fillNodes(key, {});
      if (key === 'err_error' || e.code === 'bad_options') {
        // The core's own words: shown in English, a tooltip in Chinese.
        if (state.lang === 'en') nodes.push(document.createTextNode(` (${e.message})`));
        else text.title = e.message;
      }
    }
  }
  text.replaceChildren(document.createTextNode(`${t('error')}: `), ...nodes);
}

// ---------- load ----------

// loadBlob loads a file (or, with no blob, the bytes the worker already
// holds) and scores it. state.busy settles when it is done. The numbers,
// charts, tables and exports of the data shown so far are cleared at once,
// before the new file's bytes are read. An .xlsx workbook (by its zip
// signature) is turned into CSV by the .xlsx reader first (xlsx.sheet
// picks a sheet).
function loadBlob(blob, name, options = {}, xlsx = {}) {
  state.gen++;
  clearResults(name);
  const p = loadBlobNow(blob, name, options, xlsx);
  state.busy = p.catch(() => {});
  return p;
}

// clearResults forgets the data shown: KPIs, charts, tables, the customer
// list and the load report go blank and the exports are disabled until a
// new result arrives. A failed load leaves them so.
function clearResults(name) {
  state.hasData = false;
  state.view = null;
  state.loaded = '';
  state.prediction = state.plan = state.cohorts = state.kpi = state.migration = state.points = null;
  state.planError = state.predictionError = state.cohortsError = state.kpiError = state.migrationError = state.pointsError = '';
  state.reportKey = null;
  state.page = 0;
  rowsSeq++;
  for (const id of ['kpi-customers', 'kpi-revenue', 'kpi-aov', 'kpi-asof', 'kpi-rows']) $(`#${id}`).textContent = '–';
  for (const [id, c] of Object.entries(charts)) { c.clear(); delete drawn[id]; }
  for (const el of $$('#results table, #knobs .edges')) { if (el.tagName === 'TABLE') clearTable(el); else el.textContent = ''; }
  for (const c of $$('.dim canvas')) { c.getContext('2d').clearRect(0, 0, c.width, c.height); delete c.dataset.key; }
  for (const id of ['buyers', 'page-info', 'load-report', 'scheme-check']) $(`#${id}`).replaceChildren();
  $('#cust-segment').replaceChildren();
  $('#dataset-name').textContent = name;
  $('#progress').value = 0;
  if (state.scenario) renderPanels();
  setExports(false);
}
function clearTable(el) {
  tableKeys.delete(el);
  if (el.id !== 'roles' && !el.closest('#pb-editor')) el.replaceChildren();
}

// setExports enables or disables what needs a result: the exports, the
// pin of scenario A.
function setExports(on) {
  for (const id of ['export-csv', 'export-summary', 'export-charts', 'pin-a']) $(`#${id}`).disabled = !on;
}

async function loadBlobNow(blob, name, options, xlsx) {
  await state.busy;
  const gen = state.gen;
  showError('');
  // A pinned scenario's numbers belong to the data it was pinned on.
  if (state.pin) clearPin('compare_cleared');
  state.name = name;
  if (blob) {
    state.blob = blob;
    state.xlsx = null;
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
    if (blob && await isZip(blob)) {
      const csv = await readWorkbook(blob, xlsx.sheet || '');
      if (csv) blob = csv;
    }
    loaded = await call('load', { blob, options: { ...options, rejects: true } });
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
  const out = await rescore();
  if (gen !== state.gen) return out;
  const first = performance.now() - t0;
  state.loaded = name;
  state.timings.push({ name, first, ...loaded.timing, streamed: !!loaded.streamed, run: state.workerRun, render: state.lastRender });
  status('ready');
  setExports(true);
  $('#progress').value = $('#progress').max;
  return out;
}

// isZip tells whether a file starts with a zip signature, as an .xlsx
// workbook does.
async function isZip(blob) {
  if (blob.size < 4) return false;
  const b = new Uint8Array(await blob.slice(0, 4).arrayBuffer());
  return b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

// The .xlsx reader runs in a Web Worker of its own, started the first
// time a workbook arrives: its wasm (excelize) is not part of the page's
// first load.
let xlsxWorker = null;
const xlsxPending = new Map();
function xlsxCall(msg) {
  if (!xlsxWorker) {
    status('loading_xlsx');
    xlsxWorker = new Worker('xlsx-worker.js');
    xlsxWorker.onmessage = (ev) => {
      const m = ev.data;
      const p = xlsxPending.get(m.id);
      if (!p) return;
      xlsxPending.delete(m.id);
      if (m.error) {
        const e = new Error(m.error);
        e.details = m.details;
        p.reject(e);
      } else p.resolve(m.data);
    };
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
  return new Promise((resolve, reject) => {
    const id = nextId++;
    xlsxPending.set(id, { resolve, reject });
    xlsxWorker.postMessage({ ...msg, id });
  });
}

// readWorkbook turns an .xlsx file into a CSV Blob (null when the zip is
// not a workbook: the core then says what it is) and remembers the sheet
// read and the workbook's sheets.
async function readWorkbook(file, sheet) {
  if (xlsxWorker) status('reading_xlsx');
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
async function reloadWithOptions(options) {
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
function renderLoadSummary() {
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
const encodingLabel = (e) => (e === 'windows-1252' ? 'Windows-1252' : String(e).toUpperCase());

// ---------- re-scoring: one run in flight, the latest scenario wins ----------

let running = null;
let dirty = false;
function rescore() {
  // With no data (a load failed or is under way) a knob only changes the
  // scenario; the next load scores it.
  if (!state.hasData) return running || Promise.resolve(null);
  dirty = true;
  if (!running) {
    running = (async () => {
      try {
        while (dirty) {
          dirty = false;
          const sent = JSON.stringify(state.scenario ?? {});
          const gen = state.gen;
          const t0 = performance.now();
          const reply = await call('run', { scenario: sent, options: { plan: state.planOn, holdout_share: state.holdoutShare, cohorts: state.cohortOn, kpi: state.kpiOn, kpi_period: state.kpiPeriod,
            migration: state.migrationOn, migration_by: state.migrationBy, migration_days: state.migrationDays } });
          state.runs++;
          // A new file started loading meanwhile: this answer is stale.
          if (gen !== state.gen || !state.hasData) continue;
          const out = JSON.parse(reply.json);
          if (out.error) throw new Error(out.error);
          out.timing = reply.timing;
          state.lastRun = performance.now() - t0;
          state.workerRun = out.timing.run;
          state.view = out.view;
          state.prediction = out.prediction || null;
          state.plan = out.plan || null;
          state.rescored = out.rescored !== false;
          state.planError = out.plan_error || '';
          state.predictionError = out.prediction_error || '';
          state.cohorts = out.cohorts || null;
          state.kpi = out.kpi || null;
          state.migration = out.migration || null;
          state.migrationError = out.migration_error || '';
          state.kpiError = out.kpi_error || '';
          state.cohortsError = out.cohorts_error || '';
          if (!dirty) state.scenario = out.scenario;
          const r0 = performance.now();
          render();
          state.lastRender = performance.now() - r0;
          if (state.pointsOn) refreshPoints();
        }
        if (state.error?.text) showError('');
      } catch (e) {
        showError(e.message);
        throw e;
      } finally {
        running = null;
      }
      return result();
    })();
  }
  return running;
}

function changed(mutate) {
  mutate(state.scenario);
  updateHash();
  rescore().catch(() => {});
}

// ---------- knobs ----------

function bindKnobs() {
  $('#scheme').addEventListener('change', (e) => {
    const v = e.target.value;
    $('#custom-box').hidden = v !== 'custom';
    if (v === 'custom') {
      if (!$('#custom').value) $('#custom').value = JSON.stringify(state.presets['schemes.rfm11'], null, 1);
      applyCustom();
    } else changed((s) => { s.segments.scheme = v; });
  });
  $('#apply-custom').addEventListener('click', applyCustom);
  $('#frequency').addEventListener('change', (e) => changed((s) => { s.rfm.frequency = e.target.value; }));
  $('#monetary').addEventListener('change', (e) => changed((s) => { s.rfm.monetary = e.target.value; }));
  for (const box of $$('.dim')) {
    const key = box.dataset.dim.toLowerCase();
    $('.method', box).addEventListener('change', (e) => changed((s) => {
      const d = s.rfm[key];
      d.method = e.target.value;
      if (d.method === 'cuts') d.cuts = cutsFromEdges(box.dataset.dim);
      if (d.method === 'quantile') d.levels = d.levels >= 2 ? d.levels : 5;
    }));
    $('.levels', box).addEventListener('change', (e) => changed((s) => {
      s.rfm[key].method = 'quantile';
      s.rfm[key].levels = Math.min(10, Math.max(2, Number(e.target.value) || 5));
    }));
  }
  $('#tier-basis').addEventListener('change', (e) => changed((s) => {
    s.tiers.basis = e.target.value;
    s.tiers.cuts = e.target.value === 'spend' ? spendCuts() : e.target.value === 'customer_share' ? [0.05, 0.2, 0.5] : [0.5, 0.8, 0.95];
  }));
  const life = { 'new-days': 'new_days', 'churn-days': 'churn_days', 'active-min': 'active_min', 'active-max': 'active_max' };
  for (const [id, field] of Object.entries(life)) {
    $(`#${id}`).addEventListener('input', (e) => {
      $(`#${id}-out`).textContent = e.target.value;
      changed((s) => {
        s.lifecycle[field] = Number(e.target.value);
        if (s.lifecycle.active_max < s.lifecycle.active_min) s.lifecycle.active_max = s.lifecycle.active_min;
      });
    });
  }
  const win = { 'win-start': 'start', 'win-end': 'end', asof: 'asof' };
  for (const [id, field] of Object.entries(win)) {
    $(`#${id}`).addEventListener('change', (e) => changed((s) => { s.window[field] = e.target.value; }));
  }
  const clean = { 'clean-returns': 'returns', 'clean-zero': 'zero_value', 'clean-test': 'test_accounts', 'clean-hunters': 'reward_hunters', 'clean-outliers': 'outliers' };
  for (const [id, field] of Object.entries(clean)) {
    $(`#${id}`).addEventListener('change', (e) => changed((s) => { s.clean[field] = e.target.value; }));
  }
  $('#share').addEventListener('click', async () => {
    updateHash();
    try { await navigator.clipboard.writeText(location.href); } catch { /* clipboard may be denied */ }
    $('#share-note').hidden = false;
  });
  $('#export-scenario').addEventListener('click', () => download(`${state.scenario.name || 'scenario'}.json`, JSON.stringify(state.scenario, null, 2), 'application/json'));
  $('#import-scenario').addEventListener('change', async (e) => {
    const f = e.target.files[0];
    if (!f) return;
    try { await setScenario(JSON.parse(await f.text())); } catch (err) { showError(err.message); }
    e.target.value = '';
  });
  $('#reset').addEventListener('click', () => setScenario(state.defaults));
}

function applyCustom() {
  let custom;
  try { custom = JSON.parse($('#custom').value); } catch (e) { showError(e.message); return; }
  changed((s) => { s.segments.scheme = 'custom'; s.segments.custom = custom; });
}

function spendCuts() {
  const th = state.view?.tiers?.map((b) => Math.max(0, Math.round(b.threshold))) || [1000, 300, 100];
  for (let i = 1; i < 3; i++) if (th[i] > th[i - 1]) th[i] = th[i - 1];
  return th;
}

// cutsFromEdges turns the current bin edges into ascending cut points.
function cutsFromEdges(dim) {
  const k = 'RFM'.indexOf(dim);
  const bins = state.view?.bins?.[k];
  const hist = state.view?.hist?.[k];
  const step = sliderStep(dim, hist);
  let cuts = (bins?.edges || []).filter((x) => x >= 0).sort((a, b) => a - b);
  if (!cuts.length) cuts = [hist ? hist.hi / 2 : 1];
  for (let i = 1; i < cuts.length; i++) if (cuts[i] <= cuts[i - 1]) cuts[i] = cuts[i - 1] + step;
  return cuts.map((x) => Math.max(dim === 'M' ? 0.01 : 1, round(x, step)));
}
const round = (x, step) => Math.round(x / step) * step;
function sliderStep(dim, hist) {
  if (dim !== 'M') return 1;
  const hi = hist?.hi || 100;
  const raw = hi / 200;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) / 1 || 1;
}

// renderDims draws the histogram under each dimension and its sliders.
function renderDims() {
  const v = state.view;
  const s = state.scenario;
  for (const box of $$('.dim')) {
    const dim = box.dataset.dim;
    const k = 'RFM'.indexOf(dim);
    const cfg = s.rfm[dim.toLowerCase()];
    const bins = v.bins[k];
    const hist = v.hist[k];
    $('.method', box).value = cfg.method === 'value' ? 'median' : cfg.method;
    $('.levels', box).value = bins.levels;
    $('.levels', box).disabled = cfg.method !== 'quantile';
    const edges = bins.edges.filter((x) => x >= 0);
    drawHist($('canvas', box), hist, edges);
    const cutsBox = $('.cuts', box);
    const values = cfg.method === 'cuts' ? cfg.cuts : edges.slice().sort((a, b) => a - b);
    const step = sliderStep(dim, hist);
    const hi = Math.max(hist.hi, ...values.map((x) => x + step));
    if (cfg.method === 'mean' || cfg.method === 'median') {
      cutsBox.replaceChildren();
    } else {
      // Reuse the sliders while their count is unchanged, so dragging is smooth.
      let sliders = $$('input', cutsBox);
      if (sliders.length !== values.length) {
        cutsBox.replaceChildren(...values.map((_, i) => {
          const el = document.createElement('input');
          el.type = 'range';
          el.className = 'cut';
          el.dataset.index = i;
          el.setAttribute('aria-label', `${dim} cut ${i + 1}`);
          el.addEventListener('input', () => onCut(dim, i, Number(el.value)));
          return el;
        }));
        sliders = $$('input', cutsBox);
      }
      sliders.forEach((el, i) => {
        el.min = dim === 'M' ? step : 1;
        el.max = hi;
        el.step = step;
        if (document.activeElement !== el) el.value = values[i];
      });
    }
    const unit = dim === 'R' ? 'd' : '';
    const counts = bins.counts.map((c, i) => `${i + 1}: ${fmtInt(c)}`).join(' · ');
    $('.edges', box).textContent = `${t('edges')}: ${edges.map((x) => fmtNum(x, 2) + unit).join(', ') || '–'} — ${counts} — ${t('effective')}: ${bins.effective}/${bins.levels}${bins.note ? ` (${fill('bins_unused', { list: bins.counts.flatMap((c, i) => (c === 0 ? [i + 1] : [])).join(', ') })})` : ''}`;
  }
}

function onCut(dim, i, value) {
  if (!state.view) return;
  changed((s) => {
    const d = s.rfm[dim.toLowerCase()];
    if (d.method !== 'cuts') {
      d.cuts = cutsFromEdges(dim);
      d.method = 'cuts';
    }
    const step = sliderStep(dim, state.view.hist['RFM'.indexOf(dim)]);
    const lo = i > 0 ? d.cuts[i - 1] + step : (dim === 'M' ? step : 1);
    const hi = i < d.cuts.length - 1 ? d.cuts[i + 1] - step : Infinity;
    d.cuts[i] = Math.min(hi, Math.max(lo, value));
  });
}

function drawHist(canvas, hist, edges) {
  const key = JSON.stringify([hist, edges]);
  if (canvas.dataset.key === key) return;
  canvas.dataset.key = key;
  const ctx = canvas.getContext('2d');
  const w = canvas.width;
  const h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  const max = Math.max(...hist.counts, 1);
  const bw = w / hist.counts.length;
  ctx.fillStyle = '#9bb8d3';
  hist.counts.forEach((c, i) => {
    const bh = (Math.sqrt(c) / Math.sqrt(max)) * (h - 4);
    ctx.fillRect(i * bw + 0.5, h - bh, bw - 1, bh);
  });
  ctx.strokeStyle = '#c0392b';
  ctx.lineWidth = 1.5;
  for (const e of edges) {
    const x = ((e - hist.lo) / (hist.hi - hist.lo || 1)) * w;
    if (x < 0 || x > w) continue;
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x, h);
    ctx.stroke();
  }
}

function renderTierCuts() {
  const s = state.scenario;
  const box = $('#tier-cuts');
  const spend = s.tiers.basis === 'spend';
  let inputs = $$('input', box);
  if (inputs.length !== 3 || box.dataset.basis !== s.tiers.basis) {
    box.dataset.basis = s.tiers.basis;
    box.replaceChildren(...[0, 1, 2].map((i) => {
      const label = document.createElement('label');
      label.className = 'knob';
      const name = document.createElement('span');
      name.className = 'tier-name';
      const el = document.createElement('input');
      el.type = spend ? 'number' : 'range';
      el.min = spend ? 0 : 0.01;
      el.max = spend ? '' : 1;
      el.step = spend ? 1 : 0.01;
      el.id = `tier-cut-${i}`;
      const out = document.createElement('output');
      el.addEventListener('input', () => changed((sc) => {
        const cuts = sc.tiers.cuts;
        let v = Number(el.value);
        if (!spend) v = Math.min(i < 2 ? cuts[i + 1] : 1, Math.max(i > 0 ? cuts[i - 1] : 0.01, v));
        cuts[i] = v;
      }));
      label.append(name, el, out);
      return label;
    }));
    inputs = $$('input', box);
  }
  inputs.forEach((el, i) => {
    if (document.activeElement !== el) el.value = s.tiers.cuts[i];
    el.previousSibling.textContent = labelOf('tier', ['core', 'important', 'ordinary'][i]);
    el.nextSibling.textContent = spend ? fmtMoney(s.tiers.cuts[i]) : fmtPct(s.tiers.cuts[i]);
  });
}

function renderTags() {
  const box = $('#tags');
  const all = state.defaults?.tags || [];
  const on = new Set((state.scenario?.tags || []).map((x) => x.name));
  box.replaceChildren(...all.map((tag) => {
    const label = document.createElement('label');
    label.className = 'check';
    const el = document.createElement('input');
    el.type = 'checkbox';
    el.checked = on.has(tag.name);
    el.addEventListener('change', () => changed((s) => {
      const keep = new Set($$('input', box).filter((x) => x.checked).map((x) => x.dataset.name));
      s.tags = all.filter((x) => keep.has(x.name));
    }));
    el.dataset.name = tag.name;
    label.append(el, ` ${labelOf('tag', tag.name)}`);
    return label;
  }));
}

function syncKnobs() {
  const s = state.scenario;
  $('#scheme').value = s.segments.scheme;
  $('#custom-box').hidden = s.segments.scheme !== 'custom';
  $('#frequency').value = s.rfm.frequency;
  $('#monetary').value = s.rfm.monetary;
  $('#tier-basis').value = s.tiers.basis;
  for (const [id, field] of [['new-days', 'new_days'], ['churn-days', 'churn_days'], ['active-min', 'active_min'], ['active-max', 'active_max']]) {
    const el = $(`#${id}`);
    if (document.activeElement !== el) el.value = s.lifecycle[field];
    $(`#${id}-out`).textContent = s.lifecycle[field];
  }
  $('#win-start').value = s.window.start || '';
  $('#win-end').value = s.window.end || '';
  $('#asof').value = s.window.asof || state.view?.asof || '';
  $('#clean-returns').value = s.clean.returns;
  $('#clean-zero').value = s.clean.zero_value;
  $('#clean-test').value = s.clean.test_accounts;
  $('#clean-hunters').value = s.clean.reward_hunters;
  $('#clean-outliers').value = s.clean.outliers;
  const ck = state.view?.scheme_check;
  $('#scheme-check').textContent = ck ? `${t('scheme_check')}: ${fill('check_cells', { cells: fmtInt(ck.cells), gaps: fmtInt(ck.gaps) })}${ck.overlaps?.length ? `; ${ck.overlaps.map(overlapText).join('; ')}` : ''}${ck.unreachable?.length ? `; ${fill('check_unreachable', { list: ck.unreachable.map((x) => labelOf(segKind(), x)).join(t('list_sep')) })}` : ''}` : '';
}

// overlapText says a scheme check's overlap ("a & b: 8 cells (a wins)", as
// the core writes it) in the page's language.
function overlapText(o) {
  const m = o.match(/^(.+) & (.+): (\d+) cells \((.+) wins\)$/);
  if (!m) return o;
  const k = segKind();
  return fill('check_overlap', { a: labelOf(k, m[1]), b: labelOf(k, m[2]), n: fmtInt(Number(m[3])), w: labelOf(k, m[4]) });
}

// ---------- mapping ----------

// The roles the Columns panel assigns, required ones first.
const mapRoles = ['customer', 'date', 'amount', 'order', 'status', 'refund', 'paid_date', 'quantity', 'unit_price', 'discount', 'channel'];
const requiredRoles = new Set(['customer', 'date', 'amount']);

// renderMapping fills the Columns panel from the last load's report (also
// of a load that failed): a column for each role, pre-filled with what was
// detected, the encoding and date format in force, the columns to carry,
// and the file's first rows.
function renderMapping(keep = false) {
  const rep = state.report;
  const headers = rep?.headers || [];
  const tbody = $('#roles tbody');
  const missing = state.error?.code === 'missing_column' ? new Set(state.error.missing) : new Set();
  const note = $('#mapping-missing');
  note.hidden = !missing.size;
  if (missing.size) note.replaceChildren(...fillNodes('mapping_missing', { roles: plain(missingList([...missing])) }));
  if (!headers.length) {
    tbody.replaceChildren();
    $('#preview').replaceChildren();
    $('#carry').replaceChildren();
    return;
  }
  // Keep the user's choices while the same file is shown.
  const chosen = {};
  if (keep) for (const sel of $$('#roles select')) chosen[sel.dataset.role] = sel.value;
  const carried = keep ? $$('#carry input:checked').map((x) => x.value) : state.options.carry || [];
  tbody.replaceChildren(...mapRoles.map((role) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.textContent = `${t(`role_${role}`)}${requiredRoles.has(role) ? ' *' : ''}`;
    const td = document.createElement('td');
    const sel = document.createElement('select');
    sel.dataset.role = role;
    sel.className = 'v';
    sel.append(new Option(t('none'), ''), ...headers.map((h) => new Option(h, h)));
    sel.value = chosen[role] ?? rep.roles?.[role] ?? '';
    if (missing.has(role) && !sel.value) tr.className = 'missing';
    sel.addEventListener('change', () => { tr.classList.remove('missing'); renderPreview(); renderCarry(); });
    td.append(sel);
    tr.append(th, td);
    return tr;
  }));
  const foot = document.createElement('tr');
  const td = document.createElement('td');
  td.colSpan = 2;
  td.className = 'muted small';
  td.textContent = t('required_note');
  foot.append(td);
  tbody.append(foot);
  $('#date-format').value = state.options.date_format || 'auto';
  $('#encoding').value = state.options.encoding || 'auto';
  // A workbook's sheet arrives as UTF-8 text: there is no encoding to choose.
  $('#encoding').disabled = !!state.xlsx;
  renderCarry(carried);
  renderPreview();
}

// chosenRoles returns the Columns panel's role → column choices.
function chosenRoles() {
  const map = {};
  for (const sel of $$('#roles select')) if (sel.value) map[sel.dataset.role] = sel.value;
  return map;
}

// renderCarry lists the columns that play no role as checkboxes: checked
// ones are carried into the customer export.
function renderCarry(carried) {
  const box = $('#carry');
  const headers = state.report?.headers || [];
  const used = new Set(Object.values(chosenRoles()));
  const on = new Set(carried || $$('input:checked', box).map((x) => x.value));
  const free = headers.filter((h) => !used.has(h));
  if (!free.length) {
    const p = document.createElement('p');
    p.className = 'muted small';
    p.textContent = t('carry_none');
    box.replaceChildren(p);
    return;
  }
  box.replaceChildren(...free.map((h) => {
    const label = document.createElement('label');
    label.className = 'check';
    const el = document.createElement('input');
    el.type = 'checkbox';
    el.value = h;
    el.checked = on.has(h);
    label.append(el, ' ', val(h));
    return label;
  }));
}

// renderPreview shows the file's first records under its own headers,
// with the role each column is given.
function renderPreview() {
  const rep = state.report;
  const table = $('#preview');
  const headers = rep?.headers || [];
  if (!headers.length) { table.replaceChildren(); return; }
  const roleOf = {};
  for (const [role, col] of Object.entries(chosenRoles())) roleOf[col] = role;
  const row = (cells, tag, cls) => {
    const tr = document.createElement('tr');
    for (const c of cells) {
      const el = document.createElement(tag);
      if (cls) el.className = cls;
      el.textContent = c;
      tr.append(el);
    }
    return tr;
  };
  const thead = document.createElement('thead');
  const roles = row(headers.map((h) => (roleOf[h] ? t(`role_${roleOf[h]}`) : '')), 'th', 'role');
  thead.append(row(headers, 'th', 'v'), roles);
  const tbody = document.createElement('tbody');
  for (const r of rep.preview || []) tbody.append(row(headers.map((_, i) => r[i] ?? ''), 'td', 'v'));
  table.replaceChildren(thead, tbody);
}

function readAgain() {
  const options = { map: chosenRoles(), date_format: $('#date-format').value };
  const enc = $('#encoding').value;
  if (enc !== 'auto') options.encoding = enc;
  const carry = $$('#carry input:checked').map((x) => x.value);
  if (carry.length) options.carry = carry;
  return reloadWithOptions(options).catch(() => {});
}
$('#apply-mapping').addEventListener('click', readAgain);
$('#sheet').addEventListener('change', (e) => reloadSheet(e.target.value).catch(() => {}));

// ---------- rendering ----------

function render() {
  const v = state.view;
  if (!v || !state.scenario) return;
  syncKnobs();
  renderDims();
  renderTierCuts();
  const orders = v.classes.reduce((a, g) => a + g.orders, 0);
  $('#kpi-customers').textContent = fmtInt(v.customers);
  $('#kpi-revenue').textContent = fmtMoney(v.revenue);
  $('#kpi-aov').textContent = fmtMoney(orders ? v.revenue / orders : 0);
  $('#kpi-asof').textContent = fmtDate(v.asof);
  $('#kpi-rows').textContent = fmtInt(v.load?.rows_kept ?? 0);
  renderTables();
  renderPanels();
  renderCompare();
  later('charts', renderCharts, 0);
  const key = JSON.stringify([v.load?.rows_read, v.load?.rows_kept, v.clean, state.scenario.clean, state.lang]);
  if (key !== state.reportKey) {
    state.reportKey = key;
    renderReports();
  }
  later('customers', renderCustomers, 120);
}

// later runs fn once in the next animation frame (delay 0) or after delay
// ms, however often it is asked for meanwhile: dragging a slider re-scores
// many times, the charts draw once per frame.
const timers = {};
function later(name, fn, delay) {
  if (timers[name]) return;
  const go = () => { timers[name] = null; fn(); };
  timers[name] = delay ? setTimeout(go, delay) : requestAnimationFrame(go);
}

// table fills a table element, unless it already shows the same cells.
const tableKeys = new WeakMap();
function table(el, head, rows) {
  const key = JSON.stringify([head, rows]);
  if (tableKeys.get(el) === key) return;
  tableKeys.set(el, key);
  const thead = document.createElement('thead');
  const tr = document.createElement('tr');
  for (const h of head) {
    const th = document.createElement('th');
    th.textContent = h;
    tr.append(th);
  }
  thead.append(tr);
  const tbody = document.createElement('tbody');
  for (const r of rows) {
    const row = document.createElement('tr');
    for (const c of r) {
      const td = document.createElement('td');
      td.textContent = c;
      row.append(td);
    }
    tbody.append(row);
  }
  el.replaceChildren(thead, tbody);
}

function segmentGroups() {
  const v = state.view;
  return v.segments.filter((g) => g.customers > 0);
}
const segKind = () => (state.scenario.segments.scheme === 'rfm8' ? 'class' : 'segment');

function summaryRows() {
  return segmentGroups().map((g) => [labelOf(segKind(), g.name), fmtInt(g.customers), fmtPct(g.customer_share), fmtInt(g.orders), fmtMoney(g.revenue), fmtPct(g.revenue_share), fmtMoney(g.aov), fmtNum(g.median_recency), fmtNum(g.avg_frequency, 2), actionOf(g.name)]);
}
function summaryHead() {
  return [t('segment'), t('customers'), t('share_customers'), t('orders'), t('revenue'), t('share_revenue'), t('aov'), t('median_recency'), t('avg_frequency'), t('action')];
}

function renderTables() {
  const v = state.view;
  table($('#table-segments'), summaryHead(), summaryRows());
  table($('#table-tiers'), [t('tier'), t('threshold'), t('customers'), t('share_revenue'), t('near')],
    (v.tier_table || []).map((g, i) => [labelOf('tier', g.name), v.tiers?.[i] ? fmtMoney(v.tiers[i].threshold) : '–', fmtInt(g.customers), fmtPct(g.revenue_share), v.tiers?.[i] ? fmtInt(v.tiers[i].near) : '–']));
  table($('#near'), [t('tier'), t('id'), t('revenue'), t('gap')],
    (v.near || []).map((n) => [labelOf('tier', n.tier), n.id, fmtMoney(n.revenue), fmtMoney(n.gap)]));
  const order = ['new', 'active', 'returned', 'silent', 'at_risk', 'churned'];
  table($('#table-stages'), [t('stage'), t('customers'), t('share_customers'), t('share_revenue'), t('median_recency')],
    order.map((n) => v.stages.find((g) => g.name === n)).filter(Boolean).map((g) => [labelOf('stage', g.name), fmtInt(g.customers), fmtPct(g.customer_share), fmtPct(g.revenue_share), fmtNum(g.median_recency)]));
  const b = v.buyers;
  $('#buyers').textContent = `${t('buyers')}: ${t('buyers_new')} ${fmtInt(b.new_buyers)} · ${t('buyers_old')} ${fmtInt(b.old_buyers)} · ${t('buyers_repeat')} ${fmtInt(b.old_repeat_buyers)}`;
  table($('#tag-counts'), [t('tags'), t('customers')], (v.tags || []).map((x) => [labelOf('tag', x.name), fmtInt(x.customers)]));
}

function chart(id) {
  if (!charts[id]) charts[id] = echarts.init($(`#${id}`), null, { renderer: 'canvas' });
  return charts[id];
}

// draw sets a chart's option only when its data or the language changed:
// a slider on R, F or M leaves the Pareto curve and the funnel as they were.
const drawn = {};
function draw(id, data, option) {
  const key = JSON.stringify([state.lang, data]);
  if (drawn[id] === key) return;
  drawn[id] = key;
  chart(id).setOption(option(), { replaceMerge: ['series', 'xAxis', 'yAxis', 'visualMap'] });
}
const tooltip = { renderMode: 'richText', trigger: 'item' };

function renderCharts() {
  if (typeof echarts === 'undefined' || !state.view) return;
  const v = state.view;
  const groups = segmentGroups();
  const names = groups.map((g) => labelOf(segKind(), g.name));
  draw('chart-segments', groups, () => ({
    animation: false,
    tooltip: { ...tooltip, trigger: 'axis' },
    legend: { top: 0, data: [t('share_customers'), t('share_revenue')] },
    grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
    xAxis: { type: 'value', axisLabel: { formatter: (x) => fmtPct(x) } },
    yAxis: { type: 'category', data: names, inverse: true },
    series: [
      { name: t('share_customers'), type: 'bar', data: groups.map((g) => +g.customer_share.toFixed(4)), itemStyle: { color: '#5b8ff9' } },
      { name: t('share_revenue'), type: 'bar', data: groups.map((g) => +g.revenue_share.toFixed(4)), itemStyle: { color: '#f6bd16' } },
    ],
  }));
  const lr = v.bins[0].levels;
  const lf = v.bins[1].levels;
  const maxCell = Math.max(...v.grid.map((c) => c.customers), 1);
  draw('chart-grid', v.grid, () => ({
    animation: false,
    tooltip,
    grid: { left: 40, right: 16, top: 16, bottom: 56 },
    xAxis: { type: 'category', name: 'F', data: Array.from({ length: lf }, (_, i) => String(i + 1)) },
    yAxis: { type: 'category', name: 'R', data: Array.from({ length: lr }, (_, i) => String(i + 1)) },
    visualMap: { min: 0, max: maxCell, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, inRange: { color: ['#f7fbff', '#6baed6', '#08306b'] } },
    series: [{ type: 'heatmap', data: v.grid.map((c) => [c.f - 1, c.r - 1, c.customers]), label: { show: true, fontSize: 10 } }],
  }));
  const n = v.customers || 1;
  const bandColors = ['rgba(91,143,249,0.18)', 'rgba(90,216,166,0.18)', 'rgba(246,189,22,0.15)', 'rgba(200,200,200,0.15)'];
  const edges = [0, ...(v.tiers || []).map((b) => b.count / n), 1];
  draw('chart-pareto', [v.pareto, edges], () => ({
    animation: false,
    tooltip: { ...tooltip, trigger: 'axis' },
    grid: { left: 48, right: 16, top: 16, bottom: 40 },
    xAxis: { type: 'value', min: 0, max: 1, name: t('customers_axis'), nameLocation: 'middle', nameGap: 24, axisLabel: { formatter: (x) => fmtPct(x) } },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (x) => fmtPct(x) } },
    series: [{
      type: 'line', showSymbol: false, data: v.pareto.map((p) => [p.customers, p.revenue]), lineStyle: { width: 2, color: '#c0392b' },
      markArea: { silent: true, data: [0, 1, 2, 3].map((i) => [{ xAxis: edges[i], name: labelOf('tier', ['core', 'important', 'ordinary', 'tail'][i]), itemStyle: { color: bandColors[i] }, label: { position: 'insideTop', fontSize: 10 } }, { xAxis: edges[i + 1] }]) },
    }],
  }));
  const order = ['new', 'active', 'returned', 'silent', 'at_risk', 'churned'];
  const stages = order.map((name) => v.stages.find((g) => g.name === name)?.customers || 0);
  draw('chart-funnel', stages, () => ({
    animation: false,
    tooltip,
    series: [{
      type: 'funnel', sort: 'none', left: 10, right: 10, top: 10, bottom: 10, gap: 2, minSize: '8%',
      label: { formatter: (p) => `${p.name}: ${fmtInt(p.value)}` },
      data: order.map((name, i) => ({ name: labelOf('stage', name), value: stages[i] })),
    }],
  }));
  renderPanelCharts();
}

// renderReports writes the load report (from the last load's report, also
// of a load that failed) and, with a result, the cleaning report, in the
// page's language.
function renderReports() {
  const rep = state.report;
  const box = $('#load-report');
  if (!rep) { box.replaceChildren(); return; }
  const zh = state.lang === 'zh';
  const p = (...nodes) => { const el = document.createElement('p'); el.append(...nodes); return el; };
  const text = (x) => document.createTextNode(x);
  const facts = [];
  if (state.xlsx) facts.push(...fillNodes('sheet_is', { sheet: state.xlsx.sheet }));
  else {
    facts.push(text(t(`format_${rep.format}`) || rep.format), text(' · '), ...fillNodes('encoding_is', { enc: encodingLabel(rep.encoding) }));
    if (rep.bom) facts.push(text(` ${t('with_bom')}`));
  }
  if (rep.date_format) facts.push(text(` · ${t('date_format')}: ${t(`fmt_${rep.date_format}`)}`));
  facts.push(text(` · ${t('rows_read')}: ${fmtInt(rep.rows_read)} · ${t('rows')}: ${fmtInt(rep.rows_kept)} · ${t('rows_skipped')}: ${fmtInt(rep.rows_skipped)}`));
  const parts = [p(...facts)];
  if (rep.platform) parts.push(p(...fillNodes('recognised', { platform: plain(t(`platform_${rep.platform}`)) })));
  const roles = [];
  for (const r of mapRoles) {
    if (!rep.roles?.[r]) continue;
    if (roles.length) roles.push(text(' · '));
    roles.push(text(`${t(`role_${r}`)} ← `), val(rep.roles[r]));
  }
  if (roles.length) parts.push(p(...roles));
  for (const w of rep.warnings || []) {
    const m = w.match(/^field "(.*)" appears only after the first 50 records and was ignored$/);
    parts.push(p(text('⚠ '), ...(m ? fillNodes('warn_late_field', { f: m[1] }) : [text(zh ? '' : w)])));
  }
  if (rep.line_items) parts.push(p(text(fill('line_items', { n: fmtInt(rep.line_items) }))));
  if (rep.partial_refunds) parts.push(p(text(fill('partial_refunds', { n: fmtInt(rep.partial_refunds) }))));
  if (rep.statuses?.length) {
    const tb = document.createElement('table');
    tb.className = 'small statuses';
    tableNodes(tb, [t('statuses'), t('affected_rows'), t('status_class')],
      rep.statuses.map((c) => [val(c.label), fmtInt(c.rows), t(c.unpaid ? 'status_unpaid' : c.return ? 'status_return' : 'status_counted')]));
    parts.push(tb);
  }
  if (rep.skip_reasons?.length) {
    // In Chinese the reasons are said by their code, so reasons that
    // differ only in numbers the core puts in them are one row.
    const rows = new Map();
    for (const c of rep.skip_reasons) {
      const label = skipReason(c.code, c.label);
      rows.set(label, (rows.get(label) || 0) + c.rows);
    }
    const tb = document.createElement('table');
    table(tb, [t('reason'), t('affected_rows')], [...rows].map(([label, n]) => [label, fmtInt(n)]));
    parts.push(tb);
  }
  if (rep.skips?.length) {
    const tb = document.createElement('table');
    tb.className = 'small';
    tableNodes(tb, [t('line'), t('column'), t('value'), t('reason')], rep.skips.slice(0, 10).map((s) => [s.line, val(s.column || ''), val(s.value || ''), skipReason(s.code, s.reason)]));
    parts.push(tb);
  }
  box.replaceChildren(...parts);
  if (state.view) renderCleanReport();
}

// skipReason says why a row was skipped: in English as the core says it
// (with its details), in Chinese by its code.
function skipReason(code, reason) {
  if (state.lang === 'en' && reason) return reason;
  return state.dict.en[`skip_${code}`] ? t(`skip_${code}`) : reason || code;
}

// tableNodes is table() for cells that may be DOM nodes (values in spans).
function tableNodes(el, head, rows) {
  tableKeys.delete(el);
  const thead = document.createElement('thead');
  const tr = document.createElement('tr');
  for (const h of head) { const th = document.createElement('th'); th.textContent = h; tr.append(th); }
  thead.append(tr);
  const tbody = document.createElement('tbody');
  for (const r of rows) {
    const row = document.createElement('tr');
    for (const c of r) {
      const td = document.createElement('td');
      if (c instanceof Node) td.append(c);
      else td.textContent = c;
      row.append(td);
    }
    tbody.append(row);
  }
  el.replaceChildren(thead, tbody);
}

// The cleaning rules, by the core's rule key: the label, the setting in
// the scenario (for the rules that have one) and what the rule does.
const cleanRules = {
  window: { label: 'window' },
  test_accounts: { label: 'test_accounts', mode: 'test_accounts' },
  unpaid: { label: 'rule_unpaid' },
  returns: { label: 'returns', mode: 'returns' },
  zero_value: { label: 'zero_value', mode: 'zero_value' },
  reward_hunters: { label: 'reward_hunters', mode: 'reward_hunters' },
  outliers: { label: 'outliers', mode: 'outliers' },
};

function cleanWhat(c, sc) {
  const mode = sc[c.rule];
  switch (c.rule) {
    case 'window': return [text2(t('clean_window'))];
    case 'unpaid': return [text2(t('clean_unpaid'))];
    case 'test_accounts':
      return mode === 'drop' ? fillNodes('clean_test_accounts_drop', { patterns: (sc.test_patterns || []).join(' ') }) : [text2(t('clean_test_accounts_keep'))];
    case 'returns':
      return [text2(t(`clean_returns_${mode}`) + (c.note ? `; ${t('clean_returns_c')}` : ''))];
    case 'zero_value': return [text2(t(`clean_zero_value_${mode}`))];
    case 'reward_hunters':
      if (mode === 'off') return [text2(t('clean_off'))];
      if (!state.report?.roles?.discount) return [text2(t('clean_hunters_nodisc'))];
      return [text2(fill('clean_hunters_on', { n: fmtInt(sc.hunter_min_orders), share: fmtPct(sc.hunter_share), disc: fmtPct(sc.hunter_discount) }))];
    case 'outliers':
      if (mode === 'off') return [text2(t('clean_off'))];
      return [text2(fill('clean_outliers_on', { p: fmtNum(sc.outlier_percentile, 2) }))];
  }
  return [text2(c.action)];
}
const text2 = (x) => document.createTextNode(x);

function renderCleanReport() {
  const sc = state.scenario.clean;
  tableNodes($('#clean-report'), [t('rule'), t('mode'), t('clean_what'), t('affected_rows'), t('affected_cust')],
    (state.view.clean || []).map((c) => {
      const r = cleanRules[c.rule] || { label: c.rule };
      const what = document.createElement('span');
      what.append(...cleanWhat(c, sc));
      return [t(r.label), r.mode ? t(`opt_${sc[r.mode]}`) : '–', what, fmtInt(c.rows), fmtInt(c.customers)];
    }));
}

let rowsSeq = 0;
async function renderCustomers() {
  if (!state.view) return;
  const sel = $('#cust-segment');
  const groups = state.view.segments;
  const opts = [new Option(t('all_segments'), '-1'), ...groups.map((g, i) => new Option(`${labelOf(segKind(), g.name)} (${fmtInt(g.customers)})`, String(i)))];
  sel.replaceChildren(...opts);
  sel.value = String(state.segmentFilter);
  if (sel.value !== String(state.segmentFilter)) { state.segmentFilter = -1; sel.value = '-1'; }
  const seq = ++rowsSeq;
  let out;
  try {
    out = await call('rows', { segment: state.segmentFilter, offset: state.page * state.pageSize, limit: state.pageSize });
  } catch {
    return; // a new load dropped the result meanwhile
  }
  if (seq !== rowsSeq || !state.view) return;
  const pages = Math.max(1, Math.ceil(out.total / state.pageSize));
  if (state.page >= pages) state.page = pages - 1;
  $('#page-info').textContent = `${fmtInt(state.page + 1)} / ${fmtInt(pages)} (${fmtInt(out.total)})`;
  table($('#customers'), [t('id'), t('revenue'), t('orders'), t('recency'), t('last_order'), t('scores'), t('segment'), t('class'), t('tier'), t('stage'), t('tags')],
    out.rows.map((r) => [r.id, fmtMoney(r.revenue), fmtInt(r.orders), fmtInt(r.recency), r.last_order, `${r.r} ${r.f} ${r.m}`, labelOf(segKind(), r.segment), labelOf('class', r.class), labelOf('tier', r.tier), labelOf('stage', r.stage), r.tags.split(';').filter(Boolean).map((x) => labelOf('tag', x)).join(', ')]));
}
$('#cust-segment').addEventListener('change', (e) => { state.segmentFilter = Number(e.target.value); state.page = 0; renderCustomers(); });
$('#prev').addEventListener('click', () => { if (state.page > 0) { state.page--; renderCustomers(); } });
$('#next').addEventListener('click', () => { state.page++; renderCustomers(); });


// ---------- prediction and plan panels ----------

const fill = (key, vars) => t(key).replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? '');

function bindPanels() {
  $('#predict-on').addEventListener('change', (e) => changed((s) => { s.predict.enabled = e.target.checked; }));
  $('#predict-unit').addEventListener('change', (e) => changed((s) => { s.predict.unit = e.target.value; }));
  $('#predict-horizon').addEventListener('change', (e) => changed((s) => {
    s.predict.horizon_days = Math.min(3650, Math.max(1, Math.round(Number(e.target.value) || 365)));
  }));
  $('#predict-atrisk').addEventListener('input', (e) => changed((s) => { s.predict.at_risk_below = Number(e.target.value); }));
  $('#holdout-share').addEventListener('input', (e) => {
    state.holdoutShare = Number(e.target.value);
    rescore().catch(() => {});
  });
  $('#plan-on').addEventListener('change', (e) => { state.planOn = e.target.checked; rescore().catch(() => {}); });
  $('#migration-on').addEventListener('change', (e) => { state.migrationOn = e.target.checked; rescore().catch(() => {}); });
  $('#migration-by').addEventListener('change', (e) => { state.migrationBy = e.target.value; rescore().catch(() => {}); });
  $('#migration-days').addEventListener('change', (e) => {
    state.migrationDays = Math.min(366, Math.max(1, Math.round(Number(e.target.value) || 30)));
    rescore().catch(() => {});
  });
  $('#points-on').addEventListener('change', (e) => { state.pointsOn = e.target.checked; refreshPoints(); });
  const num = (sel, key, lo, hi, int) => $(sel).addEventListener(sel === '#points-threshold' ? 'input' : 'change', (e) => {
    let v = Number(e.target.value);
    if (!Number.isFinite(v)) return;
    v = Math.min(hi, Math.max(lo, int ? Math.round(v) : v));
    state.pointsOpts = { ...state.pointsOpts, [key]: v };
    refreshPoints();
  });
  num('#points-per-order', 'per_order', 0, 1e6);
  num('#points-per-yuan', 'per_yuan', 0, 1e6);
  num('#points-expiry', 'expiry_months', 0, 120, true);
  num('#points-value', 'point_value', 0, 1e6);
  num('#points-threshold', 'threshold', 1, 1e7);
  $('#kpi-on').addEventListener('change', (e) => { state.kpiOn = e.target.checked; rescore().catch(() => {}); });
  $('#kpi-period').addEventListener('change', (e) => {
    state.kpiPeriod = Math.min(366, Math.max(1, Math.round(Number(e.target.value) || 30)));
    rescore().catch(() => {});
  });
  $('#kpi-target').addEventListener('input', (e) => {
    const v = Number(e.target.value);
    state.kpiTarget = e.target.value === '' || !Number.isFinite(v) ? null : v;
    renderKPI();
  });
  $('#cohort-on').addEventListener('change', (e) => { state.cohortOn = e.target.checked; rescore().catch(() => {}); });
  $('#plan-playbook').addEventListener('change', (e) => {
    if (e.target.value === 'custom') return;
    changed((s) => { s.plan.playbook = e.target.value; s.plan.custom = null; });
    renderEditor();
  });
  bindEditor();
  bindCompare();
  $('#plan-by').addEventListener('change', (e) => changed((s) => { s.plan.by = e.target.value; }));
  $('#plan-rank').addEventListener('change', (e) => changed((s) => { s.plan.rank = e.target.value; }));
  $('#plan-holdout').addEventListener('change', (e) => changed((s) => { s.plan.holdout.enabled = e.target.checked; }));
  $('#plan-budget').addEventListener('input', (e) => {
    $('#plan-budget-out').textContent = fmtMoney(Number(e.target.value));
    changed((s) => { s.plan.budget = Number(e.target.value); });
  });
}

function renderPanels() {
  const s = state.scenario;
  const set = (id, prop, v) => { const el = $(id); if (document.activeElement !== el) el[prop] = v; };
  set('#predict-on', 'checked', !!s.predict.enabled);
  set('#predict-unit', 'value', s.predict.unit);
  set('#predict-horizon', 'value', s.predict.horizon_days);
  set('#predict-atrisk', 'value', s.predict.at_risk_below);
  $('#predict-atrisk-out').textContent = fmtNum(s.predict.at_risk_below, 2);
  set('#holdout-share', 'value', state.holdoutShare);
  $('#holdout-share-out').textContent = fmtPct(state.holdoutShare);
  set('#plan-on', 'checked', state.planOn);
  const custom = $('#plan-playbook-custom');
  custom.hidden = !s.plan.custom;
  custom.textContent = fill('pb_custom', { base: pbLabel(s.plan.playbook) });
  set('#plan-playbook', 'value', s.plan.custom ? 'custom' : s.plan.playbook);
  set('#plan-by', 'value', s.plan.by);
  set('#plan-rank', 'value', s.plan.rank);
  set('#plan-holdout', 'checked', !!s.plan.holdout.enabled);
  set('#cohort-on', 'checked', state.cohortOn);
  set('#kpi-on', 'checked', state.kpiOn);
  set('#migration-on', 'checked', state.migrationOn);
  set('#migration-by', 'value', state.migrationBy);
  set('#migration-days', 'value', state.migrationDays);
  set('#kpi-period', 'value', state.kpiPeriod);
  renderPrediction();
  renderPlan();
  renderEditor();
  renderKPI();
  renderCohorts();
  renderMigration();
  renderPoints();
}

// refreshPoints asks the worker for the points what-if (it does not score
// again); the latest request wins.
let pointsSeq = 0;
async function refreshPoints() {
  const seq = ++pointsSeq;
  if (!state.pointsOn || !state.hasData) { state.points = null; renderPoints(); return null; }
  try {
    const out = await call('points', { options: state.pointsOpts });
    if (seq !== pointsSeq) return state.points;
    state.points = out;
    state.pointsError = '';
  } catch (e) {
    if (seq !== pointsSeq) return state.points;
    state.points = null;
    state.pointsError = e.message;
  }
  renderPoints();
  return state.points;
}

function renderPoints() {
  const o = state.pointsOpts;
  const set = (id, v) => { const el = $(id); if (document.activeElement !== el) el.value = v; };
  $('#points-on').checked = state.pointsOn;
  set('#points-per-order', o.per_order);
  set('#points-per-yuan', o.per_yuan);
  set('#points-expiry', o.expiry_months);
  set('#points-value', o.point_value);
  set('#points-threshold', o.threshold);
  $('#points-threshold-out').textContent = fmtInt(o.threshold);
  $('#points-off').hidden = state.pointsOn;
  const p = state.points;
  showPanel('#points-body', !!p, '');
  if (!p) return;
  const r = p.result;
  $('#points-summary').textContent = fill('points_summary', {
    t: fmtInt(r.threshold), reach: fmtInt(r.reach), share: fmtPct(r.reach_share), m: fmtInt(p.points.months),
    cost: fmtMoney(r.redemption_cost), liab: fmtMoney(r.liability),
  });
  table($('#points-table'), [t('points_threshold'), t('reach'), t('reach_share'), t('issued'), t('redeemed'), t('expired'), t('liability')],
    p.sweep.map((x) => [fmtInt(x.threshold), fmtInt(x.reach), fmtPct(x.reach_share), fmtInt(Math.round(x.issued)), fmtInt(Math.round(x.redeemed)), fmtInt(Math.round(x.expired)), fmtMoney(x.liability)]));
}

// renderMigration draws the moves between states over the last period as
// a Sankey (states before on the left, now on the right, new customers
// entering) and the projected active customers and GMV.
function renderMigration() {
  const mg = state.migration;
  $('#migration-off').hidden = state.migrationOn;
  const err = $('#migration-error');
  err.hidden = !state.migrationOn || !state.migrationError;
  err.textContent = state.migrationError;
  showPanel('#migration-body', !!mg, 'chart-migration');
  if (mg && charts['chart-projection']) later('resize-chart-projection', () => charts['chart-projection'].resize(), 0);
  if (!mg) return;
  const m = mg.matrix;
  const kind = state.migrationBy === 'stage' ? 'stage' : 'class';
  const name = (s) => labelOf(kind, s);
  let n = 0;
  let stay = 0;
  m.counts.forEach((row, i) => row.forEach((c, j) => { n += c; if (i === j) stay += c; }));
  const entered = (m.entered || []).reduce((a, b) => a + b, 0);
  $('#migration-summary').textContent = fill('migration_summary', {
    n: fmtInt(n + entered), stay: fmtInt(stay), moved: fmtInt(n - stay), entered: fmtInt(entered), days: fmtInt(state.migrationDays),
  });
  if (typeof echarts === 'undefined') return;
  const left = (s) => `${name(s)} · ${t('before')}`;
  const right = (s) => `${name(s)} · ${t('after')}`;
  const nodes = [];
  const links = [];
  const used = new Set();
  m.counts.forEach((row, i) => row.forEach((c, j) => {
    if (c > 0) { links.push({ source: left(m.states[i]), target: right(m.states[j]), value: c }); used.add(left(m.states[i])); used.add(right(m.states[j])); }
  }));
  const newNode = `${t('new_customers')} · ${t('after')}`;
  (m.entered || []).forEach((c, j) => {
    if (c > 0) { links.push({ source: newNode, target: right(m.states[j]), value: c }); used.add(newNode); used.add(right(m.states[j])); }
  });
  for (const x of used) nodes.push({ name: x });
  draw('chart-migration', [kind, m.counts, m.entered], () => ({
    animation: false,
    tooltip: { ...tooltip },
    series: [{
      type: 'sankey', data: nodes, links, nodeAlign: 'justify', left: 8, right: 140, top: 8, bottom: 8,
      emphasis: { focus: 'adjacency' }, lineStyle: { color: 'gradient', curveness: 0.5, opacity: 0.35 },
      label: { fontSize: 11 },
    }],
  }));
  const ps = mg.projection?.periods || [];
  draw('chart-projection', ps, () => ({
    animation: false,
    tooltip: { ...tooltip, trigger: 'axis' },
    legend: { top: 0, data: [t('active_customers'), t('gmv')] },
    grid: { left: 8, right: 8, top: 32, bottom: 32, containLabel: true },
    xAxis: { type: 'category', data: ps.map((p) => String(p.period)), name: t('period_n'), nameLocation: 'middle', nameGap: 24 },
    yAxis: [{ type: 'value', name: t('active_customers') }, { type: 'value', name: t('gmv'), splitLine: { show: false } }],
    series: [
      { name: t('active_customers'), type: 'line', data: ps.map((p) => Math.round(p.active)), itemStyle: { color: '#5b8ff9' } },
      { name: t('gmv'), type: 'line', yAxisIndex: 1, data: ps.map((p) => Math.round(p.gmv)), itemStyle: { color: '#f6bd16' } },
    ],
  }));
}

// kpiSolve mirrors simulate.KPI's NewBuyersFor and RepurchaseRateFor: what
// one input must be for a GMV target with the others held.
function kpiSolve(k, target) {
  const nb = k.new_aov > 0 ? (target - k.old_base * k.repurchase_rate * k.old_aov - k.reactivated_gmv) / k.new_aov : NaN;
  const base = k.old_base * k.old_aov;
  const rr = base > 0 ? (target - k.new_buyers * k.new_aov - k.reactivated_gmv) / base : NaN;
  return { new_buyers: nb, repurchase_rate: rr };
}

// renderKPI shows the GMV tree of the last period and what a target needs.
function renderKPI() {
  const k = state.kpi;
  $('#kpi-off').hidden = state.kpiOn;
  showPanel('#kpi-body', !!k, '');
  if (!k) return;
  $('#kpi-period-note').textContent = fill('kpi_period_note', { start: k.start, end: k.end });
  const newPart = k.new_buyers * k.new_aov;
  const oldPart = k.old_base * k.repurchase_rate * k.old_aov;
  $('#kpi-formula').textContent = `${t('gmv')} ${fmtMoney(k.gmv)} = ${fmtInt(k.new_buyers)} × ${fmtMoney(k.new_aov)} + ${fmtInt(k.old_base)} × ${fmtPct(k.repurchase_rate)} × ${fmtMoney(k.old_aov)} + ${fmtMoney(k.reactivated_gmv)}`;
  table($('#kpi-table'), [t('kpi_term'), t('kpi_value')], [
    [t('new_buyers'), fmtInt(k.new_buyers)],
    [t('new_aov'), fmtMoney(k.new_aov)],
    [`${t('new_buyers')} × ${t('new_aov')}`, fmtMoney(newPart)],
    [t('old_base'), fmtInt(k.old_base)],
    [t('repurchase_rate'), fmtPct(k.repurchase_rate)],
    [t('old_aov'), fmtMoney(k.old_aov)],
    [`${t('old_base')} × ${t('repurchase_rate')} × ${t('old_aov')}`, fmtMoney(oldPart)],
    [t('reactivated_gmv'), fmtMoney(k.reactivated_gmv)],
    [t('gmv'), fmtMoney(k.gmv)],
  ]);
  const el = $('#kpi-target');
  if (state.kpiTarget == null && document.activeElement !== el) el.placeholder = String(Math.round(k.gmv * 1.1));
  const target = state.kpiTarget ?? Math.round(k.gmv * 1.1);
  const s = kpiSolve(k, target);
  const rr = !Number.isFinite(s.repurchase_rate) ? '—' : s.repurchase_rate > 1 ? t('kpi_unreachable') : fmtPct(Math.max(0, s.repurchase_rate));
  $('#kpi-needs').textContent = fill('kpi_needs', {
    target: fmtMoney(target),
    nb: Number.isFinite(s.new_buyers) ? fmtInt(Math.max(0, Math.ceil(s.new_buyers))) : '—',
    nb0: fmtInt(k.new_buyers),
    rr,
    rr0: fmtPct(k.repurchase_rate),
  });
}

// renderCohorts draws the cohort panel: retention by first-purchase month
// (rows, latest at the bottom) and months since (columns).
function renderCohorts() {
  const tab = state.cohorts;
  const on = !!tab && tab.cohorts.length > 0;
  $('#cohort-off').hidden = state.cohortOn;
  showPanel('#cohort-body', on, 'chart-cohorts');
  if (!on) return;
  const cs = tab.cohorts;
  const months = cs.reduce((m, c) => Math.max(m, c.retention.length), 0);
  const label = (c) => c.start.slice(0, 7);
  let total = 0;
  let w = 0;
  let r1 = 0;
  for (const c of cs) {
    total += c.size;
    if (c.retention.length > 1) { w += c.size; r1 += c.active[1]; }
  }
  $('#cohort-summary').textContent = fill('cohort_summary', { n: fmtInt(cs.length), c: fmtInt(total), r: w ? fmtPct(r1 / w) : '—' });
  const head = [t('cohort_month'), t('cohort_size')];
  for (let k = 1; k < months; k++) head.push(`+${k}`);
  table($('#cohort-table'), head, cs.map((c) => [label(c), fmtInt(c.size), ...c.retention.slice(1).map((x) => fmtPct(x))]));
  if (typeof echarts === 'undefined') return;
  const data = [];
  cs.forEach((c, i) => c.retention.forEach((x, k) => { if (k > 0) data.push([k - 1, i, +(100 * x).toFixed(1)]); }));
  const max = Math.max(1, ...data.map((d) => d[2]));
  const ys = cs.map((c) => `${label(c)} (${fmtInt(c.size)})`);
  draw('chart-cohorts', [ys, data], () => ({
    animation: false,
    tooltip: { ...tooltip, formatter: (p) => `${ys[p.value[1]]}\n${t('months_since')}: ${p.value[0] + 1}\n${p.value[2]}%` },
    grid: { left: 8, right: 16, top: 8, bottom: 80, containLabel: true },
    xAxis: { type: 'category', data: Array.from({ length: months - 1 }, (_, k) => String(k + 1)), name: t('months_since'), nameLocation: 'middle', nameGap: 24, splitArea: { show: true } },
    yAxis: { type: 'category', data: ys, inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, inRange: { color: ['#f7fbff', '#6baed6', '#08306b'] }, formatter: (x) => `${(+x).toFixed(0)}%` },
    series: [{ type: 'heatmap', data, label: { show: cs.length <= 24 && months <= 24, fontSize: 9, formatter: (p) => p.value[2].toFixed(0) } }],
  }));
}

// showPanel shows or hides a panel body; a chart drawn while its panel
// was hidden is resized when the panel shows again.
function showPanel(sel, on, chartId) {
  const el = $(sel);
  const was = !el.hidden;
  el.hidden = !on;
  if (on && !was && charts[chartId]) later(`resize-${chartId}`, () => charts[chartId].resize(), 0);
}

// The core's fit warnings, in the page's language.
const fitWarnings = [
  [/^(\d+) repeat buyers with no positive repeat spend are left out of the spend model$/, 'warn_dropped'],
  [/^only (\d+) customers: the fitted parameters are uncertain/, 'warn_few_cust'],
  [/^only (\d+) repeat buyers: spend/, 'warn_few_repeat'],
  [/^the BG\/NBD fit did not converge: (.*)$/, 'warn_no_converge', true],
  [/^no Gamma-Gamma model, so no CLV: (.*)$/, 'warn_no_gg', true],
];
function fitWarning(w) {
  for (const [re, key, text] of fitWarnings) {
    const m = w.match(re);
    if (m) return text ? fill(key, { s: m[1] }) : fill(key, { n: fmtInt(Number(m[1])) });
  }
  return w;
}

function renderPrediction() {
  const p = state.prediction;
  const off = $('#predict-off');
  off.hidden = !!p;
  off.classList.toggle('warn', !!state.predictionError);
  off.textContent = state.predictionError ? `${t('predict_failed')}: ${state.predictionError}` : t('predict_hint');
  showPanel('#predict-body', !!p, 'chart-holdout');
  if (!p) return;
  const num = (x) => fmtNum(x, 4);
  const bg = p.bgnbd;
  const gg = p.gamma_gamma;
  $('#predict-params').textContent = `${t('params_bgnbd')}: r = ${num(bg.r)}, α = ${num(bg.alpha)}, a = ${num(bg.a)}, b = ${num(bg.b)} (${t('loglik')} ${fmtNum(p.bgnbd_loglik, 1)}${p.converged ? '' : `, ${t('not_converged')}`}) · ${t('params_gg')}: ${gg ? `p = ${num(gg.p)}, q = ${num(gg.q)}, γ = ${num(gg.gamma)}` : t('no_gg')} · ${t('mean_p_alive')} ${fmtPct(p.mean_p_alive)} · ${t('total_clv')} ${fmtMoney(p.total_clv)}`;
  const warnings = [...(p.warnings || []).map(fitWarning), ...(p.holdout_error ? [p.holdout_error] : [])];
  const wkey = JSON.stringify([state.lang, warnings]);
  const ul = $('#predict-warnings');
  if (ul.dataset.key !== wkey) {
    ul.dataset.key = wkey;
    ul.replaceChildren(...warnings.map((w) => { const li = document.createElement('li'); li.textContent = `⚠ ${w}`; return li; }));
  }
  const churn = p.churn || [];
  $('#churn-note').textContent = churn.length ? fill('churn_note', { t: fmtNum(p.at_risk_below, 2), n: fmtInt(p.churn_total), k: fmtInt(churn.length) }) : t('churn_none');
  table($('#churn'), ['#', t('id'), t('tier'), t('revenue'), t('p_alive'), t('value_at_risk'), t('clv'), t('last_order')],
    churn.map((c, i) => [i + 1, c.id, labelOf('tier', c.tier), fmtMoney(c.revenue), fmtPct(c.p_alive), fmtMoney(c.value_at_risk), fmtMoney(c.clv), c.last_order]));
  const h = p.holdout;
  if (h) {
    const cal2 = new Date(Date.parse(`${h.calibration_end}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
    $('#holdout-note').textContent = fill('holdout_note', { c: h.calibration_end, c2: cal2, h: h.holdout_end, a: fmtNum(h.actual, 0), e: fmtNum(h.expected, 0) });
    table($('#holdout-table'), [t('calib_freq'), t('customers'), t('holdout_actual'), t('holdout_expected')],
      h.rows.map((r) => [r.frequency, fmtInt(r.customers), fmtNum(r.actual, 3), fmtNum(r.expected, 3)]));
  } else {
    $('#holdout-note').textContent = p.holdout_error || '';
    table($('#holdout-table'), [], []);
  }
}

function renderPlan() {
  const pv = state.plan;
  const input = $('#plan-budget');
  const budget = state.scenario.plan.budget;
  if (pv) {
    const max = Math.max(pv.max_budget, budget);
    input.max = max;
    input.step = Math.max(1, max / 400);
  }
  if (document.activeElement !== input) input.value = budget;
  $('#plan-budget-out').textContent = fmtMoney(budget);
  const off = $('#plan-off');
  off.hidden = !!pv;
  off.classList.toggle('warn', !!state.planError);
  off.textContent = state.planError ? `${t('plan_error')}: ${state.planError}` : t('plan_hint');
  showPanel('#plan-body', !!pv, 'chart-plan');
  if (!pv) return;
  const p = pv.plan;
  const tot = p.total;
  $('#plan-summary').textContent = fill('plan_totals', { b: fmtMoney(p.budget), c: fmtInt(tot.contacted), cost: fmtMoney(tot.cost), o: fmtNum(tot.expected_orders, 1), r: fmtMoney(tot.incremental_revenue), p: fmtMoney(tot.profit), roi: fmtPct(tot.roi) });
  const why = p.unspent_code ? fill(`unspent_${p.unspent_code}`, { left: fmtMoney(p.unspent), cheapest: fmtMoney(p.cheapest_contact) }) : p.unspent_reason;
  $('#plan-unspent').textContent = `${t('unspent')}: ${fmtMoney(p.unspent)}${why ? ` — ${why}` : ''}`;
  const kind = p.by === 'stage' ? 'stage' : p.by === 'class' ? 'class' : segKind();
  const row = (name, g, note, hold) => [name, fmtInt(g.contacted), fmtMoney(g.cost), fmtNum(g.expected_orders, 1), fmtMoney(g.incremental_revenue), fmtMoney(g.profit), g.cost > 0 ? fmtPct(g.roi) : '–', hold, note];
  table($('#plan-table'), [t('segment'), t('contacted'), t('cost'), t('expected_orders'), t('incr_revenue'), t('profit'), t('roi'), t('holdout_size'), t('note')],
    [...p.segments.map((g) => row(`${labelOf(kind, g.segment)} (${fmtInt(g.customers)})`, g, (g.note_code ? t(`note_${g.note_code}`) : g.note) || (g.actions || []).filter((a) => a.contacted > 0).map((a) => `${a.action} × ${fmtInt(a.contacted)}`).join(', '), fmtInt(g.holdout))),
      row(t('total'), tot, '', fmtInt(p.segments.reduce((a, g) => a + g.holdout, 0)))]);
}

// ---------- playbook editor ----------

// pbCols are the editor's input columns: the entry's segment key and the
// fields of strategy.Action. pct columns show and take percentages.
const pbCols = [
  { key: 'segment', type: 'text', list: 'pb-keys', head: 'pb_key' },
  { key: 'name', type: 'text', head: 'pb_action' },
  { key: 'channel', type: 'text', list: 'pb-channels', head: 'pb_channel' },
  { key: 'cost', type: 'number', min: '0.01', step: '0.1', head: 'pb_cost' },
  { key: 'response', type: 'number', min: '0', max: '100', step: '0.1', pct: true, head: 'pb_response' },
  { key: 'baseline', type: 'number', min: '0', max: '100', step: '0.1', pct: true, head: 'pb_baseline' },
  { key: 'order_value', type: 'number', min: '0', step: '1', head: 'pb_order_value' },
  { key: 'margin', type: 'number', min: '0', max: '100', step: '1', pct: true, head: 'pb_margin' },
  { key: 'cap', type: 'number', min: '0', step: '1', head: 'pb_cap' },
];
const pbHead = Object.fromEntries(pbCols.map((c) => [c.key, c.head]));
const pbActionFields = ['name', 'channel', 'cost', 'response', 'baseline', 'order_value', 'margin', 'cap'];

// editor is the playbook editor's draft: one row per action, in playbook
// order. key is pbKey() of the scenario the draft matches; problems are
// the invalid cells; coreError is the core's verdict on the last draft.
const editor = {
  open: false, rows: [], notes: {}, meta: null, key: '', usedKey: '', listKey: '',
  seq: 0, nextId: 1, problems: [], coreError: '', coreCell: null,
};

const presetPlaybook = (name) => state.presets[`playbooks.${name}`] || null;
const pbLabel = (name) => (state.dict.en[`pb_${name}`] ? t(`pb_${name}`) : name);

// pbKey identifies the scenario's playbook: the preset and the content of
// the custom playbook, field by field (the worker's echo of a scenario
// orders keys as Go does).
function pbKey(s = state.scenario) {
  const c = s.plan.custom;
  return JSON.stringify([s.plan.playbook, c && [c.name, c.currency, c.notes, (c.segments || []).map((e) => [e.segment, e.note, (e.actions || []).map((a) => pbActionFields.map((f) => a[f]))])]]);
}

// usedKeys are the names the plan matches playbook entries against: the
// scenario's segments, the eight classes or the stages (plan.by).
function usedKeys() {
  const v = state.view;
  const by = state.scenario.plan.by;
  const list = by === 'class' ? v?.classes : by === 'stage' ? v?.stages : v?.segments;
  return new Set((list || []).map((g) => g.name));
}

// loadDraft starts the draft from the scenario's custom playbook, or from
// its preset.
function loadDraft() {
  const s = state.scenario;
  const pb = s.plan.custom || presetPlaybook(s.plan.playbook);
  editor.key = pbKey();
  editor.coreError = '';
  editor.coreCell = null;
  editor.meta = {
    name: s.plan.custom ? pb.name : `${pb?.name || s.plan.playbook} (edited)`,
    currency: pb?.currency || '',
    notes: pb?.notes || '',
  };
  editor.notes = {};
  editor.rows = [];
  for (const e of pb?.segments || []) {
    editor.notes[e.segment] = e.note || '';
    for (const a of e.actions || []) {
      const row = { id: editor.nextId++, segment: e.segment };
      for (const f of pbActionFields) row[f] = a[f] ?? (f === 'name' || f === 'channel' ? '' : 0);
      editor.rows.push(row);
    }
  }
  buildEditorTable();
}

// rowProblems checks a row as strategy.Action.Validate does, so that a
// bad value is marked at once and never sent; message keys by field.
function rowProblems(r) {
  const bad = {};
  const fin = Number.isFinite;
  if (!r.segment.trim()) bad.segment = 'pb_bad_empty';
  if (!r.name.trim()) bad.name = 'pb_bad_empty';
  if (!fin(r.cost) || r.cost <= 0) bad.cost = 'pb_bad_cost';
  for (const f of ['response', 'baseline', 'margin']) if (!fin(r[f]) || r[f] < 0 || r[f] > 1) bad[f] = 'pb_bad_rate';
  if (!fin(r.order_value) || r.order_value < 0) bad.order_value = 'pb_bad_nonneg';
  if (!Number.isInteger(r.cap) || r.cap < 0) bad.cap = 'pb_bad_cap';
  return bad;
}

const cellText = (r, c) => {
  const v = r[c.key];
  if (c.type === 'text') return v;
  if (!Number.isFinite(v)) return '';
  if (c.key === 'cap' && v === 0) return '';
  return String(c.pct ? +(v * 100).toPrecision(12) : v);
};

const profitOf = (r) => (r.response - r.baseline) * r.order_value * r.margin - r.cost;

// buildEditorTable draws the draft's rows (those of entries the plan uses,
// when asked, and any row with a problem).
function buildEditorTable() {
  const used = usedKeys();
  const only = $('#pb-used').checked;
  editor.usedKey = JSON.stringify([only, [...used]]);
  const bad = new Set(editor.problems.map((p) => p.id));
  const rows = [];
  editor.rows.forEach((r, i) => {
    if (only && !used.has(r.segment.trim()) && !bad.has(r.id)) return;
    const tr = document.createElement('tr');
    tr.dataset.id = r.id;
    tr.classList.toggle('unused', !used.has(r.segment.trim()));
    const num = document.createElement('td');
    num.textContent = i + 1;
    tr.append(num);
    for (const c of pbCols) {
      const td = document.createElement('td');
      const el = document.createElement('input');
      el.type = c.type;
      el.dataset.field = c.key;
      for (const a of ['min', 'max', 'step']) if (c[a]) el.setAttribute(a, c[a]);
      if (c.list) el.setAttribute('list', c.list);
      if (c.type === 'text') el.spellcheck = false;
      el.value = cellText(r, c);
      el.addEventListener('input', () => onCell(r, c, el));
      td.append(el);
      tr.append(td);
    }
    const profit = document.createElement('td');
    profit.className = 'pb-profit';
    const del = document.createElement('button');
    del.type = 'button';
    del.className = 'pb-del';
    del.dataset.i18n = 'pb_delete';
    del.textContent = t('pb_delete');
    del.addEventListener('click', () => deleteRow(r.id));
    const cell = document.createElement('td');
    cell.append(del);
    tr.append(profit, cell);
    rows.push(tr);
  });
  $('#pb-table tbody').replaceChildren(...rows);
  markDraft();
}

// onCell takes an edited cell into the draft and applies the draft.
function onCell(r, c, el) {
  if (c.type === 'text') r[c.key] = el.value;
  else {
    let v = el.value === '' ? (c.key === 'cap' && !el.validity.badInput ? 0 : NaN) : Number(el.value);
    if (c.pct) v /= 100;
    r[c.key] = v;
  }
  applyDraft();
}

function addRow() {
  const shown = $$('#pb-table tbody tr');
  const last = editor.rows.find((r) => String(r.id) === shown[shown.length - 1]?.dataset.id);
  const segment = last?.segment || [...usedKeys()][0] || '';
  const names = new Set(editor.rows.filter((r) => r.segment === segment).map((r) => r.name));
  let n = 1;
  while (names.has(`new_action_${n}`)) n++;
  // No uplift: the new action changes nothing until its rates are set.
  editor.rows.push({ id: editor.nextId++, segment, name: `new_action_${n}`, channel: 'sms', cost: 1, response: 0.05, baseline: 0.05, order_value: 100, margin: 0.3, cap: 0 });
  buildEditorTable();
  $('#pb-table tbody tr:last-child input[data-field=name]')?.focus();
  applyDraft();
}

function deleteRow(id) {
  editor.rows = editor.rows.filter((r) => r.id !== id);
  buildEditorTable();
  applyDraft();
}

// draftPlaybook builds a playbook from the rows: one entry per segment
// key, in order of first appearance, keeping the notes of the base. where
// maps entry and action indices back to rows.
function draftPlaybook() {
  const index = new Map();
  const segments = [];
  const where = [];
  for (const r of editor.rows) {
    const key = r.segment.trim();
    if (!index.has(key)) {
      index.set(key, segments.length);
      segments.push({ segment: key, note: editor.notes[key] || '', actions: [] });
      where.push([]);
    }
    const i = index.get(key);
    where[i].push(r);
    segments[i].actions.push({ name: r.name.trim(), channel: r.channel.trim(), cost: r.cost, response: r.response, baseline: r.baseline, order_value: r.order_value, margin: r.margin, cap: r.cap });
  }
  return { pb: { ...editor.meta, segments }, where };
}

// coreCellOf finds the cell a core error names, e.g.
// "segments[3].actions[1].name: …".
function coreCellOf(msg, where) {
  const m = msg.match(/segments\[(\d+)\](?:\.actions\[(\d+)\])?\.(\w+)/);
  if (!m) return null;
  const rows = where[Number(m[1])];
  const r = m[2] === undefined ? rows?.[0] : rows?.[Number(m[2])];
  return r ? { id: r.id, field: pbHead[m[3]] ? m[3] : 'name' } : null;
}

// applyDraft sends a valid draft to the core's check (the authority), then
// makes it the scenario's custom playbook and re-plans. Invalid cells are
// marked and nothing is sent; the latest edit wins.
async function applyDraft() {
  const seq = ++editor.seq;
  editor.coreError = '';
  editor.coreCell = null;
  markDraft();
  if (editor.problems.length) return false;
  const { pb, where } = draftPlaybook();
  let err = '';
  try {
    await call('playbook', { json: JSON.stringify(pb) });
  } catch (e) {
    err = e.message;
  }
  if (seq !== editor.seq) return false;
  if (err) {
    editor.coreError = err;
    editor.coreCell = coreCellOf(err, where);
    markDraft();
    return false;
  }
  changed((s) => { s.plan.custom = pb; });
  editor.key = pbKey();
  renderEditor();
  return true;
}

// markDraft checks every row, marks the bad cells and says what is wrong.
function markDraft() {
  editor.problems = [];
  editor.rows.forEach((r, i) => {
    const bad = rowProblems(r);
    for (const c of pbCols) if (bad[c.key]) editor.problems.push({ id: r.id, row: i + 1, field: c.key, msg: bad[c.key] });
  });
  const byId = new Map(editor.rows.map((r) => [String(r.id), r]));
  for (const tr of $$('#pb-table tbody tr')) {
    const r = byId.get(tr.dataset.id);
    if (!r) continue;
    const bad = rowProblems(r);
    for (const el of $$('input', tr)) {
      const f = el.dataset.field;
      const core = editor.coreCell && editor.coreCell.id === r.id && editor.coreCell.field === f;
      const msg = bad[f] ? `${t(pbHead[f])}: ${t(bad[f])}` : core ? editor.coreError : '';
      el.classList.toggle('bad', !!msg);
      el.setAttribute('aria-invalid', String(!!msg));
      el.title = msg;
    }
    const p = profitOf(r);
    const cell = $('.pb-profit', tr);
    cell.textContent = Number.isFinite(p) ? fmtNum(p, 2) : '–';
    cell.classList.toggle('neg', !(p > 0));
  }
  renderEditorMessage();
  return editor.problems;
}

function renderEditorMessage() {
  const el = $('#pb-error');
  const p = editor.problems[0];
  let msg = '';
  if (p) msg = fill('pb_not_applied', { n: fmtInt(editor.problems.length), row: p.row, field: t(pbHead[p.field]), msg: t(p.msg) });
  else if (editor.coreError) msg = fill('pb_core_error', { msg: editor.coreError });
  else if (state.planOn && state.planError) msg = `${t('plan_error')}: ${state.planError}`;
  el.hidden = !msg;
  el.textContent = msg;
  const s = state.scenario;
  const c = s.plan.custom;
  $('#pb-status').textContent = c
    ? fill('pb_status_custom', { e: fmtInt(c.segments?.length || 0), a: fmtInt((c.segments || []).reduce((n, e) => n + (e.actions?.length || 0), 0)) })
    : fill('pb_status_preset', { base: pbLabel(s.plan.playbook) });
}

// renderEditor shows or hides the editor and follows the scenario: a
// playbook set from elsewhere (a preset, a loaded scenario, restoring A)
// replaces the draft.
function renderEditor() {
  const btn = $('#pb-edit');
  btn.classList.toggle('on', editor.open);
  btn.setAttribute('aria-expanded', String(editor.open));
  $('#pb-editor').hidden = !editor.open;
  if (!editor.open || !state.scenario) return;
  if (pbKey() !== editor.key) loadDraft();
  else if (JSON.stringify([$('#pb-used').checked, [...usedKeys()]]) !== editor.usedKey) buildEditorTable();
  else markDraft();
  renderEditorLists();
}

// renderEditorLists offers the known segment, class and stage names and
// channels as suggestions.
function renderEditorLists() {
  const s = state.scenario;
  const keys = new Map();
  const add = (kind, name) => { if (!keys.has(name)) keys.set(name, `${t(kind)}: ${labelOf(kind, name)}`); };
  for (const c of state.presets['schemes.rfm8']?.classes || []) add('class', c.name);
  for (const n of ['new', 'active', 'returned', 'silent', 'at_risk', 'churned']) add('stage', n);
  for (const r of state.presets['schemes.rfm11']?.rules || []) add('segment', r.name);
  for (const r of (s.segments.scheme === 'custom' && s.segments.custom?.rules) || []) add('segment', r.name);
  const channels = new Set();
  for (const [k, pb] of Object.entries(state.presets)) {
    if (k.startsWith('playbooks.')) for (const e of pb.segments || []) for (const a of e.actions || []) channels.add(a.channel);
  }
  for (const r of editor.rows) if (r.channel) channels.add(r.channel);
  const key = JSON.stringify([state.lang, [...keys], [...channels]]);
  if (key === editor.listKey) return;
  editor.listKey = key;
  $('#pb-keys').replaceChildren(...[...keys].map(([v, label]) => { const o = document.createElement('option'); o.value = v; o.label = label; return o; }));
  $('#pb-channels').replaceChildren(...[...channels].map((v) => { const o = document.createElement('option'); o.value = v; return o; }));
}

function bindEditor() {
  $('#pb-edit').addEventListener('click', () => {
    editor.open = !editor.open;
    if (editor.open) {
      editor.problems = [];
      loadDraft();
    }
    renderEditor();
  });
  $('#pb-used').addEventListener('change', buildEditorTable);
  $('#pb-add').addEventListener('click', addRow);
  $('#pb-reset').addEventListener('click', () => {
    editor.seq++;
    changed((s) => {
      if (!presetPlaybook(s.plan.playbook)) s.plan.playbook = 'ecommerce';
      s.plan.custom = null;
    });
    editor.problems = [];
    loadDraft();
    renderEditor();
  });
}

// ---------- A/B compare ----------

// numbers picks the results the compare panel tracks from result():
// customers and revenue in all, per class and per segment, customers per
// tier and stage, and the plan totals when the plan panel is on.
function numbers(r = result()) {
  if (!r) return null;
  const by = (gs, f) => Object.fromEntries((gs || []).map((g) => [g.name, f(g)]));
  const both = (g) => ({ customers: g.customers, revenue: g.revenue });
  const p = r.plan?.total;
  return {
    customers: r.customers,
    revenue: r.revenue,
    classes: by(r.classes, both),
    segments: by(r.segments, both),
    tiers: by(r.tiers, (g) => g.customers),
    stages: by(r.stages, (g) => g.customers),
    plan: p ? { contacted: p.contacted, cost: p.cost, expected_orders: p.expected_orders, incremental_revenue: p.incremental_revenue, profit: p.profit, roi: p.roi } : null,
  };
}

// diff is B − A and its share of A (null when A is 0); a name missing on
// one side counts as 0.
function diff(a, b) {
  const x = a ?? 0;
  const y = b ?? 0;
  return { abs: y - x, pct: x ? (y - x) / Math.abs(x) : null };
}

// compare returns A, B (the live scenario) and B − A, or null when no A
// is pinned.
function compare() {
  const pin = state.pin;
  const b = numbers();
  if (!pin || !b) return null;
  const a = pin.numbers;
  const names = (x, y) => [...new Set([...Object.keys(y), ...Object.keys(x)])];
  const groups = (x, y, f) => Object.fromEntries(names(x, y).map((k) => [k, f(x[k], y[k])]));
  const both = (x, y) => ({ customers: diff(x?.customers, y?.customers), revenue: diff(x?.revenue, y?.revenue) });
  return {
    dataset: pin.dataset,
    pinned_at: pin.at.toISOString(),
    a: { ...a, scenario: JSON.parse(JSON.stringify(pin.scenario)), plan_on: pin.planOn },
    b: { ...b, scenario: JSON.parse(JSON.stringify(state.scenario)), plan_on: state.planOn },
    delta: {
      customers: diff(a.customers, b.customers),
      revenue: diff(a.revenue, b.revenue),
      classes: groups(a.classes, b.classes, both),
      segments: groups(a.segments, b.segments, both),
      tiers: groups(a.tiers, b.tiers, diff),
      stages: groups(a.stages, b.stages, diff),
      plan: a.plan && b.plan ? Object.fromEntries(Object.keys(a.plan).map((k) => [k, diff(a.plan[k], b.plan[k])])) : null,
    },
  };
}

// pinA snapshots the current scenario and its numbers as A, once the
// page is idle.
async function pinA() {
  try {
    await state.busy;
    await running;
  } catch { /* the page shows the error; pin what is shown */ }
  const n = numbers();
  if (!n) return null;
  state.pin = { scenario: JSON.parse(JSON.stringify(state.scenario)), planOn: state.planOn, dataset: state.loaded, at: new Date(), numbers: n };
  state.pinNote = '';
  renderCompare();
  return compare();
}

// restoreA loads A's scenario (and plan panel setting) back; A stays pinned.
async function restoreA() {
  if (!state.pin) return null;
  state.planOn = state.pin.planOn;
  await setScenario(state.pin.scenario);
  return compare();
}

function clearPin(note = '') {
  state.pin = null;
  state.pinNote = note;
  renderCompare();
}

function bindCompare() {
  $('#pin-a').addEventListener('click', () => pinA().catch(() => {}));
  $('#restore-a').addEventListener('click', () => restoreA().catch(() => {}));
  $('#clear-a').addEventListener('click', () => clearPin());
}

function renderCompare() {
  const pin = state.pin;
  $('#restore-a').disabled = !pin;
  $('#clear-a').disabled = !pin;
  const note = $('#compare-note');
  note.hidden = !state.pinNote;
  note.textContent = state.pinNote ? t(state.pinNote) : '';
  const c = compare();
  $('#compare-off').hidden = !!c;
  $('#compare-a').textContent = pin ? fill('compare_pinned', {
    name: pin.scenario.name || '–', data: pin.dataset,
    time: new Intl.DateTimeFormat(locale(), { timeStyle: 'medium' }).format(pin.at),
    plan: pin.numbers.plan ? t('compare_with_plan') : '',
  }) : '';
  showPanel('#compare-body', !!c, '');
  if (!c) return;
  const signed = (x, f) => (x > 0 ? `+${f(x)}` : x < 0 ? `−${f(-x)}` : f(0));
  const pct = (d) => (d.pct == null ? '–' : signed(d.pct, fmtPct));
  const cells = (x, y, d, f, df = f) => [x == null ? '–' : f(x), y == null ? '–' : f(y), d ? signed(d.abs, df) : '–', d ? pct(d) : '–'];
  const { a, b, delta } = c;
  const totals = [
    [t('customers'), ...cells(a.customers, b.customers, delta.customers, fmtInt)],
    [t('revenue'), ...cells(a.revenue, b.revenue, delta.revenue, fmtMoney)],
  ];
  if (a.plan || b.plan) {
    const pp = (x) => `${fmtNum(x * 100, 1)} ${t('cmp_pp')}`;
    for (const [k, label, f, df] of [['contacted', 'contacted', fmtInt], ['cost', 'cost', fmtMoney], ['expected_orders', 'expected_orders', (x) => fmtNum(x, 1)],
      ['incremental_revenue', 'incr_revenue', fmtMoney], ['profit', 'profit', fmtMoney], ['roi', 'roi', fmtPct, pp]]) {
      totals.push([`${t('cmp_plan')} · ${t(label)}`, ...cells(a.plan?.[k], b.plan?.[k], delta.plan?.[k], f, df)]);
    }
  }
  table($('#cmp-totals'), [t('cmp_metric'), t('cmp_a'), t('cmp_b'), t('cmp_delta'), t('cmp_delta_pct')], totals);
  const counts = [];
  for (const [kind, key, order] of [['tier', 'tiers', ['core', 'important', 'ordinary', 'tail']], ['stage', 'stages', ['new', 'active', 'returned', 'silent', 'at_risk', 'churned']]]) {
    for (const name of order) {
      if (!(name in delta[key])) continue;
      counts.push([`${t(kind)} · ${labelOf(kind, name)}`, ...cells(a[key][name], b[key][name], delta[key][name], fmtInt)]);
    }
  }
  table($('#cmp-counts'), [t('cmp_group'), t('cmp_a'), t('cmp_b'), t('cmp_delta'), t('cmp_delta_pct')], counts);
  const groups = [];
  const kinds = [['segments', segKind()]];
  if (a.scenario.segments.scheme !== 'rfm8' || b.scenario.segments.scheme !== 'rfm8') kinds.push(['classes', 'class']);
  for (const [key, kind] of kinds) {
    for (const name of Object.keys(delta[key])) {
      const x = a[key][name];
      const y = b[key][name];
      const d = delta[key][name];
      if (!x?.customers && !y?.customers) continue;
      groups.push([`${t(kind)} · ${labelOf(kind, name)}`, ...cells(x?.customers, y?.customers, d.customers, fmtInt), ...cells(x?.revenue, y?.revenue, d.revenue, fmtMoney)]);
    }
  }
  table($('#cmp-groups'), [t('cmp_group'), t('cmp_cust_a'), t('cmp_cust_b'), t('cmp_delta'), t('cmp_delta_pct'), t('cmp_rev_a'), t('cmp_rev_b'), t('cmp_delta'), t('cmp_delta_pct')], groups);
}

function renderPanelCharts() {
  const p = state.prediction;
  const h = p?.holdout;
  if (h) {
    draw('chart-holdout', h.rows, () => ({
      animation: false,
      tooltip: { ...tooltip, trigger: 'axis' },
      legend: { top: 0, data: [t('holdout_actual'), t('holdout_expected')] },
      grid: { left: 48, right: 16, top: 28, bottom: 40 },
      xAxis: { type: 'category', name: t('calib_freq'), nameLocation: 'middle', nameGap: 24, data: h.rows.map((r) => r.frequency) },
      yAxis: { type: 'value' },
      series: [
        { name: t('holdout_actual'), type: 'bar', data: h.rows.map((r) => r.actual), itemStyle: { color: '#5b8ff9' } },
        { name: t('holdout_expected'), type: 'line', data: h.rows.map((r) => r.expected), lineStyle: { color: '#c0392b', width: 2 }, itemStyle: { color: '#c0392b' } },
      ],
    }));
  }
  const pv = state.plan;
  if (pv) {
    const budget = pv.plan.budget;
    // Beyond the curve's last budget every customer worth contacting is
    // contacted: the profit stays flat up to the chosen budget.
    const pts = pv.curve.map((c) => [c.budget, c.profit]);
    const last = pts[pts.length - 1];
    if (last && budget > last[0]) pts.push([budget, last[1]]);
    draw('chart-plan', [pts, budget, pv.plan.total.profit], () => ({
      animation: false,
      tooltip: { ...tooltip, trigger: 'axis' },
      grid: { left: 64, right: 24, top: 16, bottom: 40 },
      xAxis: { type: 'value', name: t('budget'), nameLocation: 'middle', nameGap: 24, min: 0 },
      yAxis: { type: 'value', name: t('profit') },
      series: [{
        type: 'line', showSymbol: false, data: pts, lineStyle: { width: 2, color: '#2f6fb3' },
        markPoint: { symbolSize: 10, data: [{ coord: [budget, pv.plan.total.profit], symbol: 'circle', itemStyle: { color: '#c0392b' }, label: { show: false } }] },
        markLine: { silent: true, symbol: 'none', lineStyle: { color: '#c0392b', type: 'dashed' }, data: [{ xAxis: budget }], label: { show: false } },
      }],
    }));
  }
}

// ---------- exports ----------

function download(name, data, type) {
  const url = URL.createObjectURL(data instanceof Blob ? data : new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
const baseName = () => (state.name || 'segsim').replace(/\.[^.]+$/, '');

async function csvBytes({ bom = false, chinese = false } = {}) {
  return call('csv', { bom, chinese });
}
$('#export-csv').addEventListener('click', async () => {
  const zh = $('#csv-lang').value === 'zh';
  download(`${baseName()}_customers.csv`, new Blob([await csvBytes({ bom: true, chinese: zh })], { type: 'text/csv' }));
});
// The skipped rows of the last load: line, column, value, reason and the
// raw line, with a byte order mark; the header and the reasons in the
// page's language (in English, the file `segsim score --rejects` writes).
async function rejectsBytes() {
  const options = {};
  if (state.lang !== 'en') {
    options.header = ['rej_line', 'rej_column', 'rej_value', 'rej_reason', 'rej_raw'].map(t);
    options.reasons = Object.fromEntries(Object.keys(state.dict.en).filter((k) => k.startsWith('skip_')).map((k) => [k.slice(5), t(k)]));
  }
  return call('rejects', { options });
}
$('#export-rejects').addEventListener('click', async () => {
  download(`${baseName()}_skipped.csv`, new Blob([await rejectsBytes()], { type: 'text/csv' }));
});
$('#export-summary').addEventListener('click', () => {
  const esc = (x) => (/[",\n]/.test(String(x)) ? `"${String(x).replace(/"/g, '""')}"` : String(x));
  const rows = segmentGroups().map((g) => [labelOf(segKind(), g.name), g.customers, g.customer_share.toFixed(4), g.orders, g.revenue.toFixed(2), g.revenue_share.toFixed(4), g.aov.toFixed(2), g.median_recency, g.avg_frequency.toFixed(2), actionOf(g.name)]);
  const text = `\ufeff${[summaryHead(), ...rows].map((r) => r.map(esc).join(',')).join('\n')}\n`;
  download(`${baseName()}_segments.csv`, text, 'text/csv');
});
$('#export-charts').addEventListener('click', async () => {
  for (const [id, c] of Object.entries(charts)) {
    const url = c.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
    download(`${baseName()}_${id.replace('chart-', '')}.png`, await (await fetch(url)).blob());
  }
});

// ---------- file input and drag and drop ----------

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
async function loadSample(file) {
  const blob = await (await fetch(`samples/${file}`)).blob();
  return loadBlob(blob, file);
}
for (const b of $$('.sample')) b.addEventListener('click', () => loadSample(b.dataset.file).catch(() => {}));
$$('.lang button').forEach((b) => b.addEventListener('click', () => setLang(b.dataset.lang)));
window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));

// ---------- share links: the scenario (never the data) in the URL ----------

function updateHash() {
  const json = JSON.stringify(state.scenario);
  const b64 = btoa(String.fromCharCode(...new TextEncoder().encode(json))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  history.replaceState(null, '', `#s=${b64}`);
}
function scenarioFromHash() {
  const m = location.hash.match(/s=([\w-]+)/);
  if (!m) return null;
  try {
    const bin = atob(m[1].replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
  } catch { return null; }
}

// ---------- automation surface ----------

function result() {
  const v = state.view;
  if (!v) return null;
  const pick = (gs) => gs.map((g) => ({ name: g.name, customers: g.customers, revenue: g.revenue, orders: g.orders }));
  return {
    name: state.loaded,
    customers: v.customers,
    revenue: v.revenue,
    asof: v.asof,
    scheme: v.scheme,
    classes: pick(v.classes),
    segments: pick(v.segments),
    tiers: pick(v.tier_table),
    stages: pick(v.stages),
    tags: v.tags,
    bins: v.bins,
    load: v.load,
    clean: v.clean,
    prediction: state.prediction && {
      churn: state.prediction.churn || [],
      churn_total: state.prediction.churn_total,
      warnings: state.prediction.warnings,
      bgnbd: state.prediction.bgnbd,
      gamma_gamma: state.prediction.gamma_gamma || null,
      holdout: state.prediction.holdout || null,
    },
    plan: state.plan && {
      budget: state.plan.plan.budget,
      total: state.plan.plan.total,
      unspent: state.plan.plan.unspent,
      unspent_reason: state.plan.plan.unspent_reason || '',
      segments: state.plan.plan.segments.map((g) => ({ segment: g.segment, contacted: g.contacted, profit: g.profit, holdout: g.holdout })),
      curve: state.plan.curve,
      max_budget: state.plan.max_budget,
      replanned: state.plan.replanned,
    },
    plan_error: state.planError,
    // whether the last run scored the data (false when only the plan changed)
    rescored: state.rescored,
    cohorts: state.cohorts && {
      unit: state.cohorts.unit,
      cohorts: state.cohorts.cohorts.map((c) => ({ start: c.start, size: c.size, retention: c.retention })),
    },
    cohorts_error: state.cohortsError,
    kpi: state.kpi,
    points: state.points,
    points_error: state.pointsError,
    migration: state.migration,
    migration_error: state.migrationError,
    kpi_error: state.kpiError,
    prediction_error: state.predictionError,
  };
}

async function setScenario(obj) {
  state.scenario = JSON.parse(JSON.stringify(obj));
  updateHash();
  renderTags();
  return rescore();
}

window.segsim = {
  async load(textOrFile, opts = {}) {
    const blob = typeof textOrFile === 'string' ? new Blob([textOrFile]) : textOrFile;
    return loadBlob(blob, opts.name || textOrFile.name || 'data.csv', { map: opts.map, date_format: opts.dateFormat, encoding: opts.encoding, carry: opts.carry });
  },
  loadSample,
  scenario: () => JSON.parse(JSON.stringify(state.scenario)),
  setScenario,
  result,
  // setPlan turns the plan panel on or off (it is a page setting, not a
  // scenario knob: the scenario's plan section holds the budget).
  setPlan(on) { state.planOn = !!on; $('#plan-on').checked = state.planOn; return rescore(); },
  setMigration(on, by, days) {
    state.migrationOn = !!on;
    if (by) state.migrationBy = by;
    if (days) state.migrationDays = days;
    renderPanels();
    return rescore();
  },
  setPoints(on, opts) {
    state.pointsOn = !!on;
    if (opts) state.pointsOpts = { ...state.pointsOpts, ...opts };
    return refreshPoints();
  },
  setKPI(on) { state.kpiOn = !!on; $('#kpi-on').checked = state.kpiOn; return rescore(); },
  kpiSolve: (target) => state.kpi && kpiSolve(state.kpi, target),
  setCohorts(on) { state.cohortOn = !!on; $('#cohort-on').checked = state.cohortOn; return rescore(); },
  // rejectsCSV returns the skipped rows' CSV as the download button writes it.
  async rejectsCSV() {
    await state.busy;
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await rejectsBytes());
  },
  // report returns the last load's report (also of a load that failed),
  // with the sheet read from a workbook.
  report: () => state.report && { ...state.report, sheet: state.xlsx?.sheet || '', sheets: state.xlsx?.sheets || [] },
  error: () => state.error,
  async exportCSV(opts = {}) {
    await state.busy;
    await (running || Promise.resolve());
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csvBytes(opts));
  },
  // pinA pins the current scenario and its results as A; compare returns
  // {a, b, delta} (B is the live scenario, delta B − A as {abs, pct}) or
  // null when nothing is pinned.
  pinA,
  compare,
  restoreA,
  clearPin: () => clearPin(),
  // runs counts the worker runs (scores and re-plans) so far.
  runs: () => state.runs,
  idle: async () => { await state.busy; await running; return result(); },
  timings: () => state.timings,
  lastRun: () => state.lastRun,
  lastTimes: () => ({ roundTrip: state.lastRun, worker: state.workerRun, render: state.lastRender }),
  violations: () => state.violations,
  stats: async () => ({ ...(await call('stats')), jsHeap: performance.memory?.usedJSHeapSize ?? 0 }),
  ready: null,
};

// ---------- start ----------

async function start() {
  const [dict, presets, samples] = await Promise.all(['i18n.json', 'presets.json', 'samples.json'].map(async (f) => (await fetch(f)).json()));
  state.dict = dict;
  state.presets = presets;
  state.samples = samples;
  const saved = localStorage.getItem('segsim.lang');
  setLang(saved || (navigator.language.startsWith('zh') ? 'zh' : 'en'));
  await call('ready');
  state.defaults = await call('defaults');
  state.scenario = scenarioFromHash() || JSON.parse(JSON.stringify(state.defaults));
  bindKnobs();
  bindPanels();
  renderTags();
  const params = new URLSearchParams(location.search);
  const sample = params.get('sample') ?? samples[0]?.file;
  if (sample) await loadSample(sample);
  return result();
}
window.segsim.ready = start().catch((e) => { showError(e.message); throw e; });
