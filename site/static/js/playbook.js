// The playbook editor in the plan panel: the playbook in force as a table,
// one row per action. Bad cells are marked and not applied; a valid draft
// is checked by the core (strategy.ParsePlaybook, through the worker),
// becomes the scenario's plan.custom and re-plans at once.

import { state } from './state.js';
import { $, $$ } from './dom.js';
import { t, fill, fmtInt, fmtNum } from './i18n.js';
import { labelOf, pbLabel, stageOrder } from './labels.js';
import { call } from './rpc.js';
import { changed } from './run.js';

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

const presetPlaybook = (name) => state.presets[`playbooks.${name || defaultPlaybook}`] || null;

// defaultPlaybook stands in while no industry's playbook is chosen (the
// core's strategy.DefaultPlaybook).
const defaultPlaybook = 'ecommerce';

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
    name: s.plan.custom ? pb.name : `${pb?.name || s.plan.playbook || defaultPlaybook} (edited)`,
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

// showProfits asks the core (strategy.Action.Profit) for each row's profit
// per contact and shows it; a row with a bad number shows a dash.
let profitSeq = 0;
function showProfits() {
  const seq = ++profitSeq;
  const rows = editor.rows.map((r) => ({ id: r.id, bad: Object.keys(rowProblems(r)).length > 0, a: r }));
  call('profits', { json: JSON.stringify(rows.map((x) => x.a)) }).then((ps) => {
    if (seq !== profitSeq) return;
    const byId = new Map(rows.map((x, i) => [String(x.id), x.bad ? null : ps[i]]));
    for (const tr of $$('#pb-table tbody tr')) {
      const p = byId.get(tr.dataset.id);
      const cell = $('.pb-profit', tr);
      if (!cell || p === undefined) continue;
      cell.textContent = p == null ? '–' : fmtNum(p, 2);
      cell.classList.toggle('neg', !(p > 0));
    }
  }).catch(() => {});
}

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

// coreCellOf finds the cell of the field a core error names by its path
// (knob.Error, sent as data), e.g. "segments[3].actions[1].name".
function coreCellOf(path, where) {
  const m = /^segments\[(\d+)\](?:\.actions\[(\d+)\])?\.(\w+)$/.exec(path || '');
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
  let path = '';
  try {
    await call('playbook', { json: JSON.stringify(pb) });
  } catch (e) {
    err = e.message;
    path = e.details?.path || '';
  }
  if (seq !== editor.seq) return false;
  if (err) {
    editor.coreError = err;
    editor.coreCell = coreCellOf(path, where);
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
  }
  showProfits();
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
export function renderEditor() {
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
  for (const n of stageOrder) add('stage', n);
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

export function bindEditor() {
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
      if (!presetPlaybook(s.plan.playbook)) s.plan.playbook = '';
      s.plan.custom = null;
    });
    editor.problems = [];
    loadDraft();
    renderEditor();
  });
}
