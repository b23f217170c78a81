// The Predictions panel: the BG/NBD and Gamma-Gamma fits, their warnings,
// the churn warning list and the calibration-versus-holdout table (its
// chart is drawn with the others, in charts.js).

import { state } from './state.js';
import { $, table } from './dom.js';
import { t, fill, fmtInt, fmtMoney, fmtNum, fmtPct } from './i18n.js';
import { labelOf } from './labels.js';
import { showOptional } from './charts.js';

// fitWarning says a fit warning of the core ({code, n, detail}: notes) in
// the page's language.
function fitWarning(note) {
  return note.detail ? fill(`warn_${note.code}`, { s: note.detail }) : fill(`warn_${note.code}`, { n: fmtInt(note.n) });
}

export function renderPrediction() {
  const p = state.prediction;
  showOptional('#predict-off', '#predict-body', 'chart-holdout', !!p, state.predictionError, 'predict_failed', 'predict_hint');
  if (!p) return;
  const num = (x) => fmtNum(x, 4);
  const bg = p.bgnbd;
  // A parameter with its standard error, when the fit has one.
  const se = p.bgnbd_se || {};
  const par = (k) => (se[k] > 0 ? `${num(bg[k])} ± ${num(se[k])}` : num(bg[k]));
  const gg = p.gamma_gamma;
  // The purchase model's own parameters: r, α, a, b (BG/NBD, MBG/NBD) or
  // r, α, s, β (Pareto/NBD).
  const symbols = { r: 'r', alpha: 'α', a: 'a', b: 'b', s: 's', beta: 'β' };
  const params = Object.keys(symbols).filter((k) => bg[k] !== undefined).map((k) => `${symbols[k]} = ${par(k)}`).join(', ');
  const modelKey = `params_${(p.model || 'bgnbd').replace('-', '_')}`;
  $('#predict-params').textContent = `${t(state.dict.en[modelKey] ? modelKey : 'params_bgnbd')}: ${params} (${t('loglik')} ${fmtNum(p.bgnbd_loglik, 1)}${p.converged ? '' : `, ${t('not_converged')}`}) · ${t('params_gg')}: ${gg ? `p = ${num(gg.p)}, q = ${num(gg.q)}, γ = ${num(gg.gamma)}` : t('no_gg')} · ${t('mean_p_alive')} ${fmtPct(p.mean_p_alive)} · ${t('total_clv')} ${fmtMoney(p.total_clv)}`;
  // Model "auto": the models compared on the data's last quarter.
  const cmpRows = p.comparison || [];
  $('#predict-chosen').hidden = $('#predict-compare').hidden = !cmpRows.length;
  if (cmpRows.length) {
    const name = (m) => t(`model_name_${m}`);
    $('#predict-chosen').textContent = fill('auto_chosen', {
      model: name(cmpRows[0].model), err: fmtNum(cmpRows[0].bucket_error, 3),
      next: cmpRows[1] ? name(cmpRows[1].model) : '–', nerr: cmpRows[1] ? fmtNum(cmpRows[1].bucket_error, 3) : '–',
    });
    table($('#predict-compare'), [t('cmp_model'), t('cmp_bucket_error'), t('cmp_total_error'), t('cmp_loglik')],
      cmpRows.map((c) => [name(c.model), c.error ? '–' : fmtNum(c.bucket_error, 3), c.error ? '–' : fmtPct(c.total_error), c.error ? '–' : fmtNum(c.loglik, 1)]));
  }
  const warnings = [...(p.notes || []).map(fitWarning), ...(p.holdout_error ? [p.holdout_error] : [])];
  const wkey = JSON.stringify([state.lang, warnings]);
  const ul = $('#predict-warnings');
  if (ul.dataset.key !== wkey) {
    ul.dataset.key = wkey;
    ul.replaceChildren(...warnings.map((w) => { const li = document.createElement('li'); li.textContent = `⚠ ${w}`; return li; }));
  }
  const churn = p.churn || [];
  $('#churn-note').textContent = churn.length ? fill('churn_note', { t: fmtNum(p.at_risk_below, 2), n: fmtInt(p.churn_total), k: fmtInt(churn.length) }) : t('churn_none');
  table($('#churn'), ['#', t('id'), t('tier'), t('revenue'), t('p_alive'), t('value_at_risk'), t('clv'), t('last_order')],
    churn.map((c, i) => [i + 1, c.id, labelOf('tier', c.tier), fmtMoney(c.revenue), c.p_alive_ci ? `${fmtPct(c.p_alive)} (${fmtPct(c.p_alive_ci[0])}–${fmtPct(c.p_alive_ci[1])})` : fmtPct(c.p_alive), fmtMoney(c.value_at_risk), c.clv_ci ? `${fmtMoney(c.clv)} (${fmtMoney(c.clv_ci[0])}–${fmtMoney(c.clv_ci[1])})` : fmtMoney(c.clv), c.last_order]));
  const h = p.holdout;
  if (h) {
    const cal2 = new Date(Date.parse(`${h.calibration_end}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
    $('#holdout-note').textContent = fill('holdout_note', { c: h.calibration_end, c2: cal2, h: h.holdout_end, a: fmtNum(h.actual, 0), e: fmtNum(h.expected, 0) });
    table($('#holdout-table'), [t('calib_freq'), t('customers'), t('holdout_actual'), t('holdout_expected')],
      h.rows.map((r) => [r.frequency, fmtInt(r.customers), fmtNum(r.actual, 3), fmtNum(r.expected, 3)]));
  } else {
    $('#holdout-note').textContent = p.holdout_error || '';
    table($('#holdout-table'), [], []);
  }
}
