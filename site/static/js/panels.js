// The further panels' controls: the toggles and settings of predictions,
// the activity plan, cohorts, the KPI tree, migration and points (page
// settings, except the scenario's predict and plan sections), and
// renderPanels(), which sets them from the state and draws each panel.

import { state } from './state.js';
import { $, setInput } from './dom.js';
import { fill, fmtMoney, fmtNum, fmtPct } from './i18n.js';
import { pbLabel } from './labels.js';
import { changed, rescore } from './run.js';
import { renderPrediction } from './predict.js';
import { renderPlan } from './plan.js';
import { bindEditor, renderEditor } from './playbook.js';
import { renderKPI } from './kpi.js';
import { renderCohorts } from './cohorts.js';
import { renderMigration } from './migration.js';
import { refreshPoints, renderPoints } from './points.js';
import { bindCompare } from './compare.js';

// rerun re-scores after a page setting changed; an error is shown by the run.
const rerun = () => rescore().catch(() => {});
// days reads a whole number of days (or periods) between 1 and hi.
const days = (v, hi, fallback) => Math.min(hi, Math.max(1, Math.round(Number(v) || fallback)));

export function bindPanels() {
  $('#predict-on').addEventListener('change', (e) => changed((s) => { s.predict.enabled = e.target.checked; }));
  $('#predict-unit').addEventListener('change', (e) => changed((s) => { s.predict.unit = e.target.value; }));
  $('#predict-model').addEventListener('change', (e) => changed((s) => { s.predict.model = e.target.value; }));
  $('#predict-horizon').addEventListener('change', (e) => changed((s) => {
    s.predict.horizon_days = days(e.target.value, 3650, state.defaults.predict.horizon_days);
  }));
  $('#predict-atrisk').addEventListener('input', (e) => changed((s) => { s.predict.at_risk_below = Number(e.target.value); }));
  $('#holdout-share').addEventListener('input', (e) => {
    state.holdoutShare = Number(e.target.value);
    rerun();
  });
  $('#plan-on').addEventListener('change', (e) => { state.planOn = e.target.checked; rerun(); });
  $('#migration-on').addEventListener('change', (e) => { state.migrationOn = e.target.checked; rerun(); });
  $('#migration-by').addEventListener('change', (e) => { state.migrationBy = e.target.value; rerun(); });
  $('#migration-days').addEventListener('change', (e) => {
    state.migrationDays = days(e.target.value, 366, 30);
    rerun();
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
  $('#kpi-on').addEventListener('change', (e) => { state.kpiOn = e.target.checked; rerun(); });
  $('#kpi-period').addEventListener('change', (e) => {
    state.kpiPeriod = days(e.target.value, 366, 30);
    rerun();
  });
  $('#kpi-target').addEventListener('input', (e) => {
    const v = Number(e.target.value);
    state.kpiTarget = e.target.value === '' || !Number.isFinite(v) ? null : v;
    renderKPI();
  });
  $('#cohort-on').addEventListener('change', (e) => { state.cohortOn = e.target.checked; rerun(); });
  $('#plan-playbook').addEventListener('change', (e) => {
    if (e.target.value === 'custom') return;
    state.playbookBy = 'page'; // a sample loaded later keeps it
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
    changed((s) => { s.plan.budget = Number(e.target.value); s.plan.budget_auto = false; });
  });
  $('#plan-budget-auto').addEventListener('change', (e) => changed((s) => {
    s.plan.budget_auto = e.target.checked;
    // Turned off, the budget starts from the one sized to the data.
    if (!e.target.checked && state.plan) s.plan.budget = state.plan.plan.budget;
  }));
  $('#plan-values').addEventListener('change', (e) => changed((s) => { s.plan.values = e.target.value; }));
  $('#plan-window').addEventListener('change', (e) => {
    const v = Math.round(Number(e.target.value));
    if (v >= 1 && v <= 365) changed((s) => { s.plan.window_days = v; });
  });
}

export function renderPanels() {
  const s = state.scenario;
  setInput('#predict-on', 'checked', !!s.predict.enabled);
  setInput('#predict-unit', 'value', s.predict.unit);
  setInput('#predict-model', 'value', s.predict.model || 'bgnbd');
  setInput('#predict-horizon', 'value', s.predict.horizon_days);
  setInput('#predict-atrisk', 'value', s.predict.at_risk_below);
  $('#predict-atrisk-out').textContent = fmtNum(s.predict.at_risk_below, 2);
  setInput('#holdout-share', 'value', state.holdoutShare);
  $('#holdout-share-out').textContent = fmtPct(state.holdoutShare);
  setInput('#plan-on', 'checked', state.planOn);
  const custom = $('#plan-playbook-custom');
  custom.hidden = !s.plan.custom;
  custom.textContent = fill('pb_custom', { base: pbLabel(s.plan.playbook) });
  setInput('#plan-playbook', 'value', s.plan.custom ? 'custom' : s.plan.playbook);
  setInput('#plan-by', 'value', s.plan.by);
  setInput('#plan-rank', 'value', s.plan.rank);
  setInput('#plan-holdout', 'checked', !!s.plan.holdout.enabled);
  setInput('#plan-budget-auto', 'checked', !!s.plan.budget_auto);
  setInput('#plan-values', 'value', s.plan.values);
  setInput('#plan-window', 'value', s.plan.window_days);
  setInput('#cohort-on', 'checked', state.cohortOn);
  setInput('#kpi-on', 'checked', state.kpiOn);
  setInput('#migration-on', 'checked', state.migrationOn);
  setInput('#migration-by', 'value', state.migrationBy);
  setInput('#migration-days', 'value', state.migrationDays);
  setInput('#kpi-period', 'value', state.kpiPeriod);
  renderPrediction();
  renderPlan();
  renderEditor();
  renderKPI();
  renderCohorts();
  renderMigration();
  renderPoints();
}
