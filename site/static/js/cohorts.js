// The Cohorts panel: retention by first-purchase month as a table and a
// heatmap.
/* global echarts */

import { state } from './state.js';
import { $, table } from './dom.js';
import { t, fill, fmtInt, fmtPct } from './i18n.js';
import { draw, showPanel, tooltip } from './charts.js';

// renderCohorts draws the cohort panel: retention by first-purchase month
// (rows, latest at the bottom) and months since (columns).
export function renderCohorts() {
  const tab = state.cohorts;
  const on = !!tab && tab.cohorts.length > 0;
  $('#cohort-off').hidden = state.cohortOn;
  $('#cohort-needs').hidden = !(state.cohortOn && state.needsOrders);
  showPanel('#cohort-body', on, 'chart-cohorts');
  if (!on) return;
  const cs = tab.cohorts;
  const months = cs.reduce((m, c) => Math.max(m, c.retention.length), 0);
  const label = (c) => c.start.slice(0, 7);
  let total = 0;
  let w = 0;
  let r1 = 0;
  for (const c of cs) {
    total += c.size;
    if (c.retention.length > 1) { w += c.size; r1 += c.active[1]; }
  }
  $('#cohort-summary').textContent = fill('cohort_summary', { n: fmtInt(cs.length), c: fmtInt(total), r: w ? fmtPct(r1 / w) : '—' });
  const head = [t('cohort_month'), t('cohort_size')];
  for (let k = 1; k < months; k++) head.push(`+${k}`);
  table($('#cohort-table'), head, cs.map((c) => [label(c), fmtInt(c.size), ...c.retention.slice(1).map((x) => fmtPct(x))]));
  if (typeof echarts === 'undefined') return;
  const data = [];
  cs.forEach((c, i) => c.retention.forEach((x, k) => { if (k > 0) data.push([k - 1, i, +(100 * x).toFixed(1)]); }));
  const max = Math.max(1, ...data.map((d) => d[2]));
  const ys = cs.map((c) => `${label(c)} (${fmtInt(c.size)})`);
  draw('chart-cohorts', [ys, data], () => ({
    animation: false,
    tooltip: { ...tooltip, formatter: (p) => `${ys[p.value[1]]}\n${t('months_since')}: ${p.value[0] + 1}\n${p.value[2]}%` },
    grid: { left: 8, right: 16, top: 8, bottom: 80, containLabel: true },
    xAxis: { type: 'category', data: Array.from({ length: months - 1 }, (_, k) => String(k + 1)), name: t('months_since'), nameLocation: 'middle', nameGap: 24, splitArea: { show: true } },
    yAxis: { type: 'category', data: ys, inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, inRange: { color: ['#f7fbff', '#6baed6', '#08306b'] }, formatter: (x) => `${(+x).toFixed(0)}%` },
    series: [{ type: 'heatmap', data, label: { show: cs.length <= 24 && months <= 24, fontSize: 9, formatter: (p) => p.value[2].toFixed(0) } }],
  }));
}
