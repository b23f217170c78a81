// Comparing scenarios A and B: pin the scenario in force and its numbers
// as A, move the knobs, and the panel shows A, the live scenario B and
// B − A in numbers and percent. Restore A loads A's scenario back.

import { state, clone } from './state.js';
import { $, table } from './dom.js';
import { t, fillNodes, plain, fmtInt, fmtMoney, fmtNum, fmtPct, locale } from './i18n.js';
import { labelOf, stageOrder, tierOrder } from './labels.js';
import { result, setScenario, settled } from './run.js';
import { showPanel } from './charts.js';
import { call } from './rpc.js';
import { baseName, csvText, download, tableRows } from './exports.js';

// compare returns A, B (the live scenario) and B − A, or null when no A
// is pinned. The numbers and B − A come from the core (engine.Compare),
// with each answer of a run while A is pinned.
export function compare() {
  const pin = state.pin;
  const c = state.cmp;
  if (!pin || !c) return null;
  return {
    dataset: pin.dataset,
    pinned_at: pin.at.toISOString(),
    a: { ...c.a, scenario: clone(pin.scenario), plan_on: pin.planOn },
    b: { ...c.b, scenario: clone(state.scenario), plan_on: state.planOn },
    delta: c.delta,
  };
}

// pinA pins the current scenario and its numbers as A, once the page is
// idle.
export async function pinA() {
  try {
    await settled();
  } catch { /* the page shows the error; pin what is shown */ }
  if (!result()) return null;
  const reply = await call('pin');
  state.pin = { scenario: clone(state.scenario), planOn: state.planOn, dataset: state.loaded, at: new Date() };
  state.cmp = reply.compare;
  state.pinNote = '';
  renderCompare();
  return compare();
}

// restoreA loads A's scenario (and plan panel setting) back; A stays pinned.
export async function restoreA() {
  if (!state.pin) return null;
  state.planOn = state.pin.planOn;
  await setScenario(state.pin.scenario);
  return compare();
}

// clearPin forgets A; note is the message key that says why.
export function clearPin(note = '') {
  if (state.pin) call('unpin').catch(() => {});
  state.pin = null;
  state.cmp = null;
  state.pinNote = note;
  renderCompare();
}

export function bindCompare() {
  $('#pin-a').addEventListener('click', () => pinA().catch(() => {}));
  $('#restore-a').addEventListener('click', () => restoreA().catch(() => {}));
  $('#clear-a').addEventListener('click', () => clearPin());
}

export function renderCompare() {
  const pin = state.pin;
  $('#restore-a').disabled = !pin;
  $('#clear-a').disabled = !pin;
  const note = $('#compare-note');
  note.hidden = !state.pinNote;
  note.textContent = state.pinNote ? t(state.pinNote) : '';
  const c = compare();
  $('#compare-off').hidden = !!c;
  // The scenario's and the data's names are values (in spans of class v).
  $('#compare-a').replaceChildren(...(pin ? fillNodes('compare_pinned', {
    name: pin.scenario.name || '–', data: pin.dataset,
    time: plain(new Intl.DateTimeFormat(locale(), { timeStyle: 'medium' }).format(pin.at)),
    plan: plain(state.cmp?.a.plan ? t('compare_with_plan') : ''),
  }) : []));
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
  for (const [kind, key, order] of [['tier', 'tiers', tierOrder], ['stage', 'stages', stageOrder]]) {
    for (const name of order) {
      if (!(name in delta[key])) continue;
      counts.push([`${t(kind)} · ${labelOf(kind, name)}`, ...cells(a[key][name], b[key][name], delta[key][name], fmtInt)]);
    }
  }
  table($('#cmp-counts'), [t('cmp_group'), t('cmp_a'), t('cmp_b'), t('cmp_delta'), t('cmp_delta_pct')], counts);
  // The eight classes, then the segments of the sides whose scheme has
  // segments of its own (an rfm8 side's segments are its classes, shown
  // once as classes). A/B may use different schemes: each segment name is
  // labelled as a segment, never as a class.
  const groups = [];
  const segNames = new Set();
  for (const side of [a, b]) {
    if (side.scenario.segments.scheme !== 'rfm8') for (const name of Object.keys(side.segments)) segNames.add(name);
  }
  const rows = [['classes', 'class', Object.keys(delta.classes)], ['segments', 'segment', Object.keys(delta.segments).filter((n) => segNames.has(n))]];
  for (const [key, kind, names] of rows) {
    for (const name of names) {
      const x = a[key][name];
      const y = b[key][name];
      const d = delta[key][name];
      if (!x?.customers && !y?.customers) continue;
      groups.push([`${t(kind)} · ${labelOf(kind, name)}`, ...cells(x?.customers, y?.customers, d.customers, fmtInt), ...cells(x?.revenue, y?.revenue, d.revenue, fmtMoney)]);
    }
  }
  table($('#cmp-groups'), [t('cmp_group'), t('cmp_cust_a'), t('cmp_cust_b'), t('cmp_delta'), t('cmp_delta_pct'), t('cmp_rev_a'), t('cmp_rev_b'), t('cmp_delta'), t('cmp_delta_pct')], groups);
}

// compareCSV is the A/B tables as one CSV, each under its heading.
export function compareCSV() {
  const rows = [];
  for (const id of ['cmp-totals', 'cmp-counts', 'cmp-groups']) {
    const el = $(`#${id}`);
    if (rows.length) rows.push([]);
    rows.push([el.closest('div').querySelector('h4')?.textContent || '']);
    rows.push(...tableRows(el));
  }
  return csvText(rows);
}

// bindCompareExport wires the A/B table download.
export function bindCompareExport() {
  $('#cmp-export').addEventListener('click', () => download(`${baseName()}_a_b.csv`, compareCSV(), 'text/csv'));
}
