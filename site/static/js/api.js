// window.segsim, the page's surface for scripts and tests: load data,
// read and set the scenario, read the results, export, and compare
// scenarios A and B. The entry script puts it on window.

import { state, clone } from './state.js';
import { $ } from './dom.js';
import { call } from './rpc.js';
import { rescore, result, setScenario, settled } from './run.js';
import { loadBlob, loadSample } from './load.js';
import { renderPanels } from './panels.js';
import { refreshPoints } from './points.js';
import { kpiSolve } from './kpi.js';
import { csvBytes, rejectsBytes } from './exports.js';
import { clearPin, compare, pinA, restoreA } from './compare.js';
import { readout, readoutCSV, useMeasured } from './readout.js';
import { swVersion } from './offline.js';
import { setPresenter, step } from './present.js';
import { lessonLink } from './lessons.js';
import { explainText, terms } from './explain.js';

const utf8 = (bytes) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

export const api = {
  async load(textOrFile, opts = {}) {
    const blob = typeof textOrFile === 'string' ? new Blob([textOrFile]) : textOrFile;
    return loadBlob(blob, opts.name || textOrFile.name || 'data.csv', { map: opts.map, date_format: opts.dateFormat, encoding: opts.encoding, carry: opts.carry });
  },
  loadSample,
  scenario: () => clone(state.scenario),
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
  kpiSolve: (target) => (state.kpi ? kpiSolve(target) : null),
  // readout reads a campaign out as the Readout panel does: plan and
  // orders are file texts, Files or null (the page's own plan, the loaded
  // file); options {start, end}. It answers {readout, plan_load,
  // orders_load}, or null with the error in readoutError().
  async readout(plan, orders, options) {
    await settled();
    const blob = (x) => (typeof x === 'string' ? new Blob([x]) : x ?? null);
    return readout(blob(plan), blob(orders), options);
  },
  readoutResult: () => state.readout,
  // swVersion is the version of the service worker in control ('' when
  // none: the first visit, before it takes over).
  swVersion,
  // setPresenter turns presenter view on or off; step moves it.
  setPresenter,
  step,
  // lessons lists the lessons in the picker; lessonLink links to the
  // lesson step in progress.
  lessons: () => state.lessons,
  // explain is a term's explanation with the current values; terms
  // lists the glossary's terms.
  explain: explainText,
  terms: () => terms,
  lessonLink,
  // checkUpdate asks the server for a new version of the site now (the
  // browser also checks on its own).
  checkUpdate: () => state.swReg?.update().then(() => true),
  // snapshotComparison is the Migration panel's last comparison of a kept
  // snapshot with the current run.
  snapshotComparison: () => state.snapshotCmp,
  // useMeasured makes the last readout's measured rates the playbook's.
  async useMeasured() {
    const m = await useMeasured();
    await settled();
    return m;
  },
  readoutError: () => state.readoutError,
  readoutCSV,
  setCohorts(on) { state.cohortOn = !!on; $('#cohort-on').checked = state.cohortOn; return rescore(); },
  // rejectsCSV returns the skipped rows' CSV as the download button writes it.
  async rejectsCSV() {
    await state.busy;
    return utf8(await rejectsBytes());
  },
  // report returns the last load's report (also of a load that failed),
  // with the sheet read from a workbook.
  report: () => state.report && { ...state.report, sheet: state.xlsx?.sheet || '', sheets: state.xlsx?.sheets || [] },
  error: () => state.error,
  async exportCSV(opts = {}) {
    await settled();
    return utf8(await csvBytes(opts));
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
  idle: async () => { await settled(); return result(); },
  timings: () => state.timings,
  lastRun: () => state.lastRun,
  lastTimes: () => ({ roundTrip: state.lastRun, worker: state.workerRun, render: state.lastRender, move: state.lastMove }),
  violations: () => state.violations,
  stats: async () => ({ ...(await call('stats')), jsHeap: performance.memory?.usedJSHeapSize ?? 0 }),
  // ready settles when the page has started and scored its first sample.
  ready: null,
};
