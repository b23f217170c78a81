// Scoring runs: one run in flight, the latest scenario wins. A knob edits
// the scenario with changed(), a whole scenario arrives with setScenario(),
// and rescore() sends the scenario and the panels' settings to the worker
// and shows the answer. result() is the last run's results as scripts and
// tests read them (window.segsim.result()).

import { state, clone } from './state.js';
import { call } from './rpc.js';
import { showError } from './status.js';
import { render } from './view.js';
import { refreshPoints } from './points.js';
import { renderTags } from './knobs.js';
import { updateHash, updateHashSoon, flushHash } from './share.js';
import { customersSettled } from './tables.js';

let running = null;
let dirty = false;

export function rescore() {
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
          state.needsOrders = !!out.needs_orders;
          state.cmp = out.compare || null;
          // The core echoes the scenario only when it normalised it.
          if (!dirty && out.scenario) state.scenario = out.scenario;
          const r0 = performance.now();
          render();
          state.lastRender = performance.now() - r0;
          if (state.moveAt && !dirty) {
            state.lastMove = performance.now() - state.moveAt;
            state.moveAt = 0;
          }
          // Scored afresh: prepare the first slider move while idle.
          if (state.rescored) warmWhenIdle();
          if (state.pointsOn) refreshPoints();
        }
        if (state.error?.text) showError('');
      } catch (e) {
        showError(e.message);
        throw e;
      } finally {
        running = null;
        state.moveAt = 0;
      }
      return result();
    })();
  }
  return running;
}

// settled waits for the load under way, then for the run in flight.
export async function settled() {
  await state.busy;
  await running;
  await customersSettled();
  flushHash();
}

// warmWhenIdle asks the core, once the browser is idle, to prepare what
// the first move of a score cut needs (customers in key order), so that
// the first move after a load answers as fast as the next ones.
let warmQueued = false;
function warmWhenIdle() {
  if (warmQueued) return;
  warmQueued = true;
  const go = () => { warmQueued = false; call('warm').catch(() => {}); };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(go, { timeout: 2000 });
  else setTimeout(go, 200);
}

// changed edits the scenario, re-scores, and puts the scenario in the URL
// once the knobs are still (updateHashSoon).
export function changed(mutate) {
  if (state.hasData) state.moveAt ||= performance.now();
  mutate(state.scenario);
  updateHashSoon();
  rescore().catch(() => {});
}

// setScenario makes a copy of obj the scenario in force and re-scores.
export async function setScenario(obj) {
  state.scenario = clone(obj);
  updateHash();
  renderTags();
  return rescore();
}

// result returns the last run's results, or null when there is none.
export function result() {
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
    buyers: v.buyers,
    buyer_series: v.buyer_series,
    bins: v.bins,
    load: v.load,
    clean: v.clean,
    prediction: state.prediction && {
      churn: state.prediction.churn || [],
      churn_total: state.prediction.churn_total,
      warnings: state.prediction.warnings,
      model: state.prediction.model,
      bgnbd: state.prediction.bgnbd,
      gamma_gamma: state.prediction.gamma_gamma || null,
      holdout: state.prediction.holdout || null,
    },
    plan: state.plan && {
      budget: state.plan.plan.budget,
      budget_auto: state.plan.plan.budget_auto,
      playbook: state.plan.plan.playbook,
      playbook_default: !!state.plan.plan.playbook_default,
      values: state.plan.plan.values,
      total: state.plan.plan.total,
      unspent: state.plan.plan.unspent,
      unspent_reason: state.plan.plan.unspent_reason || '',
      segments: state.plan.plan.segments.map((g) => ({
        segment: g.segment, contacted: g.contacted, profit: g.profit, holdout: g.holdout, data: g.data || null,
        actions: (g.actions || []).map((a) => ({ action: a.action, contacted: a.contacted, order_value: a.order_value, baseline: a.baseline, basis: a.basis })),
      })),
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
