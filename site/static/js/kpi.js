// The KPI tree panel: GMV = new buyers × new AOV + old buyers × repurchase
// rate × old AOV (+ reactivated GMV) for the last period, and what a GMV
// target needs.

import { state } from './state.js';
import { $, table } from './dom.js';
import { t, fill, fmtInt, fmtMoney, fmtPct } from './i18n.js';
import { showPanel } from './charts.js';
import { call } from './rpc.js';

// kpiSolve asks the core (simulate.KPI.Solve) what a GMV target needs,
// one input at a time with the others held; target 0 or null is the
// tree's default target. It answers {gmv, new_buyers, repurchase_rate,
// notes}; an input the tree cannot be solved for is missing.
export function kpiSolve(target) {
  return call('kpi', { target: target ?? 0, period: state.kpiPeriod });
}

let solving = 0; // the latest solve asked for; older answers are dropped

// renderKPI shows the GMV tree of the last period and what a target needs.
export function renderKPI() {
  const k = state.kpi;
  $('#kpi-off').hidden = state.kpiOn;
  $('#kpi-needs').hidden = !(state.kpiOn && state.needsOrders);
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
  const seq = ++solving;
  kpiSolve(state.kpiTarget).then((s) => {
    if (seq !== solving || state.kpi !== k) return;
    const el = $('#kpi-target');
    if (state.kpiTarget == null && document.activeElement !== el) el.placeholder = String(s.gmv);
    const rr = s.repurchase_rate == null ? '—' : s.repurchase_rate > 1 ? t('kpi_unreachable') : fmtPct(Math.max(0, s.repurchase_rate));
    $('#kpi-needs').textContent = fill('kpi_needs', {
      target: fmtMoney(s.gmv),
      nb: s.new_buyers == null ? '—' : fmtInt(Math.max(0, Math.ceil(s.new_buyers))),
      nb0: fmtInt(k.new_buyers),
      rr,
      rr0: fmtPct(k.repurchase_rate),
    });
  }).catch(() => {
    if (seq === solving) $('#kpi-needs').textContent = '';
  });
}
