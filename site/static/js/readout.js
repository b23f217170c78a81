// The campaign readout panel: the plan (made on this page, or a plan file
// as segsim score --plan writes it) against the orders of the campaign
// window (the loaded file, or a later export), per action, per segment and
// in total, with the verdict in words. The core (readout.Run) computes it;
// this module asks for it, shows it and downloads it.

import { state } from './state.js';
import { $, tableNodes } from './dom.js';
import { t, fill, fmtDate, fmtInt, fmtMoney, fmtPct, fmtNum } from './i18n.js';
import { actionLabel, labelOf } from './labels.js';
import { call, parquetCall, xlsxCall } from './rpc.js';
import { csvText, download } from './exports.js';
import { changed } from './run.js';
import { converted } from './load.js';

// asCSV turns a workbook or a Parquet file into CSV with their reader;
// other files pass.
async function asCSV(blob) {
  const kind = blob ? await converted(blob) : '';
  if (!kind) return blob;
  const out = await (kind === 'parquet' ? parquetCall : xlsxCall)({ blob, sheet: '' });
  return new Blob([out.csv], { type: 'text/csv' });
}

// readout asks the core for a readout: plan and orders are Blobs, or null
// for the page's own plan and the loaded file. It keeps and shows the
// answer ({readout, plan_load, orders_load}) or the error.
export async function readout(plan, orders, options) {
  state.readoutError = state.readoutApplied = null;
  try {
    state.readout = await call('readout', { plan: await asCSV(plan), orders: await asCSV(orders), options });
  } catch (e) {
    state.readout = null;
    state.readoutError = { code: e.details?.code || 'error', file: e.details?.file || '', message: e.message };
  }
  renderReadout();
  return state.readout;
}

// pp is a rate difference in percentage points.
const pp = (x) => `${x >= 0 ? '+' : '−'}${fmtNum(Math.abs(x) * 100, 1)}`;
const interval = (ci, f) => (ci ? ` [${f(ci[0])}, ${f(ci[1])}]` : '');
const or = (v, f) => (v == null ? '–' : f(v));

// lines lists the readout's lines with their label.
function lines(r) {
  const kind = state.readoutGroupKind || 'segment';
  return [
    ...r.actions.map((g) => [`${t('readout_action')}${t('colon')}${actionLabel(g.action)}`, g]),
    ...r.segments.map((g) => [`${t('readout_segment')}${t('colon')}${labelOf(kind, g.segment)}`, g]),
    [t('total'), r.total],
  ];
}

// verdictText says a line's verdict in the page's language.
function verdictText(g, level) {
  const vars = { level: fmtPct(level), power: g.power == null ? '–' : fmtPct(g.power), held: fmtInt(g.holdout), for: t(`readout_for_${g.power_for || 'observed'}`) };
  if (g.verdict === 'too_few' && g.holdout === 0) return t('readout_verdict_none_held');
  if (g.verdict === 'too_few' && g.contacted === 0) return t('readout_verdict_none_contacted');
  return fill(`readout_verdict_${g.verdict}`, vars);
}

const head = () => [t('readout_line'), t('contacted'), t('readout_held'), t('readout_rate'), t('readout_held_rate'),
  t('readout_uplift'), t('readout_incr_buyers'), t('readout_incr_revenue'), t('cost'), t('roi'), t('readout_power'), t('readout_verdict')];

function cells(label, g) {
  return [label, fmtInt(g.contacted), fmtInt(g.holdout), or(g.contacted_rate, fmtPct), or(g.holdout_rate, fmtPct),
    g.uplift == null ? '–' : pp(g.uplift) + interval(g.uplift_ci, pp), or(g.incremental_buyers, (v) => fmtNum(v, 0)),
    g.incremental_revenue == null ? '–' : fmtMoney(g.incremental_revenue) + interval(g.incremental_revenue_ci, fmtMoney),
    fmtMoney(g.cost), or(g.roi, fmtPct), or(g.power, fmtPct), t(`readout_short_${g.verdict}`)];
}

// noteText says a note of the readout in the page's language.
function noteText(n) {
  let arg = n.arg || '';
  if (n.code.startsWith('orders_')) arg = fmtDate(n.arg);
  if (n.code === 'cost_unknown') arg = arg.split(', ').map(actionLabel).join(t('list_sep'));
  return state.dict.en[`readout_note_${n.code}`] ? fill(`readout_note_${n.code}`, { arg }) : n.text;
}

// renderReadout shows the last readout, its error, or nothing yet.
export function renderReadout() {
  const ownPlan = $('#readout-plan-src').value === 'own';
  const ownOrders = $('#readout-orders-src').value === 'loaded';
  $('#readout-plan-pick').hidden = ownPlan;
  $('#readout-orders-pick').hidden = ownOrders;
  $('#readout-plan-name').textContent = ownPlan ? '' : $('#readout-plan-file').files[0]?.name || '';
  $('#readout-orders-name').textContent = ownOrders ? '' : $('#readout-orders-file').files[0]?.name || '';
  const err = $('#readout-error');
  const e = state.readoutError;
  err.hidden = !e;
  if (e) {
    const has = (k) => !!state.dict.en[k];
    const key = [`readout_err_${e.code}_${e.file}`, `readout_err_${e.code}`, `err_${e.code}`].find(has) || 'readout_err_error';
    err.textContent = `${t('error')}${t('colon')}${t(key)}`;
    if (key === 'readout_err_error') err.textContent += ` (${e.message})`;
  }
  const a = state.readout;
  $('#readout-body').hidden = !a;
  renderApplied();
  if (!a) return;
  const r = a.readout;
  const o = r.outcomes;
  $('#readout-summary').textContent = fill('readout_summary', {
    start: fmtDate(r.start), end: fmtDate(r.end), buyers: fmtInt(o.buyers), revenue: fmtMoney(o.revenue),
    notin: fmtInt(o.not_in_plan), untouched: fmtInt(o.untouched), ub: fmtInt(o.untouched_buyers),
  });
  const loads = [['plan_load', 'readout_plan_read'], ['orders_load', 'readout_orders_read']]
    .filter(([k]) => a[k]).map(([k, key]) => fill(key, { read: fmtInt(a[k].rows_read), kept: fmtInt(a[k].rows_kept), skipped: fmtInt(a[k].rows_skipped) }));
  $('#readout-method').textContent = [fill('readout_method', { level: fmtPct(r.level) }), ...loads].join(' ');
  tableNodes($('#readout-table'), head(), lines(r).map(([label, g]) => cells(label, g)));
  const verdicts = $('#readout-verdicts');
  verdicts.replaceChildren(...lines(r).map(([label, g]) => {
    const li = document.createElement('li');
    li.className = `verdict-${g.verdict}`;
    li.textContent = `${label}${t('colon')}${verdictText(g, r.level)}`;
    return li;
  }));
  $('#readout-notes').replaceChildren(...(r.notes || []).map((n) => {
    const li = document.createElement('li');
    li.textContent = noteText(n);
    return li;
  }));
}

// useMeasured makes the playbook with the last readout's measured rates
// the scenario's custom playbook (so the share link carries it), turns
// the plan on and re-plans; it answers the changes made.
export async function useMeasured() {
  let m;
  try {
    m = await call('measured');
  } catch (e) {
    state.readoutError = { code: e.details?.code || 'error', message: e.message };
    renderReadout();
    return null;
  }
  state.readoutApplied = m.changes;
  if (m.changes.length) {
    state.planOn = true;
    $('#plan-on').checked = true;
    changed((s) => { s.plan.custom = m.playbook; });
  }
  renderReadout();
  return m;
}

// renderApplied says which actions took measured rates.
function renderApplied() {
  const list = state.readoutApplied;
  const el = $('#readout-applied');
  if (!list) { el.replaceChildren(); return; }
  const pct = (v) => fmtPct(v);
  el.replaceChildren(...(list.length ? list : [null]).map((c) => {
    const li = document.createElement('li');
    li.textContent = c ? fill('readout_applied', {
      action: actionLabel(c.action), r: pct(c.response), wr: pct(c.was_response), rlo: pct(c.response_ci[0]), rhi: pct(c.response_ci[1]),
      b: pct(c.baseline), wb: pct(c.was_baseline), blo: pct(c.baseline_ci[0]), bhi: pct(c.baseline_ci[1]),
    }) : t('readout_applied_none');
    return li;
  }));
}

// readoutCSV is the table as CSV in the page's language, with a byte
// order mark for Excel.
export function readoutCSV() {
  const r = state.readout?.readout;
  if (!r) return '';
  return csvText([head(), ...lines(r).map(([label, g]) => cells(label, g))]);
}

// defaultWindow fills the window with the as-of date and the 30 days
// from it, when the user has not chosen one.
function defaultWindow() {
  const asof = state.view?.asof;
  if (!asof) return;
  if (!$('#readout-start').value) $('#readout-start').value = asof;
  if (!$('#readout-end').value) {
    const d = new Date(`${asof}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 29);
    $('#readout-end').value = d.toISOString().slice(0, 10);
  }
}

// bindReadout wires the panel's inputs.
export function bindReadout() {
  for (const id of ['#readout-plan-src', '#readout-orders-src', '#readout-plan-file', '#readout-orders-file']) $(id).addEventListener('change', renderReadout);
  $('#readout-start').addEventListener('focus', defaultWindow);
  $('#readout-run').addEventListener('click', () => {
    defaultWindow();
    const plan = $('#readout-plan-src').value === 'own' ? null : $('#readout-plan-file').files[0] || null;
    const orders = $('#readout-orders-src').value === 'loaded' ? null : $('#readout-orders-file').files[0] || null;
    if ((!plan && $('#readout-plan-src').value !== 'own') || (!orders && $('#readout-orders-src').value !== 'loaded')) {
      state.readout = null;
      state.readoutError = { code: 'no_file', message: '' };
      renderReadout();
      return;
    }
    readout(plan, orders, { start: $('#readout-start').value, end: $('#readout-end').value });
  });
  $('#readout-apply').addEventListener('click', () => { useMeasured(); });
  $('#readout-download').addEventListener('click', () => {
    const r = state.readout?.readout;
    if (r) download(`readout_${r.start}_${r.end}.csv`, readoutCSV(), 'text/csv');
  });
}
