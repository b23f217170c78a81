// The results view as a whole: render() shows a run's answer (the KPI
// cards, knobs, tables, panels, compare, charts, reports and the customer
// list); clearResults() blanks it when a new file starts loading.

import { state } from './state.js';
import { $, $$, forgetTable, later } from './dom.js';
import { fmtDate, fmtInt, fmtMoney } from './i18n.js';
import { clearKnobs, renderDims, renderTierCuts, syncKnobs } from './knobs.js';
import { dropRows, renderTables, scheduleCustomers } from './tables.js';
import { clearCharts, renderCharts } from './charts.js';
import { renderPanels } from './panels.js';
import { renderCompare } from './compare.js';
import { renderReports } from './reports.js';
import { setExports } from './exports.js';
import { renderReadout } from './readout.js';
import { renderGlossary } from './explain.js';

export function render() {
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
  // The glossary's live values need not follow every slider step.
  later('glossary', renderGlossary, 150);
  renderCompare();
  later('charts', renderCharts, 0);
  const key = JSON.stringify([v.load?.rows_read, v.load?.rows_kept, v.clean, state.scenario.clean, state.lang]);
  if (key !== state.reportKey) {
    state.reportKey = key;
    renderReports();
  }
  // At once after a load (the list is empty), later while knobs move.
  scheduleCustomers($('#customers').rows.length ? 120 : 0);
}

// clearResults forgets the data shown: KPIs, charts, tables, the customer
// list and the load report go blank and the exports are disabled until a
// new result arrives. A failed load leaves them so.
export function clearResults(name) {
  state.hasData = false;
  state.view = null;
  state.loaded = '';
  state.prediction = state.plan = state.cohorts = state.kpi = state.migration = state.points = null;
  state.planError = state.predictionError = state.cohortsError = state.kpiError = state.migrationError = state.pointsError = '';
  state.reportKey = null;
  state.readout = state.readoutError = state.readoutApplied = state.snapshotCmp = null;
  renderReadout();
  state.page = 0;
  dropRows();
  for (const id of ['kpi-customers', 'kpi-revenue', 'kpi-aov', 'kpi-asof', 'kpi-rows']) $(`#${id}`).textContent = '–';
  clearCharts();
  // The tables of the results, but not the Columns panel's roles nor the
  // playbook editor's rows, which are inputs.
  for (const el of $$('#results table')) {
    forgetTable(el);
    if (el.id !== 'roles' && !el.closest('#pb-editor')) el.replaceChildren();
  }
  clearKnobs();
  for (const id of ['buyers', 'page-info', 'load-report']) $(`#${id}`).replaceChildren();
  $('#cust-segment').replaceChildren();
  $('#dataset-name').textContent = name;
  $('#progress').value = 0;
  if (state.scenario) renderPanels();
  setExports(false);
}
