// The Points panel: earn rates, redemption threshold and expiry; who
// reaches the threshold, the cost and the liability. The worker answers
// the what-if without scoring again.

import { state } from './state.js';
import { $, setInput, table } from './dom.js';
import { t, fill, fmtInt, fmtMoney, fmtPct } from './i18n.js';
import { call } from './rpc.js';
import { showPanel } from './charts.js';

// refreshPoints asks the worker for the points what-if (it does not score
// again); the latest request wins.
let pointsSeq = 0;
export async function refreshPoints() {
  const seq = ++pointsSeq;
  if (!state.pointsOn || !state.hasData) { state.points = null; renderPoints(); return null; }
  try {
    const out = await call('points', { options: state.pointsOpts });
    if (seq !== pointsSeq) return state.points;
    state.points = out;
    state.pointsError = '';
  } catch (e) {
    if (seq !== pointsSeq) return state.points;
    state.points = null;
    state.pointsError = e.message;
  }
  renderPoints();
  return state.points;
}

export function renderPoints() {
  const o = state.pointsOpts;
  $('#points-on').checked = state.pointsOn;
  setInput('#points-per-order', 'value', o.per_order);
  setInput('#points-per-yuan', 'value', o.per_yuan);
  setInput('#points-expiry', 'value', o.expiry_months);
  setInput('#points-value', 'value', o.point_value);
  setInput('#points-threshold', 'value', o.threshold);
  $('#points-threshold-out').textContent = fmtInt(o.threshold);
  $('#points-off').hidden = state.pointsOn;
  const p = state.points;
  showPanel('#points-body', !!p, '');
  if (!p) return;
  const r = p.result;
  $('#points-summary').textContent = fill('points_summary', {
    t: fmtInt(r.threshold), reach: fmtInt(r.reach), share: fmtPct(r.reach_share), m: fmtInt(p.points.months),
    cost: fmtMoney(r.redemption_cost), liab: fmtMoney(r.liability),
  });
  table($('#points-table'), [t('points_threshold'), t('reach'), t('reach_share'), t('issued'), t('redeemed'), t('expired'), t('liability')],
    p.sweep.map((x) => [fmtInt(x.threshold), fmtInt(x.reach), fmtPct(x.reach_share), fmtInt(Math.round(x.issued)), fmtInt(Math.round(x.redeemed)), fmtInt(Math.round(x.expired)), fmtMoney(x.liability)]));
}
