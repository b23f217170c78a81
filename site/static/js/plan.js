// The Activity plan panel: the budget slider and the allocation table with
// hold-out sizes (the profit-versus-budget curve is drawn in charts.js,
// the playbook editor is playbook.js).

import { state } from './state.js';
import { $, table } from './dom.js';
import { t, fill, fmtInt, fmtMoney, fmtNum, fmtPct } from './i18n.js';
import { actionLabel, labelOf, segKind } from './labels.js';
import { showOptional } from './charts.js';

export function renderPlan() {
  const pv = state.plan;
  const input = $('#plan-budget');
  const sp = state.scenario.plan;
  // With the budget sized to the data, the slider shows the plan's budget.
  const budget = sp.budget_auto && pv ? pv.plan.budget : sp.budget;
  if (pv) {
    const max = Math.max(pv.max_budget, budget);
    input.max = max;
    input.step = Math.max(1, max / 400);
  }
  if (document.activeElement !== input) input.value = budget;
  $('#plan-budget-out').textContent = fmtMoney(budget);
  showOptional('#plan-off', '#plan-body', 'chart-plan', !!pv, state.planError, 'plan_error', 'plan_hint');
  const industry = $('#plan-industry');
  industry.hidden = !(pv && pv.plan.playbook_default);
  industry.textContent = t('plan_industry');
  if (!pv) return;
  const p = pv.plan;
  const tot = p.total;
  $('#plan-summary').textContent = fill('plan_totals', { b: fmtMoney(p.budget), c: fmtInt(tot.contacted), cost: fmtMoney(tot.cost), o: fmtNum(tot.expected_orders, 1), r: fmtMoney(tot.incremental_revenue), p: fmtMoney(tot.profit), roi: fmtPct(tot.roi) });
  const why = p.unspent_code ? fill(`unspent_${p.unspent_code}`, { left: fmtMoney(p.unspent), cheapest: fmtMoney(p.cheapest_contact) }) : p.unspent_reason;
  $('#plan-unspent').textContent = p.budget_auto ? t('budget_sized') : `${t('unspent')}: ${fmtMoney(p.unspent)}${why ? ` — ${why}` : ''}`;
  const kind = p.by === 'stage' ? 'stage' : p.by === 'class' ? 'class' : segKind();
  // A segment's figures are those of its best-paying action in use (the
  // first when none is used): order value and baseline, the playbook's
  // in brackets when the data replaced them.
  const lead = (g) => (g.actions || []).find((a) => a.contacted > 0) || (g.actions || [])[0];
  const figure = (a, field, fmt) => {
    if (!a) return '–';
    const v = fmt(a[field]);
    return a.playbook && a.playbook[field] !== a[field] ? `${v} (${fmt(a.playbook[field])})` : v;
  };
  let assumed = false;
  const roi = (g, a) => {
    if (!(g.cost > 0)) return '–';
    const star = a && a.basis === 'playbook' && g.actions.every((x) => x.contacted === 0 || x.basis === 'playbook');
    assumed ||= star;
    return fmtPct(g.roi) + (star ? ' *' : '');
  };
  const row = (name, g, note, hold, a) => [name, figure(a, 'order_value', fmtMoney), figure(a, 'baseline', (x) => fmtPct(x)), fmtInt(g.contacted), fmtMoney(g.cost), fmtNum(g.expected_orders, 1), fmtMoney(g.incremental_revenue), fmtMoney(g.profit), roi(g, a), hold, note];
  table($('#plan-table'), [t('segment'), t('plan_order_value'), t('plan_baseline'), t('contacted'), t('cost'), t('expected_orders'), t('incr_revenue'), t('profit'), t('roi'), t('holdout_size'), t('note')],
    [...p.segments.map((g) => row(`${labelOf(kind, g.segment)} (${fmtInt(g.customers)})`, g, (g.note_code ? t(`note_${g.note_code}`) : g.note) || (g.actions || []).filter((a) => a.contacted > 0).map((a) => `${actionLabel(a.action)} × ${fmtInt(a.contacted)}`).join(', '), fmtInt(g.holdout), lead(g))),
      row(t('total'), tot, '', fmtInt(p.segments.reduce((a, g) => a + g.holdout, 0)), null)]);
  const basis = p.values === 'data' ? fill('plan_basis_data', { days: fmtInt(p.window_days) }) : t('plan_basis_playbook');
  $('#plan-basis').textContent = assumed ? `${basis} ${t('plan_assumed')}` : basis;
}
