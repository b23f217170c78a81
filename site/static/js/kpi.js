// The KPI tree panel: GMV = new buyers × new AOV + old buyers × repurchase
// rate × old AOV (+ reactivated GMV) for the last period, and what a GMV
// target needs.

import { state } from './state.js';
import { $, table } from './dom.js';
import { t, fill, fmtInt, fmtMoney, fmtPct } from './i18n.js';
import { showPanel } from './charts.js';

// kpiSolve mirrors simulate.KPI's NewBuyersFor and RepurchaseRateFor: what
// one input must be for a GMV target with the others held.
export function kpiSolve(k, target) {
  const nb = k.new_aov > 0 ? (target - k.old_base * k.repurchase_rate * k.old_aov - k.reactivated_gmv) / k.new_aov : NaN;
  const base = k.old_base * k.old_aov;
  const rr = base > 0 ? (target - k.new_buyers * k.new_aov - k.reactivated_gmv) / base : NaN;
  return { new_buyers: nb, repurchase_rate: rr };
}

// renderKPI shows the GMV tree of the last period and what a target needs.
export function renderKPI() {
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
