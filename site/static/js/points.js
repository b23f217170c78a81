// The Points panel: earn rates, redemption threshold and expiry; who
// reaches the threshold, the cost and the liability, each customer
// weighted by the chance of going on buying (the answer says how). The
// worker answers the what-if without scoring again.

import { state } from './state.js';
import { $, setInput, table } from './dom.js';
import { t, fill, fmtDate, fmtInt, fmtMoney, fmtPct, listOf } from './i18n.js';
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
    t: fmtInt(r.threshold), reach: fmtInt(Math.round(r.reach)), share: fmtPct(r.reach_share), m: fmtInt(p.points.months),
    cost: fmtMoney(r.redemption_cost), liab: fmtMoney(r.liability),
  });
  $('#points-keep').textContent = keepText(p.keep);
  table($('#points-table'), [t('points_threshold'), t('reach'), t('reach_share'), t('issued'), t('redeemed'), t('expired'), t('liability')],
    p.sweep.map((x) => [fmtInt(x.threshold), fmtInt(Math.round(x.reach)), fmtPct(x.reach_share), fmtInt(Math.round(x.issued)), fmtInt(Math.round(x.redeemed)), fmtInt(Math.round(x.expired)), fmtMoney(x.liability)]));
}

// keepText says how the what-if weighted customers: by P(alive), by the
// observed repurchase rate of their recency band, or not at all.
function keepText(k) {
  if (!k) return '';
  switch (k.basis) {
    case 'p_alive':
      return fill('keep_p_alive', { model: t(`model_name_${k.model}`), mean: fmtPct(k.mean) });
    case 'repurchase': {
      let lo = 0;
      const bands = (k.bands || []).map((b) => {
        const rate = b.borrowed ? fill('keep_borrowed', { rate: fmtPct(b.rate) }) : fmtPct(b.rate);
        const s = b.max_recency ? fill('keep_band', { lo: fmtInt(lo + 1), hi: fmtInt(b.max_recency), rate }) : fill('keep_band_open', { lo: fmtInt(lo), rate });
        lo = b.max_recency;
        return s;
      });
      return fill('keep_repurchase', { cut: fmtDate(k.cut), days: fmtInt(k.days), bands: listOf(bands), mean: fmtPct(k.mean) });
    }
    case 'no_history':
      return t('keep_no_history');
    default:
      return t('keep_none');
  }
}
